"""Who may open the complaint pages (the access matrix), and a refused POST changes nothing.

The records come from the shared makers of tests/test_access_matrix.py (``complaint_<state>``):
tenant A's complaint recorded by the desk and assigned to engineering (the engineer persona)."""

import pytest
from django.urls import reverse

from complaints.models import Complaint
from jinyuan.workflow.models import AuditEvent
from tests.matrix import (
    DESK_ROLES_PAGE,
    FORBIDDEN,
    GRANTED_PORTAL_PAGE,
    GRANTED_TENANT_A_RECORD,
    LOGIN_REDIRECT,
    MISSING,
    LazyRecords,
    Page,
    assert_page,
    assert_refused,
    by_page,
    client_as,
    desk_page,
)

pytestmark = pytest.mark.django_db

# The register: the desk and supervisors (all), engineering and security (their department's).
REGISTER = desk_page("desk", "supervisor", "engineer", "guard")
# An engineering complaint: security reads none of it (404), finance no complaint at all (403).
ENGINEERING_COMPLAINT = {**REGISTER, "guard": MISSING}

PAGES = [
    Page("desk:complaints:complaint_list", REGISTER),
    Page("desk:complaints:complaint_list", REGISTER, query="export=xlsx"),
    Page("desk:complaints:complaint_new", DESK_ROLES_PAGE),
    Page("desk:complaints:tenant_lookup", DESK_ROLES_PAGE, query="q=1201"),
    Page("desk:complaints:complaint_detail", ENGINEERING_COMPLAINT, "complaint_assigned"),
    Page("portal:complaints:complaint_list", GRANTED_PORTAL_PAGE),
    Page("portal:complaints:complaint_new", GRANTED_PORTAL_PAGE),
    Page("portal:complaints:complaint_detail", GRANTED_TENANT_A_RECORD, "complaint_assigned"),
]


@pytest.fixture
def records(request, tenant_a, tenant_b_admin, tenant_a_staff):
    from tests.test_access_matrix import MAKERS

    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    ("who", "side", "state", "data", "status"),
    [
        ("anonymous", "desk", "assigned", {"action": "cancel", "note": "x"}, LOGIN_REDIRECT),
        ("finance", "desk", "assigned", {"action": "cancel", "note": "x"}, FORBIDDEN),
        ("guard", "desk", "assigned", {"action": "propose_reply", "propose_reply-reply_draft": "x"}, MISSING),
        ("engineer", "desk", "assigned", {"action": "cancel", "note": "x"}, FORBIDDEN),
        ("engineer", "desk", "assigned", {"action": "mark_validity", "validity-validity": "valid"}, FORBIDDEN),
        ("engineer", "desk", "proposed", {"action": "approve_reply", "approve_reply-approved_reply": "x"}, FORBIDDEN),
        ("desk", "desk", "proposed", {"action": "approve_reply", "approve_reply-approved_reply": "x"}, FORBIDDEN),
        ("desk", "desk", "proposed", {"action": "send_back", "note": "不行"}, FORBIDDEN),
        ("engineer", "desk", "proposed", {"action": "send_back", "note": "不行"}, FORBIDDEN),
        ("tenant_a_admin", "desk", "assigned", {"action": "cancel", "note": "x"}, FORBIDDEN),
        ("desk", "desk", "assigned", {"action": "delete"}, FORBIDDEN),
        ("desk", "desk", "assigned", {"action": "withdraw", "note": "x"}, FORBIDDEN),
        ("desk", "desk", "assigned", {}, FORBIDDEN),
        ("supervisor", "portal", "assigned", {"action": "withdraw", "note": "x"}, FORBIDDEN),
        ("tenant_b_admin", "portal", "assigned", {"action": "withdraw", "note": "x"}, MISSING),
        ("tenant_a_staff", "portal", "assigned", {"action": "withdraw", "note": "x"}, FORBIDDEN),
        # The desk recorded it: the company's admin is not the complainant who may withdraw it.
        ("tenant_a_admin", "portal", "assigned", {"action": "withdraw", "note": "x"}, FORBIDDEN),
        ("anonymous", "portal", "assigned", {"action": "withdraw", "note": "x"}, LOGIN_REDIRECT),
        # Allowed role, wrong state: a notice and back to the complaint, nothing changes.
        ("desk", "desk", "assigned", {"action": "acknowledge"}, LOGIN_REDIRECT),
        (
            "supervisor",
            "desk",
            "closed",
            {"action": "approve_reply", "approve_reply-approved_reply": "x"},
            LOGIN_REDIRECT,
        ),
        ("desk", "desk", "closed", {"action": "assign", "assign-department": "security"}, LOGIN_REDIRECT),
        ("desk", "desk", "closed", {"action": "cancel", "note": "重复"}, LOGIN_REDIRECT),
    ],
)
def test_a_refused_post_changes_nothing(persona, records, who, side, state, data, status):
    complaint = records[f"complaint_{state}"]
    url = reverse(f"{side}:complaints:complaint_detail", args=[complaint.pk])
    before = Complaint.objects.filter(pk=complaint.pk).values().get()
    events = AuditEvent.objects.count()
    response = client_as(persona, who).post(url, data)
    assert_refused(response, url, status, who)
    assert Complaint.objects.filter(pk=complaint.pk).values().get() == before
    assert AuditEvent.objects.count() == events
