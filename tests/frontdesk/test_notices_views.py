"""The announcement pages as the desk and the tenants use them: the draft form's field errors
(nothing typed is lost), approval from the detail, the portal's order and read receipts, the
unread list with phones and calls, the desk home's panel and the portal home's alert."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from frontdesk.models import Announcement, AnnouncementCall, AnnouncementReceipt
from tests.frontdesk.notice_data import published

pytestmark = pytest.mark.django_db

NEW = "desk:frontdesk:announcement_new"


def form_data(**over):
    now = timezone.localtime()
    data = {
        "title": "周六停电通知",
        "text": "配电房检修，周六 9:00–11:00 停电。",
        "category": "power_outage",
        "urgent": "on",
        "audience": "all",
        "publish_at": (now - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "expires_at": (now + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(over)
    return data


def test_an_expiry_before_the_publish_time_is_shown_beside_the_field(client_for, desk):
    data = form_data(expires_at=form_data()["publish_at"])
    response = client_for(desk).post(reverse(NEW), data)
    assert response.status_code == 200
    assert response.context["form"].errors["expires_at"] == ["到期时间必须晚于发布时间。"]  # Chinese first
    page = response.content.decode()
    assert "周六停电通知" in page and "配电房检修" in page  # nothing typed is lost
    assert not Announcement.objects.exists()


def test_unknown_chosen_tenant_is_a_field_error(client_for, desk, tenant_a):
    response = client_for(desk).post(reverse(NEW), form_data(audience="tenants", tenant_lines="1201\n不存在的公司"))
    assert response.status_code == 200
    assert "不存在的公司" in " ".join(response.context["form"].errors["tenant_lines"])


def test_chosen_tenants_by_unit_number(client_for, desk, tenant_a, tenant_b):
    response = client_for(desk).post(reverse(NEW), form_data(audience="tenants", tenant_lines="1502"))
    obj = Announcement.objects.get()
    assert response.status_code == 302
    assert list(obj.tenants.all()) == [tenant_b]


def test_a_bad_date_is_a_field_error_not_a_500(client_for, desk):
    response = client_for(desk).post(reverse(NEW), form_data(publish_at="明天"))
    assert response.status_code == 200
    assert "publish_at" in response.context["form"].errors


def test_outages_are_urgent_by_default(client_for, desk):
    form = client_for(desk).get(reverse(NEW) + "?category=water_outage").context["form"]
    assert form["urgent"].value() is True
    form = client_for(desk).get(reverse(NEW) + "?category=general").context["form"]
    assert not form["urgent"].value()


def test_supervisor_approves_from_the_detail_and_it_is_published(client_for, desk, supervisor, tenant_a):
    client_for(desk).post(reverse(NEW), form_data())
    obj = Announcement.objects.get()
    url = reverse("desk:frontdesk:announcement_detail", args=[obj.pk])
    assert "approve" not in [a.name for a in client_for(desk).get(url).context["actions"]]
    page = client_for(supervisor).get(url)
    assert f'name="seen" value="{obj.updated_at.isoformat()}"' in page.content.decode()
    response = client_for(supervisor).post(url, {"action": "approve", "seen": page.context["seen_version"]})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.status == Announcement.Status.PUBLISHED
    assert obj.addressed_count == 1


@pytest.mark.parametrize("seen", ["edited", "", "不是时间"], ids=["edited-since", "missing", "junk"])
def test_a_draft_edited_after_the_supervisor_opened_it_is_not_approved(client_for, desk, supervisor, tenant_a, seen):
    """The desk changes the text while the supervisor reads the old one: the approval is
    refused with a message and nothing is published; a missing or junk version is no 500."""
    from jinyuan.workflow.models import AuditEvent

    client_for(desk).post(reverse(NEW), form_data())
    obj = Announcement.objects.get()
    url = reverse("desk:frontdesk:announcement_detail", args=[obj.pk])
    read = client_for(supervisor).get(url).context["seen_version"]
    edit = reverse("desk:frontdesk:announcement_edit", args=[obj.pk])
    assert client_for(desk).post(edit, form_data(text="改为周日停电。")).status_code == 302
    events = AuditEvent.objects.count()
    supervisor_client = client_for(supervisor)
    shown = supervisor_client.post(url, {"action": "approve", "seen": read if seen == "edited" else seen}, follow=True)
    assert shown.redirect_chain == [(url, 302)]
    assert "您打开后草稿已被修改：请重新阅读后再批准。" in shown.content.decode()
    assert "改为周日停电。" in shown.content.decode()  # the page now shows the edited text
    obj.refresh_from_db()
    assert obj.status == Announcement.Status.DRAFT and AuditEvent.objects.count() == events
    # Read again: the supervisor approves what they now see.
    again = supervisor_client.post(url, {"action": "approve", "seen": shown.context["seen_version"]})
    assert again.status_code == 302
    obj.refresh_from_db()
    assert obj.status == Announcement.Status.PUBLISHED and obj.text == "改为周日停电。"


def test_portal_shows_urgent_ones_on_top_and_opening_records_the_receipt(
    client_for, desk, supervisor, tenant_a, tenant_a_admin
):
    plain = published(desk, supervisor, title="电梯保养", urgent=False, category="elevator")
    urgent = published(desk, supervisor, title="停水", publish_at=plain.publish_at - dt.timedelta(hours=1))
    client = client_for(tenant_a_admin)
    receipts = client.get(reverse("portal:frontdesk:announcement_list")).context["receipts"]
    assert [r.announcement_id for r in receipts] == [urgent.pk, plain.pk]
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:frontdesk:announcement_list") in home
    response = client.get(reverse("portal:frontdesk:announcement_detail", args=[urgent.pk]))
    assert response.status_code == 200 and "停水" in response.content.decode()
    receipt = AnnouncementReceipt.objects.get(announcement=urgent, tenant=tenant_a)
    assert receipt.first_reader == tenant_a_admin


def test_a_company_not_addressed_gets_404(client_for, desk, supervisor, tenant_a, tenant_b, tenant_b_admin):
    obj = published(desk, supervisor, audience="tenants", tenants=[tenant_a])
    response = client_for(tenant_b_admin).get(reverse("portal:frontdesk:announcement_detail", args=[obj.pk]))
    assert response.status_code == 404
    assert not client_for(tenant_b_admin).get(reverse("portal:frontdesk:announcement_list")).context["receipts"]


def test_the_unread_list_shows_who_has_not_read_with_the_phone_and_records_a_call(
    client_for, desk, supervisor, tenant_a, tenant_b, tenant_a_admin
):
    obj = published(desk, supervisor)
    client_for(tenant_a_admin).get(reverse("portal:frontdesk:announcement_detail", args=[obj.pk]))
    url = reverse("desk:frontdesk:announcement_unread", args=[obj.pk])
    page = client_for(desk).get(url).content.decode()
    assert tenant_b.name in page and "13977120002" in page
    assert tenant_a.name not in page
    receipt = AnnouncementReceipt.objects.get(announcement=obj, tenant=tenant_b)
    response = client_for(desk).post(url, {"receipt": receipt.pk, "result": "reached", "note": "已告知前台"})
    assert response.status_code == 302
    call = AnnouncementCall.objects.get()
    assert (call.receipt, call.result, call.called_by) == (receipt, "reached", desk)
    detail = client_for(desk).get(reverse("desk:frontdesk:announcement_detail", args=[obj.pk]))
    assert "announcement.called" in [e.action for e in detail.context["events"]]


def test_a_call_about_another_announcements_company_is_404(client_for, desk, supervisor, tenant_a, tenant_b):
    one = published(desk, supervisor)
    two = published(desk, supervisor, title="另一条")
    receipt = AnnouncementReceipt.objects.get(announcement=two, tenant=tenant_b)
    url = reverse("desk:frontdesk:announcement_unread", args=[one.pk])
    assert client_for(desk).post(url, {"receipt": receipt.pk, "result": "reached"}).status_code == 404
    assert not AnnouncementCall.objects.exists()


def test_desk_home_shows_urgent_announcements_with_unread_companies(client_for, desk, supervisor, tenant_a):
    published(desk, supervisor)
    page = client_for(desk).get(reverse("desk:home")).content.decode()
    assert reverse("desk:frontdesk:announcement_list") + "?urgent=1&amp;status=published" in page


def test_records_linked_by_another_section_show_on_the_detail(client_for, desk, supervisor, tenant_a, monkeypatch):
    from frontdesk import notice_selectors

    obj = published(desk, supervisor)
    monkeypatch.setattr(notice_selectors, "_linked", [])
    notice_selectors.register_linked(lambda a: [(f"应急事件 · {a.title}", "/desk/somewhere/")])
    page = client_for(desk).get(reverse("desk:frontdesk:announcement_detail", args=[obj.pk])).content.decode()
    assert f"应急事件 · {obj.title}" in page and 'href="/desk/somewhere/"' in page
