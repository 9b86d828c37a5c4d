"""Who may open the pages of material distribution (the access matrix); a refused POST changes
nothing; another company's request is a 404; the desk cannot approve."""

import pytest
from django.urls import reverse

from jinyuan.workflow.models import AuditEvent
from tests.frontdesk.recycle_data import ACCESS_MAKERS
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
)

pytestmark = pytest.mark.django_db

DESK_STEP = {**DESK_ROLES_PAGE, "desk": LOGIN_REDIRECT, "supervisor": LOGIN_REDIRECT}


MAKERS = {"tenant_a": lambda r: r.fixture("tenant_a"), **ACCESS_MAKERS}

PAGES = [
    Page("desk:frontdesk:distribution_list", DESK_PAGE),
    Page("desk:frontdesk:distribution_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:frontdesk:distribution_new", DESK_ROLES_PAGE, "tenant_a"),
    Page("desk:frontdesk:distribution_detail", DESK_PAGE, "distribution"),
    Page("desk:frontdesk:distribution_complete", DESK_STEP, "distribution"),
    Page("portal:frontdesk:distribution_list", GRANTED_PORTAL_PAGE),
    Page("portal:frontdesk:distribution_new", GRANTED_PORTAL_PAGE),
    Page("portal:frontdesk:distribution_detail", GRANTED_TENANT_A_RECORD, "distribution"),
]


@pytest.fixture
def records(request, tenant_a, tenant_b_admin, tenant_a_staff):
    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


def _snapshot(obj) -> tuple:
    obj.refresh_from_db()
    return obj.status, AuditEvent.objects.count()


@pytest.mark.parametrize(
    ("who", "side", "data", "status"),
    [
        ("anonymous", "desk", {"action": "approve"}, LOGIN_REDIRECT),
        ("desk", "desk", {"action": "approve"}, FORBIDDEN),  # the desk cannot approve the content
        ("desk", "desk", {"action": "reject", "note": "x"}, FORBIDDEN),
        ("guard", "desk", {"action": "withdraw"}, FORBIDDEN),
        ("finance", "desk", {"action": "approve"}, FORBIDDEN),
        ("tenant_a_admin", "desk", {"action": "approve"}, FORBIDDEN),
        ("tenant_a_admin", "portal", {"action": "approve"}, FORBIDDEN),
        ("tenant_a_staff", "portal", {"action": "withdraw"}, FORBIDDEN),
        ("tenant_b_admin", "portal", {"action": "withdraw"}, MISSING),
        ("supervisor", "portal", {"action": "withdraw"}, FORBIDDEN),
    ],
)
def test_a_refused_post_changes_nothing(records, persona, who, side, data, status):
    obj = records["distribution"]
    url = reverse(f"{side}:frontdesk:distribution_detail", args=[obj.pk])
    before = _snapshot(obj)
    response = client_as(persona, who).post(url, data)
    assert response.status_code == status
    assert _snapshot(obj) == before
