"""Money of the passes, through billing: one bill per priced fee item of one holder, and what
happens to a pass deposit when the card or badge comes back (refunded from the ledger, or the
unpaid deposit bill voided) or does not (kept). Worker passes and access passes both use it;
each record names its bills and ledger entries by its own ``source_key``."""

from decimal import Decimal
from typing import Any

from billing.models import ZERO, Bill, FeeItem
from billing.services import LineSpec, bill_create, bill_void, deposit_forfeit_source, deposit_refund_source
from jinyuan.workflow.services import record_event


def fee_lines(codes: tuple[str, ...], holder: str, unit: Any = None) -> list[LineSpec]:
    """One line per priced, active fee item of ``codes`` for one holder (none when unpriced)."""
    items = {item.code: item for item in FeeItem.objects.filter(code__in=codes, is_active=True)}
    lines = []
    for code in codes:
        item = items.get(code)
        if item is None or item.price <= ZERO:
            continue
        lines.append(
            LineSpec(
                fee_item=item,
                description=f"{item.name} · {holder}",
                quantity=Decimal("1"),
                unit_price=item.price,
                unit=unit,
            )
        )
    return lines


def bill_item(*, tenant: Any, code: str, title: str, holder: str, key: str, by: Any, unit: Any = None) -> Bill | None:
    """A bill of one fee item for one holder (none when the item is not priced)."""
    lines = fee_lines((code,), holder, unit)
    if not lines:
        return None
    return bill_create(tenant=tenant, title=title, lines=lines, by=by, source_key=key)


def void_unpaid_deposit(record: Any, *, key: str, by: Any, reason: str) -> Bill | None:
    """The card or badge is back (or void) before its deposit was paid: the deposit bill is
    voided through billing (its own audit event, nothing deleted), and the record's timeline
    says so. A deposit bill partly paid is left for the desk to settle, and the timeline says that."""
    bill = (
        Bill.objects.filter(tenant_id=record.tenant_id, source_key=key)
        .exclude(status__in=(Bill.Status.VOID, Bill.Status.PAID))
        .first()
    )
    if bill is None:
        return None
    prefix = record.audit_prefix
    if bill.paid > ZERO:
        record_event(
            record,
            f"{prefix}.deposit_partly_paid",
            by=by,
            data={"bill": bill.number, "paid": str(bill.paid), "total": str(bill.total)},
        )
        return None
    bill_void(bill=bill, by=by, reason=reason)
    record_event(record, f"{prefix}.deposit_bill_voided", by=by, data={"bill": bill.number, "amount": str(bill.total)})
    return bill


def settle_deposit(
    record: Any, *, key: str, by: Any, reason: str, void_reason: str = "", keep: bool = False
) -> Decimal:
    """What the ledger holds for ``key`` refunded (or kept, ``keep``: the card is not coming
    back), with an event on the record; nothing held: an unpaid deposit bill is voided instead
    (with ``void_reason``, when given).
    Returns the amount refunded or kept."""
    settle = deposit_forfeit_source if keep else deposit_refund_source
    entries = settle(tenant=record.tenant, source_key=key, by=by, reason=reason)
    amount = sum((e.amount for e in entries), ZERO)
    if amount:
        event = "deposit_forfeited" if keep else "deposit_refunded"
        record_event(record, f"{record.audit_prefix}.{event}", by=by, data={event.split("_")[1]: str(amount)})
    else:
        void_unpaid_deposit(record, key=key, by=by, reason=void_reason or reason)
    return amount
