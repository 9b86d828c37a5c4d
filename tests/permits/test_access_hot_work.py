"""Who may open the hot-work pages and security's board (the access matrix); a refused POST
changes nothing, on the desk, the site page, in the portal and on the verify page."""

import pytest
from django.urls import reverse

from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent
from tests.matrix import (
    DESK_PAGE,
    DESK_ROLES_PAGE,
    FORBIDDEN,
    GRANTED_PORTAL_PAGE,
    GRANTED_TENANT_A_RECORD,
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

SITE_PAGE = desk_page("supervisor", "engineer", "guard")
BOARD_PAGE = desk_page("desk", "supervisor", "guard")

PAGES = [
    Page("desk:permits:hot_work_list", DESK_PAGE),
    Page("desk:permits:hot_work_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:permits:hot_work_detail", DESK_PAGE, "hot_work_submitted"),
    Page("desk:permits:hot_work_site", SITE_PAGE, "hot_work_approved"),
    Page("desk:permits:hot_work_pdf", DESK_PAGE, "hot_work_approved"),
    Page("desk:permits:hot_work_new", DESK_ROLES_PAGE, "tenant_a"),
    Page("desk:permits:security_board", BOARD_PAGE),
    Page("portal:permits:hot_work_list", GRANTED_PORTAL_PAGE),
    Page("portal:permits:hot_work_new", GRANTED_PORTAL_PAGE),
    Page("portal:permits:hot_work_detail", GRANTED_TENANT_A_RECORD, "hot_work_submitted"),
    Page("portal:permits:hot_work_correct", GRANTED_TENANT_A_RECORD, "hot_work_returned"),
    Page("portal:permits:hot_work_pdf", GRANTED_TENANT_A_RECORD, "hot_work_approved"),
]


@pytest.fixture
def records(request, tenant_a, tenant_b_admin, tenant_a_staff):
    from tests.test_access_matrix import MAKERS

    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


def _snapshot(permit) -> tuple:
    permit.refresh_from_db()
    return permit.status, permit.site_checks, AuditEvent.objects.count(), Document.objects.count()


@pytest.mark.parametrize(
    ("who", "side", "state", "data", "status"),
    [
        ("anonymous", "desk", "submitted", {"action": "engineering_approve"}, LOGIN_REDIRECT),
        ("guard", "desk", "submitted", {"action": "engineering_approve"}, FORBIDDEN),
        ("desk", "desk", "submitted", {"action": "engineering_approve"}, FORBIDDEN),
        ("engineer", "desk", "security_review", {"action": "security_approve"}, FORBIDDEN),
        ("finance", "desk", "submitted", {"action": "reject", "note": "x"}, FORBIDDEN),
        ("engineer", "desk", "approved", {"action": "stop", "note": "x"}, FORBIDDEN),
        ("desk", "desk", "approved", {"action": "stop", "note": "x"}, FORBIDDEN),
        ("tenant_a_admin", "desk", "submitted", {"action": "engineering_approve"}, FORBIDDEN),
        ("desk", "desk", "approved", {"action": "expire"}, FORBIDDEN),
        ("desk", "desk", "submitted", {"action": "withdraw"}, FORBIDDEN),  # the company's
        ("guard", "desk", "approved", {"action": "security_approve"}, LOGIN_REDIRECT),  # wrong state: a notice
        ("tenant_a_admin", "portal", "submitted", {"action": "engineering_approve"}, FORBIDDEN),
        ("tenant_a_staff", "portal", "submitted", {"action": "withdraw"}, FORBIDDEN),
        ("tenant_b_admin", "portal", "submitted", {"action": "withdraw"}, MISSING),
        ("supervisor", "portal", "submitted", {"action": "withdraw"}, FORBIDDEN),
        ("anonymous", "portal", "submitted", {"action": "withdraw"}, LOGIN_REDIRECT),
    ],
)
def test_a_refused_post_changes_nothing(records, persona, who, side, state, data, status):
    permit = records[f"hot_work_{state}"]
    url = reverse(f"{side}:permits:hot_work_detail", args=[permit.pk])
    before = _snapshot(permit)
    response = client_as(persona, who).post(url, data)
    assert response.status_code == status
    assert _snapshot(permit) == before


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", LOGIN_REDIRECT), ("desk", FORBIDDEN), ("finance", FORBIDDEN), ("tenant_a_admin", FORBIDDEN)],
)
def test_only_security_engineering_and_supervisors_check_the_site(records, persona, who, status):
    from permits.models.hot_work import SiteCheck

    permit = records["hot_work_approved"]
    before = _snapshot(permit)
    url = reverse("desk:permits:hot_work_site", args=[permit.pk])
    response = client_as(persona, who).post(url, {"step": "check", "checks": SiteCheck.values})
    assert response.status_code == status
    assert _snapshot(permit) == before


@pytest.mark.parametrize("who", ["anonymous", "tenant_a_admin", "tenant_b_admin", "desk", "engineer"])
def test_only_guards_act_on_the_verify_page(records, persona, who):
    permit = records["hot_work_approved"]
    before = _snapshot(permit)
    response = client_as(persona, who).post(permit.document.verify_path, {"action": "check"})
    assert response.status_code == 404
    assert _snapshot(permit) == before
