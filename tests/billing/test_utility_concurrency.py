"""Ten billing runs of one confirmed round at the same instant (the task redelivered, a worker
and a manual run): one utility bill per company, one MeterCharge per reading."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import Bill, FeeItem, FeePrice, MeterCharge
from billing.utilities import utility_bills_issue
from tenants.models import ReadingRound
from tests.concurrency import run_at_once
from tests.tenants.meter_helpers import meter, months_ago, open_round, read, series

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rates(db):
    # Transactional tests flush the migrated price list: billing 0014's utility items.
    for code, name, kind, price in (("electricity", "电费", "electricity", "1.15"), ("water", "水费", "water", "4.60")):
        item, _ = FeeItem.objects.get_or_create(
            code=code, defaults={"name": name, "kind": "metered", "meter_kind": kind, "price": Decimal(price)}
        )
        FeePrice.objects.get_or_create(fee_item=item, effective_from=date(2024, 1, 1), defaults={"price": item.price})


def test_ten_billing_runs_at_once_bill_the_round_once(
    rates, building, unit_a, unit_b, tenant_a, tenant_b, desk, supervisor
):
    a, b = meter(unit_a, "electricity"), meter(unit_b, "water")
    series(building, desk, supervisor, {a: ["100.00"], b: ["10.00"]}, months=1)
    r = open_round(building, months_ago(0), desk)
    read(r, desk, (a, "150.00"), (b, "15.00"))
    # Confirmed as the service leaves it, without its own billing on commit: the runs race.
    ReadingRound.objects.filter(pk=r.pk).update(status="confirmed")
    r.readings.update(status="confirmed")

    results = run_at_once(
        10,
        lambda i: ReadingRound.objects.get(pk=r.pk),
        lambda i, round_row: len(utility_bills_issue(reading_round=round_row, by=supervisor)),
    )
    assert not [x for x in results if isinstance(x, BaseException)], results
    assert sorted(results) == [0] * 9 + [2], results
    assert Bill.objects.filter(source_key=f"utility:{r.pk}").count() == 2
    assert MeterCharge.objects.count() == 2
