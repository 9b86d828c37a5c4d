"""Who may open the repair pages (the access matrix); a refused POST changes nothing.

The records come from the shared makers of tests/test_access_matrix.py (``repair_<state>``)."""

import pytest
from django.urls import reverse

from jinyuan.workflow.models import AuditEvent
from repairs.models import RepairTicket
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

# The engineer's phone pages: engineering and supervisors; another engineer's ticket is a 404.
ENGINEER_PAGE = desk_page("engineer", "supervisor")
ENGINEER_RECORD = {**ENGINEER_PAGE, "supervisor": MISSING}  # assigned to the engineer persona

PAGES = [
    Page("desk:repairs:ticket_list", DESK_ROLES_PAGE),
    Page("desk:repairs:ticket_list", DESK_ROLES_PAGE, query="export=xlsx"),
    Page("desk:repairs:ticket_new", DESK_ROLES_PAGE),
    Page("desk:repairs:tenant_lookup", DESK_ROLES_PAGE, query="q=1201"),
    # Reminders link the desk page; an engineer is sent on to the phone page (302).
    Page("desk:repairs:ticket_detail", {**DESK_ROLES_PAGE, "engineer": LOGIN_REDIRECT}, "repair_accepted"),
    Page("desk:repairs:engineer_worklist", ENGINEER_PAGE),
    Page("desk:repairs:engineer_ticket", ENGINEER_RECORD, "repair_accepted"),
    Page("desk:repairs:engineer_ticket", ENGINEER_PAGE, "repair_pooled", query="pool=1"),
    Page("portal:repairs:ticket_list", GRANTED_PORTAL_PAGE),
    Page("portal:repairs:ticket_new", GRANTED_PORTAL_PAGE),
    Page("portal:repairs:ticket_detail", GRANTED_TENANT_A_RECORD, "repair_accepted"),
]


@pytest.fixture
def records(request, tenant_a, tenant_b_admin, tenant_a_staff):
    from tests.test_access_matrix import MAKERS

    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    ("who", "side", "data", "status"),
    [
        ("anonymous", "desk", {"action": "cancel", "note": "x"}, LOGIN_REDIRECT),
        ("guard", "desk", {"action": "cancel", "note": "x"}, FORBIDDEN),
        ("engineer", "desk", {"action": "cancel", "note": "x"}, FORBIDDEN),
        ("finance", "desk", {"action": "pool"}, FORBIDDEN),
        ("tenant_a_admin", "desk", {"action": "close"}, FORBIDDEN),
        ("desk", "desk", {"action": "delete"}, FORBIDDEN),
        ("desk", "engineer", {"action": "arrive"}, FORBIDDEN),
        ("supervisor", "engineer", {"action": "arrive"}, MISSING),  # not theirs
    ],
)
def test_a_refused_post_changes_nothing(persona, records, who, side, data, status):
    t = records["repair_accepted"]
    name = {
        "desk": "desk:repairs:ticket_detail",
        "engineer": "desk:repairs:engineer_ticket",
    }[side]
    url = reverse(name, args=[t.pk])
    events = AuditEvent.objects.count()
    response = client_as(persona, who).post(url, data)
    assert_refused(response, url, status, who)
    fresh = RepairTicket.objects.get(pk=t.pk)
    assert (fresh.status, fresh.assignee_id) == (t.status, t.assignee_id)
    assert AuditEvent.objects.count() == events


def test_an_engineer_may_not_open_billing(persona):
    client = client_as(persona, "engineer")
    for name in ("desk:billing:bill_list", "desk:billing:payment_list", "desk:billing:deposit_list"):
        assert client.get(reverse(name)).status_code == FORBIDDEN, name
