"""The supervisor opens yesterday's building management log (opened by the scheduler, with the
day's emergency in it), writes the remarks (one too long first: an error beside the field, the
text kept), notes an open item, signs, and finds the signed log with its PDF; every page passes
axe. ``supervisor_signs_the_log`` is the walk's steps, for chaining after another walk."""

import datetime as dt

import pytest
from django.utils import timezone

from frontdesk import management_log_services
from frontdesk.models import ActionItem, ManagementLog
from tests.frontdesk.liaison_data import make_emergency

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


def supervisor_signs_the_log(page, supervisor, password: str, day: dt.date, *, owner=None) -> ManagementLog:
    """As ``supervisor`` (logged in on ``page`` here): open ``day``'s log, write the remarks,
    note an item for ``owner`` (when given), sign; returns the signed log."""
    login(page, supervisor.username, password)
    page.goto("/desk/frontdesk/management-log/")
    # A day whose log is open is in the register; today's may not be yet: the button leads there.
    page.locator(f"main a[href='/desk/frontdesk/management-log/{day.isoformat()}/']").first.click()
    page.wait_for_url(f"**/management-log/{day.isoformat()}/")
    # Too long (past the browser's maxlength, as an old browser would send it): an error beside it.
    page.evaluate("document.querySelector('textarea[name=remarks-building_remarks]').removeAttribute('maxlength')")
    page.fill("textarea[name=remarks-building_remarks]", "大" * 2001)
    page.fill("textarea[name=remarks-manager_opinion]", "雨季注意防水")
    submit(page, ".remarks-form button")
    assert page.locator("textarea[name=remarks-building_remarks].is-invalid").count() == 1
    assert page.locator("textarea[name=remarks-manager_opinion]").input_value() == "雨季注意防水"
    page.fill("textarea[name=remarks-building_remarks]", "大厦运行正常，消防通道畅通。")
    submit(page, ".remarks-form button")
    if owner is not None:
        page.fill("input[name=item-text]", "地下车库B2照明待更换")
        page.select_option("select[name=item-owner]", str(owner.pk))
        due = timezone.localtime() + dt.timedelta(days=2)
        page.fill("input[name=item-due_at]", due.strftime("%Y-%m-%dT%H:%M"))
        submit(page, "form[action$='/items/'] button")
        assert "地下车库B2照明待更换" in page.locator(".carried-item").first.inner_text()
    submit(page, ".sign-form button")
    log = ManagementLog.objects.get(date=day)
    assert log.status == ManagementLog.Status.SIGNED
    main = page.locator("main").inner_text()
    assert "大厦运行正常" in main and log.document.number in main
    return log


def test_the_supervisor_signs_yesterdays_log(new_page, building, desk, supervisor, engineer):
    supervisor.set_password(PASSWORD)
    supervisor.save()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    management_log_services.open_yesterday()
    emergency = make_emergency(building, desk)

    page = new_page()
    log = supervisor_signs_the_log(page, supervisor, PASSWORD, yesterday, owner=engineer)

    assert ActionItem.objects.get().record == log
    # Yesterday's log holds yesterday's events only: today's emergency is on today's draft.
    assert emergency.number not in page.locator("main").inner_text()
    page.goto(f"/desk/frontdesk/management-log/{timezone.localdate().isoformat()}/")
    assert emergency.number in page.locator("main").inner_text()
    assert "地下车库B2照明待更换" in page.locator("main").inner_text()  # carried forward to today
