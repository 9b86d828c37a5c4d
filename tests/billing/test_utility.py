"""Utility bills 水电费: a confirmed reading round bills consumption × multiplier × the rate dated
on the reading day, one bill per occupying tenant with a MeterCharge per reading, and billing the
round again (the task run twice) bills nothing more."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from billing.models import Bill, BillLine, FeeItem, FeePrice, MeterCharge
from billing.tasks import bill_utilities
from billing.utilities import utility_bills_issue
from jinyuan.workflow.services import TransitionRefused
from tenants.services import meters as services
from tests.tenants.meter_helpers import meter, months_ago, open_round, read, series

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(db):
    """The migration's items: 电费 1.15/kWh and 水费 4.60/m³ (no dated price yet)."""
    return {item.meter_kind: item for item in FeeItem.objects.exclude(meter_kind="")}


@pytest.fixture
def meters(tenant_a, tenant_b, unit_a, unit_b):
    return {
        "a_power": meter(unit_a, "electricity", multiplier="20"),
        "a_water": meter(unit_a, "water"),
        "b_power": meter(unit_b, "electricity"),
    }


def confirmed_round(building, desk, supervisor, meters, previous: dict, current: dict, replacement=()):
    series(building, desk, supervisor, {meters[k]: [v] for k, v in previous.items()}, months=1)
    r = open_round(building, months_ago(0), desk)
    for key, value in current.items():
        (reading,) = read(r, desk, (meters[key], value), replacement=key in replacement)
        if key in replacement:  # held for the supervisor, who confirms the new meter
            services.reading_confirm(reading=reading, by=supervisor, replacement=True)
    services.round_confirm(obj=r, by=supervisor)
    return r


def test_the_utilities_are_seeded_with_their_prices(rates):
    assert rates["electricity"].name == "电费" and rates["water"].name == "水费"
    assert (rates["electricity"].price, rates["water"].price) == (Decimal("1.15"), Decimal("4.60"))


def test_a_confirmed_round_bills_consumption_times_multiplier_times_rate(
    building, desk, supervisor, finance, meters, rates, tenant_a, tenant_b
):
    r = confirmed_round(
        building,
        desk,
        supervisor,
        meters,
        previous={"a_power": "1000.00", "a_water": "50.00", "b_power": "300.00"},
        current={"a_power": "1012.50", "a_water": "61.20", "b_power": "420.00"},
    )
    bills = utility_bills_issue(reading_round=r, by=finance)
    by_tenant = {b.tenant_id: b for b in bills}
    a_lines = {line.fee_item.meter_kind: line for line in by_tenant[tenant_a.pk].lines.select_related("fee_item")}
    # 12.50 kWh × 20 × 1.15 = 287.50; 11.20 m³ × 1 × 4.60 = 51.52
    assert a_lines["electricity"].quantity == Decimal("250.0000")
    assert a_lines["electricity"].amount == Decimal("287.50")
    assert a_lines["water"].amount == Decimal("51.52")
    assert by_tenant[tenant_a.pk].total == Decimal("339.02")
    assert by_tenant[tenant_b.pk].total == Decimal("138.00")  # 120 × 1.15
    charge = MeterCharge.objects.get(meter=meters["a_power"])
    assert (charge.previous_value, charge.current_value, charge.multiplier) == (
        Decimal("1000.00"),
        Decimal("1012.50"),
        Decimal("20.00"),
    )
    assert "1000.00 → 1012.50" in charge.bill_line.description
    r.refresh_from_db()
    assert r.billed_at is not None


def test_the_rate_is_the_price_dated_on_the_reading_day(building, desk, supervisor, finance, meters, rates):
    FeePrice.objects.create(fee_item=rates["water"], effective_from=date(2024, 1, 1), price=Decimal("4.50"))
    FeePrice.objects.create(fee_item=rates["water"], effective_from=date(2099, 1, 1), price=Decimal("9.99"))
    r = confirmed_round(building, desk, supervisor, meters, previous={"a_water": "50.00"}, current={"a_water": "60.00"})
    (bill,) = utility_bills_issue(reading_round=r, by=finance)
    assert bill.total == Decimal("45.00")  # 10 × 4.50: the 2099 price is not in force yet


def test_billing_a_round_twice_bills_it_once(building, desk, supervisor, finance, meters, rates):
    r = confirmed_round(
        building, desk, supervisor, meters, previous={"b_power": "300.00"}, current={"b_power": "400.00"}
    )
    assert bill_utilities(r.pk, finance.pk) == 1
    assert bill_utilities(r.pk, finance.pk) == 0
    assert Bill.objects.filter(source_key=f"utility:{r.pk}").count() == 1
    assert MeterCharge.objects.count() == 1


def test_confirming_the_round_bills_it_after_commit(
    building, desk, supervisor, meters, rates, django_capture_on_commit_callbacks
):
    series(building, desk, supervisor, {meters["b_power"]: ["300.00"]}, months=1)
    r = open_round(building, months_ago(0), desk)
    read(r, desk, (meters["b_power"], "350.00"))
    with django_capture_on_commit_callbacks(execute=True):
        services.round_confirm(obj=r, by=supervisor)
    bill = Bill.objects.get(source_key=f"utility:{r.pk}")
    assert bill.total == Decimal("57.50")


def test_a_round_with_a_kind_no_fee_item_prices_is_not_confirmed(building, desk, supervisor, meters, rates):
    """Billing would fail after the confirmation with nothing to bill the round again: the
    confirmation is refused instead and the round stays open."""
    series(building, desk, supervisor, {meters["a_water"]: ["50.00"]}, months=1)
    r = open_round(building, months_ago(0), desk)
    read(r, desk, (meters["a_water"], "60.00"))
    FeeItem.objects.filter(pk=rates["water"].pk).update(is_active=False)
    with pytest.raises(ValidationError):
        services.round_confirm(obj=r, by=supervisor)
    r.refresh_from_db()
    assert r.status == "open" and not r.readings.filter(status="confirmed").exists()


def test_an_open_round_is_not_billed(building, desk, finance, meters, rates):
    r = open_round(building, months_ago(0), desk)
    read(r, desk, (meters["b_power"], "350.00"))
    with pytest.raises(TransitionRefused):
        utility_bills_issue(reading_round=r, by=finance)
    assert not Bill.objects.exists()


def test_a_replaced_meter_bills_nothing_from_the_old_one(building, desk, supervisor, finance, meters, rates):
    r = confirmed_round(
        building,
        desk,
        supervisor,
        meters,
        previous={"b_power": "9000.00", "a_water": "50.00"},
        current={"b_power": "15.00", "a_water": "55.00"},
        replacement=("b_power",),
    )
    bills = utility_bills_issue(reading_round=r, by=finance)
    assert [b.total for b in bills] == [Decimal("23.00")]  # tenant A's 5 m³ of water only
    assert not MeterCharge.objects.filter(meter=meters["b_power"]).exists()


def test_a_vacant_units_consumption_is_not_billed(building, desk, supervisor, finance, rates):
    from tests import factories

    floor = factories.FloorFactory(building=building, number=20)
    empty = factories.UnitFactory(floor=floor, number="2001", area="80.00")
    m = meter(empty, "electricity")
    series(building, desk, supervisor, {m: ["10.00", "90.00"]}, months=2)
    r = m.readings.order_by("-read_on").first().reading_round
    assert utility_bills_issue(reading_round=r, by=finance) == []
    assert not BillLine.objects.exists()


def test_the_bill_shows_the_previous_and_current_readings(
    building, desk, supervisor, finance, meters, rates, tenant_a, tenant_a_admin, client_for
):
    r = confirmed_round(building, desk, supervisor, meters, previous={"a_water": "50.00"}, current={"a_water": "61.20"})
    (bill,) = utility_bills_issue(reading_round=r, by=finance)
    for user, url in (
        (finance, reverse("desk:billing:bill_detail", args=[bill.pk])),
        (tenant_a_admin, reverse("portal:billing:bill_detail", args=[bill.pk])),
    ):
        page = client_for(user).get(url).content.decode()
        assert "meter-charges" in page
        assert "50.00" in page and "61.20" in page


def test_a_replaced_meter_bills_the_old_ones_final_reading_and_the_new_ones_month(
    building, desk, engineer, supervisor, finance, meters, rates
):
    old = meters["b_power"]
    series(building, desk, supervisor, {old: ["300.00"]}, months=1)
    r = open_round(building, months_ago(0), desk)
    new = services.meter_replace(
        meter=old, number="E-1502-2", final_value=Decimal("310.00"), start_value=Decimal("0.00"), by=engineer
    )
    read(r, desk, (new, "20.00"))
    services.round_confirm(obj=r, by=supervisor)
    (bill,) = utility_bills_issue(reading_round=r, by=finance)
    assert bill.total == Decimal("34.50")  # (10 on the old meter + 20 on the new) × 1.15
    assert {c.meter_id for c in MeterCharge.objects.filter(bill=bill)} == {old.pk, new.pk}
