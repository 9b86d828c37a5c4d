"""Arrears reads: overdue bills, tenants in arrears by building or floor, the escalation list,
a tenant's notices, contacts and demand letters. Each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, Min, OuterRef, QuerySet, Sum
from django.shortcuts import get_object_or_404

from jinyuan.documents.models import Document
from tenants.models import Building, Floor, Occupancy, Tenant
from tenants.selectors import current_q

from .arrears_models import ArrearsContact, DemandLetter, NoticeBatch
from .models import ZERO, Bill

# The supervisor's list: bills overdue more than two months; the formal letter after three.
ESCALATE_AFTER_DAYS = 60
DEMAND_AFTER_DAYS = 90
NOTICE_KIND = "arrears_notice"
DEMAND_KIND = "demand_letter"
UNPAID = (Bill.Status.OPEN, Bill.Status.PARTLY_PAID)


@dataclass(frozen=True)
class OverdueBill:
    number: str
    title: str
    period_start: date | None
    period_end: date | None
    due_date: date
    outstanding: Decimal
    days_overdue: int
    # 违约金 accrued on it and not yet billed or waived (a billed late fee is a bill of its own,
    # listed with the others): what paying today costs on top of ``outstanding``.
    late_fee: Decimal = ZERO


def _overdue(bills: list[Bill], on: date) -> list[OverdueBill]:
    """The rows of a notice: each bill with its late fee so far (billing.latefees, a fixed
    number of queries whatever the number of bills)."""
    from .latefees import accruals_of

    late = {a.bill.pk: a.due_now for a in accruals_of(bills, on)}
    return [
        OverdueBill(
            b.number,
            b.title,
            b.period_start,
            b.period_end,
            b.due_date,
            b.total - b.paid,
            (on - b.due_date).days,
            late.get(b.pk, ZERO),
        )
        for b in bills
    ]


def overdue_bills(on: date) -> QuerySet[Bill]:
    """Unpaid bills past their due date on ``on``."""
    return Bill.objects.filter(status__in=UNPAID, due_date__lt=on, total__gt=F("paid"))


def overdue_of(tenant: Tenant, on: date) -> list[OverdueBill]:
    """The tenant's overdue bills, oldest first (one query)."""
    return _overdue(list(overdue_bills(on).filter(tenant=tenant).order_by("due_date", "id")), on)


def overdue_by_tenant(tenant_ids: list[int], on: date) -> dict[int, list[OverdueBill]]:
    """Overdue bills of many tenants in one query (the batch notices)."""
    bills = list(overdue_bills(on).filter(tenant_id__in=tenant_ids).order_by("tenant_id", "due_date", "id"))
    out: dict[int, list[OverdueBill]] = {}
    for bill, row in zip(bills, _overdue(bills, on), strict=True):
        out.setdefault(bill.tenant_id, []).append(row)
    return out


def tenants_in_arrears(on: date, *, building: Building | None = None, floor: Floor | None = None) -> QuerySet[Tenant]:
    """Tenants occupying a unit of the building (or floor) on ``on`` with an overdue bill, by
    name (one query; the batch notice prints them in this order)."""
    occupancies = Occupancy.objects.filter(current_q(on=on), tenant=OuterRef("pk"))
    if floor is not None:
        occupancies = occupancies.filter(unit__floor=floor)
    elif building is not None:
        occupancies = occupancies.filter(unit__floor__building=building)
    return (
        Tenant.objects.filter(Exists(occupancies))
        .filter(Exists(overdue_bills(on).filter(tenant=OuterRef("pk"))))
        .order_by("name", "pk")
    )


def escalation_list(on: date) -> QuerySet[Tenant]:
    """Tenants with a bill overdue more than two months: what they owe overdue, how many bills,
    the oldest due date, whether a demand letter is due (three months) and the last letter."""
    overdue = {"bills__status__in": UNPAID, "bills__due_date__lt": on, "bills__total__gt": F("bills__paid")}
    from django.db.models import Q

    q = Q(**overdue)
    letters = DemandLetter.objects.filter(tenant=OuterRef("pk"))
    return (
        Tenant.objects.annotate(
            oldest_due=Min("bills__due_date", filter=q),
            overdue_total=Sum(F("bills__total") - F("bills__paid"), filter=q),
            overdue_count=Count("bills", filter=q),
            last_letter_at=letters.order_by("-issued_at").values("issued_at")[:1],
        )
        .filter(oldest_due__lt=on - timedelta(days=ESCALATE_AFTER_DAYS))
        .order_by("oldest_due", "name")
    )


def escalation_totals(rows: list[Tenant]) -> dict[str, Decimal | int]:
    return {"tenants": len(rows), "total": sum((r.overdue_total or ZERO for r in rows), ZERO)}


def demand_letter_due(oldest_due: date | None, on: date) -> bool:
    return oldest_due is not None and oldest_due < on - timedelta(days=DEMAND_AFTER_DAYS)


def notices_of(tenant: Tenant) -> QuerySet[Document]:
    """The tenant's printed notices 催缴通知书, newest first."""
    return Document.objects.filter(
        kind=NOTICE_KIND, content_type=ContentType.objects.get_for_model(Tenant), object_id=tenant.pk
    ).order_by("-issued_at", "-id")


def notice_of(tenant: Tenant, pk: int) -> Document:
    """One of the tenant's notices; another tenant's is a 404."""
    return get_object_or_404(notices_of(tenant), pk=pk)


def notice(pk: int) -> Document:
    return get_object_or_404(Document.objects.filter(kind=NOTICE_KIND), pk=pk)


def contacts_of(tenant: Tenant) -> QuerySet[ArrearsContact]:
    return ArrearsContact.objects.filter(tenant=tenant).select_related("recorded_by")


def letters() -> QuerySet[DemandLetter]:
    return DemandLetter.objects.select_related("tenant", "document", "issued_by", "delivery_recorded_by")


def letters_of(tenant: Tenant) -> QuerySet[DemandLetter]:
    return letters().filter(tenant=tenant)


def letter_detail(pk: int, tenant: Tenant | None = None) -> DemandLetter:
    qs = letters()
    if tenant is not None:
        qs = qs.filter(tenant=tenant)
    return get_object_or_404(qs, pk=pk)


def buildings_and_floors() -> list[Building]:
    """The buildings with their floors, for the batch notice picker (two queries)."""
    return list(Building.objects.prefetch_related("floors").order_by("code"))


def notice_batches() -> QuerySet[NoticeBatch]:
    """Batches of notices printed for a building or floor, newest first (one query)."""
    return NoticeBatch.objects.select_related("building", "floor__building", "created_by").order_by(
        "-created_at", "-id"
    )


def notice_batch(pk: int) -> NoticeBatch:
    return get_object_or_404(notice_batches(), pk=pk)


def notices_in(batch: NoticeBatch) -> QuerySet[Document]:
    """The batch's notices in print order (their numbers were taken in that order)."""
    return batch.documents.only("pk", "number", "data").order_by("number")
