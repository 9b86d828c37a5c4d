"""Arrears 催缴 of the demo: what the finance office did about the unpaid bills, through the
services at the time each step happened, so the collection figures, the timelines and the
portal read as they would after months of use.

- Late fees 违约金: the daily run billed every tenant's fees of the month just ended on the first
  of each of the last six months (the demo's agreements: 0.03 % a day after the grace days), as the beat task
  would have; tenants who pay paid them this month, those still owing did not; the
  supervisor waived one fee in part, with a reason.
- Reminders: the hourly run sent each unpaid bill its steps over the last three weeks (the
  default schedule: before the due date, on it, 7, 15 and 30 days after).
- Printed notices 催缴通知书: finance printed this morning's notices for the floor with the
  most tenants in arrears.
- Calls and visits: the desk called the three largest debtors: one promised to pay in a few
  days, one promised a date that has passed (the desk was told it was broken), one was visited.
- A demand letter 催告函 to the tenant overdue longest (more than three months), delivered by
  registered mail two days later.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Min, Sum
from django.utils import timezone

from billing import arrears, latefee_services, latefees, services
from billing import arrears_selectors as sel
from billing.arrears_models import ArrearsContact, DemandLetter
from billing.models import LATE_FEE_KEY_PREFIX, ZERO, Bill, LateFeeWaiver, Payment
from tenants.models import Tenant

from . import clock
from .premises import local_dt

LATE_FEE_MONTHS = 6
REMINDER_DAYS = 21


@dataclass(frozen=True)
class People:
    desk: Any
    finance: Any
    supervisor: Any


def through_services(people: People, today: date, *, bulk: bool = False) -> None:
    """``bulk`` (the large demo, for the benchmarks, which fit their own arrears): the last
    month's late fees and today's reminders only; paying thousands of late-fee bills one
    payment at a time would double the seed."""
    bill_late_fees(people.finance, today, months=1 if bulk else LATE_FEE_MONTHS)
    if not bulk:
        pay_late_fees(people.finance, today)
    waive_one(people.supervisor, today)
    send_reminders(today, days=0 if bulk else REMINDER_DAYS)
    debtors = largest_debtors(today)
    print_notices(people.finance, today)
    record_contacts(people.desk, debtors, today)
    send_demand_letter(people.finance, today)


def bill_late_fees(finance: Any, today: date, months: int = LATE_FEE_MONTHS) -> None:
    """The daily run on the first of each of the last months, oldest first: each bills the
    month that had just ended (a month's fee is final once it is over)."""
    firsts = [latefees.first_of_month(today)]
    for _ in range(months - 1):
        firsts.append(latefees.first_of_month(firsts[-1] - timedelta(days=1)))
    for first in sorted(firsts):
        with clock.at(local_dt(first, 2)):
            latefee_services.late_fees_bill_all(by=finance, on=first)


def pay_late_fees(finance: Any, today: date) -> int:
    """Tenants who pay their bills paid last months' late-fee bills with a transfer this month;
    those still owing principal left theirs open too."""
    first = latefees.first_of_month(today)
    late_fee_bills = Bill.objects.filter(
        source_key__startswith=LATE_FEE_KEY_PREFIX, status__in=sel.UNPAID, issued_on__lt=first
    ).order_by("due_date", "pk")
    principal = sel.overdue_bills(today).exclude(source_key__startswith=LATE_FEE_KEY_PREFIX)
    owing = set(principal.values_list("tenant_id", flat=True))
    by_tenant: dict[int, list[Bill]] = {}
    for bill in late_fee_bills.exclude(tenant_id__in=owing).select_related("tenant"):
        by_tenant.setdefault(bill.tenant_id, []).append(bill)
    with clock.at(local_dt(max(first, today - timedelta(days=1)), 11)):
        for bills in by_tenant.values():
            services.payment_record(
                tenant=bills[0].tenant,
                amount=sum((b.total - b.paid for b in bills), ZERO),
                method=Payment.Method.BANK,
                by=finance,
                note="违约金",
                bills=bills,
            )
    return len(by_tenant)


def waive_one(supervisor: Any, today: date) -> LateFeeWaiver | None:
    """Half of the largest fee still to bill, waived for a tenant who disputed a bill."""
    with clock.at(local_dt(today - timedelta(days=2), 10)):
        candidates = sel.overdue_bills(timezone.localdate()).order_by("due_date", "pk")[:200]
        accruals = [a for a in latefees.accruals_of(list(candidates), timezone.localdate()) if a.due_now > 1]
        if not accruals:
            return None
        largest = max(accruals, key=lambda a: a.due_now)
        return latefee_services.late_fee_waive(
            bill=largest.bill,
            amount=(largest.due_now / 2).quantize(Decimal("0.01")),
            reason="客户对本期空调费计量有异议，经主管核实后减免一半违约金。",
            by=supervisor,
        )


def send_reminders(today: date, days: int = REMINDER_DAYS) -> None:
    """The reminder run as beat ran it each morning of the last weeks."""
    for back in range(days, -1, -1):
        day = today - timedelta(days=back)
        with clock.at(local_dt(day, 8)):
            arrears.reminders_send(on=day, now=timezone.now())


def largest_debtors(today: date, count: int = 3) -> list[Tenant]:
    rows = (
        Bill.objects.filter(status__in=sel.UNPAID, due_date__lt=today)
        .values("tenant")
        .annotate(owed=Sum("total") - Sum("paid"))
        .order_by("-owed", "tenant")[:count]
    )
    by_pk = Tenant.objects.in_bulk([r["tenant"] for r in rows])
    return [by_pk[r["tenant"]] for r in rows]


def print_notices(finance: Any, today: date) -> None:
    """This morning's batch for the floor with the most tenants in arrears."""
    with clock.at(local_dt(today, 9, 10)):
        tenants = list(sel.tenants_in_arrears(today))
        floors: dict[Any, list[Tenant]] = {}
        for tenant in tenants:
            floor = _floor_of(tenant)
            if floor is not None:
                floors.setdefault(floor, []).append(tenant)
        if floors:
            floor, printed = max(floors.items(), key=lambda item: len(item[1]))
            arrears.notice_batch_create(tenants=printed, by=finance, floor=floor)


def _floor_of(tenant: Tenant) -> Any:
    occupancy = tenant.occupancies.select_related("unit__floor").order_by("-start").first()
    return occupancy.unit.floor if occupancy else None


def record_contacts(desk: Any, debtors: list[Tenant], today: date) -> list[ArrearsContact]:
    contacts = []
    plans = [
        # (days ago, method, note, promise in days from the contact or None)
        (1, ArrearsContact.Method.PHONE, "财务负责人表示月底资金到账后付清。", 5),
        (9, ArrearsContact.Method.PHONE, "行政经理承诺本周五前转账。", 4),
        (3, ArrearsContact.Method.VISIT, "上门递送催缴通知书，前台签收，负责人不在。", None),
    ]
    for tenant, (ago, method, note, promise) in zip(debtors, plans, strict=False):
        contact = tenant.contacts.order_by("pk").first()
        with clock.at(local_dt(today - timedelta(days=ago), 15, 20)):
            day = timezone.localdate()
            contacts.append(
                arrears.contact_record(
                    tenant=tenant,
                    by=desk,
                    method=method,
                    person=contact.name if contact else "行政前台",
                    note=note,
                    promise_date=day + timedelta(days=promise) if promise is not None else None,
                )
            )
    # The promise of nine days ago has passed unpaid: the morning run told the desk.
    with clock.at(local_dt(today, 8, 30)):
        arrears.broken_promises_remind(on=today)
    return contacts


def send_demand_letter(finance: Any, today: date) -> DemandLetter | None:
    """To the tenant whose oldest unpaid bill is oldest, if overdue more than three months."""
    oldest = (
        Bill.objects.filter(status__in=sel.UNPAID)
        .values("tenant")
        .annotate(first_due=Min("due_date"))
        .order_by("first_due", "tenant")
        .first()
    )
    issued_on = today - timedelta(days=4)
    if oldest is None or not sel.demand_letter_due(oldest["first_due"], issued_on):
        return None
    tenant = Tenant.objects.get(pk=oldest["tenant"])
    with clock.at(local_dt(issued_on, 10, 30)):
        letter = arrears.demand_letter_issue(tenant=tenant, by=finance)
    with clock.at(local_dt(today - timedelta(days=2), 16)):
        return arrears.demand_letter_deliver(
            letter=letter,
            method=DemandLetter.Delivery.REGISTERED_MAIL,
            delivered_on=timezone.localdate(),
            by=finance,
            note="EMS挂号信，回执编号 1190 2387 4416 5",
        )
