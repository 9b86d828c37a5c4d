"""The meter pages: a floor of a round on a phone (previous readings shown, readings saved, bad
input beside its field with nothing saved), the Excel import page, the supervisor's decision and
confirmation, and the tenant's meters in the portal (another company's: 404)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tenants.models import MeterReading, ReadingRound
from tests.tenants.meter_helpers import meter, months_ago, open_round, read, series, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def power(unit_a):
    return meter(unit_a, "electricity")


@pytest.fixture
def round_now(building, desk, supervisor, power):
    series(building, desk, supervisor, {power: ["1000.00"]}, months=1)
    return open_round(building, months_ago(0), desk)


def floor_url(r, unit):
    return reverse("desk:tenants:round_floor", args=[r.pk, unit.floor_id])


def test_the_floor_page_shows_each_meter_with_its_previous_reading(client_for, engineer, round_now, unit_a):
    page = client_for(engineer).get(floor_url(round_now, unit_a)).content.decode()
    assert "previous-reading" in page and "1000.00" in page
    assert 'inputmode="decimal"' in page


def test_readings_saved_on_the_floor_page(client_for, engineer, round_now, unit_a, power):
    response = client_for(engineer).post(floor_url(round_now, unit_a), {f"m{power.pk}_value": "1085.5"})
    assert response.status_code == 302
    reading = MeterReading.objects.get(reading_round=round_now)
    assert reading.consumption == Decimal("85.50") and reading.entered_by == engineer


def test_a_reading_that_is_not_a_number_is_an_error_beside_its_field(client_for, desk, round_now, unit_a, power):
    response = client_for(desk).post(floor_url(round_now, unit_a), {f"m{power.pk}_value": "12,3abc"})
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode()
    assert not MeterReading.objects.filter(reading_round=round_now).exists()


def test_a_floor_of_another_building_is_404(client_for, desk, round_now):
    from tests import factories

    other = factories.FloorFactory(building=factories.BuildingFactory(code="B", name="B座"), number=3)
    assert client_for(desk).get(reverse("desk:tenants:round_floor", args=[round_now.pk, other.pk])).status_code == 404


def test_the_import_page_lists_each_bad_row_and_saves_nothing(client_for, desk, round_now, power):
    upload = workbook((power.number, "abc", ""), ("NOPE", "5", ""))
    response = client_for(desk).post(reverse("desk:tenants:round_import", args=[round_now.pk]), {"file": upload})
    assert response.status_code == 400
    assert "import-errors-h" in response.content.decode()
    assert not MeterReading.objects.filter(reading_round=round_now).exists()


def test_a_file_that_is_not_excel_is_a_field_error(client_for, desk, round_now):
    upload = SimpleUploadedFile("readings.xlsx", b"%PDF-1.4 not a sheet")
    response = client_for(desk).post(reverse("desk:tenants:round_import", args=[round_now.pk]), {"file": upload})
    assert response.status_code == 200 or response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not MeterReading.objects.filter(reading_round=round_now).exists()


def test_the_import_page_enters_good_rows(client_for, desk, round_now, power):
    upload = workbook((power.number, "1100", ""))
    response = client_for(desk).post(reverse("desk:tenants:round_import", args=[round_now.pk]), {"file": upload})
    assert response.status_code == 302
    assert MeterReading.objects.get(reading_round=round_now).consumption == Decimal("100.00")


def test_the_template_download_is_an_excel_file(client_for, desk, round_now, power):
    response = client_for(desk).get(reverse("desk:tenants:round_template", args=[round_now.pk]))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_the_supervisor_decides_a_held_reading_then_confirms_the_round(client_for, desk, supervisor, round_now, power):
    (held,) = read(round_now, desk, (power, "990.00"))
    client = client_for(supervisor)
    url = reverse("desk:tenants:reading_confirm", args=[held.pk])
    refused = client.post(url, {"value": "990.00"})
    assert refused.status_code == 200 and refused.context["form"].errors["value"]
    assert client.post(url, {"value": "1090.00"}).status_code == 302
    held.refresh_from_db()
    assert (held.status, held.consumption) == ("confirmed", Decimal("90.00"))
    detail = reverse("desk:tenants:round_detail", args=[round_now.pk])
    assert client.post(detail, {"action": "confirm"}).status_code == 302
    assert ReadingRound.objects.get(pk=round_now.pk).status == "confirmed"


def test_opening_a_round_twice_is_a_field_error(client_for, desk, building, round_now):
    response = client_for(desk).post(
        reverse("desk:tenants:round_list"), {"building": building.pk, "month": f"{months_ago(0):%Y-%m}"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["month"]
    assert ReadingRound.objects.count() == 2


def test_the_tenant_sees_its_meters_and_readings(client_for, tenant_a_admin, tenant_b_admin, round_now, power):
    page = client_for(tenant_a_admin).get(reverse("portal:tenants:meter_list")).content.decode()
    assert power.number in page
    detail = reverse("portal:tenants:meter_detail", args=[power.pk])
    assert "1000.00" in client_for(tenant_a_admin).get(detail).content.decode()
    assert client_for(tenant_b_admin).get(detail).status_code == 404
    assert power.number not in client_for(tenant_b_admin).get(reverse("portal:tenants:meter_list")).content.decode()


def test_the_floor_page_shows_this_rounds_reading_and_why_it_is_held(client_for, desk, round_now, unit_a, power):
    (held,) = read(round_now, desk, (power, "990.00"))
    page = client_for(desk).get(floor_url(round_now, unit_a)).content.decode()
    assert 'value="990.00"' in page
    assert held.hold_reason in page
    assert "1000.00" in page  # the previous reading, not this round's


def test_the_round_register_filters_by_status_and_exports(client_for, desk, supervisor, building, round_now):
    client = client_for(desk)
    confirmed = client.get(reverse("desk:tenants:round_list"), {"status": "confirmed"}).context["object_list"]
    assert [r.month for r in confirmed] == [months_ago(1)]
    export = client.get(reverse("desk:tenants:round_list"), {"export": "xlsx"})
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_engineering_replaces_a_meter_from_its_page(client_for, engineer, round_now, power):
    client = client_for(engineer)
    assert "replace" in client.get(reverse("desk:tenants:meter_detail", args=[power.pk])).content.decode()
    url = reverse("desk:tenants:meter_replace", args=[power.pk])
    bad = client.post(url, {"final_value": "abc", "number": "E-NEW", "start_value": "0"})
    assert bad.status_code == 200 and bad.context["form"].errors["final_value"]
    assert client.post(url, {"final_value": "1010", "number": "E-NEW", "start_value": "0"}).status_code == 302
    assert power.unit.meters.get(is_active=True).number == "E-NEW"
