"""Patrol services (巡视): the day's tasks made once, scans and their rules, findings to one
repair ticket, transfers, closing long-past tasks, and the dashboard's completion figure."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from frontdesk import patrol_selectors, patrol_services
from frontdesk.models import PatrolCheck, PatrolPlan, PatrolTask
from jinyuan.attachments.models import Attachment
from jinyuan.workflow.models import AuditEvent, CalendarDay
from repairs.models import RepairTicket
from tests import factories
from tests.frontdesk.patrol_data import (
    DAY,
    at,
    facility_category,
    make_plan,
    make_points,
    make_route,
    make_task,
    points_of,
    scan,
)

pytestmark = pytest.mark.django_db


def _events(code: str) -> int:
    return AuditEvent.objects.filter(action=code).count()


# --- the scheduler -------------------------------------------------------------------------------


def test_a_plan_makes_one_task_a_window_and_a_second_run_makes_none(building, guard):
    plan = make_plan(make_route(make_points(building)), guard)
    first = patrol_services.tasks_create_for_day(DAY)
    second = patrol_services.tasks_create_for_day(DAY)
    assert len(first) == 2 and second == []
    tasks = PatrolTask.objects.filter(plan=plan).order_by("starts_at")
    assert [t.window_text for t in tasks] == ["09:00–11:00", "13:30–15:30"]
    assert all(t.assignee == guard and t.points_due == 4 and t.status == "pending" for t in tasks)
    assert tasks[0].starts_at == at(9) and tasks[1].ends_at == at(15, 30)
    assert _events("patrol_task.created") == 2


def test_a_working_day_plan_rests_at_the_weekend_and_on_a_holiday(building, guard):
    route = make_route(make_points(building))
    make_plan(route, guard, windows=((9, 0, 11, 0),))
    daily = make_plan(route, guard, windows=((20, 0, 21, 0),), name="夜间巡视", days=PatrolPlan.Days.EVERY_DAY)
    saturday = DAY + dt.timedelta(days=4)
    assert [t.plan for t in patrol_services.tasks_create_for_day(saturday)] == [daily]
    CalendarDay.objects.create(date=DAY + dt.timedelta(days=1), is_working=False, name="假日")
    assert [t.plan for t in patrol_services.tasks_create_for_day(DAY + dt.timedelta(days=1))] == [daily]
    assert len(patrol_services.tasks_create_for_day(DAY + dt.timedelta(days=2))) == 2


def test_a_plan_out_of_use_or_not_yet_started_makes_nothing(building, guard):
    route = make_route(make_points(building))
    make_plan(route, guard, is_active=False)
    make_plan(route, guard, name="明年", starts_on=DAY + dt.timedelta(days=1))
    assert patrol_services.tasks_create_for_day(DAY) == []


def test_the_task_keeps_its_points_when_the_route_changes(building, guard):
    task = make_task(building, guard)
    before = list(task.points)
    task.route.stops.first().point.__class__.objects.filter(pk=before[0]).update(is_active=False)
    task.refresh_from_db()
    assert task.points == before and task.points_due == 4


# --- scans ----------------------------------------------------------------------------------------


def test_a_scan_of_a_point_off_the_route_is_an_error_beside_the_code(building, guard):
    task = make_task(building, guard)
    (elsewhere,) = make_points(building, ["地下车库"])
    with pytest.raises(ValidationError) as caught:
        scan(task, elsewhere, now=at(9, 10))
    assert "code" in caught.value.message_dict
    assert not PatrolCheck.objects.exists()


def test_an_unknown_code_is_an_error_beside_the_code(building, guard):
    task = make_task(building, guard)
    with pytest.raises(ValidationError) as caught:
        patrol_services.check_record(task=task, by=guard, code="NOPE", results={})
    assert "code" in caught.value.message_dict


def test_an_abnormal_finding_without_a_note_is_an_error_beside_the_note(building, guard):
    task = make_task(building, guard)
    with pytest.raises(ValidationError) as caught:
        scan(task, points_of(task)[0], abnormal=("照明正常",), note="  ", now=at(9, 10))
    assert list(caught.value.message_dict) == ["note"]
    assert not PatrolCheck.objects.exists()


def test_every_item_must_be_marked(building, guard):
    task = make_task(building, guard)
    point = points_of(task)[0]
    with pytest.raises(ValidationError) as caught:
        patrol_services.check_record(task=task, by=guard, code=point.code, results={"照明正常": True})
    assert "results" in caught.value.message_dict


def test_a_typed_code_in_lower_case_with_spaces_finds_the_point(building, guard):
    task = make_task(building, guard)
    point = points_of(task)[0]
    results = {"消防通道畅通": True, "照明正常": True}
    typed = f" {point.code[:4].lower()} {point.code[4:].lower()} "
    check = patrol_services.check_record(task=task, by=guard, code=typed, results=results, now=at(9, 5))
    assert check.point == point


def test_the_first_scan_starts_the_task_and_the_last_completes_it(building, guard):
    task = make_task(building, guard)
    points = points_of(task)
    scan(task, points[0], now=at(9, 5))
    task.refresh_from_db()
    assert task.status == "started" and task.started_at == at(9, 5) and task.points_checked == 1
    for i, p in enumerate(points[1:], 2):
        scan(task, p, now=at(9, 5 * i))
    task.refresh_from_db()
    assert task.status == "completed" and task.points_checked == 4 and task.finished_at == at(9, 20)
    assert _events("patrol_task.completed") == 1


def test_a_second_scan_of_a_point_changes_nothing(building, guard):
    task = make_task(building, guard)
    point = points_of(task)[0]
    scan(task, point, now=at(9, 5))
    with pytest.raises(ValidationError) as caught:
        scan(task, point, abnormal=("照明正常",), note="灯坏了", now=at(9, 6))
    assert "code" in caught.value.message_dict
    task.refresh_from_db()
    assert task.points_checked == 1 and PatrolCheck.objects.get().is_abnormal is False


def test_a_scan_after_the_window_is_late_and_before_an_earlier_point_out_of_order(building, guard):
    task = make_task(building, guard)
    first, second, third, _fourth = points_of(task)
    skipped = scan(task, third, now=at(9, 10))
    in_order = scan(task, first, now=at(9, 20))
    late = scan(task, second, now=at(11, 5))
    assert skipped.is_out_of_order and not skipped.is_late
    assert not in_order.is_out_of_order and not in_order.is_late
    assert late.is_late and not late.is_out_of_order


def test_only_the_assignee_checks_points(building, guard, desk):
    task = make_task(building, guard)
    with pytest.raises(PermissionDenied):
        scan(task, points_of(task)[0], by=desk, now=at(9, 5))


def test_a_photo_is_kept_with_the_check(building, guard, media_root):
    task = make_task(building, guard)
    photo = SimpleUploadedFile("灯.jpg", factories.tiny_image(), content_type="image/jpeg")
    check = scan(task, points_of(task)[0], abnormal=("照明正常",), note="灯不亮", photos=[photo], now=at(9, 5))
    attachment = Attachment.objects.get()
    assert attachment.record == check and attachment.kind == "photo" and attachment.thumbnail


def test_a_file_that_is_not_a_photo_saves_no_check(building, guard, media_root):
    task = make_task(building, guard)
    bad = SimpleUploadedFile("x.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError) as caught:
        scan(task, points_of(task)[0], photos=[bad], now=at(9, 5))
    assert "photo" in caught.value.message_dict
    task.refresh_from_db()
    assert not PatrolCheck.objects.exists() and task.points_checked == 0 and task.status == "pending"


# --- findings to repair tickets --------------------------------------------------------------------


def test_a_finding_becomes_one_ticket_whose_source_is_the_finding(building, guard):
    category = facility_category()
    task = make_task(building, guard)
    check = scan(task, points_of(task)[1], abnormal=("消防通道畅通",), note="通道堆放纸箱", now=at(9, 5))
    ticket, created = patrol_services.check_to_ticket(check=check, by=guard)
    again, created_again = patrol_services.check_to_ticket(check=PatrolCheck.objects.get(pk=check.pk), by=guard)
    assert created and not created_again and again == ticket
    assert RepairTicket.objects.count() == 1
    assert ticket.source_id == check.pk and ticket.source_type.model_class() is PatrolCheck
    assert ticket.category == category and "消防通道畅通" in ticket.description and "纸箱" in ticket.description
    assert points_of(task)[1].name in ticket.place
    check.refresh_from_db()
    assert check.repair == ticket and _events("patrol_task.ticket_created") == 1


def test_a_normal_check_makes_no_ticket(building, guard):
    facility_category()
    task = make_task(building, guard)
    check = scan(task, points_of(task)[0], now=at(9, 5))
    with pytest.raises(patrol_services.TransitionRefused):
        patrol_services.check_to_ticket(check=check, by=guard)
    assert not RepairTicket.objects.exists()


# --- transfers and closing ----------------------------------------------------------------------------


def test_a_transfer_keeps_the_first_assignee_and_the_reason(building, guard, desk):
    task = make_task(building, guard)
    other = factories.UserFactory(username="guard2", roles=["security"])
    patrol_services.task_transfer(task=task, by=guard, to=other, reason="临时调岗")
    patrol_services.task_transfer(task=PatrolTask.objects.get(pk=task.pk), by=desk, to=desk, reason="人手不足")
    task.refresh_from_db()
    assert task.assignee == desk and task.original_assignee == guard and task.transfer_reason == "人手不足"
    assert _events("patrol_task.transferred") == 2


def test_a_transfer_without_a_reason_or_to_finance_is_refused_beside_the_fields(building, guard, finance):
    task = make_task(building, guard)
    with pytest.raises(ValidationError) as caught:
        patrol_services.task_transfer(task=task, by=guard, to=finance, reason=" ")
    assert set(caught.value.message_dict) == {"reason", "to"}
    task.refresh_from_db()
    assert task.assignee == guard and task.original_assignee is None


def test_someone_else_cannot_transfer_a_guards_task(building, guard, engineer):
    task = make_task(building, guard)
    with pytest.raises(PermissionDenied):
        patrol_services.task_transfer(task=task, by=engineer, to=engineer, reason="我来")


def test_long_past_tasks_close_missed_or_incomplete_once(building, guard, engineer):
    untouched = make_task(building, guard)
    walked = make_task(building, engineer, route_name="B座巡视")
    scan(walked, points_of(walked)[0], now=at(9, 5))
    assert patrol_services.tasks_close_due(now=at(12, 59)) == 0  # within the grace after 11:00
    assert patrol_services.tasks_close_due(now=at(13, 0)) == 2
    assert patrol_services.tasks_close_due(now=at(13, 5)) == 0
    untouched.refresh_from_db()
    walked.refresh_from_db()
    assert untouched.status == "missed" and walked.status == "incomplete"
    assert _events("patrol_task.missed") == 1 and _events("patrol_task.incomplete") == 1


def test_a_closed_task_takes_no_scan(building, guard):
    task = make_task(building, guard)
    patrol_services.tasks_close_due(now=at(14))
    with pytest.raises(patrol_services.TransitionRefused):
        scan(PatrolTask.objects.get(pk=task.pk), points_of(task)[0], now=at(14, 1))


def test_the_tick_makes_todays_tasks(building, guard):
    make_plan(make_route(make_points(building)), guard)
    with time_machine.travel(at(7), tick=False):
        assert patrol_services.patrol_tick() == {"created": 2, "closed": 0}
        assert patrol_services.patrol_tick() == {"created": 0, "closed": 0}


def test_missed_points_show_once_the_window_is_over(building, guard):
    task = make_task(building, guard)
    scan(task, points_of(task)[0], now=at(9, 5))
    during = [s.state for s in patrol_selectors.task_stops(task, now=at(10))]
    after = [s.state for s in patrol_selectors.task_stops(task, now=at(11, 1))]
    assert during == ["normal", "due", "due", "due"]
    assert after == ["normal", "missed", "missed", "missed"]


# --- the dashboard's figure --------------------------------------------------------------------------


def test_patrol_completion_is_points_checked_of_points_due_in_tasks_whose_window_is_over(building, guard, engineer):
    # December: a task of 4 points with 3 checked, one of 2 points with 2 checked; the
    # afternoon task (window not over at 12:00) and November's do not count.
    morning = make_task(building, guard)
    for p in points_of(morning)[:3]:
        scan(morning, p, now=at(9, 5))
    short = make_task(building, engineer, names=("甲", "乙"), route_name="B座巡视")
    for p in points_of(short):
        scan(short, p, now=at(9, 30))
    make_plan(morning.route, guard, windows=((13, 0, 14, 0),), name="下午")
    patrol_services.tasks_create_for_day(DAY)
    november = make_task(building, guard, route_name="C座巡视", day=dt.date(2026, 11, 30))
    assert november.points_checked == 0
    # (3 + 2) / (4 + 2) = 83.3 %
    assert patrol_selectors.completion(now=at(12)) == 83.3
    assert patrol_selectors.completion(dt.date(2026, 12, 1), dt.date(2027, 1, 1), now=at(12)) == 83.3
    assert patrol_selectors.completion(dt.date(2026, 11, 1), dt.date(2026, 12, 1), now=at(12)) == 0.0


def test_findings_tickets_missed_tasks_and_transfers_go_in_the_management_log():
    from jinyuan import navigation

    for code in ("finding_reported", "ticket_created", "missed", "incomplete", "transferred"):
        assert navigation.log_section(f"patrol_task.{code}").app == "patrols", code
    assert navigation.log_section("patrol_task.point_checked") is None
    assert navigation.figure("patrol_completion").unit == "%"


def test_the_window_is_a_deadline_met_when_the_task_completes_within_it(building, guard, engineer):
    from jinyuan.workflow.models import Deadline

    walked = make_task(building, guard)
    untouched = make_task(building, engineer, route_name="B座巡视")
    running = Deadline.objects.filter(kind="patrol_window", state="running")
    assert {d.object_id for d in running} == {walked.pk, untouched.pk}
    assert all(d.due_at == at(11) for d in running)
    with time_machine.travel(at(9, 30), tick=False):  # the kernel's deadlines read the clock
        for p in points_of(walked):
            scan(walked, p)
    with time_machine.travel(at(13, 30), tick=False):
        patrol_services.tasks_close_due()
    met = dict(Deadline.objects.filter(kind="patrol_window").values_list("object_id", "met"))
    assert met == {walked.pk: True, untouched.pk: False}
    assert not Deadline.objects.filter(kind="patrol_window", state="running").exists()
