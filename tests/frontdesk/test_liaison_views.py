"""The liaison pages as the desk and the portal use them: a visit with its needs in one form
(errors beside the fields, nothing typed lost), the tenant page's visit history, the portal's
own visits without staff-only data, the worklist closing an item."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from frontdesk.models import ActionItem, Visit
from tests.frontdesk.liaison_data import make_emergency, make_item, make_visit, need

pytestmark = pytest.mark.django_db


def _local(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def visit_post(desk, engineer, **over) -> dict:
    data = {
        "visited_at": _local(timezone.now() - dt.timedelta(hours=1)),
        "staff": [desk.pk],
        "channel": "on_site",
        "met_name": "王建国",
        "met_title": "行政经理",
        "topics": "空调温度偏高",
        "impression": "satisfied",
        "needs-TOTAL_FORMS": "3",
        "needs-INITIAL_FORMS": "0",
        "needs-MIN_NUM_FORMS": "0",
        "needs-MAX_NUM_FORMS": "10",
        "needs-0-text": "检查12楼空调",
        "needs-0-owner": engineer.pk,
        "needs-0-due_at": _local(timezone.now() + dt.timedelta(days=2)),
        **over,
    }
    return data


def test_the_desk_records_a_visit_with_a_need(client_for, desk, engineer, tenant_a):
    url = reverse("desk:frontdesk:visit_new", args=[tenant_a.pk])
    response = client_for(desk).post(url, visit_post(desk, engineer))
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "desk:frontdesk:visit_detail", args=[visit.pk]
    )
    item = ActionItem.objects.get()
    assert item.owner == engineer and item.tenant == tenant_a and item.record == visit
    page = client_for(desk).get(response["Location"]).content.decode()
    assert "检查12楼空调" in page and "王建国" in page


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"met_name": ""}, "met_name", "This field is required."),
        ({"topics": "很" * 2001}, "topics", "Ensure this value has at most 2000 characters"),
        ({"needs-0-due_at": "2020-01-01T09:00"}, "needs-0-due_at", "The due time must be in the future."),
        ({"needs-0-owner": ""}, "needs-0-owner", "Needed for this need."),
        ({"needs-0-text": "很" * 301}, "needs-0-text", "at most 300 characters"),
    ],
)
def test_bad_input_shows_beside_the_field_and_keeps_what_was_typed(
    client_for, desk, engineer, tenant_a, over, field, message
):
    url = reverse("desk:frontdesk:visit_new", args=[tenant_a.pk])
    response = client_for(desk, HTTP_ACCEPT_LANGUAGE="en").post(url, visit_post(desk, engineer, **over))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'id="error_1_id_{field}"' in page or f"id_{field}" in page
    assert "行政经理" in page  # nothing typed is lost
    assert not Visit.objects.exists() and not ActionItem.objects.exists()


def test_an_owner_who_is_not_staff_is_not_a_choice(client_for, desk, tenant_a, tenant_a_admin):
    url = reverse("desk:frontdesk:visit_new", args=[tenant_a.pk])
    response = client_for(desk, HTTP_ACCEPT_LANGUAGE="en").post(url, visit_post(desk, tenant_a_admin))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Visit.objects.exists()


def test_the_tenant_page_shows_the_visit_history(client_for, desk, tenant_a):
    visit = make_visit(tenant_a, desk, topics="续租意向")
    page = client_for(desk).get(reverse("desk:tenants:tenant_detail", args=[tenant_a.pk])).content.decode()
    assert reverse("desk:frontdesk:visit_detail", args=[visit.pk]) in page
    assert "续租意向" in page
    assert reverse("desk:frontdesk:visit_new", args=[tenant_a.pk]) in page


def test_the_portal_shows_the_companys_visits_and_needs_but_not_whom_staff_met(
    client_for, desk, engineer, tenant_a, tenant_a_admin, tenant_b_admin
):
    visit = make_visit(tenant_a, desk, needs=[need(engineer, "更换门禁卡")], met_name="赵秘书")
    client = client_for(tenant_a_admin)
    listing = client.get(reverse("portal:frontdesk:visit_list")).content.decode()
    assert reverse("portal:frontdesk:visit_detail", args=[visit.pk]) in listing
    page = client.get(reverse("portal:frontdesk:visit_detail", args=[visit.pk])).content.decode()
    assert "更换门禁卡" in page and "赵秘书" not in page and "engineer" not in page
    other = client_for(tenant_b_admin)
    assert other.get(reverse("portal:frontdesk:visit_detail", args=[visit.pk])).status_code == 404
    assert "空调" not in other.get(reverse("portal:frontdesk:visit_list")).content.decode()


def test_a_voided_visit_is_not_in_the_portal(client_for, desk, tenant_a, tenant_a_admin):
    from frontdesk import liaison_services

    visit = make_visit(tenant_a, desk)
    liaison_services.visit_void(obj=visit, by=desk, note="录错")
    assert client_for(tenant_a_admin).get(reverse("portal:frontdesk:visit_detail", args=[visit.pk])).status_code == 404


def test_the_owner_closes_an_item_from_the_worklist(client_for, building, desk, engineer):
    item = make_item(make_emergency(building, desk), desk, engineer)
    client = client_for(engineer)
    mine = reverse("desk:frontdesk:action_items")
    assert "复查漏水点" in client.get(mine).content.decode()
    url = reverse("desk:frontdesk:action_item_close", args=[item.pk])
    response = client.post(url, {"action": "complete", "note": "已复查", "next": mine})
    assert response.status_code == 302 and response["Location"] == mine
    item.refresh_from_db()
    assert item.status == "done" and item.outcome == "已复查"
    assert "复查漏水点" not in client.get(mine).content.decode()  # open ones by default


def test_closing_without_a_note_keeps_the_item_open(client_for, building, desk, engineer):
    item = make_item(make_emergency(building, desk), desk, engineer)
    url = reverse("desk:frontdesk:action_item_close", args=[item.pk])
    client_for(engineer).post(url, {"action": "complete", "note": ""})
    item.refresh_from_db()
    assert item.status == "open"


def test_the_plan_page_shows_the_figures(client_for, desk, tenant_a, tenant_b):
    from tests.frontdesk.liaison_data import make_plan

    plan = make_plan(desk)
    make_visit(tenant_a, desk, hours_ago=0)
    page = client_for(desk).get(reverse("desk:frontdesk:visit_plan_detail", args=[plan.pk])).content.decode()
    assert 'data-count="visited">1<' in page and 'data-count="due">1<' in page and 'data-count="total">2<' in page


def test_the_last_day_there_is_as_until_is_no_500(client_for, desk):
    response = client_for(desk).get(reverse("desk:frontdesk:visit_list") + "?until=9999-12-31&since=9999-12-31")
    assert response.status_code == 200
