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

from . import latefees, services
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


def late_fees_bill(*, tenant: Tenant, by: Any, on: date | None = None) -> Bill | None:
    """Bill the tenant's late fees final on ``on`` (today): the months before this one of its
    unpaid bills, and every month of a bill paid off. One bill, or none when nothing is due;
    a month waived whole gets its charge row and no line."""
    on = on or timezone.localdate()
    with transaction.atomic():
        services.lock_tenant(tenant)
        candidates = latefees.billable_bills(on).filter(tenant=tenant).order_by("due_date", "id")
        charges: list[tuple[LateFeeCharge, latefees.Policy]] = []
        for acc in latefees.accruals_of(list(candidates), on):
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
                charges.append((charge, acc.policy))
        if not charges:
            return None
        billed = [(c, p) for c, p in charges if c.amount > 0]
        bill = None
        if billed:
            item = late_fee_item()
            last = max(c.month for c, _p in billed)
            bill = services.bill_create(
                tenant=tenant,
                title=_("Late fees %(month)s") % {"month": f"{last:%Y-%m}"},
                lines=[_line(item, c, c.source_bill, p) for c, p in billed],
                by=by,
                source_key=billed[0][0].source_key,
                issued_on=on,
                due_date=on + PAYMENT_TERM,
            )
            # bill_create keeps the lines' order: line i carries charge i.
            for (charge, _p), line in zip(billed, bill.lines.order_by("id"), strict=True):
                charge.bill, charge.bill_line = bill, line
        # The unique (bill, month) constraint is the last word: a run that slipped past the
        # lock would fail here and roll its bill back.
        LateFeeCharge.objects.bulk_create([c for c, _p in charges])
    return bill


def late_fees_bill_all(*, by: Any, on: date | None = None) -> int:
    """The month-end run: bill every tenant's late fees final on ``on``; returns the bills
    issued. Any number of runs, late or at once, bill each (bill, month) once."""
    on = on or timezone.localdate()
    # One read of every candidate bill finds the tenants with months to bill; only those take
    # their lock and bill (a run with nothing left to bill is a handful of queries).
    candidates = latefees.billable_bills(on).order_by("tenant_id", "due_date", "id")
    tenant_ids = {
        acc.bill.tenant_id for acc in latefees.accruals_of(list(candidates), on) if latefees.months_to_bill(acc, on)
    }
    issued = 0
    for tenant in Tenant.objects.filter(pk__in=tenant_ids).order_by("pk"):
        if late_fees_bill(tenant=tenant, by=by, on=on) is not None:
            issued += 1
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
        services.lock_tenant(bill.tenant)
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
