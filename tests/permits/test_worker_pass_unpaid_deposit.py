"""A badge returned or voided before its pass deposit was paid owes no deposit any more: the
unpaid deposit bill is voided through billing (kept, with its audit event), nothing is
refunded, and the pass fee stays owed. A paid deposit is refunded as before."""

from decimal import Decimal

import pytest

from billing.models import Bill, DepositEntry
from billing.services import payment_record
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.selectors import timeline
from permits import passes

pytestmark = pytest.mark.django_db


def bills_of(worker_pass) -> tuple[Bill, Bill]:
    return (
        Bill.objects.get(source_key=passes.fee_source_key(worker_pass)),
        Bill.objects.get(source_key=passes.source_key(worker_pass)),
    )


def pay(bill: Bill, desk, amount=None) -> None:
    payment_record(tenant=bill.tenant, amount=amount or bill.total, method="cash", by=desk, bills=[bill])


def actions(obj) -> list[str]:
    return [e.action for e in timeline(obj)]


def test_a_returned_badge_with_its_deposit_unpaid_voids_the_deposit_bill_not_the_fee(issue, desk):
    worker_pass = issue()
    passes.worker_pass_return(obj=worker_pass, by=desk)
    fee, deposit = bills_of(worker_pass)
    assert deposit.status == Bill.Status.VOID and deposit.voided_at is not None
    assert "deposit" in deposit.void_reason or "押金" in deposit.void_reason
    assert fee.status == Bill.Status.OPEN and fee.total == Decimal("20.00")
    assert not DepositEntry.objects.filter(source_key=passes.source_key(worker_pass)).exists()
    assert AuditEvent.objects.filter(action="bill.voided", object_id=deposit.pk, actor=desk).exists()
    assert "worker_pass.deposit_bill_voided" in actions(worker_pass)
    assert "worker_pass.deposit_refunded" not in actions(worker_pass)


def test_a_paid_deposit_is_refunded_and_its_bill_stays_paid(issue, desk):
    worker_pass = issue()
    _, deposit = bills_of(worker_pass)
    pay(deposit, desk)
    passes.worker_pass_return(obj=worker_pass, by=desk)
    deposit.refresh_from_db()
    assert deposit.status == Bill.Status.PAID
    refund = DepositEntry.objects.get(source_key=passes.source_key(worker_pass), kind="refunded")
    assert refund.amount == Decimal("100.00")
    assert "worker_pass.deposit_bill_voided" not in actions(worker_pass)


def test_a_voided_pass_voids_its_unpaid_deposit_bill(issue, supervisor):
    worker_pass = issue()
    passes.worker_pass_void(obj=worker_pass, by=supervisor, note="工人离场")
    _, deposit = bills_of(worker_pass)
    assert deposit.status == Bill.Status.VOID and "工人离场" in deposit.void_reason


def test_closing_the_renovation_voids_each_unpaid_deposit_and_keeps_the_paid_ones(issue, desk, supervisor):
    unpaid, paid = issue(1), issue(2)
    pay(bills_of(paid)[1], desk)
    assert passes.void_passes_of(unpaid.renovation, by=supervisor, reason="验收通过") == 2
    assert bills_of(unpaid)[1].status == Bill.Status.VOID
    assert bills_of(paid)[1].status == Bill.Status.PAID
    # The paid deposit is still held for the renovation's refund to forfeit.
    assert [d.source_key for d in passes.unreturned_pass_deposits(paid.renovation)] == [passes.source_key(paid)]


def test_a_partly_paid_deposit_is_left_for_the_desk_and_said_on_the_timeline(issue, desk):
    worker_pass = issue()
    _, deposit = bills_of(worker_pass)
    pay(deposit, desk, amount=Decimal("30.00"))
    passes.worker_pass_return(obj=worker_pass, by=desk)
    deposit.refresh_from_db()
    assert deposit.status == Bill.Status.PARTLY_PAID
    assert "worker_pass.deposit_partly_paid" in actions(worker_pass)


def test_returning_twice_voids_nothing_twice(issue, desk):
    from jinyuan.workflow.services import TransitionRefused

    worker_pass = issue()
    passes.worker_pass_return(obj=worker_pass, by=desk)
    with pytest.raises(TransitionRefused):
        passes.worker_pass_return(obj=worker_pass, by=desk)
    assert AuditEvent.objects.filter(action="bill.voided").count() == 1
