"""Who may open the access pass pages (the access matrix); a refused POST changes nothing."""

import pytest
from django.urls import reverse

from jinyuan.workflow.models import AuditEvent
from permits.models import AccessPass
from tests import factories
from tests.matrix import (
    DESK_PAGE,
    DESK_ROLES_PAGE,
    FORBIDDEN,
    GRANTED_PORTAL_PAGE,
    GRANTED_TENANT_A_RECORD,
    LOGIN_REDIRECT,
    MISSING,
    Page,
    assert_page,
    assert_refused,
    by_page,
    client_as,
)

pytestmark = pytest.mark.django_db

PAGES = [
    Page("desk:permits:access_pass_list", DESK_PAGE),
    Page("desk:permits:access_pass_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:permits:access_pass_detail", DESK_PAGE, "access_pass_issued"),
    Page("desk:permits:access_pass_issue", DESK_ROLES_PAGE, "access_pass_approved"),
    Page("desk:permits:access_pass_reissue", DESK_ROLES_PAGE, "access_pass_lost"),
    Page("portal:permits:access_pass_list", GRANTED_PORTAL_PAGE),
    Page("portal:permits:access_pass_new", GRANTED_PORTAL_PAGE),
    Page("portal:permits:access_pass_import", GRANTED_PORTAL_PAGE),
    Page("portal:permits:access_pass_template", GRANTED_PORTAL_PAGE),
    Page("portal:permits:access_pass_detail", GRANTED_TENANT_A_RECORD, "access_pass_requested"),
]


@pytest.fixture
def records(tenant_a, tenant_a_admin, desk):
    class Records(dict):
        def __missing__(self, key):
            state = key.removeprefix("access_pass_")
            value = self[key] = factories.make_access_pass(tenant_a, tenant_a_admin, state, desk=desk)
            return value

    return Records()


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    ("side", "who", "key", "action", "status"),
    [
        ("desk", "anonymous", "access_pass_requested", "approve", LOGIN_REDIRECT),
        ("desk", "guard", "access_pass_requested", "approve", FORBIDDEN),
        ("desk", "engineer", "access_pass_requested", "refuse", FORBIDDEN),
        ("desk", "finance", "access_pass_issued", "give_back", FORBIDDEN),
        ("desk", "tenant_a_admin", "access_pass_requested", "approve", FORBIDDEN),
        ("desk", "desk", "access_pass_issued", "expire", FORBIDDEN),  # only the scan expires a card
        ("desk", "desk", "access_pass_issued", "issue", FORBIDDEN),  # the issue form, never a bare button
        ("desk", "desk", "access_pass_lost", "reissue", FORBIDDEN),
        ("portal", "tenant_a_staff", "access_pass_requested", "withdraw", FORBIDDEN),  # no grant
        ("portal", "tenant_b_admin", "access_pass_requested", "withdraw", MISSING),
        ("portal", "tenant_b_admin", "access_pass_issued", "report_lost", MISSING),
        ("portal", "tenant_a_admin", "access_pass_issued", "give_back", FORBIDDEN),  # the desk takes cards back
        ("portal", "tenant_a_admin", "access_pass_issued", "cancel", FORBIDDEN),
        ("portal", "supervisor", "access_pass_requested", "withdraw", FORBIDDEN),
        ("portal", "anonymous", "access_pass_requested", "withdraw", LOGIN_REDIRECT),
        # allowed role, wrong state: a notice, nothing changes
        ("desk", "desk", "access_pass_issued", "approve", LOGIN_REDIRECT),
    ],
)
def test_a_refused_post_changes_nothing(persona, records, side, who, key, action, status):
    access_pass = records[key]
    before, events = access_pass.status, AuditEvent.objects.count()
    url = reverse(f"{side}:permits:access_pass_detail", args=[access_pass.pk])
    response = client_as(persona, who).post(url, {"action": action, "note": "理由"})
    assert_refused(response, url, status, who)
    access_pass.refresh_from_db()
    assert access_pass.status == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("who", ["anonymous", "guard", "engineer", "finance", "tenant_a_admin"])
def test_a_refused_issue_post_issues_nothing(persona, records, who):
    approved = records["access_pass_approved"]
    url = reverse("desk:permits:access_pass_issue", args=[approved.pk])
    response = client_as(persona, who).post(url, {"card_number": "88880001", "charge": "deposit"})
    assert response.status_code == (LOGIN_REDIRECT if who == "anonymous" else FORBIDDEN)
    approved.refresh_from_db()
    assert (approved.status, approved.card_number) == (AccessPass.Status.APPROVED, "")


@pytest.mark.parametrize(("who", "status"), [("tenant_a_staff", FORBIDDEN), ("guard", FORBIDDEN), ("anonymous", 302)])
def test_a_refused_portal_request_requests_nothing(persona, records, who, status):
    url = reverse("portal:permits:access_pass_new")
    data = {"holder_name": "赵六", "mobile": "13877110009", "card_type": "staff"}
    assert client_as(persona, who).post(url, data).status_code == status
    assert not AccessPass.objects.filter(holder_name="赵六").exists()
