"""Late fees 违约金: billing them and waiving them (the computation is billing.latefees).

Billing: one late-fee bill per tenant and run, a line per overdue bill and month. A month is
billed once it is over (the month-end run, Celery beat) or at once when the bill's principal
is paid off (its fee stops growing then). Each (bill, month) is a LateFeeCharge, unique in the
database, so runs repeated, late or at the same moment bill nothing twice; a tenant's run holds
the tenant's row lock, as payments do, so the second of two concurrent runs finds the first's
rows and bills nothing.

Waivers: only a supervisor, with a reason, never more than the fee accrued and not yet billed
or waived; billing takes waivers off the bill's oldest unbilled months first.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.accounts.roles import SUPERVISOR_ROLES
from jinyuan.workflow.services import record_event
from tenants.models import Tenant

from . import latefees, payers, services
from .models import ZERO, Bill, FeeItem, LateFeeCharge, LateFeeWaiver
from .money import round_money
from .services import PAYMENT_TERM, LineSpec

LATE_FEE_CODE = "late_fee"


def late_fee_item() -> FeeItem:
    """The price-list entry late-fee lines are billed under (a bill line needs a fee item).
    Inactive: nobody charges it by hand as a paid service."""
    item, _made = FeeItem.objects.get_or_create(
        code=LATE_FEE_CODE,
        defaults={
            "name": "违约金",
            "kind": FeeItem.Kind.ONE_OFF,
            "price": ZERO,
            "unit_label": "元",
            "is_active": False,
        },
    )
    return item


def _line(item: FeeItem, charge: LateFeeCharge, bill: Bill, policy: latefees.Policy) -> LineSpec:
    description = _("Late fee on %(bill)s, %(month)s: %(days)d days at %(rate)s %% a day") % {
        "bill": bill.number,
        "month": f"{charge.month:%Y-%m}",
        "days": charge.days,
        "rate": policy.percent,
    }
    return LineSpec(
        fee_item=item,
        description=description[:120],
        quantity=Decimal(1),
        unit_price=charge.amount,
        period_start=charge.month,
        period_end=services.month_end(charge.month),
    )


# Tenants a month-end run bills in one transaction (one lock of them all, one of each insert).
RUN_BATCH = 500


Planned = list[tuple[LateFeeCharge, latefees.Policy]]


def _plan(accruals: list[latefees.Accrual], on: date) -> dict[int, Planned]:
    """Each tenant's charges final on ``on``: a charge per bill and month not billed yet, the
    bill's waivers taken off its oldest months first."""
    plans: dict[int, Planned] = {}
    for acc in accruals:
        unapplied = acc.unapplied_waivers
        for month in latefees.months_to_bill(acc, on):
            applied = min(max(unapplied, ZERO), month.fee)
            unapplied -= applied
            charge = LateFeeCharge(
                source_bill=acc.bill,
                month=month.month,
                source_key=latefees.month_key(acc.bill.pk, month.month),
                days=month.days,
                daily_rate=acc.policy.daily_rate,
                fee=month.fee,
                waived=applied,
                amount=month.fee - applied,
            )
            plans.setdefault(acc.bill.tenant_id, []).append((charge, acc.policy))
    return plans


def _bill_plans(plans: dict[int, Planned], tenants: dict[int, Tenant], by: Any, on: date) -> dict[int, Bill]:
    """One late-fee bill per tenant with a line per billed charge (``bills_create``: the same
    few queries for one tenant or a thousand), then every charge row, a month waived whole
    without a line. Returns the bills by tenant. The caller holds the tenants' locks."""
    billed = {tenant_id: [(c, p) for c, p in planned if c.amount > 0] for tenant_id, planned in plans.items()}
    billed = {tenant_id: rows for tenant_id, rows in billed.items() if rows}
    specs = []
    if billed:
        item = late_fee_item()
        for tenant_id, rows in billed.items():
            last = max(c.month for c, _p in rows)
            specs.append(
                services.BillSpec(
                    tenant=tenants[tenant_id],
                    title=_("Late fees %(month)s") % {"month": f"{last:%Y-%m}"},
                    lines=[_line(item, c, c.source_bill, p) for c, p in rows],
                    source_key=rows[0][0].source_key,
                    issued_on=on,
                    due_date=on + PAYMENT_TERM,
                )
            )
    issued = services.bills_create(specs=specs, by=by)
    bills = {}
    for (bill, lines), tenant_id in zip(issued, billed, strict=True):
        bills[tenant_id] = bill
        # The lines are in the charges' order: line i carries charge i.
        for (charge, _p), line in zip(billed[tenant_id], lines, strict=True):
            charge.bill, charge.bill_line = bill, line
    # The unique (bill, month) constraint is the last word: a run that slipped past the lock
    # would fail here and roll its bills back.
    LateFeeCharge.objects.bulk_create([c for planned in plans.values() for c, _p in planned])
    return bills


def late_fees_bill(*, tenant: Tenant, by: Any, on: date | None = None) -> Bill | None:
    """Bill the tenant's late fees final on ``on`` (today): the months before this one of its
    unpaid bills, and every month of a bill paid off. One bill, or none when nothing is due;
    a month waived whole gets its charge row and no line."""
    on = on or timezone.localdate()
    with transaction.atomic():
        services.lock_tenant(tenant)
        candidates = latefees.billable_bills(on).filter(tenant=tenant).order_by("due_date", "id")
        plans = _plan(latefees.accruals_of(list(candidates), on), on)
        if not plans:
            return None
        return _bill_plans(plans, {tenant.pk: tenant}, by, on).get(tenant.pk)


def late_fees_bill_all(*, by: Any, on: date | None = None) -> int:
    """The month-end run: bill every tenant's late fees final on ``on``; returns the bills
    issued. Any number of runs, late or at once, bill each (bill, month) once.

    Set-based: one read of every candidate bill finds the tenants with months to bill (a run
    with nothing left to bill is these six queries); then ``RUN_BATCH`` tenants at a time are
    locked in one statement, their bills read again under the lock (a run that came first has
    billed them) and billed together. A thousand tenants are a few dozen queries, not
    thousands."""
    on = on or timezone.localdate()
    candidates = latefees.billable_bills(on).order_by("tenant_id", "due_date", "id")
    tenant_ids = sorted(
        {acc.bill.tenant_id for acc in latefees.accruals_of(list(candidates), on) if latefees.months_to_bill(acc, on)}
    )
    issued = 0
    for start in range(0, len(tenant_ids), RUN_BATCH):
        batch = tenant_ids[start : start + RUN_BATCH]
        with transaction.atomic():
            tenants = {t.pk: t for t in Tenant.objects.select_for_update().filter(pk__in=batch).order_by("pk")}
            again = latefees.billable_bills(on).filter(tenant_id__in=batch).order_by("tenant_id", "due_date", "id")
            plans = _plan(latefees.accruals_of(list(again), on), on)
            issued += len(_bill_plans(plans, tenants, by, on))
    return issued


def late_fee_waive(*, bill: Bill, amount: Decimal, reason: str, by: Any) -> LateFeeWaiver:
    """The supervisor waives part or all of ``bill``'s late fee accrued and not yet billed."""
    if not by.has_role(*SUPERVISOR_ROLES):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason.")})
    if amount is None or round_money(amount) <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    amount = round_money(amount)
    with transaction.atomic():
        services.lock_tenant(payers.owner_of(bill))  # a customer's bill: no late fee to waive
        bill = Bill.objects.get(pk=bill.pk)
        (acc,) = latefees.accruals_of([bill], timezone.localdate())
        if amount > acc.due_now:
            raise ValidationError(
                {
                    "amount": _(
                        "At most CNY %(max)s can be waived: the late fee accrued on this bill and not yet "
                        "billed or waived."
                    )
                    % {"max": acc.due_now}
                }
            )
        waiver = LateFeeWaiver.objects.create(source_bill=bill, amount=amount, reason=reason, created_by=by)
        record_event(bill, "bill.late_fee_waived", by=by, note=reason, data={"amount": str(amount)})
    return waiver
