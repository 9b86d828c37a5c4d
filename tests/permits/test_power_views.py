"""Temporary power pages: applying in the portal and at the desk, engineering's steps on the
detail page, bad input beside its field, the register's filters, the paper at the board."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from permits.models import TemporaryPower
from tests.permits.power_fixtures import ALL_TICKED, form_data

pytestmark = pytest.mark.django_db
S = TemporaryPower.Status


def detail(permit) -> str:
    return reverse("desk:permits:power_detail", args=[permit.pk])


def test_the_tenant_applies_in_the_portal(client_for, tenant_a_admin, unit_a, engineer):
    response = client_for(tenant_a_admin).post(reverse("portal:permits:power_new"), form_data(unit_a))
    permit = TemporaryPower.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:permits:power_detail", args=[permit.pk])
    assert permit.status == S.SUBMITTED and permit.unit == unit_a and permit.applicant == tenant_a_admin


def test_a_load_above_supply_is_shown_beside_its_field_and_the_values_stay(client_for, tenant_a_admin, unit_a):
    unit_a.power_supply_kw = Decimal("6.0")
    unit_a.save()
    response = client_for(tenant_a_admin).post(reverse("portal:permits:power_new"), form_data(unit_a))
    assert response.status_code == 200
    form = response.context["form"]
    assert "6.0 kW" in form.errors["load_kw"][0]
    assert 'value="覃志刚"' in response.content.decode()
    assert not TemporaryPower.objects.exists()


def test_an_expired_certificate_is_shown_beside_its_field(client_for, tenant_a_admin, unit_a):
    data = form_data(unit_a, certificate_expiry=timezone.localdate() - dt.timedelta(days=1))
    response = client_for(tenant_a_admin).post(reverse("portal:permits:power_new"), data)
    assert "certificate_expiry" in response.context["form"].errors


def test_the_desk_applies_for_a_company(client_for, desk, tenant_a, unit_a):
    response = client_for(desk).post(reverse("desk:permits:power_new", args=[tenant_a.pk]), form_data(unit_a))
    permit = TemporaryPower.objects.get()
    assert response["Location"] == detail(permit)
    assert permit.tenant == tenant_a and permit.applicant == desk


def test_engineering_runs_the_permit_from_its_detail_page(client_for, engineer, make_power):
    permit = make_power("submitted")
    client = client_for(engineer)
    assert client.post(detail(permit), {"action": "approve"}).status_code == 302
    page = client.get(detail(permit))
    assert "inspect_form" in page.context
    # Not every item ticked: the error beside the checklist, still approved.
    response = client.post(detail(permit), {"action": "inspect", "checklist": ALL_TICKED[:2]})
    assert response.status_code == 400 and "checklist" in response.context["inspect_form"].errors
    client.post(detail(permit), {"action": "inspect", "checklist": ALL_TICKED, "note": "合格"})
    client.post(detail(permit), {"action": "switch_on", "meter_start": "2000.5"})
    permit.refresh_from_db()
    assert permit.status == S.SWITCHED_ON and permit.meter_start == Decimal("2000.5")
    response = client.post(detail(permit), {"action": "switch_off", "meter_end": "1999"})
    assert response.status_code == 400
    assert "2000.5" in response.context["switch_off_form"].errors["meter_end"][0]
    client.post(detail(permit), {"action": "switch_off", "meter_end": "2010.5"})
    permit.refresh_from_db()
    assert permit.status == S.SWITCHED_OFF and permit.fee == Decimal("12.00")
    client.post(detail(permit), {"action": "close"})
    permit.refresh_from_db()
    assert permit.status == S.CLOSED


def test_switching_on_without_a_meter(client_for, engineer, make_power):
    permit = make_power("inspected")
    client_for(engineer).post(detail(permit), {"action": "switch_on", "no_meter": "on"})
    permit.refresh_from_db()
    assert permit.status == S.SWITCHED_ON and not permit.has_meter


def test_a_returned_application_is_corrected_in_the_portal(client_for, tenant_a_admin, make_power, unit_a):
    permit = make_power("returned")
    url = reverse("portal:permits:power_correct", args=[permit.pk])
    client = client_for(tenant_a_admin)
    assert client.get(url).status_code == 200
    client.post(url, form_data(unit_a, load_kw=Decimal("4.0")))
    permit.refresh_from_db()
    assert permit.status == S.SUBMITTED and permit.load_kw == Decimal("4.0")


def test_the_tenant_withdraws_before_switch_on(client_for, tenant_a_admin, make_power):
    permit = make_power("approved")
    url = reverse("portal:permits:power_detail", args=[permit.pk])
    client_for(tenant_a_admin).post(url, {"action": "withdraw"})
    permit.refresh_from_db()
    assert permit.status == S.WITHDRAWN


def test_the_register_filters_by_state_building_and_overdue(client_for, desk, make_power):
    on = make_power("switched_on")
    waiting = make_power("submitted")
    past = timezone.now() - dt.timedelta(minutes=5)
    TemporaryPower.objects.filter(pk=on.pk).update(starts_at=past - dt.timedelta(hours=8), ends_at=past)
    client = client_for(desk)
    url = reverse("desk:permits:power_list")
    assert {p.pk for p in client.get(url + "?overdue=true").context["object_list"]} == {on.pk}
    assert {p.pk for p in client.get(url + "?status=submitted").context["object_list"]} == {waiting.pk}
    building = on.unit.floor.building_id
    assert len(client.get(url + f"?building={building}").context["object_list"]) == 2
    export = client.get(url + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_the_guard_scanning_the_paper_sees_period_load_and_state(client_for, guard, make_power):
    permit = make_power("switched_on")
    page = client_for(guard).get(permit.document.verify_path).content.decode()
    assert "8.0" in page and f"{timezone.localtime(permit.starts_at):%Y-%m-%d %H:%M}" in page
    assert str(S.SWITCHED_ON.label) in page or "已送电" in page


def test_anyone_scanning_sees_the_period_and_load_but_not_the_phone(client, make_power):
    permit = make_power("approved")
    page = client.get(permit.document.verify_path).content.decode()
    assert "8.0" in page and "13877110001" not in page


def test_the_permit_pdf_prints_every_character_of_its_data(make_power):
    from io import BytesIO

    from pypdf import PdfReader

    from jinyuan.documents.services import document_render

    doc = make_power("approved").document
    document_render(document=doc)  # on commit in production
    doc.refresh_from_db()
    with doc.pdf.open("rb") as handle:
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(handle.read())).pages)
    compact = "".join(text.split())
    for wanted in (doc.number, doc.data["company"], doc.data["purpose"], doc.data["electrician"], "三相", "配电箱"):
        assert "".join(wanted.split()) in compact, wanted


def test_the_register_finds_a_permit_by_its_unit_number_in_any_case(client_for, desk, make_power):
    permit = make_power("submitted")
    url = reverse("desk:permits:power_list")
    number = permit.unit.number
    for typed in (number, number.lower()):
        found = {p.pk for p in client_for(desk).get(url, {"q": typed}).context["object_list"]}
        assert permit.pk in found, typed
