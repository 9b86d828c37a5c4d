"""A guard's patrol on a phone (巡视): today's task, each point's label scanned (its QR opens the
point's page), one point abnormal (the note missing first: an error beside it; then a note and
a photo), the finding turned into a repair ticket in one tap. Every page passes axe.

``guard_patrol(new_page, ...)`` is the walk itself, for other walks to continue from (the
supervisor then signs the day's management log)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from frontdesk import patrol_services
from frontdesk.models import PatrolCheck, PatrolTask
from repairs.models import RepairTicket
from tests import factories
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


def test_a_guards_patrol_with_one_abnormal_point_turned_into_a_ticket(new_page, building, guard):
    guard.set_password(PASSWORD)
    guard.save()
    task = todays_task(building, guard)
    ticket = guard_patrol(new_page, guard, PASSWORD, task)
    finding = PatrolCheck.objects.get(is_abnormal=True)
    task.refresh_from_db()
    assert task.status == "completed" and task.points_checked == 3
    assert finding.note == "消防通道两盏灯不亮" and finding.repair == ticket
    assert ticket.source_id == finding.pk and "照明正常" in ticket.description
