"""Acknowledgement (2 working hours) and reply (48, urgent 24, from the settings) run together
from the record, in working hours of the calendar; the reply pauses while waiting for the
complainant; each step is sent once however often the scan runs."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from complaints import services
from jinyuan.workflow.models import CalendarDay, Deadline, Notification
from jinyuan.workflow.scan import scan

from .helpers import recorded

pytestmark = pytest.mark.django_db


def _at(y, m, d, hh, mm=0):
    return timezone.make_aware(datetime(y, m, d, hh, mm))


def rows(complaint) -> dict[str, Deadline]:
    return {d.kind: d for d in Deadline.objects.filter(object_id=complaint.pk, kind__in=["acknowledgement", "reply"])}


def notes(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("dedup_key", flat=True))


@pytest.fixture
def may_day_2027(db):
    """Thursday 29 April 2027 is worked; Friday 30 April and Monday 3 May are public holidays
    with the weekend between; 4 to 7 May and 10 to 11 May are worked (office 08:30-17:30)."""
    off = (date(2027, 4, 30), date(2027, 5, 1), date(2027, 5, 2), date(2027, 5, 3))
    on = (date(2027, 4, 29), *(date(2027, 5, d) for d in (4, 5, 6, 7, 10, 11)))
    for day in off:
        CalendarDay.objects.update_or_create(date=day, defaults={"is_working": False})
    for day in on:
        CalendarDay.objects.update_or_create(date=day, defaults={"is_working": True})


def test_both_start_at_the_record(desk, may_day_2027):
    with time_machine.travel(_at(2027, 5, 11, 9, 0), tick=False):
        complaint = recorded(desk)
    live = rows(complaint)
    assert set(live) == {"acknowledgement", "reply"}
    assert all(row.working_hours and row.state == "running" for row in live.values())
    assert timezone.localtime(live["acknowledgement"].due_at) == _at(2027, 5, 11, 11, 0)


def test_acknowledgement_crosses_the_holiday(desk, may_day_2027):
    # Half an hour left on Thursday, the rest on Tuesday morning.
    with time_machine.travel(_at(2027, 4, 29, 17, 0), tick=False):
        complaint = recorded(desk)
    assert timezone.localtime(rows(complaint)["acknowledgement"].due_at) == _at(2027, 5, 4, 10, 0)


def test_urgent_reply_across_a_holiday_with_a_pause_for_the_complainant(desk, may_day_2027):
    with time_machine.travel(_at(2027, 4, 29, 15, 30), tick=False):
        complaint = recorded(desk, urgent=True)
    live = rows(complaint)
    # 24 working hours: 2 on Thursday, 9 on Tuesday 4 May, 9 on Wednesday, 4 on Thursday 6 May.
    assert timezone.localtime(live["reply"].due_at) == _at(2027, 5, 6, 12, 30)
    with time_machine.travel(_at(2027, 4, 29, 16, 0), tick=False):
        services.acknowledge(complaint, by=desk)
    ack = Deadline.objects.get(pk=live["acknowledgement"].pk)
    assert ack.state == "stopped" and ack.met is True
    with time_machine.travel(_at(2027, 4, 29, 16, 30), tick=False):
        services.wait_for_complainant(complaint, by=desk, reason="请补充照片")
    paused = Deadline.objects.get(pk=live["reply"].pk)
    assert paused.state == "paused" and paused.remaining == timedelta(hours=23)
    # The complainant answers on Tuesday at 10:00, after the holiday: 23 working hours from then.
    with time_machine.travel(_at(2027, 5, 4, 10, 0), tick=False):
        services.resume(complaint, by=desk)
    resumed = Deadline.objects.get(pk=live["reply"].pk)
    assert resumed.state == "running" and timezone.localtime(resumed.due_at) == _at(2027, 5, 6, 15, 0)
    # The handler's reminder four working hours before: Thursday 6 May 11:00.
    assert timezone.localtime(resumed.next_step_at) == _at(2027, 5, 6, 11, 0)


def test_the_reply_hours_are_settings(desk, settings, may_day_2027):
    settings.COMPLAINT_REPLY_HOURS = 10
    settings.COMPLAINT_ACKNOWLEDGE_HOURS = 1
    with time_machine.travel(_at(2027, 5, 11, 9, 0), tick=False):
        complaint = recorded(desk)
    live = rows(complaint)
    assert timezone.localtime(live["acknowledgement"].due_at) == _at(2027, 5, 11, 10, 0)
    # 8.5 hours left on Tuesday 11 May (to 17:30), then 1.5 on the next working day.
    assert live["reply"].due_at > _at(2027, 5, 11, 17, 30)


def test_the_reply_is_met_when_the_approved_reply_is_sent(desk, supervisor, engineer):
    from .helpers import in_state

    complaint = in_state("closed", desk=desk, supervisor=supervisor, engineer=engineer)
    reply = Deadline.objects.get(object_id=complaint.pk, kind="reply")
    assert reply.state == "stopped" and reply.met is True


def test_each_step_is_sent_once_however_often_the_scan_runs(desk, supervisor, may_day_2027):
    with time_machine.travel(_at(2027, 5, 11, 9, 0), tick=False):
        complaint = recorded(desk)
    ack = rows(complaint)["acknowledgement"]
    for hh, mm in ((10, 31), (10, 31), (11, 1), (11, 1), (13, 1), (13, 1)):
        scan(now=_at(2027, 5, 11, hh, mm))
    # The desk: reminded half an hour before; the supervisor: at the due time and two hours later.
    assert notes(desk) == [f"deadline-{ack.pk}-0"]
    assert notes(supervisor) == [f"deadline-{ack.pk}-1", f"deadline-{ack.pk}-2"]


def test_the_reply_reminder_goes_to_the_assignee_once_assigned(desk, supervisor, engineer, settings, may_day_2027):
    settings.COMPLAINT_REPLY_HOURS = 6
    with time_machine.travel(_at(2027, 5, 11, 9, 0), tick=False):
        complaint = recorded(desk)
        services.acknowledge(complaint, by=desk)
        services.assign(complaint, department="engineering", assignee=engineer, by=desk)
    reply = rows(complaint)["reply"]
    assert timezone.localtime(reply.due_at) == _at(2027, 5, 11, 15, 0)
    scan(now=_at(2027, 5, 11, 11, 1))
    scan(now=_at(2027, 5, 11, 11, 1))
    assert f"deadline-{reply.pk}-0" in notes(engineer)
    assert f"deadline-{reply.pk}-0" not in notes(desk)
    scan(now=_at(2027, 5, 11, 15, 1))
    assert f"deadline-{reply.pk}-1" in notes(supervisor)
