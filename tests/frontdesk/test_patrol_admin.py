"""The supervisors' admin of patrols: a plan's windows (an end before its start is an error
beside it), routes with their stops inline, tasks read-only; fixed query counts of the lists."""

import datetime as dt

import pytest
from django.urls import reverse

from frontdesk.models import PatrolPlan, PatrolWindow
from tests import factories
from tests.frontdesk.patrol_data import DAY, make_plan, make_points, make_route, make_task
from tests.querycount import Case, admin_changelist, assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client_for):
    return client_for(factories.UserFactory(username="root", is_staff=True, is_superuser=True))


def _plan_post(route, guard, windows) -> dict:
    data = {
        "name": "夜间巡视",
        "route": route.pk,
        "assignee": guard.pk,
        "days": "every_day",
        "starts_on": DAY.isoformat(),
        "is_active": "on",
        "windows-TOTAL_FORMS": str(len(windows)),
        "windows-INITIAL_FORMS": "0",
        "windows-MIN_NUM_FORMS": "0",
        "windows-MAX_NUM_FORMS": "1000",
    }
    for i, (starts, ends) in enumerate(windows):
        data[f"windows-{i}-starts"] = starts
        data[f"windows-{i}-ends"] = ends
    return data


def test_a_window_that_ends_before_it_starts_is_an_error_beside_its_end(root, building, guard):
    route = make_route(make_points(building))
    response = root.post(reverse("admin:frontdesk_patrolplan_add"), _plan_post(route, guard, [("10:30", "08:40")]))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert "ends" in formset.forms[0].errors
    assert not PatrolPlan.objects.exists()


def test_a_plan_with_two_windows_is_saved_with_an_audit_event(root, building, guard):
    route = make_route(make_points(building))
    data = _plan_post(route, guard, [("08:40", "10:30"), ("13:30", "15:30")])
    response = root.post(reverse("admin:frontdesk_patrolplan_add"), data)
    assert response.status_code == 302
    plan = PatrolPlan.objects.get()
    assert [(w.starts, w.ends) for w in PatrolWindow.objects.filter(plan=plan).order_by("starts")] == [
        (dt.time(8, 40), dt.time(10, 30)),
        (dt.time(13, 30), dt.time(15, 30)),
    ]
    from jinyuan.workflow.models import AuditEvent

    assert AuditEvent.objects.filter(action="patrol_plan.created").count() == 1


def test_a_task_is_read_only_in_the_admin(root, building, guard):
    task = make_task(building, guard)
    page = root.get(reverse("admin:frontdesk_patroltask_change", args=[task.pk]))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert root.get(reverse("admin:frontdesk_patroltask_add")).status_code == 403


@pytest.fixture
def ctx(building, guard):
    return {"building": building, "guard": guard, "made": 0}


def _n(ctx):
    ctx["made"] += 1
    return ctx["made"]


def points(ctx, n):
    make_points(ctx["building"], [f"点{_n(ctx)}-{i}" for i in range(n)])


def routes(ctx, n):
    for _ in range(n):
        make_route(make_points(ctx["building"], [f"路{_n(ctx)}"]), name=f"路线{ctx['made']}")


def plans(ctx, n):
    route = make_route(make_points(ctx["building"], [f"计{_n(ctx)}"]), name=f"计划路线{ctx['made']}")
    for _ in range(n):
        make_plan(route, ctx["guard"], name=f"计划{_n(ctx)}")


def tasks(ctx, n):
    for _ in range(n):
        make_task(ctx["building"], ctx["guard"], names=("甲",), route_name=f"任务路线{_n(ctx)}")


CASES = {
    "admin-points": Case("superuser", admin_changelist("frontdesk.PatrolPoint"), points, 6),
    "admin-routes": Case("superuser", admin_changelist("frontdesk.PatrolRoute"), routes, 5),
    "admin-plans": Case("superuser", admin_changelist("frontdesk.PatrolPlan"), plans, 6),
    "admin-tasks": Case("superuser", admin_changelist("frontdesk.PatrolTask"), tasks, 8),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_admin_list_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
