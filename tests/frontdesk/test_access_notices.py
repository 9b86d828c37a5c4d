"""Who may open the announcement pages (the access matrix); a refused POST changes nothing."""

import pytest
from django.urls import reverse

from frontdesk.models import AnnouncementCall
from jinyuan.workflow.models import AuditEvent
from tests.frontdesk.notice_data import ACCESS_MAKERS
from tests.matrix import (
    DESK_PAGE,
    DESK_ROLES_PAGE,
    FORBIDDEN,
    LOGIN_REDIRECT,
    MISSING,
    PORTAL_PAGE,
    TENANT_A_RECORD,
    LazyRecords,
    Page,
    assert_page,
    by_page,
    client_as,
)

pytestmark = pytest.mark.django_db

PAGES = [
    Page("desk:frontdesk:announcement_list", DESK_PAGE),
    Page("desk:frontdesk:announcement_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:frontdesk:announcement_new", DESK_ROLES_PAGE),
    Page("desk:frontdesk:announcement_detail", DESK_PAGE, "announcement_published"),
    Page("desk:frontdesk:announcement_edit", DESK_ROLES_PAGE, "announcement_draft"),
    Page("desk:frontdesk:announcement_unread", DESK_PAGE, "announcement_published"),
    Page("desk:frontdesk:announcement_unread", DESK_PAGE, "announcement_published", query="export=xlsx"),
    Page("portal:frontdesk:announcement_list", PORTAL_PAGE),
    # Addressed to tenant A only: tenant B gets a 404.
    Page("portal:frontdesk:announcement_detail", TENANT_A_RECORD, "announcement_published"),
]


MAKERS = ACCESS_MAKERS


@pytest.fixture
def records(request, tenant_a, tenant_b_admin, tenant_a_staff):
    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


def _snapshot(obj) -> tuple:
    obj.refresh_from_db()
    return obj.status, obj.read_count, AuditEvent.objects.count(), AnnouncementCall.objects.count()


@pytest.mark.parametrize(
    ("who", "state", "data", "status"),
    [
        ("anonymous", "draft", {"action": "approve"}, LOGIN_REDIRECT),
        ("desk", "draft", {"action": "approve"}, FORBIDDEN),  # the desk drafts, the supervisor approves
        ("guard", "published", {"action": "withdraw", "note": "x"}, FORBIDDEN),
        ("tenant_a_admin", "published", {"action": "withdraw", "note": "x"}, FORBIDDEN),
        ("supervisor", "published", {"action": "publish"}, FORBIDDEN),  # the system's
        ("supervisor", "withdrawn", {"action": "approve"}, LOGIN_REDIRECT),  # back with a notice
    ],
)
def test_a_refused_post_changes_nothing(records, persona, who, state, data, status):
    obj = records[f"announcement_{state}"]
    url = reverse("desk:frontdesk:announcement_detail", args=[obj.pk])
    before = _snapshot(obj)
    response = client_as(persona, who).post(url, data)
    assert response.status_code == status
    assert _snapshot(obj) == before


@pytest.mark.parametrize(
    ("who", "status"), [("guard", FORBIDDEN), ("tenant_a_admin", FORBIDDEN), ("anonymous", LOGIN_REDIRECT)]
)
def test_a_refused_call_records_nothing(records, persona, who, status):
    obj = records["announcement_published"]
    receipt = obj.receipts.get()
    url = reverse("desk:frontdesk:announcement_unread", args=[obj.pk])
    before = _snapshot(obj)
    response = client_as(persona, who).post(url, {"receipt": receipt.pk, "result": "reached"})
    assert response.status_code == status
    assert _snapshot(obj) == before


def test_another_company_reading_records_nothing(records, persona):
    obj = records["announcement_published"]
    url = reverse("portal:frontdesk:announcement_detail", args=[obj.pk])
    assert client_as(persona, "tenant_b_admin").get(url).status_code == MISSING
    obj.refresh_from_db()
    assert obj.read_count == 0
