"""Billing: every write. Payments for one payer (a tenant, or a customer: billing.payers) are
serialised on the payer's row lock, so concurrent payments can never over-allocate a bill;
numbers come from the kernel."""

import calendar
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jinyuan.documents.services import document_issue
from jinyuan.workflow.services import TransitionRefused, next_number, next_numbers, record_event, record_events
from tenants.models import Occupancy, Tenant, Unit
from tenants.services import movein_note_readiness_of
from tenants.services import notify_tenant as tell_tenant
from tenants.services import notify_tenants as tell_tenants

from . import payers
from .models import ZERO, Allocation, Bill, BillLine, DepositEntry, FeeItem, FeePrice, Payment
from .money import round_money
from .payers import Owner
from .selectors import deposit_balance, deposit_balance_of_source

PAYMENT_TERM = timedelta(days=15)
RECURRING = (FeeItem.Kind.AREA_MONTHLY, FeeItem.Kind.FIXED_MONTHLY)


@dataclass(frozen=True)
class LineSpec:
    fee_item: FeeItem
    description: str
    quantity: Decimal
    unit_price: Decimal
    unit: Unit | None = None
    period_start: date | None = None
    period_end: date | None = None
    # For prorated lines: the exact amount before rounding, so the shown 4-place quantity is
    # not rounded a second time (98 m² × 28.00 × 9/31 = 796.645… is 796.65, not 796.64).
    exact_amount: Decimal | None = None

    @property
    def amount(self) -> Decimal:
        exact = self.exact_amount if self.exact_amount is not None else self.quantity * self.unit_price
        return round_money(exact)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def property_fee_lines(fee_item: FeeItem, unit: Unit, start: date, end: date) -> list[LineSpec]:
    """Rate × area for each month from ``start`` to ``end`` (inclusive), prorated by day in a
    month the period only partly covers: one line a month, so the tenant sees the arithmetic."""
    lines = []
    cursor = start
    while cursor <= end:
        last = min(month_end(cursor), end)
        days_in_month = calendar.monthrange(cursor.year, cursor.month)[1]
        days = (last - cursor).days + 1
        exact_quantity = unit.area * days / days_in_month
        quantity = exact_quantity.quantize(Decimal("0.0001"))
        label = f"{cursor:%Y-%m} {unit.number}"
        if days != days_in_month:
            label += _(" (%(days)d of %(total)d days)") % {"days": days, "total": days_in_month}
        lines.append(
            LineSpec(
                fee_item=fee_item,
                description=f"{fee_item.name} {label}",
                quantity=quantity,
                unit_price=fee_item.price,
                unit=unit,
                period_start=cursor,
                period_end=last,
                exact_amount=exact_quantity * fee_item.price,
            )
        )
        cursor = last + timedelta(days=1)
    return lines


def _lock_tenant(tenant: Owner) -> Owner:
    """The payer's row, locked (a tenant's, or a customer's: billing.payers)."""
    return payers.lock(tenant)


# Every write of a tenant's money (payments, bills, late fees) takes this lock first.
lock_tenant = _lock_tenant


MSG_BILL_ISSUED = gettext_noop("New bill %(number)s: %(title)s, CNY %(total)s")


def _check_lines(lines: Sequence[LineSpec]) -> None:
    if not lines:
        raise ValidationError(_("A bill needs at least one line."))
    if any(line.amount < 0 for line in lines):
        raise ValidationError(_("Amounts cannot be negative."))


def _new_bill(
    *,
    number: str,
    tenant: Owner,
    title: str,
    lines: Sequence[LineSpec],
    by: Any,
    issued_on: date,
    due_date,
    source_key,
) -> Bill:
    """The bill's row as issued: its period spans its lines', its total is their sum."""
    starts = [x.period_start for x in lines if x.period_start]
    ends = [x.period_end for x in lines if x.period_end]
    return Bill(
        number=number,
        **payers.owner_fields(tenant),
        title=title,
        period_start=min(starts) if starts else None,
        period_end=max(ends) if ends else None,
        issued_on=issued_on,
        due_date=due_date or issued_on + PAYMENT_TERM,
        total=sum((x.amount for x in lines), ZERO),
        source_key=source_key,
        created_by=by,
    )


def _bill_lines(bill: Bill, lines: Sequence[LineSpec]) -> list[BillLine]:
    return [
        BillLine(
            bill=bill,
            fee_item=x.fee_item,
            unit=x.unit,
            description=x.description,
            period_start=x.period_start,
            period_end=x.period_end,
            quantity=x.quantity,
            unit_price=x.unit_price,
            amount=x.amount,
        )
        for x in lines
    ]


def _issued_args(bill: Bill) -> dict[str, str]:
    return {"number": bill.number, "title": bill.title, "total": str(bill.total)}


def _bill_url(bill: Bill) -> str:
    return reverse("portal:billing:bill_detail", args=[bill.pk])


def bill_create(
    *,
    tenant: Tenant | None = None,
    payer: Owner | None = None,
    title: str,
    lines: Sequence[LineSpec],
    by: Any,
    due_date: date | None = None,
    source_key: str = "",
    issued_on: date | None = None,
    notify_tenant: bool = True,
) -> Bill:
    """Issue a bill to ``payer`` (a tenant or a customer; ``tenant=`` as before); its total is
    the sum of its lines. Credit the payer holds pays it at once. Only a tenant is told (a
    customer has no portal)."""
    _check_lines(lines)
    owner = payers.resolve(payer=payer, tenant=tenant)
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic():
        _lock_tenant(owner)
        taken = Bill.objects.filter(**payers.owned_by(owner), source_key=source_key).exclude(status="void")
        if source_key and taken.exists():
            raise TransitionRefused(_("This has already been billed."))
        bill = _new_bill(
            number=next_number("ZD"),
            tenant=owner,
            title=title,
            lines=lines,
            by=by,
            issued_on=issued_on,
            due_date=due_date,
            source_key=source_key,
        )
        bill.save(force_insert=True)
        BillLine.objects.bulk_create(_bill_lines(bill, lines))
        record_event(bill, "bill.issued", by=by, to_state=bill.status, data={"total": str(bill.total)})
        if bill.total == ZERO:
            _settle(bill, by)
        _apply_credit(owner, by)
        if notify_tenant and bill.tenant_id:
            tell_tenant(bill, message=MSG_BILL_ISSUED, args=_issued_args(bill), event="issued", url=_bill_url(bill))
    bill.refresh_from_db()
    return bill


@dataclass(frozen=True)
class BillSpec:
    """One bill of a batch (``bills_create``), as ``bill_create`` takes it."""

    tenant: Tenant
    title: str
    lines: Sequence[LineSpec]
    source_key: str = ""
    issued_on: date | None = None
    due_date: date | None = None


def bills_create(
    *, specs: Sequence[BillSpec], by: Any, notify_tenant: bool = True
) -> list[tuple[Bill, list[BillLine]]]:
    """Issue many bills as ``bill_create`` issues one (numbers, lines, audit events, credit
    applied, the tenants told), in a fixed number of queries: the month-end run of late fees
    bills a thousand tenants at once. The tenants are locked in id order (as one run of
    ``bill_create`` per tenant would lock each). Returns each bill, as it stands after credit
    was applied, with its lines in the order given."""
    for spec in specs:
        _check_lines(spec.lines)
    if not specs:
        return []
    today = timezone.localdate()
    with transaction.atomic():
        ids = sorted({spec.tenant.pk for spec in specs})
        list(Tenant.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
        keyed = {(spec.tenant.pk, spec.source_key) for spec in specs if spec.source_key}
        if keyed:
            taken = (
                Bill.objects.filter(tenant_id__in=ids, source_key__in={key for _t, key in keyed})
                .exclude(status="void")
                .values_list("tenant_id", "source_key")
            )
            if keyed & set(taken) or len(keyed) < sum(1 for spec in specs if spec.source_key):
                raise TransitionRefused(_("This has already been billed."))
        numbers = next_numbers("ZD", len(specs))
        bills = Bill.objects.bulk_create(
            _new_bill(
                number=number,
                tenant=spec.tenant,
                title=spec.title,
                lines=spec.lines,
                by=by,
                issued_on=spec.issued_on or today,
                due_date=spec.due_date,
                source_key=spec.source_key,
            )
            for number, spec in zip(numbers, specs, strict=True)
        )
        lines = [_bill_lines(bill, spec.lines) for bill, spec in zip(bills, specs, strict=True)]
        BillLine.objects.bulk_create(line for group in lines for line in group)
        record_events(bills, "bill.issued", by=by, to_state=Bill.Status.OPEN, data=lambda b: {"total": str(b.total)})
        for bill in bills:
            if bill.total == ZERO:
                _settle(bill, by)
        credit = set(
            Payment.objects.filter(tenant_id__in=ids, allocated__lt=F("amount"))
            .order_by()
            .values_list("tenant_id", flat=True)
            .distinct()
        )
        for spec in {spec.tenant.pk: spec for spec in specs if spec.tenant.pk in credit}.values():
            _apply_credit(spec.tenant, by)
        if notify_tenant:
            tell_tenants(bills, message=MSG_BILL_ISSUED, args=_issued_args, event="issued", url=_bill_url)
        if credit or any(bill.total == ZERO for bill in bills):
            current = Bill.objects.in_bulk([bill.pk for bill in bills])
            bills = [current[bill.pk] for bill in bills]
    return list(zip(bills, lines, strict=True))


def bill_void(*, bill: Bill, by: Any, reason: str) -> Bill:
    if not reason.strip():
        raise ValidationError({"note": _("Please give a reason.")})
    with transaction.atomic():
        if bill.is_late_fee_bill:
            # Voiding it would forgive late fees outside the supervisor's waivers (latefee_services).
            raise TransitionRefused(
                _("A late-fee bill cannot be voided; the supervisor waives late fees before they are billed.")
            )
        changed = Bill.objects.filter(pk=bill.pk, status=Bill.Status.OPEN, paid=ZERO).update(
            status=Bill.Status.VOID, void_reason=reason, voided_at=timezone.now()
        )
        if not changed:
            raise TransitionRefused(_("Only an unpaid open bill can be voided."))
        record_event(bill, "bill.voided", by=by, from_state="open", to_state="void", note=reason)
    bill.refresh_from_db()
    return bill


def _status_for(total: Decimal, paid: Decimal) -> str:
    if paid >= total:
        return Bill.Status.PAID
    return Bill.Status.PARTLY_PAID if paid > 0 else Bill.Status.OPEN


def _settle(bill: Bill, by: Any) -> None:
    """A bill just became paid: deposits on it enter the deposit ledger (once per line)."""
    Bill.objects.filter(pk=bill.pk).update(status=Bill.Status.PAID)
    for line in bill.lines.select_related("fee_item").filter(fee_item__kind=FeeItem.Kind.DEPOSIT):
        DepositEntry.objects.get_or_create(
            bill_line=line,
            defaults={
                "tenant_id": bill.tenant_id,
                "customer_id": bill.customer_id,
                "fee_item": line.fee_item,
                "kind": DepositEntry.Kind.RECEIVED,
                "amount": line.amount,
                "reason": bill.number,
                "source_key": bill.source_key,
                "created_by": by,
            },
        )


def _allocate(payment: Payment, bills: Iterable[Bill], by: Any) -> list[Allocation]:
    """Pay ``bills`` in order from what is left of ``payment``. Caller holds the tenant lock."""
    made = []
    paid_off_late = False
    left = payment.amount - payment.allocated
    for bill in bills:
        if left <= 0:
            break
        bill = Bill.objects.select_for_update().get(pk=bill.pk)
        if bill.status not in (Bill.Status.OPEN, Bill.Status.PARTLY_PAID):
            continue
        take = min(bill.total - bill.paid, left)
        if take <= 0:
            continue
        made.append(Allocation.objects.create(payment=payment, bill=bill, amount=take))
        new_paid = bill.paid + take
        new_status = _status_for(bill.total, new_paid)
        Bill.objects.filter(pk=bill.pk).update(paid=F("paid") + take, status=new_status)
        record_event(
            bill,
            "bill.payment_allocated",
            by=by,
            from_state=bill.status,
            to_state=new_status,
            data={"payment": payment.pk, "amount": str(take)},
        )
        if new_status == Bill.Status.PAID:
            _settle(bill, by)
            paid_off_late |= bill.due_date < timezone.localdate() and not bill.is_late_fee_bill
        left -= take
    allocated = payment.amount - left
    Payment.objects.filter(pk=payment.pk).update(allocated=allocated)
    payment.allocated = allocated
    if paid_off_late and payment.tenant_id:
        _bill_late_fees_after_commit(payment.tenant_id, by)
    return made


def _bill_late_fees_after_commit(tenant_id: int, by: Any) -> None:
    """A bill paid off after its due date: its late fee (违约金) is final now and is billed
    after this transaction commits, by the worker (billing.latefee_services.late_fees_bill)."""
    from .tasks import bill_late_fees_at_payoff

    bill_late_fees_at_payoff.delay_on_commit(tenant_id, getattr(by, "pk", None))


def _open_bills(tenant: Owner):
    return Bill.objects.filter(
        **payers.owned_by(tenant), status__in=[Bill.Status.OPEN, Bill.Status.PARTLY_PAID]
    ).order_by("due_date", "id")


def _apply_credit(tenant: Owner, by: Any) -> None:
    for payment in Payment.objects.filter(**payers.owned_by(tenant), allocated__lt=F("amount")).order_by(
        "received_at", "id"
    ):
        if not _allocate(payment, _open_bills(tenant), by):
            break


class DuplicateSubmission(Exception):
    """The same form was sent again; ``payment`` is what its first submission recorded."""

    def __init__(self, payment: Payment):
        super().__init__(f"payment {payment.pk} already recorded")
        self.payment = payment


def payment_record(
    *,
    tenant: Tenant | None = None,
    payer: Owner | None = None,
    amount: Decimal,
    method: str,
    by: Any,
    reference: str = "",
    note: str = "",
    bills: Sequence[Bill] | None = None,
    submission_key: uuid.UUID | None = None,
) -> Payment:
    """Record money received, pay the chosen bills (or the oldest open ones), keep the rest as
    credit, and issue a numbered receipt.

    ``submission_key`` comes from the form: a second submission of the same form raises
    DuplicateSubmission with the payment the first one made (checked under the tenant's lock,
    so two submissions at once also give one payment). ``payer`` is a tenant or a customer
    (``tenant=`` as before); a payment pays only its own payer's bills."""
    tenant = payers.resolve(payer=payer, tenant=tenant)
    amount = round_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if method not in dict(Payment.RECEIVED_METHODS):
        raise ValidationError({"method": _("Choose a payment method.")})
    with transaction.atomic():
        _lock_tenant(tenant)
        if submission_key is not None:
            earlier = Payment.objects.filter(submission_key=submission_key).select_related("receipt").first()
            if earlier is not None:
                raise DuplicateSubmission(earlier)
        if bills is not None and not all(payers.owns(tenant, b) for b in bills):
            raise ValidationError({"bills": _("A bill of another tenant was chosen.")})
        payment = Payment.objects.create(
            **payers.owner_fields(tenant),
            amount=amount,
            method=method,
            reference=reference,
            note=note,
            received_by=by,
            submission_key=submission_key,
        )
        targets = list(bills) if bills is not None else list(_open_bills(tenant))
        _allocate(payment, targets, by)
        record_event(
            payment,
            "payment.received",
            by=by,
            data={"amount": str(amount), "method": method, "allocated": str(payment.allocated)},
        )
        receipt = document_issue(kind="receipt", source=payment, by=by)
        Payment.objects.filter(pk=payment.pk).update(receipt=receipt)
        payment.receipt = receipt
        if not payment.tenant_id:
            return payment  # a customer: no portal to tell, no move-in to complete
        tell_tenant(
            payment,
            message=gettext_noop("Payment received, receipt %(number)s: CNY %(amount)s"),
            args={"number": receipt.number, "amount": str(amount)},
            event="received",
            url=reverse("portal:billing:billing_home"),
        )
        # Paid first charges complete a move-in's checklist: the supervisor hears of it.
        movein_note_readiness_of(tenant=tenant, by=by)
    return payment


def deposit_refund(
    *,
    tenant: Tenant | None = None,
    payer: Owner | None = None,
    refund: Decimal,
    deductions: Sequence[tuple[Decimal, str]],
    by: Any,
    source_key: str = "",
    portion: Decimal | None = None,
) -> list[DepositEntry]:
    """Close the tenant's deposits: each deduction with its reason, the rest paid out. Refund
    and deductions together must be exactly the deposit held, or ``portion`` of it when only
    some units leave (``selectors.deposit_due``); the rest stays held for the units kept.
    ``payer`` is a tenant or a customer (``tenant=`` as before)."""
    tenant = payers.resolve(payer=payer, tenant=tenant)
    refund = round_money(refund)
    deductions = [(round_money(a), r.strip()) for a, r in deductions if a]
    if refund < 0 or any(a <= 0 for a, _r in deductions):
        raise ValidationError({"refund": _("Amounts cannot be negative.")})
    if any(not r for _a, r in deductions):
        raise ValidationError({"deductions": _("Every deduction needs a reason.")})
    with transaction.atomic():
        _lock_tenant(tenant)
        held = deposit_balance(tenant)
        if portion is not None:
            held = min(round_money(portion), held)
        deducted = sum((a for a, _r in deductions), ZERO)
        if deducted > held:
            raise ValidationError(
                {
                    "deductions": _("Deductions (CNY %(d)s) exceed the deposit held (CNY %(h)s).")
                    % {"d": deducted, "h": held}
                }
            )
        if refund > held - deducted:
            raise ValidationError(
                {
                    "refund": _("The refund is larger than the deposit held less deductions (CNY %(max)s).")
                    % {"max": held - deducted}
                }
            )
        if refund < held - deducted:
            raise ValidationError(
                {
                    "refund": _(
                        "Refund and deductions must add up to the deposit held (CNY %(h)s); "
                        "CNY %(gap)s is unaccounted for."
                    )
                    % {"h": held, "gap": held - deducted - refund}
                }
            )
        entries = []
        balances = _balances_by_item(tenant)
        pending = list(deductions)
        left = held  # what this settlement closes, across the deposit items in order
        for fee_item, item_balance in balances:
            balance = min(item_balance, left)
            left -= balance
            # Deductions come out of the deposits in order; each item's rest is refunded.
            while pending and balance > 0:
                amount, reason = pending[0]
                take = min(amount, balance)
                entries.append(_entry(tenant, fee_item, DepositEntry.Kind.DEDUCTED, take, reason, source_key, by))
                balance -= take
                pending[0] = (amount - take, reason)
                if pending[0][0] == 0:
                    pending.pop(0)
            if balance > 0:
                entries.append(
                    _entry(tenant, fee_item, DepositEntry.Kind.REFUNDED, balance, _("Refunded"), source_key, by)
                )
        record_event(
            tenant,
            f"{tenant.audit_prefix}.deposit_refunded",
            by=by,
            data={"held": str(held), "deducted": str(deducted), "refunded": str(refund), "source": source_key},
        )
    return entries


def deposit_refund_source(*, tenant: Tenant, source_key: str, by: Any, reason: str) -> list[DepositEntry]:
    """Refund whole what the ledger holds for one record (``source_key``, e.g. a worker pass's
    deposit), leaving the tenant's other deposits alone. Nothing held (the deposit was never
    paid, or already refunded): no entry. Under the tenant lock, so two refunds pay out once."""
    return _settle_source(tenant, source_key, DepositEntry.Kind.REFUNDED, by, reason, "tenant.deposit_refunded")


def deposit_forfeit_source(*, tenant: Tenant, source_key: str, by: Any, reason: str) -> list[DepositEntry]:
    """Keep whole what the ledger holds for one record (a worker pass not returned forfeits its
    pass deposit): the same settlement as a refund, entered as deducted with ``reason``."""
    return _settle_source(tenant, source_key, DepositEntry.Kind.DEDUCTED, by, reason, "tenant.deposit_forfeited")


def _settle_source(tenant: Tenant, source_key: str, kind: str, by: Any, reason: str, event: str) -> list[DepositEntry]:
    if not source_key:
        raise ValueError("source_key is required")
    with transaction.atomic():
        _lock_tenant(tenant)
        entries = []
        items = FeeItem.objects.filter(
            pk__in=DepositEntry.objects.filter(tenant=tenant, source_key=source_key).values("fee_item")
        ).order_by("pk")
        for fee_item in items:
            held = deposit_balance_of_source(tenant, source_key, fee_item)
            if held > 0:
                entries.append(_entry(tenant, fee_item, kind, held, reason[:200], source_key, by))
        if entries:
            total = str(sum((e.amount for e in entries), ZERO))
            field = "refunded" if kind == DepositEntry.Kind.REFUNDED else "deducted"
            record_event(tenant, event, by=by, data={field: total, "source": source_key, "reason": reason[:200]})
    return entries


def deposit_settle_source(
    *, payer: Owner, source_key: str, deduction: Decimal, reason: str, by: Any
) -> tuple[list[DepositEntry], Decimal]:
    """Settle what the ledger holds for one record (``source_key``) of a tenant or a customer:
    ``deduction`` (damage) is kept with ``reason``, the rest refunded. Returns the entries and
    the part of the deduction the deposit did not cover (for the caller to bill). Under the
    payer's lock: a second call finds nothing held and returns the whole deduction as not
    covered, so a caller settles once, inside its record's closing transition."""
    if not source_key:
        raise ValueError("source_key is required")
    deduction = round_money(deduction or ZERO)
    if deduction < 0:
        raise ValidationError({"damage": _("Amounts cannot be negative.")})
    reason = (reason or "").strip()[:200]
    if deduction > 0 and not reason:
        raise ValidationError({"note": _("Every deduction needs a reason.")})
    with transaction.atomic():
        _lock_tenant(payer)
        owned = payers.owned_by(payer)
        items = FeeItem.objects.filter(
            pk__in=DepositEntry.objects.filter(**owned, source_key=source_key).values("fee_item")
        ).order_by("pk")
        entries: list[DepositEntry] = []
        left = deduction
        for fee_item in items:
            held = deposit_balance_of_source(payer, source_key, fee_item)
            if held <= 0:
                continue
            take = min(left, held)
            if take > 0:
                entries.append(_entry(payer, fee_item, DepositEntry.Kind.DEDUCTED, take, reason, source_key, by))
                left -= take
            if held - take > 0:
                entries.append(
                    _entry(payer, fee_item, DepositEntry.Kind.REFUNDED, held - take, _("Refunded"), source_key, by)
                )
        if entries:
            kept = sum((e.amount for e in entries if e.kind == DepositEntry.Kind.DEDUCTED), ZERO)
            refunded = sum((e.amount for e in entries if e.kind == DepositEntry.Kind.REFUNDED), ZERO)
            record_event(
                payer,
                f"{payer.audit_prefix}.deposit_refunded",
                by=by,
                data={"deducted": str(kept), "refunded": str(refunded), "source": source_key, "reason": reason},
            )
    return entries, left


def _balances_by_item(tenant: Owner) -> list[tuple[FeeItem, Decimal]]:
    entries = DepositEntry.objects.filter(**payers.owned_by(tenant))
    items = FeeItem.objects.filter(pk__in=entries.values("fee_item")).order_by("pk")
    return [(item, deposit_balance(tenant, item)) for item in items]


def _entry(tenant, fee_item, kind, amount, reason, source_key, by) -> DepositEntry:
    return DepositEntry.objects.create(
        **payers.owner_fields(tenant),
        fee_item=fee_item,
        kind=kind,
        amount=amount,
        reason=reason,
        source_key=source_key,
        created_by=by,
    )


def monthly_lines(
    items: Sequence[FeeItem], held: Iterable[tuple[Unit, date, date | None]], first: date
) -> list[LineSpec]:
    """One tenant's lines for the month starting ``first``: the area fees of each unit for the
    days it is held that month (``held``: unit, start, exclusive end), then the fixed fees.
    The demo's bulk history builds its bills with it too."""
    last = month_end(first)
    lines: list[LineSpec] = []
    for unit, held_from, held_until in held:
        start = max(held_from, first)
        end = min(held_until - timedelta(days=1), last) if held_until else last
        for item in items:
            if item.kind == FeeItem.Kind.AREA_MONTHLY:
                lines += property_fee_lines(item, unit, start, end)
    for item in items:
        if item.kind == FeeItem.Kind.FIXED_MONTHLY:
            lines.append(LineSpec(item, f"{item.name} {first:%Y-%m}", Decimal(1), item.price, None, first, last))
    return lines


def monthly_bills_issue(*, year: int, month: int, by: Any) -> int:
    """Issue the month's recurring bill to every tenant occupying units in it; a tenant
    billed already for the month is skipped, so the task may run any number of times."""
    first = date(year, month, 1)
    last = month_end(first)
    items = list(FeeItem.objects.filter(is_active=True, billed_monthly=True, kind__in=RECURRING).order_by("pk"))
    if not items:
        return 0
    occupancies = (
        Occupancy.objects.filter(start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gt=first))
        .select_related("unit", "tenant")
        .order_by("tenant_id", "unit__number")
    )
    by_tenant: dict[int, list[Occupancy]] = {}
    for occ in occupancies:
        by_tenant.setdefault(occ.tenant_id, []).append(occ)
    key = f"monthly:{year}-{month:02d}"
    billed = set(Bill.objects.filter(source_key=key).exclude(status="void").values_list("tenant_id", flat=True))
    issued = 0
    for tenant_id, occs in by_tenant.items():
        if tenant_id in billed:
            continue
        lines = monthly_lines(items, [(occ.unit, occ.start, occ.end) for occ in occs], first)
        if lines:
            bill_create(
                tenant=occs[0].tenant,
                title=_("Property fees %(month)s") % {"month": f"{year}-{month:02d}"},
                lines=lines,
                by=by,
                source_key=key,
                issued_on=first,
                due_date=first + PAYMENT_TERM,
            )
            issued += 1
    return issued


def fee_price_add(
    *,
    item: FeeItem,
    price: Decimal,
    effective_from: date,
    by: Any,
    price_min: Decimal | None = None,
    price_max: Decimal | None = None,
) -> FeePrice:
    """Add a dated price (never overwrite one). FeeItem.price follows the price in force today,
    so every existing reader of FeeItem.price keeps working; old bill lines keep their unit price."""
    if price < ZERO:
        raise ValidationError({"price": _("A price cannot be negative.")})
    if (price_min is None) != (price_max is None):
        raise ValidationError({"price_max": _("Give both ends of the range, or neither.")})
    if price_min is not None and not (price_min <= price <= price_max):
        raise ValidationError({"price": _("The price must lie within its range.")})
    with transaction.atomic():
        item = FeeItem.objects.select_for_update().get(pk=item.pk)
        if FeePrice.objects.filter(fee_item=item, effective_from=effective_from).exists():
            raise ValidationError({"effective_from": _("This item already has a price from that date.")})
        row = FeePrice.objects.create(
            fee_item=item,
            effective_from=effective_from,
            price=price,
            price_min=price_min,
            price_max=price_max,
            created_by=by if getattr(by, "pk", None) else None,
        )
        current = FeePrice.objects.filter(fee_item=item, effective_from__lte=timezone.localdate()).first()
        if current is not None:
            item.price, item.price_min, item.price_max = current.price, current.price_min, current.price_max
            item.save(update_fields=["price", "price_min", "price_max"])
        record_event(
            item,
            "fee_item.price_added",
            by=by,
            data={"price": str(price), "effective_from": effective_from.isoformat()},
        )
    return row
