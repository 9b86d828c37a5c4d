"""Patrols under concurrency (threads with their own connections, released by a barrier): the
scheduler run four times at once makes each task once; twenty "make a ticket" taps of one
finding make one ticket."""

import pytest
from django.contrib.auth import get_user_model

from frontdesk import patrol_services
from frontdesk.models import PatrolCheck, PatrolTask
from jinyuan.workflow.models import AuditEvent
from repairs.models import RepairTicket
from tests.concurrency import run_at_once
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

pytestmark = pytest.mark.django_db(transaction=True)


def test_four_simultaneous_scheduler_runs_make_each_task_once(building, guard):
    make_plan(make_route(make_points(building)), guard)

    def attempt(i, prepared):
        return len(patrol_services.tasks_create_for_day(DAY))

    results = run_at_once(4, lambda i: None, attempt)
    assert sum(results) == 2, results
    assert PatrolTask.objects.count() == 2
    assert AuditEvent.objects.filter(action="patrol_task.created").count() == 2


def test_twenty_simultaneous_taps_make_one_ticket(building, guard):
    facility_category()
    task = make_task(building, guard)
    check = scan(task, points_of(task)[0], abnormal=("照明正常",), note="灯不亮", now=at(9, 5))

    def prepare(i):
        return PatrolCheck.objects.get(pk=check.pk), get_user_model().objects.get(pk=guard.pk)

    def attempt(i, prepared):
        found, user = prepared
        return patrol_services.check_to_ticket(check=found, by=user)

    results = run_at_once(20, prepare, attempt)
    assert all(isinstance(r, tuple) for r in results), results
    assert sum(1 for _, created in results if created) == 1
    assert RepairTicket.objects.count() == 1
