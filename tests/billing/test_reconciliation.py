"""Random histories of one tenant's account (bills with random lines, payments of random amounts
to chosen bills or to the oldest open ones, voids) always reconcile: no money appears or vanishes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing.models import Allocation, Bill, Payment
from billing.money import round_money
from billing.selectors import tenant_balance
from billing.services import LineSpec, bill_create, bill_void, payment_record
from jinyuan.workflow.services import TransitionRefused

pytestmark = pytest.mark.django_db

ZERO = Decimal("0.00")
cents = st.integers(min_value=0, max_value=300_000).map(lambda c: Decimal(c) / 100)
positive_cents = st.integers(min_value=1, max_value=400_000).map(lambda c: Decimal(c) / 100)
quantities = st.sampled_from([Decimal("1"), Decimal("0.5"), Decimal("1.5"), Decimal("2.3333"), Decimal("30")])

bill_op = st.tuples(st.just("bill"), st.lists(st.tuples(quantities, cents), min_size=1, max_size=4), st.integers(0, 60))
pay_op = st.tuples(
    st.just("pay"),
    positive_cents,
    st.none() | st.lists(st.integers(min_value=0, max_value=20), min_size=1, max_size=3),
)
void_op = st.tuples(st.just("void"), st.integers(min_value=0, max_value=20))
histories = st.lists(st.one_of(bill_op, pay_op, void_op), min_size=1, max_size=14)


def check_invariants(tenant) -> None:
    bills = list(Bill.objects.filter(tenant=tenant))
    allocated_to = {
        row["bill"]: row["s"]
        for row in Allocation.objects.filter(bill__tenant=tenant).values("bill").annotate(s=Sum("amount"))
    }
    for bill in bills:
        assert bill.paid == allocated_to.get(bill.pk, ZERO), bill
        assert ZERO <= bill.paid <= bill.total, bill
        assert bill.total == sum((line.amount for line in bill.lines.all()), ZERO), bill
        if bill.status == Bill.Status.VOID:
            assert bill.paid == ZERO
        elif bill.paid >= bill.total:
            assert bill.status == Bill.Status.PAID
        elif bill.paid > 0:
            assert bill.status == Bill.Status.PARTLY_PAID
        else:
            assert bill.status == Bill.Status.OPEN

    payments = list(Payment.objects.filter(tenant=tenant))
    allocated_from = {
        row["payment"]: row["s"]
        for row in Allocation.objects.filter(payment__tenant=tenant).values("payment").annotate(s=Sum("amount"))
    }
    for payment in payments:
        assert payment.allocated == allocated_from.get(payment.pk, ZERO) <= payment.amount
    balance = tenant_balance(tenant)
    received = sum((p.amount for p in payments), ZERO)
    assert received == sum(allocated_from.values(), ZERO) + balance["credit"]
    assert balance["owed"] == sum((b.total - b.paid for b in bills if b.status in ("open", "partly_paid")), ZERO)
    assert balance["credit"] >= 0


class Rollback(Exception):
    """Ends an example: its transaction rolls back, the next example starts from nothing."""


@settings(
    max_examples=30,
    deadline=None,
    database=None,  # no example database in the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=histories)
def test_random_histories_reconcile(history, tenant_a, desk, price_list):
    item = price_list["paid_service"]
    with pytest.raises(Rollback), transaction.atomic():
        # Each example starts from an empty account: the previous one was rolled back.
        assert not Bill.objects.filter(tenant=tenant_a).exists()
        assert not Payment.objects.filter(tenant=tenant_a).exists()
        bills: list[Bill] = []
        for op in history:
            if op[0] == "bill":
                _, raw_lines, due_in = op
                lines = [LineSpec(item, f"line {i}", q, p) for i, (q, p) in enumerate(raw_lines)]
                bill = bill_create(
                    tenant=tenant_a,
                    title="t",
                    lines=lines,
                    by=desk,
                    due_date=timezone.localdate() + timedelta(days=due_in),
                )
                assert bill.total == sum((round_money(q * p) for q, p in raw_lines), ZERO)
                bills.append(bill)
                # Credit is applied as soon as a bill is issued: never both credit and debt.
                balance = tenant_balance(tenant_a)
                assert balance["credit"] == ZERO or balance["owed"] == ZERO
            elif op[0] == "pay":
                _, amount, chosen = op
                targets = None if chosen is None or not bills else [bills[i % len(bills)] for i in chosen]
                before = tenant_balance(tenant_a)
                payment = payment_record(tenant=tenant_a, amount=amount, method="bank", by=desk, bills=targets)
                after = tenant_balance(tenant_a)
                # The new money either pays debt or becomes credit; old credit does not vanish.
                assert before["owed"] - after["owed"] == payment.allocated
                assert after["credit"] - before["credit"] == amount - payment.allocated
            else:
                if not bills:
                    continue
                bill = bills[op[1] % len(bills)]
                bill.refresh_from_db()
                voidable = bill.status == Bill.Status.OPEN and bill.paid == ZERO
                try:
                    bill_void(bill=bill, by=desk, reason="随机作废")
                except TransitionRefused:
                    assert not voidable
                else:
                    assert voidable
            check_invariants(tenant_a)
        raise Rollback
