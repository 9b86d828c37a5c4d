"""Meter readings: consumption arithmetic (previous reading, multiplier, replacement), held
readings and the supervisor's decision, round confirmation, the Excel sheet (good and bad rows,
all or nothing), and handover readings becoming meter readings."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jinyuan.imports import ImportFailed
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from tenants.meter_forms import round_template
from tenants.models import MeterReading, ReadingRound
from tenants.services import meters as services
from tenants.services.meters import consumption_billed
from tests.tenants.meter_helpers import meter, months_ago, open_round, read, series, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def power(unit_a):
    return meter(unit_a, "electricity", multiplier="20")


@pytest.fixture
def water(unit_a):
    return meter(unit_a, "water")


def test_the_first_reading_has_no_consumption_and_the_next_counts_from_it(building, desk, supervisor, power):
    first, second = series(building, desk, supervisor, {power: ["1000.00", "1150.50"]}, months=2)
    r1, r2 = (MeterReading.objects.get(reading_round=r) for r in (first, second))
    assert r1.previous is None and r1.consumption is None
    assert r2.previous == r1
    assert r2.consumption == Decimal("150.50")


def test_the_multiplier_scales_the_consumption_billed(building, desk, supervisor, power):
    series(building, desk, supervisor, {power: ["1000.00", "1012.25"]}, months=2)
    latest = MeterReading.objects.filter(meter=power).order_by("-read_on").first()
    assert consumption_billed(latest, power.multiplier) == Decimal("245.0000")  # 12.25 × 20


def test_a_reading_below_the_previous_one_is_held_with_its_reason(building, desk, supervisor, power):
    series(building, desk, supervisor, {power: ["1000.00"]}, months=1)
    r = open_round(building, months_ago(0), desk)
    (reading,) = read(r, desk, (power, "990.00"))
    assert reading.status == "held"
    assert "1000.00" in reading.hold_reason
    assert reading.consumption == Decimal("-10.00")


def test_a_jump_above_three_times_the_average_is_held(building, desk, supervisor, power):
    series(building, desk, supervisor, {power: ["1000", "1100", "1200", "1300"]}, months=4)
    r = open_round(building, months_ago(0), desk)
    (normal,) = read(r, desk, (power, "1550"))  # 250: 2.5× the average of 100
    assert normal.status == "entered"
    (jump,) = read(r, desk, (power, "1650"))  # corrected to 350: 3.5×
    assert jump.pk == normal.pk  # a correction while the round is open, not a second reading
    assert jump.status == "held"
    assert "100.00" in jump.hold_reason


def test_a_replaced_meter_starts_a_new_series_without_consumption_from_the_old(building, desk, supervisor, power):
    series(building, desk, supervisor, {power: ["8000.00"]}, months=1)
    r = open_round(building, months_ago(0), desk)
    (reading,) = read(r, desk, (power, "12.00"), replacement=True)
    # Ticked at the desk it bills nothing for the month: the supervisor confirms it first.
    assert reading.status == "held" and "8000.00" in reading.hold_reason
    assert reading.previous is None and reading.consumption is None
    done = services.reading_confirm(reading=reading, by=supervisor, replacement=True)
    assert done.status == "confirmed" and done.consumption is None


def test_the_supervisor_cannot_confirm_a_negative_consumption_without_a_replacement(building, desk, supervisor, power):
    series(building, desk, supervisor, {power: ["1000.00"]}, months=1)
    r = open_round(building, months_ago(0), desk)
    (reading,) = read(r, desk, (power, "990.00"))
    with pytest.raises(ValidationError) as exc:
        services.reading_confirm(reading=reading, by=supervisor)
    assert "value" in exc.value.message_dict
    reading.refresh_from_db()
    assert reading.status == "held" and reading.value == Decimal("990.00")


def test_the_supervisor_confirms_a_held_reading_as_a_replaced_meter_or_corrected(building, desk, supervisor, power):
    series(building, desk, supervisor, {power: ["1000.00"]}, months=1)
    r = open_round(building, months_ago(0), desk)
    (reading,) = read(r, desk, (power, "990.00"))
    done = services.reading_confirm(reading=reading, by=supervisor, replacement=True, note="new meter")
    assert done.status == "confirmed" and done.consumption is None and done.replacement
    assert AuditEvent.objects.filter(action="meter.reading_confirmed", object_id=power.pk).exists()


def test_only_the_supervisor_decides_on_held_readings(building, desk, supervisor, power):
    series(building, desk, supervisor, {power: ["1000.00"]}, months=1)
    r = open_round(building, months_ago(0), desk)
    (reading,) = read(r, desk, (power, "990.00"))
    with pytest.raises(PermissionDenied):
        services.reading_confirm(reading=reading, by=desk, value=Decimal("1090.00"))
    reading.refresh_from_db()
    assert reading.status == "held"


def test_a_round_with_a_held_reading_cannot_be_confirmed(building, desk, supervisor, power):
    series(building, desk, supervisor, {power: ["1000.00"]}, months=1)
    r = open_round(building, months_ago(0), desk)
    read(r, desk, (power, "990.00"))
    with pytest.raises(TransitionRefused):
        services.round_confirm(obj=r, by=supervisor)
    r.refresh_from_db()
    assert r.status == "open"


def test_the_desk_cannot_confirm_a_round(building, desk, power):
    r = open_round(building, months_ago(0), desk)
    read(r, desk, (power, "10.00"))
    with pytest.raises(PermissionDenied):
        services.round_confirm(obj=r, by=desk)


def test_a_confirmed_round_takes_no_more_readings(building, desk, supervisor, power):
    (r,) = series(building, desk, supervisor, {power: ["1000.00"]}, months=1)
    with pytest.raises(TransitionRefused):
        read(r, desk, (power, "1100.00"))
    assert MeterReading.objects.get(reading_round=r).value == Decimal("1000.00")


def test_one_round_per_building_and_month(building, desk):
    open_round(building, months_ago(1), desk)
    with pytest.raises(ValidationError) as exc:
        open_round(building, months_ago(1), desk)
    assert "month" in exc.value.message_dict
    assert ReadingRound.objects.count() == 1


def test_no_round_for_a_month_to_come_nor_before_a_confirmed_one(building, desk, supervisor, power, client_for):
    series(building, desk, supervisor, {power: ["1000.00", "1010.00"]}, months=2)
    for month in (months_ago(-1), months_ago(3)):
        with pytest.raises(ValidationError) as exc:
            open_round(building, month, desk)
        assert "month" in exc.value.message_dict
    # December 9999 at the desk: an error beside the month, not a 500.
    response = client_for(desk).post(reverse("desk:tenants:round_list"), {"building": building.pk, "month": "9999-12"})
    assert response.status_code == 400 and "month" in response.context["form"].errors
    assert ReadingRound.objects.count() == 2


def test_a_reading_under_a_later_rounds_reading_is_refused(building, desk, supervisor, power):
    earlier = open_round(building, months_ago(2), desk)
    series(building, desk, supervisor, {power: ["1000.00"]}, months=1)
    with pytest.raises(ValidationError):
        read(earlier, desk, (power, "990.00"))
    assert not MeterReading.objects.filter(reading_round=earlier).exists()


def test_a_negative_reading_is_refused_and_nothing_is_saved(building, desk, power, water):
    r = open_round(building, months_ago(0), desk)
    with pytest.raises(ValidationError):
        read(r, desk, (water, "10.00"), (power, "-1.00"))
    assert not MeterReading.objects.exists()


# --- the Excel sheet -----------------------------------------------------------------------------


def test_the_template_lists_the_buildings_meters_with_their_previous_reading(building, desk, supervisor, power):
    series(building, desk, supervisor, {power: ["1000.00"]}, months=1)
    r = open_round(building, months_ago(0), desk)
    content = round_template(r, [(power, Decimal("1000.00"))])
    ws = load_workbook(BytesIO(content)).worksheets[0]
    assert [c.value for c in ws[2]][:5] == [power.number, "1201", str(power.get_kind_display()), 1000, None]
    assert ws.max_row == 2


def test_importing_good_rows_enters_every_reading(building, desk, supervisor, power, water):
    series(building, desk, supervisor, {power: ["1000.00"], water: ["50.00"]}, months=1)
    r = open_round(building, months_ago(0), desk)
    saved = services.readings_import(
        reading_round=r, upload=workbook((power.number, 1100.5, ""), (water.number, "61", "")), by=desk
    )
    assert [x.consumption for x in saved] == [Decimal("100.50"), Decimal("11.00")]
    assert AuditEvent.objects.filter(action="reading_round.imported", object_id=r.pk).count() == 1


def test_importing_with_bad_rows_saves_nothing_and_names_each_row(building, desk, power, water):
    r = open_round(building, months_ago(0), desk)
    upload = workbook(
        (power.number, "1100", ""),
        (water.number, "lots", ""),  # not a number
        ("X-404", "12", ""),  # no such meter
    )
    with pytest.raises(ImportFailed) as exc:
        services.readings_import(reading_round=r, upload=upload, by=desk)
    assert [e.row for e in exc.value.errors] == [3, 4]
    assert not MeterReading.objects.exists()


def test_a_meter_twice_in_the_sheet_is_an_error_of_the_second_row(building, desk, power):
    r = open_round(building, months_ago(0), desk)
    with pytest.raises(ImportFailed) as exc:
        services.readings_import(
            reading_round=r, upload=workbook((power.number, "10", ""), (power.number, "11", "")), by=desk
        )
    assert [e.row for e in exc.value.errors] == [3]
    assert not MeterReading.objects.exists()


def test_a_file_that_is_not_excel_is_refused(building, desk, power):
    r = open_round(building, months_ago(0), desk)
    with pytest.raises(ImportFailed):
        services.readings_import(
            reading_round=r, upload=SimpleUploadedFile("readings.xlsx", b"PK\x03\x04 not really"), by=desk
        )
    assert not MeterReading.objects.exists()


def test_a_replacement_in_the_sheet_starts_a_new_series(building, desk, supervisor, power):
    series(building, desk, supervisor, {power: ["9000.00"]}, months=1)
    r = open_round(building, months_ago(0), desk)
    (reading,) = services.readings_import(reading_round=r, upload=workbook((power.number, "5", "是")), by=desk)
    assert reading.replacement and reading.consumption is None and reading.status == "held"


# --- handovers ---------------------------------------------------------------------------------------


def test_a_move_in_inspection_writes_readings_of_the_units_meters(tenant_b, unit_a, desk):
    from tenants.services import movein_record_inspection
    from tests import factories

    move_in = factories.make_movein(tenant_b, desk, unit=unit_a)
    row = move_in.units.get()
    movein_record_inspection(row=row, water=Decimal("12.00"), electricity=Decimal("3456.70"), condition="完好", by=desk)
    readings = {r.meter.kind: r for r in MeterReading.objects.select_related("meter")}
    assert readings["water"].value == Decimal("12.00")
    assert readings["electricity"].value == Decimal("3456.70")
    assert readings["electricity"].source == "move_in"
    assert readings["electricity"].meter.unit == unit_a


def test_a_round_runs_a_confirmation_deadline_to_the_fifth_that_confirming_stops(building, desk, supervisor, power):
    from jinyuan.workflow.deadlines import running_for

    r = open_round(building, months_ago(1), desk)
    assert r.confirm_by == months_ago(0).replace(day=5)
    assert (r.pk, "confirmation") in running_for([r])
    read(r, desk, (power, "10.00"))
    services.round_confirm(obj=r, by=supervisor)
    assert running_for([r]) == {}
    assert AuditEvent.objects.filter(object_id=r.pk, action="reading_round.confirmed").exists()


# --- a meter replaced ----------------------------------------------------------------------------------


def test_a_replaced_meters_final_reading_goes_into_the_open_round_and_the_new_one_starts_a_series(
    building, desk, engineer, supervisor, power
):
    series(building, desk, supervisor, {power: ["1000.00"]}, months=1)
    r = open_round(building, months_ago(0), desk)
    new = services.meter_replace(
        meter=power, number="E-1201-2", final_value=Decimal("1040.00"), start_value=Decimal("3.00"), by=engineer
    )
    power.refresh_from_db()
    assert not power.is_active and power.replaced_on is not None
    final = MeterReading.objects.get(meter=power, reading_round=r)
    assert (final.source, final.consumption, final.status) == ("replacement", Decimal("40.00"), "entered")
    start = MeterReading.objects.get(meter=new)
    assert start.replacement and start.consumption is None and start.reading_round is None
    assert new.multiplier == power.multiplier and new.unit == power.unit
    # The month's reading of the new meter counts from its first one, not from the old meter.
    (month_end,) = read(r, engineer, (new, "20.00"))
    assert month_end.previous == start and month_end.consumption == Decimal("17.00")


def test_a_final_reading_below_the_last_one_is_refused_and_nothing_changes(building, desk, engineer, supervisor, power):
    series(building, desk, supervisor, {power: ["1000.00"]}, months=1)
    with pytest.raises(ValidationError) as exc:
        services.meter_replace(
            meter=power, number="E-X", final_value=Decimal("900.00"), start_value=Decimal("0"), by=engineer
        )
    assert "final_value" in exc.value.message_dict
    power.refresh_from_db()
    assert power.is_active and power.unit.meters.count() == 1


def test_a_meter_is_replaced_once(building, engineer, power):
    services.meter_replace(meter=power, number="E-2", final_value=Decimal("5"), start_value=Decimal("0"), by=engineer)
    with pytest.raises(TransitionRefused):
        services.meter_replace(
            meter=power, number="E-3", final_value=Decimal("6"), start_value=Decimal("0"), by=engineer
        )
