"""The recyclables pages as people use them: a bad entry is a message beside its field with
what was typed kept; the desk schedules, weighs and settles from the detail page; another
company's request is a 404."""

import pytest
from django.urls import reverse

from frontdesk import recyclables
from frontdesk.models import RecycleRequest
from jinyuan.workflow.models import AuditEvent
from tests.frontdesk.recycle_data import carrier_id, make_recycler, make_request, set_prices

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tenant_a, tenant_a_admin, desk):
    set_prices()
    make_recycler()
    return {"tenant": tenant_a, "applicant": tenant_a_admin, "desk": desk}


def test_the_company_asks_for_a_pickup_in_the_portal(client_for, tenant_a_admin, unit_a, people):
    data = {
        "unit": unit_a.pk,
        "categories": ["paper", "plastic"],
        "estimated_kg": "45.5",
        "preferred_time": "2099-03-02T10:00",
        "settlement": "cash",
        "note": "纸箱",
    }
    response = client_for(tenant_a_admin).post(reverse("portal:frontdesk:recycle_new"), data)
    obj = RecycleRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:frontdesk:recycle_detail", args=[obj.pk])
    assert (obj.categories, obj.settlement, obj.unit_id) == (["paper", "plastic"], "cash", unit_a.pk)


def test_a_negative_weight_estimate_keeps_what_was_typed(client_for, tenant_a_admin, unit_a, people):
    data = {
        "unit": unit_a.pk,
        "categories": ["paper"],
        "estimated_kg": "-4",
        "preferred_time": "2099-03-02T10:00",
        "settlement": "credit",
        "note": "旧报纸一批",
    }
    response = client_for(tenant_a_admin).post(reverse("portal:frontdesk:recycle_new"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "estimated_kg" in form.errors
    assert "旧报纸一批" in response.content.decode()
    assert not RecycleRequest.objects.exists()


def test_an_empty_request_is_field_errors(client_for, tenant_a_admin, unit_a, people):
    response = client_for(tenant_a_admin).post(reverse("portal:frontdesk:recycle_new"), {"unit": unit_a.pk})
    assert response.status_code == 200
    assert {"categories", "estimated_kg", "preferred_time"} <= set(response.context["form"].errors)


def test_another_companys_request_is_a_404(client_for, tenant_b_admin, people):
    obj = make_request("settled", settlement="cash", **people)
    client = client_for(tenant_b_admin)
    assert client.get(reverse("portal:frontdesk:recycle_detail", args=[obj.pk])).status_code == 404
    assert client.get(reverse("portal:frontdesk:recycle_voucher", args=[obj.pk])).status_code == 404


def test_the_desk_weighs_with_a_bad_weight_and_keeps_the_rest(client_for, desk, people):
    obj = make_request("scheduled", **people)
    url = reverse("desk:frontdesk:recycle_collect", args=[obj.pk])
    data = {
        "weight_paper": "-2",
        "weight_metal": "12.50",
        "vehicle_plate": "桂A6P521",
        "carrier_name": "覃师傅",
        "carrier_id_number": carrier_id(),
    }
    response = client_for(desk).post(url, data)
    assert response.status_code == 400
    form = response.context["collect_form"]
    assert "weight_paper" in form.errors
    assert form["weight_metal"].value() == "12.50"
    obj.refresh_from_db()
    assert obj.status == RecycleRequest.Status.SCHEDULED


def test_the_desk_weighs_and_settles_from_the_page(client_for, desk, people):
    obj = make_request("scheduled", **people)
    client = client_for(desk)
    data = {
        "weight_paper": "30.00",
        "vehicle_plate": "桂A6P521",
        "carrier_name": "覃师傅",
        "carrier_id_number": carrier_id(),
        "price_paper": "9.99",  # ignored: the desk cannot change the price (the field is disabled)
    }
    response = client.post(reverse("desk:frontdesk:recycle_collect", args=[obj.pk]), data)
    assert response.status_code == 302
    obj.refresh_from_db()
    assert str(obj.total) == "36.00"
    page = client.get(reverse("desk:frontdesk:recycle_detail", args=[obj.pk])).content.decode()
    assert obj.release_note.document.number in page
    settle = reverse("desk:frontdesk:recycle_settle", args=[obj.pk])
    assert client.post(settle, {"settlement": "credit"}).status_code == 302
    assert client.post(settle, {"settlement": "credit"}).status_code == 302  # a second click: a notice
    obj.refresh_from_db()
    assert obj.status == RecycleRequest.Status.SETTLED
    assert obj.credit_note.amount == obj.total


def test_finance_voids_a_mistaken_credit_note_from_the_page(client_for, finance, people):
    obj = make_request("settled", **people)
    url = reverse("desk:frontdesk:recycle_void_credit", args=[obj.pk])
    assert client_for(finance).post(url, {"note": ""}).status_code == 400
    assert client_for(finance).post(url, {"note": "重量录错"}).status_code == 302
    voided = obj.credit_note
    voided.refresh_from_db()
    assert voided.status == "void"
    # Still owed: the request goes back to be settled again, and is, by a new credit note.
    obj.refresh_from_db()
    assert (obj.status, obj.credit_note) == (RecycleRequest.Status.COLLECTED, None)
    assert AuditEvent.objects.filter(object_id=obj.pk, action="recycle_request.credit_voided").count() == 1
    assert client_for(finance).post(url, {"note": "again"}).status_code in (302, 403)
    recyclables.recycle_settle(obj=obj, by=people["desk"], settlement="credit")
    obj.refresh_from_db()
    assert obj.status == RecycleRequest.Status.SETTLED and obj.credit_note.pk != voided.pk


def test_the_desk_home_counts_open_requests_and_material_to_approve(client_for, people, desk, supervisor):
    from jinyuan import navigation

    make_request("requested", **people)
    make_request("cancelled", **people)
    recycle_url = reverse("desk:frontdesk:recycle_list")
    counts = {p.url: p.count for p in navigation.panels_for(desk)}
    assert counts[recycle_url] == 1
    assert not any("distribution" in url for url in counts)  # the desk does not approve material
    assert any("distribution" in p.url for p in navigation.panels_for(supervisor))
    assert recycle_url in client_for(desk).get(reverse("desk:home")).content.decode()
