"""Deadline steps of a repair: each sent once however often the scan runs; a pooled ticket
nobody takes reminds every engineer; the supervisor hears at the due time and again half an
hour later; working-hours deadlines skip a public holiday and a pause for parts."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from jinyuan.workflow.models import CalendarDay, Deadline, Notification
from jinyuan.workflow.scan import scan
from repairs import services
from repairs.models import RepairCategory
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def water():
    return RepairCategory.objects.create(name="水电", response_minutes=30, completion_hours=4)


def report(by, category, **over):
    fields = {"reporter_name": "王", "phone": "13877110001", "description": "漏水", **over}
    return services.report(by=by, category=category, **fields)


def notes(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("dedup_key", flat=True))


def test_each_step_is_sent_once_however_often_the_scan_runs(desk, engineer, supervisor, water):
    ticket = report(desk, water)
    services.assign(ticket, engineer=engineer, by=desk)
    now = timezone.now()
    for minutes in (26, 26, 31, 31, 61, 61):
        scan(now=now + timedelta(minutes=minutes))
    response = Deadline.objects.get(object_id=ticket.pk, kind="response")
    # The engineer: the response reminder once; the supervisor: at the due time and 30 min later.
    assert notes(engineer) == [f"deadline-{response.pk}-0"]
    assert notes(supervisor) == [f"deadline-{response.pk}-1", f"deadline-{response.pk}-2"]


def test_a_pooled_ticket_nobody_takes_reminds_every_engineer(desk, engineer, supervisor):
    other = factories.UserFactory(username="eng2", display_name="eng2", roles=["engineering"])
    factories.UserFactory(username="eng3", display_name="eng3", roles=["engineering"], is_active=False)
    pooled = RepairCategory.objects.create(name="空调", dispatch=RepairCategory.Dispatch.POOL, response_minutes=30)
    ticket = report(desk, pooled)
    assert ticket.status == "pooled"
    scan(now=timezone.now() + timedelta(minutes=26))
    scan(now=timezone.now() + timedelta(minutes=26))
    response = Deadline.objects.get(object_id=ticket.pk, kind="response")
    assert notes(engineer) == notes(other) == [f"deadline-{response.pk}-0"]
    assert Notification.objects.filter(recipient__username="eng3").count() == 0
    assert notes(supervisor) == []


def test_once_taken_only_the_assignee_is_reminded(desk, engineer):
    other = factories.UserFactory(username="eng2", display_name="eng2", roles=["engineering"])
    pooled = RepairCategory.objects.create(name="空调", dispatch=RepairCategory.Dispatch.POOL, completion_hours=4)
    ticket = report(desk, pooled)
    services.take(ticket, by=engineer)
    services.arrive(ticket, by=engineer)
    scan(now=timezone.now() + timedelta(hours=3, minutes=1))
    completion = Deadline.objects.get(object_id=ticket.pk, kind="completion")
    assert notes(engineer) == [f"deadline-{completion.pk}-0"] and notes(other) == []


def _at(y, m, d, hh, mm=0):
    return timezone.make_aware(datetime(y, m, d, hh, mm))


def test_working_hours_deadlines_skip_a_holiday_and_a_pause_for_parts(desk, engineer):
    # Thursday 29 April 2027 is worked; Friday 30 April and Monday 3 May are holidays, with the
    # weekend between; Tuesday 4 May is worked again (office hours 08:30-17:30).
    for day, working in ((date(2027, 4, 29), True), (date(2027, 4, 30), False), (date(2027, 5, 3), False)):
        CalendarDay.objects.update_or_create(date=day, defaults={"is_working": working})
    for day in (date(2027, 5, 1), date(2027, 5, 2)):
        CalendarDay.objects.update_or_create(date=day, defaults={"is_working": False})
    CalendarDay.objects.update_or_create(date=date(2027, 5, 4), defaults={"is_working": True})
    locks = RepairCategory.objects.create(
        name="门锁", working_hours_only=True, response_minutes=180, completion_hours=8
    )
    with time_machine.travel(_at(2027, 4, 29, 15, 30), tick=False):
        ticket = report(desk, locks)
    rows = {d.kind: d for d in Deadline.objects.filter(object_id=ticket.pk)}
    # 2 h left on Thursday; the rest on Tuesday from 08:30.
    assert timezone.localtime(rows["response_wh"].due_at) == _at(2027, 5, 4, 9, 30)
    assert timezone.localtime(rows["completion_wh"].due_at) == _at(2027, 5, 4, 14, 30)
    with time_machine.travel(_at(2027, 4, 29, 16, 0), tick=False):
        services.assign(ticket, engineer=engineer, by=desk)
        services.accept(ticket, by=engineer)
        services.arrive(ticket, by=engineer)
    with time_machine.travel(_at(2027, 4, 29, 16, 30), tick=False):
        services.pause(ticket, by=engineer, reason="parts")
    paused = Deadline.objects.get(pk=rows["completion_wh"].pk)
    assert paused.state == "paused" and paused.remaining == timedelta(hours=7)
    response = Deadline.objects.get(pk=rows["response_wh"].pk)
    assert response.state == "stopped" and response.met is True
    # The parts come on Tuesday at 10:00: 7 working hours from then.
    with time_machine.travel(_at(2027, 5, 4, 10, 0), tick=False):
        services.resume(ticket, by=engineer)
    resumed = Deadline.objects.get(pk=rows["completion_wh"].pk)
    assert resumed.state == "running" and timezone.localtime(resumed.due_at) == _at(2027, 5, 4, 17, 0)
    # Reminder one working hour before: 16:00 Tuesday, not during the holiday.
    assert timezone.localtime(resumed.next_step_at) == _at(2027, 5, 4, 16, 0)
    with time_machine.travel(_at(2027, 5, 4, 16, 30), tick=False):
        services.complete(ticket, by=engineer)
    assert Deadline.objects.get(pk=rows["completion_wh"].pk).met is True
