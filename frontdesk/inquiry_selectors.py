"""Reads of visitor inquiries: the lookup (company → unit number, nothing else) and the
register and detail pages."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from tenants.models import Occupancy, Tenant
from tenants.selectors import current_q

from .models import Inquiry

# At most this many companies are listed for one search (a visitor names one company): with
# more, the desk is asked to type more of the name.
LOOKUP_COMPANIES = 20
LOOKUP_UNITS = 60
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


def lookup(query: str) -> tuple[list[Found], bool]:
    """The companies whose name contains ``query`` and the units they occupy today: company,
    building, floor and unit number only; and whether more companies match than are listed.

    One query. The companies are picked first, unordered, at most one more than are listed (a
    trigram index serves a rare part of a name, a scan that stops early a common one), then
    joined to their current units and ordered: ordering all matches by name would walk the
    name index through every company for a rare one."""
    query = (query or "").strip()
    if not query:
        return [], False
    occupying = Occupancy.objects.filter(current_q(), tenant=OuterRef("pk"))
    companies = Tenant.objects.filter(Exists(occupying), is_active=True, name__icontains=query).order_by().values("pk")
    rows = list(
        Occupancy.objects.filter(current_q(), tenant_id__in=companies[: LOOKUP_COMPANIES + 1])
        .order_by("tenant__name", "tenant_id", "unit__number")
        .values(*LOOKUP_COLUMNS)[:LOOKUP_UNITS]
    )
    shown: list[int] = []
    found = []
    for r in rows:
        if r["tenant_id"] not in shown:
            shown.append(r["tenant_id"])
        if len(shown) > LOOKUP_COMPANIES:
            break
        found.append(
            Found(
                tenant_id=r["tenant_id"],
                company=r["tenant__name"],
                unit_id=r["unit_id"],
                unit=r["unit__number"],
                floor=r["unit__floor__label"] or f"{r['unit__floor__number']}F",
                building=r["unit__floor__building__name"],
            )
        )
    return found, len(shown) > LOOKUP_COMPANIES or len(rows) == LOOKUP_UNITS


def inquiry_register() -> QuerySet[Inquiry]:
    return Inquiry.objects.order_by("-received_at", "-id")


def inquiry_rows(queryset: QuerySet[Inquiry]) -> QuerySet[Inquiry]:
    return queryset.select_related("tenant", "unit", "applicant", "repair", "complaint")


def inquiry_for_desk(pk: int) -> Inquiry:
    return get_object_or_404(
        Inquiry.objects.select_related("tenant", "unit", "applicant", "repair", "complaint", "shift"), pk=pk
    )
