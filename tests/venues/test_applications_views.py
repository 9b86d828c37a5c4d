"""The applications' pages as people use them: applying in the portal (a clear message beside
the field, nothing lost), the desk applying for a customer, the approvals from the detail page,
the checks and the closing on the phone page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import Bill, DepositEntry
from tests.billing.payer_helpers import make_customer
from tests.venues.application_data import ID_NUMBER, ahead, apply, approved, make_space, pay_bill
from venues.models import VenueApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def lobby(building):
    return make_space(building)


def form_data(space, day, **over):
    data = {
        "kind": "event",
        "title": "新品发布会",
        "purpose": "发布新品",
        "plan": "上午发布",
        "spaces": [space.pk],
        "start_day": day.isoformat(),
        "start_time": "10:00",
        "end_day": day.isoformat(),
        "end_time": "12:00",
        "setup_minutes": "60",
        "teardown_minutes": "30",
        "poster_quantity": "10",
        "poster_days": "1",
        "organiser": "广西甲方科技有限公司",
        "person_in_charge": "王建国",
        "person_id_number": ID_NUMBER,
        "contact_phone": "13877110001",
        "expected_attendance": "60",
        "safety_measures": "安保 4 人",
        "emergency_plan": "疏散预案",
    }
    data.update(over)
    return data


def test_a_tenant_applies_in_the_portal(client_for, lobby, tenant_a_admin):
    client = client_for(tenant_a_admin)
    assert client.get(reverse("portal:venues:application_new")).status_code == 200
    response = client.post(reverse("portal:venues:application_new"), form_data(lobby, ahead(5)))
    app = VenueApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:venues:application_detail", args=[app.pk]
    )
    assert app.fee == Decimal("1050.00") and app.deposit == Decimal("2000.00")
    page = client.get(response["Location"]).content.decode()
    assert app.number in page and "一楼大堂" in page


def test_an_overlap_is_named_beside_the_spaces_and_nothing_is_lost(
    client_for, lobby, tenant_a, tenant_a_admin, tenant_b_admin
):
    day = ahead(5)
    apply(tenant_a_admin, [lobby], tenant=tenant_a, day=day)
    response = client_for(tenant_b_admin).post(
        reverse("portal:venues:application_new"),
        form_data(lobby, day, title="乙方路演", start_time="12:30", end_time="14:00"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "一楼大堂" in form.errors["spaces"][0] and "09:00" in form.errors["spaces"][0]
    assert 'value="乙方路演"' in response.content.decode()  # what was typed stays
    assert VenueApplication.objects.count() == 1


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"start_day": "2020-01-01", "end_day": "2020-01-01"}, "start_day"),
        ({"end_time": "09:00"}, "end_day"),
        ({"poster_days": "16"}, "poster_days"),
        ({"banner_quantity": "-2"}, "banner_quantity"),
        ({"person_id_number": "450103198807150012"}, "person_id_number"),
        ({"emergency_plan": ""}, "emergency_plan"),
        ({"spaces": []}, "spaces"),
    ],
)
def test_bad_input_is_an_error_beside_its_field(client_for, lobby, tenant_a_admin, over, field):
    response = client_for(tenant_a_admin).post(
        reverse("portal:venues:application_new"), form_data(lobby, ahead(5), **over)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not VenueApplication.objects.exists()


def test_the_desk_applies_for_a_customer(client_for, lobby, desk):
    customer = make_customer(desk)
    url = reverse("desk:venues:application_new_customer", args=[customer.pk])
    response = client_for(desk).post(url, form_data(lobby, ahead(6), kind="public_space"))
    app = VenueApplication.objects.get()
    assert response.status_code == 302 and app.customer_id == customer.pk and app.tenant_id is None
    listing = client_for(desk).get(reverse("desk:venues:application_list"), {"payer_name": customer.name[:4]})
    assert reverse("desk:venues:application_new_customer", args=[customer.pk]) in listing.content.decode()


def test_approvals_from_the_detail_page(client_for, lobby, tenant_a, tenant_a_admin, guard, supervisor):
    app = apply(tenant_a_admin, [lobby], tenant=tenant_a)
    url = reverse("desk:venues:application_detail", args=[app.pk])
    assert "security_approve" in client_for(guard).get(url).content.decode()
    client_for(guard).post(url, {"action": "security_approve"})
    response = client_for(supervisor).post(url, {"action": "approve"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "approved" and app.document_id
    page = client_for(supervisor).get(url).content.decode()
    assert app.document.number in page and Bill.objects.get().number in page


def test_a_refusal_needs_a_reason(client_for, lobby, tenant_a, tenant_a_admin, supervisor):
    app = apply(tenant_a_admin, [lobby], tenant=tenant_a, kind="public_space")
    url = reverse("desk:venues:application_detail", args=[app.pk])
    assert client_for(supervisor).post(url, {"action": "reject", "note": ""}).status_code == 400
    app.refresh_from_db()
    assert app.status == "submitted"


def test_checks_and_closing_on_the_phone_page(
    client_for, lobby, tenant_a, tenant_a_admin, desk, guard, supervisor, time_machine
):
    app = approved(apply(tenant_a_admin, [lobby], tenant=tenant_a, day=ahead(2)), guard, supervisor)
    pay_bill(app, desk)
    url = reverse("desk:venues:application_site", args=[app.pk])
    time_machine.move_to(app.use_start + dt.timedelta(minutes=10))
    client = client_for(guard)
    assert client.post(url, {"step": "check", "in_order": "0", "note": ""}).status_code == 400  # says what
    assert client.post(url, {"step": "check", "in_order": "1", "note": "正常"}).status_code == 302
    time_machine.move_to(app.use_end + dt.timedelta(minutes=10))
    client = client_for(guard)  # a new sign-in: the clock jumped past the idle sign-out
    response = client.post(url, {"step": "close", "damage": "300", "note": "墙面划伤"}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    app.refresh_from_db()
    assert app.status == "closed" and app.damage == Decimal("300.00")
    kept = DepositEntry.objects.get(source_key=f"venueapp:{app.pk}", kind="deducted")
    assert kept.amount == Decimal("300.00")


def test_the_register_filters_and_exports(client_for, lobby, tenant_a, tenant_a_admin, desk):
    customer = make_customer(desk)
    mine = apply(tenant_a_admin, [lobby], tenant=tenant_a, kind="public_space", day=ahead(4))
    theirs = apply(desk, [lobby], customer=customer, day=ahead(5))
    url = reverse("desk:venues:application_list")
    client = client_for(desk)

    def numbers(**query):
        return {a.number for a in client.get(url, query).context["object_list"]}

    assert numbers() == {mine.number, theirs.number}
    assert numbers(payer="customer") == {theirs.number}
    assert numbers(kind="public_space") == {mine.number}
    assert numbers(day=ahead(5).isoformat()) == {theirs.number}
    assert numbers(q=mine.number) == {mine.number}
    assert numbers(day="junk", payer="x", status="nope") >= set()
    export = client.get(url, {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
