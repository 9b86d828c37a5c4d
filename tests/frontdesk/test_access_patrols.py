"""Who may open the patrol pages (the access matrix); a refused POST changes nothing."""

import pytest
import time_machine
from django.urls import reverse

from frontdesk.models import PatrolCheck, PatrolTask
from repairs.models import RepairTicket
from tests.frontdesk.patrol_data import at, facility_category, make_task, points_of, scan
from tests.matrix import (
    DESK_ROLES_PAGE,
    FORBIDDEN,
    LOGIN_REDIRECT,
    MISSING,
    LazyRecords,
    Page,
    assert_page,
    by_page,
    client_as,
    desk_page,
)

pytestmark = pytest.mark.django_db

PATROL_PAGE = desk_page("desk", "supervisor", "guard", "engineer")
# The guard's task: the desk, supervisors and the guard open it; the engineer's is another's (404).
GUARD_TASK = {**PATROL_PAGE, "engineer": MISSING}
# A step posted from the task page: GET sends those who may see the task back to it.
GUARD_TASK_STEP = {k: LOGIN_REDIRECT if v == 200 else v for k, v in GUARD_TASK.items()}

PAGES = [
    Page("desk:frontdesk:patrol_mine", PATROL_PAGE),
    Page("desk:frontdesk:patrol_tasks", PATROL_PAGE),
    Page("desk:frontdesk:patrol_tasks", PATROL_PAGE, query="export=xlsx"),
    Page("desk:frontdesk:patrol_task", GUARD_TASK, "task"),
    Page("desk:frontdesk:patrol_task_start", GUARD_TASK_STEP, "task"),
    Page("desk:frontdesk:patrol_task_transfer", GUARD_TASK_STEP, "task"),
    Page("desk:frontdesk:patrol_code", PATROL_PAGE),
    Page("desk:frontdesk:patrol_point_scan", PATROL_PAGE, "point_code"),
    Page("desk:frontdesk:patrol_findings", PATROL_PAGE),
    Page("desk:frontdesk:patrol_findings", PATROL_PAGE, query="export=xlsx"),
    Page("desk:frontdesk:patrol_ticket", GUARD_TASK_STEP, "finding"),
    Page("desk:frontdesk:patrol_points", DESK_ROLES_PAGE),
    Page("desk:frontdesk:patrol_labels", DESK_ROLES_PAGE),
    Page("desk:frontdesk:patrol_routes", DESK_ROLES_PAGE),
    Page("desk:frontdesk:patrol_plans", DESK_ROLES_PAGE),
]


def _task(r):
    found = PatrolTask.objects.filter(assignee=r.fixture("guard")).first()
    return found or make_task(r.fixture("building"), r.fixture("guard"))


def _finding(r):
    task = r["task"]
    return PatrolCheck.objects.filter(task=task).first() or scan(
        task, points_of(task)[0], abnormal=("照明正常",), note="灯不亮", now=at(9, 5)
    )


MAKERS = {
    "task": _task,
    "point_code": lambda r: points_of(r["task"])[0].code,
    "finding": _finding,
}


@pytest.fixture
def records(request, tenant_a, tenant_b_admin, tenant_a_staff):
    with time_machine.travel(at(9, 30), tick=False):
        yield LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", LOGIN_REDIRECT), ("engineer", MISSING), ("finance", FORBIDDEN)]
)
def test_a_refused_ticket_tap_makes_no_ticket(records, persona, who, status):
    facility_category()
    finding = records["finding"]
    url = reverse("desk:frontdesk:patrol_ticket", args=[finding.pk])
    response = client_as(persona, who).post(url, {"ticket-category": facility_category().pk})
    assert response.status_code == status and not RepairTicket.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", LOGIN_REDIRECT), ("engineer", MISSING), ("tenant_a_admin", FORBIDDEN)]
)
def test_a_refused_transfer_or_start_leaves_the_task(records, persona, who, status, engineer):
    task = records["task"]
    client = client_as(persona, who)
    moved = client.post(
        reverse("desk:frontdesk:patrol_task_transfer", args=[task.pk]),
        {"transfer-to": engineer.pk, "transfer-reason": "我来"},
    )
    started = client.post(reverse("desk:frontdesk:patrol_task_start", args=[task.pk]))
    assert moved.status_code == started.status_code == status
    task.refresh_from_db()
    assert task.assignee.username == "guard" and task.status == "pending"


def test_the_desk_may_not_start_a_guards_task(records, persona):
    task = records["task"]
    response = client_as(persona, "desk").post(reverse("desk:frontdesk:patrol_task_start", args=[task.pk]))
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == "pending"
