"""Supervision in one walk (issue 17), as the people do it on one day:

1. A guard patrols on a phone (巡视): today's task, each point's label scanned (its QR opens the
   point's page), one point abnormal (the note missing first: an error beside it; then a note
   and a photo), the finding turned into a repair ticket in one tap.
2. The supervisor opens the day's building management log (大厦管理日志), finds the patrol's
   finding in it, writes the remarks (one too long first: an error beside the field, the text
   kept), notes an open item and signs.
3. The supervisor reads the dashboard: its charts draw under the CSP (no inline script, no
   console error), the patrols' completion is among its figures, a figure's link leads to its
   register, and a month's report is drawn up on demand and listed with its PDF.

Every page passes axe."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from frontdesk import patrol_services
from frontdesk.models import ActionItem, ManagementLog, MonthlyReport, PatrolCheck, PatrolTask
from repairs.models import RepairTicket
from tests import factories
from tests.frontdesk import dashboard_data
from tests.frontdesk.patrol_data import facility_category, make_plan, make_points, make_route, points_of

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"
ABNORMAL_POINT = 1  # the second point: its lighting is out


def todays_task(building, guard) -> PatrolTask:
    """A route of three points and a plan whose window runs now (an hour either side, within
    today), its task made by the scheduler."""
    now = timezone.localtime()
    start = max(now - dt.timedelta(hours=1), now.replace(hour=0, minute=0, second=0, microsecond=0))
    end = min(now + dt.timedelta(hours=1), now.replace(hour=23, minute=59, second=0, microsecond=0))
    facility_category()
    route = make_route(make_points(building, ("一楼大堂", "B1消防通道", "屋面水箱")))
    make_plan(
        route,
        guard,
        windows=((start.hour, start.minute, end.hour, end.minute),),
        starts_on=now.date(),
        days="every_day",
    )
    (task,) = patrol_services.tasks_create_for_day(now.date())
    return task


def guard_patrol(new_page, guard, password: str, task: PatrolTask) -> RepairTicket:
    """The guard's walk on a phone, from the login to the repair ticket of the one finding."""
    phone = new_page(phone=True)
    login(phone, guard.username, password)
    phone.goto("/desk/frontdesk/patrols/mine/")
    with phone.expect_navigation():
        phone.locator(f"a[href='/desk/frontdesk/patrols/tasks/{task.pk}/']").click()
    phone.axe.check(phone)
    for i, point in enumerate(points_of(task)):
        phone.goto(f"/desk/frontdesk/patrols/p/{point.code}/")  # what the label's QR opens
        assert phone.locator("h1").inner_text() == point.name
        if i == ABNORMAL_POINT:
            phone.locator("label[for=id_item_1_1]").click()  # 照明正常: abnormal
            submit(phone, "form.check-form button")
            assert phone.locator("textarea[name=note].is-invalid").count() == 1
            assert phone.locator("#id_item_1_1").is_checked()  # the choice is kept
            phone.fill("textarea[name=note]", "消防通道两盏灯不亮")
            phone.set_input_files(
                "input[name=photo]", {"name": "灯.jpg", "mimeType": "image/jpeg", "buffer": factories.tiny_image()}
            )
        submit(phone, "form.check-form button")
        phone.wait_for_url(re.compile(rf"/desk/frontdesk/patrols/tasks/{task.pk}/$"))
    assert phone.locator(".stop-abnormal").count() == 1 and phone.locator(".stop-normal").count() == 2
    submit(phone, ".ticket-form button")
    ticket = RepairTicket.objects.get()
    assert phone.locator(f"text={ticket.number}").count() >= 1
    return ticket


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


def supervisor_reads_the_dashboard(page) -> None:
    """As the supervisor logged in on ``page``: the charts draw, the patrols' completion shows,
    a figure leads to its register, a month's report is drawn up on demand."""
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto("/desk/frontdesk/dashboard/")
    page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length >= 3")
    assert not errors, errors
    assert page.locator("tr[data-figure=patrol_completion]").count() == 1
    page.locator("tr[data-figure=overdue_bills] th a").click()
    page.wait_for_url("**/desk/billing/bills/?overdue=true")
    page.goto("/desk/frontdesk/dashboard/reports/")
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    page.fill("input[name=month]", month)
    submit(page, "main form button[type=submit]")
    assert MonthlyReport.objects.get().month.strftime("%Y-%m") == month
    assert page.locator("a[href$='/pdf/']").count() == 1


def test_a_guards_patrol_becomes_a_ticket_then_the_supervisor_signs_the_days_log_and_reads_the_dashboard(
    new_page, building, guard, supervisor, engineer, tenant_a, finance
):
    for person in (guard, supervisor):
        person.set_password(PASSWORD)
        person.save()
    task = todays_task(building, guard)
    ticket = guard_patrol(new_page, guard, PASSWORD, task)
    finding = PatrolCheck.objects.get(is_abnormal=True)
    task.refresh_from_db()
    assert task.status == "completed" and task.points_checked == 3
    assert finding.note == "消防通道两盏灯不亮" and finding.repair == ticket
    assert ticket.source_id == finding.pk and "照明正常" in ticket.description

    page = new_page()
    today = timezone.localdate()
    log = supervisor_signs_the_log(page, supervisor, PASSWORD, today, owner=engineer)
    assert ActionItem.objects.get().record == log
    # The patrol's finding and its ticket are in the signed day's log.
    signed = page.locator("main").inner_text()
    assert ticket.number in signed, signed[:2000]

    dashboard_data.add_bills(tenant_a, finance)
    supervisor_reads_the_dashboard(page)
