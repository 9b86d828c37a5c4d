"""The emergency pages: record one (errors beside the fields, nothing lost), one repair ticket
on a double submit, link a record by number, add a follow-up item with a past due time."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from frontdesk.models import Emergency
from repairs.models import RepairTicket
from tests.frontdesk.liaison_data import make_emergency, water_category

pytestmark = pytest.mark.django_db


def _local(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def form_data(building, desk, **over) -> dict:
    return {
        "kind": "water_leak",
        "occurred_at": _local(timezone.now() - dt.timedelta(minutes=20)),
        "building": building.pk,
        "place": "12楼东侧",
        "description": "天花板漏水",
        "responders": [desk.pk],
        "outside_help": "",
        "actions": "放置接水桶",
        "units": "",
        **over,
    }


def test_the_desk_records_an_emergency_with_the_tenants_affected(client_for, building, desk, tenant_a, unit_a):
    response = client_for(desk).post(reverse("desk:frontdesk:emergency_new"), form_data(building, desk, units="1201"))
    e = Emergency.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "desk:frontdesk:emergency_detail", args=[e.pk]
    )
    assert list(e.tenants.all()) == [tenant_a]
    page = client_for(desk).get(response["Location"]).content.decode()
    assert e.number in page and "天花板漏水" in page and tenant_a.name in page


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"description": ""}, "This field is required."),
        ({"units": "9999"}, "No company occupies these units: 9999"),
        ({"occurred_at": _local(timezone.now() + dt.timedelta(days=1))}, "The time is in the future."),
        ({"description": "很" * 2001}, "at most 2000 characters"),
    ],
)
def test_bad_input_is_shown_beside_the_field(client_for, building, desk, tenant_a, over, message):
    response = client_for(desk, HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("desk:frontdesk:emergency_new"), form_data(building, desk, **over)
    )
    assert response.status_code == 200  # the form again
    page = response.content.decode()
    assert message in page and "12楼东侧" in page
    assert not Emergency.objects.exists()


def test_a_double_submit_makes_one_ticket(client_for, building, desk):
    e = make_emergency(building, desk)
    url = reverse("desk:frontdesk:emergency_ticket", args=[e.pk])
    client = client_for(desk)
    data = {"ticket-category": water_category().pk}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    ticket = RepairTicket.objects.get()
    page = client.get(reverse("desk:frontdesk:emergency_detail", args=[e.pk])).content.decode()
    assert ticket.number in page and reverse("desk:repairs:ticket_detail", args=[ticket.pk]) in page


def test_linking_an_unknown_number_shows_the_error_on_the_page(client_for, building, desk):
    e = make_emergency(building, desk)
    url = reverse("desk:frontdesk:emergency_link", args=[e.pk])
    response = client_for(desk, HTTP_ACCEPT_LANGUAGE="en").post(
        url, {"link-kind": "repair", "link-number": "BX-2020-00001"}
    )
    assert response.status_code == 400
    assert "No record with this number." in response.content.decode()


def test_a_follow_up_item_due_in_the_past_is_refused_beside_the_field(client_for, building, desk, engineer):
    e = make_emergency(building, desk)
    url = reverse("desk:frontdesk:emergency_item", args=[e.pk])
    data = {"item-text": "复查", "item-owner": engineer.pk, "item-due_at": "2020-01-01T09:00"}
    response = client_for(desk, HTTP_ACCEPT_LANGUAGE="en").post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The due time must be in the future." in page and "复查" in page


def test_the_supervisor_closes_from_the_page(client_for, building, desk, supervisor):
    e = make_emergency(building, desk)
    url = reverse("desk:frontdesk:emergency_detail", args=[e.pk])
    client_for(supervisor).post(url, {"action": "close", "note": "处理完毕"})
    e.refresh_from_db()
    assert e.status == "closed" and e.summary == "处理完毕"


def test_open_emergencies_show_on_the_desk_home(client_for, building, desk, guard):
    make_emergency(building, desk)
    page = client_for(guard).get(reverse("desk:home")).content.decode()
    assert reverse("desk:frontdesk:emergency_list") in page
