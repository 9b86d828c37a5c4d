"""An urgent announcement read by one company and not another: the desk drafts a water outage
notice, the supervisor approves it (due now: published at once), tenant A's user reads it on a
phone from the portal's home, tenant B does not; the desk's unread list shows tenant B, not A,
and the desk records its call to B."""

import datetime as dt

import pytest
from django.utils import timezone

from frontdesk.models import Announcement, AnnouncementCall, AnnouncementReceipt

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


@pytest.fixture
def people(desk, supervisor, tenant_a_admin, tenant_b_admin):
    for user in (desk, supervisor, tenant_a_admin, tenant_b_admin):
        user.set_password(PASSWORD)
        user.save()
    return desk, supervisor, tenant_a_admin


def test_an_urgent_announcement_read_by_one_company_and_called_to_the_other(new_page, people, tenant_a, tenant_b):
    desk, supervisor, tenant_admin = people
    now = timezone.localtime()

    # The desk drafts a water outage notice: urgent is ticked for it.
    clerk = new_page()
    login(clerk, desk.username, PASSWORD)
    clerk.goto("/desk/frontdesk/announcements/")
    submit(clerk, "a[href$='?category=water_outage']")
    assert clerk.locator("input[name=urgent]").is_checked()
    clerk.fill("input[name=title]", "周六上午停水通知")
    clerk.fill("textarea[name=text]", "二次供水设备检修，周六 8:00–12:00 全楼停水，请提前储水。")
    clerk.fill("input[name=publish_at]", (now - dt.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"))
    clerk.fill("input[name=expires_at]", (now + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"))
    submit(clerk, "main button[type=submit]")
    announcement = Announcement.objects.get()
    assert announcement.urgent and announcement.status == Announcement.Status.DRAFT

    # The supervisor approves it: its time has come, so it is published to both companies.
    boss = new_page()
    login(boss, supervisor.username, PASSWORD)
    boss.goto(f"/desk/frontdesk/announcements/{announcement.pk}/")
    submit(boss, "button[value=approve]")
    announcement.refresh_from_db()
    assert announcement.status == Announcement.Status.PUBLISHED
    assert announcement.addressed_count == 2

    # Tenant A's user sees the alert on the portal's home on a phone and reads it.
    phone = new_page(phone=True)
    login(phone, tenant_admin.username, PASSWORD)
    phone.goto("/portal/")
    submit(phone, "main a[href='/portal/announcements/'] >> nth=0")
    submit(phone, f"main a[href='/portal/announcements/{announcement.pk}/']")
    assert "二次供水设备检修" in phone.content()
    assert AnnouncementReceipt.objects.get(announcement=announcement, tenant=tenant_a).first_reader == tenant_admin

    # The desk's unread list: tenant B (with its phone), not tenant A; the desk calls B.
    clerk.goto(f"/desk/frontdesk/announcements/{announcement.pk}/")
    submit(clerk, f"a[href='/desk/frontdesk/announcements/{announcement.pk}/unread/']")
    rows = clerk.locator("table.unread-list tbody tr")
    assert rows.count() == 1
    assert tenant_b.name in rows.first.inner_text() and "13977120002" in rows.first.inner_text()
    assert tenant_a.name not in clerk.locator("table.unread-list").inner_text()
    rows.first.locator("input[value=not_reached]").check()
    rows.first.locator("input[name=note]").fill("无人接听，稍后再打")
    submit(clerk, rows.first.locator("button[type=submit]"))
    call = AnnouncementCall.objects.get()
    assert (call.receipt.tenant, call.result, call.called_by) == (tenant_b, "not_reached", desk)
    assert "未接通" in clerk.locator("table.unread-list").inner_text()
