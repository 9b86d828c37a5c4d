"""Response (until arrival) and completion (until done) run together from the report, in
working hours where the category says so; completion pauses while waiting; late tickets are
flagged in the register's query."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from jinyuan.workflow.models import Deadline
from repairs import selectors, services
from repairs.models import RepairCategory, RepairTicket

pytestmark = pytest.mark.django_db


@pytest.fixture
def water():
    return RepairCategory.objects.create(name="水电", response_minutes=30, completion_hours=4)


def report(by, category):
    return services.report(by=by, category=category, reporter_name="王", phone="13877110001", description="漏水")


def rows(ticket):
    return {d.kind: d for d in Deadline.objects.filter(object_id=ticket.pk, kind__in=["response", "completion"])}


def test_response_and_completion_start_together_at_the_report(desk, water):
    ticket = report(desk, water)
    live = rows(ticket)
    assert set(live) == {"response", "completion"}
    assert live["response"].due_at - live["response"].started_at == timedelta(minutes=30)
    assert live["completion"].due_at - live["completion"].started_at == timedelta(hours=4)


def test_arrival_stops_response_and_completion_pauses_while_waiting(desk, engineer, water):
    ticket = report(desk, water)
    services.assign(ticket, engineer=engineer, by=desk)
    services.accept(ticket, by=engineer)
    services.arrive(ticket, by=engineer)
    live = rows(ticket)
    assert live["response"].state == "stopped" and live["response"].met is True
    assert live["completion"].state == "running"
    services.pause(ticket, by=engineer, reason="tenant")
    assert rows(ticket)["completion"].state == "paused"
    services.resume(ticket, by=engineer)
    assert rows(ticket)["completion"].state == "running"
    services.complete(ticket, by=engineer)
    assert rows(ticket)["completion"].met is True


def test_a_working_hours_category_counts_in_working_hours(desk):
    category = RepairCategory.objects.create(name="门锁", working_hours_only=True)
    ticket = report(desk, category)
    kinds = set(Deadline.objects.filter(object_id=ticket.pk).values_list("kind", flat=True))
    assert {"response_wh", "completion_wh"} <= kinds
    assert Deadline.objects.filter(object_id=ticket.pk, kind="response_wh", working_hours=True).exists()


def test_a_ticket_past_its_response_time_is_flagged_late(desk, water):
    ticket = report(desk, water)
    later = timezone.now() + timedelta(minutes=31)
    flagged = selectors.with_late(RepairTicket.objects.filter(pk=ticket.pk), now=later).get()
    assert flagged.response_late and not flagged.completion_late
    assert list(selectors.overdue(RepairTicket.objects.all(), now=later)) == [ticket]
    assert not selectors.overdue(RepairTicket.objects.all()).exists()


def test_the_scan_reminds_the_engineer_then_escalates_to_the_supervisor(desk, engineer, supervisor, water):
    from jinyuan.workflow.models import Notification
    from jinyuan.workflow.scan import scan

    ticket = report(desk, water)
    services.assign(ticket, engineer=engineer, by=desk)
    scan(now=timezone.now() + timedelta(minutes=26))
    assert Notification.objects.filter(recipient=engineer).exists()
    assert not Notification.objects.filter(recipient=supervisor).exists()
    scan(now=timezone.now() + timedelta(minutes=31))
    assert Notification.objects.filter(recipient=supervisor).exists()


def test_a_late_ticket_once_done_keeps_its_flag_but_is_no_longer_overdue(desk, engineer, water):
    ticket = report(desk, water)
    services.assign(ticket, engineer=engineer, by=desk)
    services.accept(ticket, by=engineer)
    later = timezone.now() + timedelta(minutes=45)
    with time_machine.travel(later, tick=False):
        services.arrive(ticket, by=engineer)
        services.complete(ticket, by=engineer)
    flagged = selectors.with_late(RepairTicket.objects.filter(pk=ticket.pk), now=later).get()
    assert flagged.response_late and not flagged.completion_late
    assert not selectors.overdue(RepairTicket.objects.all(), now=later).exists()
