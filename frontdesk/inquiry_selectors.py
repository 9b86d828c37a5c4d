"""Reads of visitor inquiries: the lookup (company → unit number, nothing else) and the
register and detail pages."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tenants.models import Occupancy
from tenants.selectors import current_q

from .models import Inquiry

# At most this many units are listed for one search: a visitor names one company.
LOOKUP_LIMIT = 30
# The only columns the lookup ever reads: the confidentiality rule is held here, by what the
# query selects, not by what a template leaves out.
LOOKUP_COLUMNS = (
    "tenant_id",
    "tenant__name",
    "unit_id",
    "unit__number",
    "unit__floor__number",
    "unit__floor__label",
    "unit__floor__building__name",
)


@dataclass(frozen=True)
class Found:
    tenant_id: int
    company: str
    unit_id: int
    unit: str
    floor: str
    building: str


def lookup(query: str) -> list[Found]:
    """The companies whose name contains ``query`` and the units they occupy today: company,
    building, floor and unit number only. One query (a trigram index serves the contains)."""
    query = (query or "").strip()
    if not query:
        return []
    rows = (
        Occupancy.objects.filter(current_q(), tenant__is_active=True, tenant__name__icontains=query)
        .order_by("tenant__name", "tenant_id", "unit__number")
        .values(*LOOKUP_COLUMNS)[:LOOKUP_LIMIT]
    )
    return [
        Found(
            tenant_id=r["tenant_id"],
            company=r["tenant__name"],
            unit_id=r["unit_id"],
            unit=r["unit__number"],
            floor=r["unit__floor__label"] or f"{r['unit__floor__number']}F",
            building=r["unit__floor__building__name"],
        )
        for r in rows
    ]


def inquiry_register() -> QuerySet[Inquiry]:
    return Inquiry.objects.order_by("-received_at", "-id")


def inquiry_rows(queryset: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
    return queryset.select_related("tenant", "unit", "applicant", "repair", "complaint")


def inquiry_for_desk(pk: int) -> Inquiry:
    return get_object_or_404(
        Inquiry.objects.select_related("tenant", "unit", "applicant", "repair", "complaint", "shift"), pk=pk
    )
