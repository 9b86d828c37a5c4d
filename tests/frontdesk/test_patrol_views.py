"""Patrol pages (巡视): the guard's phone pages (my tasks, a task, the point a label opens), the
field errors, the one-tap ticket, the transfer, the registers and the label sheet."""

from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from frontdesk.models import PatrolCheck, PatrolTask
from repairs.models import RepairTicket
from tests import factories
from tests.frontdesk.patrol_data import at, facility_category, make_points, make_task, points_of, scan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_at_half_past_nine")]


@pytest.fixture
def _at_half_past_nine():
    with time_machine.travel(at(9, 30), tick=False):
        yield


@pytest.fixture
def task(building, guard):
    facility_category()
    return make_task(building, guard)


def scan_url(point, task=None) -> str:
    url = reverse("desk:frontdesk:patrol_point_scan", args=[point.code])
    return f"{url}?task={task.pk}" if task else url


ALL_NORMAL = {"item_0": "normal", "item_1": "normal", "note": ""}


def test_the_guard_finds_todays_task_and_opens_it(client_for, guard, task):
    page = client_for(guard).get(reverse("desk:frontdesk:patrol_mine"))
    assert page.status_code == 200 and task.route.name in page.content.decode()
    detail = client_for(guard).get(reverse("desk:frontdesk:patrol_task", args=[task.pk]))
    html = detail.content.decode()
    assert detail.status_code == 200 and all(p.name in html for p in points_of(task))
    assert detail.context["may_start"] and detail.context["may_scan"]


def test_starting_the_task_on_the_phone(client_for, guard, task):
    response = client_for(guard).post(reverse("desk:frontdesk:patrol_task_start", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "started"


def test_the_label_opens_the_points_checklist_of_the_guards_task(client_for, guard, task):
    point = points_of(task)[0]
    page = client_for(guard).get(scan_url(point))
    assert page.status_code == 200 and page.context["task"] == task and page.context["may_check"]
    html = page.content.decode()
    assert "消防通道畅通" in html and "照明正常" in html


def test_recording_a_normal_check_returns_to_the_task(client_for, guard, task):
    point = points_of(task)[0]
    response = client_for(guard).post(scan_url(point), {**ALL_NORMAL, "task": task.pk})
    assert response.status_code == 302 and response["Location"] == reverse("desk:frontdesk:patrol_task", args=[task.pk])
    check = PatrolCheck.objects.get()
    assert check.point == point and check.results == {"消防通道畅通": True, "照明正常": True}


def test_an_abnormal_item_without_a_note_is_shown_beside_the_note(client_for, guard, task):
    point = points_of(task)[0]
    response = client_for(guard).post(scan_url(point), {**ALL_NORMAL, "item_1": "abnormal", "task": task.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["note"] == ["请说明异常情况。"]
    assert not PatrolCheck.objects.exists()
    # What was chosen stays chosen.
    assert 'value="abnormal" checked' in response.content.decode()


def test_an_unmarked_item_is_shown_beside_the_item(client_for, guard, task):
    point = points_of(task)[0]
    response = client_for(guard).post(scan_url(point), {"item_0": "normal", "note": "", "task": task.pk})
    assert response.status_code == 400 and "item_1" in response.context["form"].errors
    assert not PatrolCheck.objects.exists()


def test_a_point_not_on_the_tasks_route_is_refused_on_its_page(client_for, guard, task, building):
    (elsewhere,) = make_points(building, ["地下车库"])
    page = client_for(guard).get(scan_url(elsewhere, task))
    assert page.status_code == 400 and not page.context["may_check"]
    html = page.content.decode()
    assert 'id="code_error"' in html and "地下车库" in html
    posted = client_for(guard).post(scan_url(elsewhere, task), {**ALL_NORMAL, "task": task.pk})
    assert posted.status_code == 400 and not PatrolCheck.objects.exists()


def test_a_typed_code_opens_the_point_and_a_wrong_one_is_an_error_beside_it(client_for, guard, task):
    point = points_of(task)[1]
    url = reverse("desk:frontdesk:patrol_code")
    found = client_for(guard).get(url, {"code": point.code.lower(), "task": task.pk})
    assert found.status_code == 302 and found["Location"] == scan_url(point, task)
    wrong = client_for(guard).get(url, {"code": "ZZZZ"})
    assert wrong.status_code == 400 and wrong.context["code_form"].errors["code"] == ["没有该编码的巡视点。"]


def test_a_finding_becomes_one_ticket_in_one_tap_even_tapped_twice(client_for, guard, task):
    check = scan(task, points_of(task)[0], abnormal=("照明正常",), note="灯不亮", now=at(9, 10))
    page = client_for(guard).get(reverse("desk:frontdesk:patrol_task", args=[task.pk]))
    assert "ticket-form" in page.content.decode()
    url = reverse("desk:frontdesk:patrol_ticket", args=[check.pk])
    data = {"ticket-category": facility_category().pk}
    first = client_for(guard).post(url, data)
    second = client_for(guard).post(url, data)
    assert first.status_code == second.status_code == 302
    ticket = RepairTicket.objects.get()
    assert ticket.source_id == check.pk
    page = client_for(guard).get(reverse("desk:frontdesk:patrol_task", args=[task.pk]))
    assert ticket.number in page.content.decode() and "ticket-form" not in page.content.decode()


def test_a_transfer_without_a_reason_is_shown_beside_the_reason(client_for, guard, desk, task):
    url = reverse("desk:frontdesk:patrol_task_transfer", args=[task.pk])
    response = client_for(desk).post(url, {"transfer-to": guard.pk, "transfer-reason": ""})
    assert response.status_code == 400 and "reason" in response.context["transfer_form"].errors
    other = factories.UserFactory(username="guard2", display_name="李保安", roles=["security"])
    done = client_for(guard).post(url, {"transfer-to": other.pk, "transfer-reason": "临时调岗"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.assignee == other and task.original_assignee == guard
    page = client_for(desk).get(reverse("desk:frontdesk:patrol_task", args=[task.pk])).content.decode()
    assert "临时调岗" in page and "guard" in page


def test_a_guard_sees_only_their_own_tasks(client_for, guard, engineer, building, task):
    theirs = make_task(building, engineer, route_name="B座巡视")
    assert client_for(guard).get(reverse("desk:frontdesk:patrol_task", args=[theirs.pk])).status_code == 404
    register = client_for(guard).get(reverse("desk:frontdesk:patrol_tasks"))
    assert list(register.context["object_list"]) == [task]
    everyone = client_for(factories.UserFactory(username="sup2", roles=["supervisor"])).get(
        reverse("desk:frontdesk:patrol_tasks")
    )
    assert {t.pk for t in everyone.context["object_list"]} == {task.pk, theirs.pk}


def test_the_task_register_filters_and_exports(client_for, desk, guard, task):
    scan(task, points_of(task)[2], now=at(9, 10))  # out of order
    url = reverse("desk:frontdesk:patrol_tasks")
    started = client_for(desk).get(url, {"status": "started", "flags": "out_of_order"})
    assert list(started.context["object_list"]) == [task]
    assert started.context["object_list"][0].out_of_order == 1
    none = client_for(desk).get(url, {"status": PatrolTask.Status.COMPLETED})
    assert list(none.context["object_list"]) == []
    sheet = client_for(desk).get(url, {"export": "xlsx"})
    assert sheet.status_code == 200 and sheet["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_findings_register_lists_abnormal_checks_with_their_ticket(client_for, desk, task):
    scan(task, points_of(task)[0], now=at(9, 5))
    finding = scan(task, points_of(task)[1], abnormal=("消防通道畅通",), note="堆放杂物", now=at(9, 10))
    page = client_for(desk).get(reverse("desk:frontdesk:patrol_findings"), {"ticket": "no"})
    assert list(page.context["object_list"]) == [finding] and "堆放杂物" in page.content.decode()


def test_the_label_sheet_prints_each_point_in_a_cjk_font(client_for, desk, task):
    response = client_for(desk).get(reverse("desk:frontdesk:patrol_labels"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    for point in points_of(task):
        assert point.name in text and point.code in text
    assert "巡视点" in text
    fonts = {
        str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }
    assert any("WenQuanYi" in f or "CJK" in f for f in fonts), fonts


def test_the_labels_qr_holds_the_points_scan_page(task):
    from django.conf import settings

    from frontdesk.views.patrols import point_url

    point = points_of(task)[0]
    assert point_url(point) == settings.SITE_URL + f"/desk/frontdesk/patrols/p/{point.code}/"


def test_the_register_shows_the_missed_points_once_the_window_is_over(client_for, desk, task):
    scan(task, points_of(task)[0], now=at(9, 5))
    url = reverse("desk:frontdesk:patrol_tasks")
    assert client_for(desk).get(url).context["object_list"][0].points_missed == 0
    with time_machine.travel(at(11, 30), tick=False):
        page = client_for(desk).get(url)
        assert page.context["object_list"][0].points_missed == 3
    assert '<span class="text-danger">3</span>' in page.content.decode()
