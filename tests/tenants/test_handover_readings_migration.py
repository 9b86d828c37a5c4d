"""Migration 0017: the move-in and move-out handover readings become readings of the unit's
meters (meters made where missing), chained in date order with their consumption; a value below
the one before is held for the supervisor rather than stored as a negative consumption."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("tenants", "0015_late_fee_terms")]
AFTER = [("tenants", "0017_handover_readings_to_meters")]


def test_handover_readings_become_meter_readings(scratch_database):
    old = scratch_database(BEFORE)
    desk = old.get_model("accounts", "User").objects.create(username="desk", password="!")
    Tenant = old.get_model("tenants", "Tenant")
    building = old.get_model("tenants", "Building").objects.create(code="A", name="A座")
    floor = old.get_model("tenants", "Floor").objects.create(building=building, number=12)
    unit = old.get_model("tenants", "Unit").objects.create(floor=floor, number="1201", area=100)
    first = Tenant.objects.create(name="广西甲方科技有限公司", credit_code="91450100MA5KXXXX0X")
    second = Tenant.objects.create(name="南宁乙方贸易有限公司", credit_code="91450100MA5KYYYY0X")
    move_in = old.get_model("tenants", "MoveIn").objects.create(
        tenant=first, start_date=date(2024, 3, 1), applicant_id=desk.pk
    )
    old.get_model("tenants", "MoveInUnit").objects.create(
        move_in=move_in,
        unit=unit,
        water_reading=Decimal("10.00"),
        electricity_reading=Decimal("1000.00"),
        inspected_at=datetime(2024, 3, 1, 2, 0, tzinfo=UTC),
        inspected_by_id=desk.pk,
    )
    occupancy = old.get_model("tenants", "Occupancy").objects.create(
        tenant=first, unit=unit, start=date(2024, 3, 1), end=date(2025, 6, 1)
    )
    move_out = old.get_model("tenants", "MoveOut").objects.create(
        tenant=first, planned_date=date(2025, 5, 31), applicant_id=desk.pk
    )
    old.get_model("tenants", "MoveOutUnit").objects.create(
        move_out=move_out,
        unit=unit,
        occupancy=occupancy,
        water_reading=Decimal("9.00"),  # below the move-in's: held
        electricity_reading=Decimal("8800.50"),
        inspected_at=datetime(2025, 5, 31, 3, 0, tzinfo=UTC),
    )
    later = old.get_model("tenants", "MoveIn").objects.create(
        tenant=second, start_date=date(2025, 7, 1), applicant_id=desk.pk
    )
    old.get_model("tenants", "MoveInUnit").objects.create(move_in=later, unit=unit)  # not inspected: nothing

    new = scratch_database(AFTER)
    Meter = new.get_model("tenants", "Meter")
    Reading = new.get_model("tenants", "MeterReading")
    meters = {m.kind: m for m in Meter.objects.filter(unit_id=unit.pk)}
    assert set(meters) == {"electricity", "water"}
    assert meters["electricity"].number == "E-A1201"
    power = list(Reading.objects.filter(meter=meters["electricity"]).order_by("read_on"))
    assert [(r.source, r.value, r.consumption, r.status) for r in power] == [
        ("move_in", Decimal("1000.00"), None, "confirmed"),
        ("move_out", Decimal("8800.50"), Decimal("7800.50"), "confirmed"),
    ]
    assert power[1].previous_id == power[0].pk
    water = list(Reading.objects.filter(meter=meters["water"]).order_by("read_on"))
    assert [r.status for r in water] == ["confirmed", "held"]
    assert water[1].hold_reason
    assert water[0].entered_by_id == desk.pk and water[1].entered_by_id == desk.pk  # the applicant
