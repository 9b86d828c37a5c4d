"""Who may open the liaison, follow-up item and emergency pages (the access matrix); a refused
POST changes nothing."""

import pytest
from django.urls import reverse

from frontdesk.models import ActionItem, Emergency, Visit
from jinyuan.workflow.models import AuditEvent
from repairs.models import RepairTicket
from tests.frontdesk.liaison_data import ACCESS_MAKERS, water_category
from tests.matrix import (
    DESK_PAGE,
    DESK_ROLES_PAGE,
    FORBIDDEN,
    LOGIN_REDIRECT,
    MISSING,
    PORTAL_ADMIN_PAGE,
    TENANT_A_RECORD,
    LazyRecords,
    Page,
    assert_page,
    by_page,
    client_as,
    desk_page,
)

pytestmark = pytest.mark.django_db

EMERGENCY_PAGE = desk_page("desk", "supervisor", "guard")
# A step posted from the emergency's page: GET sends those who may post back to the page.
EMERGENCY_STEP = {k: LOGIN_REDIRECT if v == 200 else v for k, v in EMERGENCY_PAGE.items()}
# An item owned by the engineer: the desk, supervisors and its owner open it; other staff 404.
ITEM_PAGE = {**DESK_PAGE, "guard": MISSING, "finance": MISSING}
ITEM_CLOSE = {k: LOGIN_REDIRECT if v == 200 else v for k, v in ITEM_PAGE.items()}
PORTAL_VISIT = {**TENANT_A_RECORD, "tenant_a_staff": FORBIDDEN}

PAGES = [
    Page("desk:frontdesk:action_items", DESK_PAGE),
    Page("desk:frontdesk:action_items", DESK_PAGE, query="export=xlsx"),
    Page("desk:frontdesk:action_items_all", DESK_ROLES_PAGE),
    Page("desk:frontdesk:action_item_detail", ITEM_PAGE, "action_item"),
    Page("desk:frontdesk:action_item_close", ITEM_CLOSE, "action_item"),
    Page("desk:frontdesk:visit_list", DESK_PAGE),
    Page("desk:frontdesk:visit_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:frontdesk:visit_new", DESK_ROLES_PAGE, "tenant_a"),
    Page("desk:frontdesk:visit_detail", DESK_PAGE, "liaison_visit"),
    Page("desk:frontdesk:visit_plan_list", DESK_PAGE),
    Page("desk:frontdesk:visit_plan_detail", DESK_PAGE, "visit_plan"),
    Page("desk:frontdesk:visit_plan_detail", DESK_PAGE, "visit_plan", query="export=xlsx"),
    Page("desk:frontdesk:emergency_list", DESK_PAGE),
    Page("desk:frontdesk:emergency_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:frontdesk:emergency_new", EMERGENCY_PAGE),
    Page("desk:frontdesk:emergency_detail", DESK_PAGE, "emergency"),
    Page("desk:frontdesk:emergency_response", EMERGENCY_PAGE, "emergency"),
    Page("desk:frontdesk:emergency_item", EMERGENCY_STEP, "emergency"),
    Page("desk:frontdesk:emergency_ticket", EMERGENCY_STEP, "emergency"),
    Page("desk:frontdesk:emergency_link", EMERGENCY_STEP, "emergency"),
    Page("portal:frontdesk:visit_list", PORTAL_ADMIN_PAGE),
    Page("portal:frontdesk:visit_detail", PORTAL_VISIT, "liaison_visit"),
]

MAKERS = {**ACCESS_MAKERS, "tenant_a": lambda r: r.fixture("tenant_a")}


@pytest.fixture
def records(request, tenant_a, tenant_b_admin, tenant_a_staff):
    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


def _events() -> int:
    return AuditEvent.objects.count()


@pytest.mark.parametrize(
    ("who", "action", "status"),
    [
        ("anonymous", "close", LOGIN_REDIRECT),
        ("desk", "close", FORBIDDEN),  # the supervisor closes
        ("guard", "void", FORBIDDEN),
        ("engineer", "close", FORBIDDEN),
        ("tenant_a_admin", "close", FORBIDDEN),
    ],
)
def test_a_refused_emergency_action_changes_nothing(records, persona, who, action, status):
    emergency = records["emergency"]
    before = _events()
    url = reverse("desk:frontdesk:emergency_detail", args=[emergency.pk])
    response = client_as(persona, who).post(url, {"action": action, "note": "完毕"})
    assert response.status_code == status
    emergency.refresh_from_db()
    assert emergency.status == Emergency.Status.OPEN and _events() == before


@pytest.mark.parametrize("who", ["anonymous", "engineer", "finance", "tenant_a_admin"])
def test_a_refused_ticket_submit_makes_no_ticket(records, persona, who):
    emergency = records["emergency"]
    url = reverse("desk:frontdesk:emergency_ticket", args=[emergency.pk])
    response = client_as(persona, who).post(url, {"ticket-category": water_category().pk})
    assert response.status_code in (LOGIN_REDIRECT, FORBIDDEN)
    assert not RepairTicket.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("engineer", FORBIDDEN), ("guard", FORBIDDEN), ("anonymous", 302)])
def test_a_refused_void_leaves_the_visit(records, persona, who, status):
    visit = records["liaison_visit"]
    url = reverse("desk:frontdesk:visit_detail", args=[visit.pk])
    response = client_as(persona, who).post(url, {"action": "void", "note": "x"})
    assert response.status_code == status
    visit.refresh_from_db()
    assert visit.status == Visit.Status.RECORDED


@pytest.mark.parametrize(("who", "status"), [("guard", MISSING), ("finance", MISSING), ("tenant_a_admin", FORBIDDEN)])
def test_a_refused_close_leaves_the_item_open(records, persona, who, status):
    item = records["action_item"]
    url = reverse("desk:frontdesk:action_item_close", args=[item.pk])
    response = client_as(persona, who).post(url, {"action": "complete", "note": "完成"})
    assert response.status_code == status
    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN
