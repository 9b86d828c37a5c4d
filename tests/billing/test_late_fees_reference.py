"""The late fee 违约金 against a plain reference, to the cent (hypothesis).

The reference is written apart from billing.latefees and as plainly as it can be: payments
settle the open bills oldest due first (as billing.services allocates), then each bill is
walked day by day from the day after its due date plus grace, adding rate × the principal
unpaid at the start of that day; each month's sum is rounded half-up once and the months
never pass the principal. Random bills, payments, dates and clauses; the same answers from
the pure computation, from bills and payments in the database, and from the billing run.
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billing import latefee_services
from billing.latefees import Policy, late_fee_as_of, monthly_fees
from billing.models import Bill, LateFeeCharge
from billing.services import payment_record
from tests import factories
from tests.billing.helpers import issue_bill
from tests.billing.late_fee_helpers import noon

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]

START = date(2024, 1, 1)
CENT = Decimal("0.01")


def property_test(max_examples: int):
    return settings(
        max_examples=max_examples,
        database=None,  # no .hypothesis/ directory in the checkout
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# --- the reference ------------------------------------------------------------------------------


def settle_oldest_first(bills, payments):
    """bills: [(total, due)] in issue order; payments: [(day, amount)] in the order received.
    Returns each bill's payments [(day, amount)]."""
    unpaid = [total for total, _due in bills]
    order = sorted(range(len(bills)), key=lambda i: (bills[i][1], i))
    paid = defaultdict(list)
    for day, amount in payments:
        left = amount
        for i in order:
            take = min(unpaid[i], left)
            if take > 0:
                paid[i].append((day, take))
                unpaid[i] -= take
                left -= take
    return paid


def reference_months(total, due, rate, grace, paid, on) -> dict[tuple[int, int], Decimal]:
    """The late fee of one bill per (year, month), walked one day at a time."""
    exact = defaultdict(Decimal)
    day = due + timedelta(days=grace + 1)
    while day <= on:
        unpaid = total - sum(amount for paid_on, amount in paid if paid_on < day)
        exact[(day.year, day.month)] += unpaid * rate
        day += timedelta(days=1)
    months, so_far = {}, Decimal(0)
    for month in sorted(exact):
        fee = min(exact[month].quantize(CENT, rounding=ROUND_HALF_UP), total - so_far)
        months[month] = fee
        so_far += fee
    return months


# --- random inputs ------------------------------------------------------------------------------

money = st.integers(min_value=1, max_value=10_000_000).map(lambda cents: Decimal(cents) / 100)
rates = st.integers(min_value=1, max_value=1000).map(lambda n: Decimal(n) / 1_000_000)  # up to 0.1 %/day
bills_st = st.lists(st.tuples(money, st.integers(0, 400)), min_size=1, max_size=4)
payments_st = st.lists(st.tuples(st.integers(0, 500), money), max_size=5)


@property_test(300)
@given(
    total=money,
    due=st.integers(0, 400),
    rate=rates,
    grace=st.integers(0, 30),
    paid=st.lists(st.tuples(st.integers(0, 500), money), max_size=6),
    on=st.integers(0, 1200),
)
def test_the_computation_matches_the_reference(total, due, rate, grace, paid, on):
    due, on = START + timedelta(days=due), START + timedelta(days=on)
    # What reaches one bill: payments in order, never more than what is still unpaid.
    allocated, left = [], total
    for day, amount in sorted(paid):
        take = min(amount, left)
        if take > 0:
            allocated.append((START + timedelta(days=day), take))
            left -= take
    months = monthly_fees(total, due, Policy(rate, grace), allocated, on)
    expected = reference_months(total, due, rate, grace, allocated, on)
    # Months without a cent (paid in time, or after the cap) are left out on both sides.
    assert {(m.month.year, m.month.month): m.fee for m in months if m.fee} == {k: v for k, v in expected.items() if v}
    assert sum((m.fee for m in months), Decimal(0)) <= total


@property_test(40)
@given(
    bills=bills_st,
    payments=payments_st,
    rate=rates,
    grace=st.integers(0, 30),
    on=st.integers(0, 700),
)
def test_bills_and_payments_in_the_database_match_the_reference(desk, bills, payments, rate, grace, on):
    on = START + timedelta(days=on)
    payments = sorted(((START + timedelta(days=d), a) for d, a in payments), key=lambda p: p[0])
    with transaction.atomic():
        tenant, _unit = factories.occupied_unit()
        tenant.occupancies.update(
            start=START - timedelta(days=100), late_fee_daily_rate=rate, late_fee_grace_days=grace
        )
        made = [
            issue_bill(tenant, desk, total, due_date=START + timedelta(days=due), issued_on=START - timedelta(days=30))
            for total, due in bills
        ]
        for day, amount in payments:
            with time_machine.travel(noon(day), tick=False):
                payment_record(tenant=tenant, amount=amount, method="bank", by=desk)
        paid = settle_oldest_first([(b.total, b.due_date) for b in made], payments)
        expected = {b.pk: reference_months(b.total, b.due_date, rate, grace, paid[i], on) for i, b in enumerate(made)}
        for bill in made:
            assert late_fee_as_of(bill, on) == sum(expected[bill.pk].values(), Decimal(0)), bill

        # The run, twice on the same day, bills each finished month of an unpaid bill once,
        # at the reference's figure (after the last payment: the run reads today's state).
        if not payments or on >= payments[-1][0]:
            with time_machine.travel(noon(on), tick=False):
                latefee_services.late_fees_bill_all(by=desk)
                assert latefee_services.late_fees_bill_all(by=desk) == 0
            this_month = (on.year, on.month)
            for bill in Bill.objects.filter(pk__in=[b.pk for b in made]):
                charged = {(c.month.year, c.month.month): c.fee for c in LateFeeCharge.objects.filter(source_bill=bill)}
                if bill.status != "paid":
                    finished = {m: fee for m, fee in expected[bill.pk].items() if m < this_month and fee > 0}
                    assert charged == finished, bill
                else:
                    assert charged.items() <= expected[bill.pk].items(), bill
        transaction.set_rollback(True)
