"""Fixed query counts of the patrol pages, with 1 row and with 30 (see tests/querycount.py)."""

import pytest
import time_machine
from django.urls import reverse

from frontdesk.models import PatrolStop, PatrolTask
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
from tests.querycount import Case, assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _at_ten():
    with time_machine.travel(at(10), tick=False):
        yield


@pytest.fixture
def ctx(query_ctx, guard):
    facility_category()
    task = make_task(query_ctx["building"], guard, names=("起点",))
    return {**query_ctx, "guard": guard, "task": task, "made": 0}


def _n(ctx) -> int:
    ctx["made"] += 1
    return ctx["made"]


def task_points(ctx, n):
    """More points on the one task, each checked, every other one abnormal (with a ticket)."""
    task = PatrolTask.objects.get(pk=ctx["task"].pk)
    for _ in range(n):
        (point,) = make_points(ctx["building"], [f"点{_n(ctx)}"])
        PatrolStop.objects.create(route=task.route, point=point, position=100 + ctx["made"], checklist="照明正常")
        PatrolTask.objects.filter(pk=task.pk).update(points=[*task.points, point.pk], points_due=len(task.points) + 1)
        task.refresh_from_db()
        abnormal = ctx["made"] % 2 == 1
        results = {"照明正常": not abnormal}
        from frontdesk import patrol_services

        check = patrol_services.check_record(
            task=task,
            by=ctx["guard"],
            code=point.code,
            results=results,
            note="灯不亮" if abnormal else "",
            now=at(9, 30),
        )
        if abnormal and ctx["made"] % 4 == 3:
            patrol_services.check_to_ticket(check=check, by=ctx["guard"])


def guard_tasks(ctx, n):
    route = ctx["task"].route
    for _ in range(n):
        make_plan(route, ctx["guard"], windows=((8, 0, 23, 0),), name=f"计划{_n(ctx)}")
    from frontdesk import patrol_services

    patrol_services.tasks_create_for_day(DAY)


def other_tasks(ctx, n):
    for _ in range(n):
        owner = factories.UserFactory(username=f"g{_n(ctx)}", roles=["security"])
        task = make_task(ctx["building"], owner, names=("甲",), route_name=f"线路{ctx['made']}")
        if ctx["made"] % 3 == 0:
            scan(task, points_of(task)[0], abnormal=("照明正常",), note="灯不亮", now=at(9, 30))


def findings(ctx, n):
    from frontdesk import patrol_services

    for _ in range(n):
        task = make_task(ctx["building"], ctx["guard"], names=("乙",), route_name=f"巡线{_n(ctx)}")
        check = scan(task, points_of(task)[0], abnormal=("照明正常",), note="灯不亮", now=at(9, 30))
        if ctx["made"] % 2 == 0:
            patrol_services.check_to_ticket(check=check, by=ctx["guard"])


def points(ctx, n):
    make_points(ctx["building"], [f"新点{_n(ctx)}-{i}" for i in range(n)])


def routes(ctx, n):
    for _ in range(n):
        make_route(make_points(ctx["building"], [f"路点{_n(ctx)}a", f"路点{ctx['made']}b"]), name=f"路线{ctx['made']}")


def plans(ctx, n):
    for _ in range(n):
        make_plan(ctx["task"].route, ctx["guard"], name=f"排班{_n(ctx)}")


def scan_checks(ctx, n):
    """Other points of the task checked: the point's page reads its own check only."""
    task_points(ctx, n)


def _task(c):
    return reverse("desk:frontdesk:patrol_task", args=[c["task"].pk])


def _scan(c):
    point = points_of(c["task"])[0]
    return reverse("desk:frontdesk:patrol_point_scan", args=[point.code])


CASES = {
    "patrol-task-page": Case("guard", _task, task_points, 7),
    "patrol-my-tasks": Case("guard", lambda c: reverse("desk:frontdesk:patrol_mine"), guard_tasks, 3),
    "patrol-point-page": Case("guard", _scan, scan_checks, 6),
    "patrol-task-register": Case("supervisor", lambda c: reverse("desk:frontdesk:patrol_tasks"), other_tasks, 6),
    "patrol-findings": Case("supervisor", lambda c: reverse("desk:frontdesk:patrol_findings"), findings, 6),
    "patrol-points": Case("desk", lambda c: reverse("desk:frontdesk:patrol_points"), points, 4),
    "patrol-routes": Case("desk", lambda c: reverse("desk:frontdesk:patrol_routes"), routes, 5),
    "patrol-plans": Case("desk", lambda c: reverse("desk:frontdesk:patrol_plans"), plans, 5),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
