"""Who may open the visitor-inquiry pages (the access matrix); a refused POST changes nothing."""

import pytest
from django.urls import reverse

from frontdesk import inquiry_services
from frontdesk.models import Inquiry
from jinyuan.workflow.models import AuditEvent
from repairs.models import RepairCategory, RepairTicket
from tests.matrix import (
    DESK_ROLES_PAGE,
    FORBIDDEN,
    LOGIN_REDIRECT,
    LazyRecords,
    Page,
    assert_page,
    by_page,
    client_as,
)

pytestmark = pytest.mark.django_db

PAGES = [
    Page("desk:frontdesk:inquiry_lookup", DESK_ROLES_PAGE),
    Page("desk:frontdesk:inquiry_lookup", DESK_ROLES_PAGE, query="q=%E7%94%B2%E6%96%B9"),
    Page("desk:frontdesk:inquiry_list", DESK_ROLES_PAGE),
    Page("desk:frontdesk:inquiry_list", DESK_ROLES_PAGE, query="export=xlsx"),
    Page("desk:frontdesk:inquiry_new", DESK_ROLES_PAGE),
    Page("desk:frontdesk:inquiry_detail", DESK_ROLES_PAGE, "inquiry_open"),
    Page("desk:frontdesk:inquiry_repair", DESK_ROLES_PAGE, "inquiry_open"),
    Page("desk:frontdesk:inquiry_complaint", DESK_ROLES_PAGE, "inquiry_open"),
]


def _inquiry(records):
    return inquiry_services.inquiry_log(
        by=records.fixture("desk"),
        channel="walk_in",
        kind="request",
        question="空调不制冷",
        tenant=records.fixture("tenant_a"),
        unit=records.fixture("unit_a"),
    )


def _escalated(records):
    inquiry = records["inquiry_open"]
    inquiry_services.inquiry_escalate(obj=inquiry, by=records.fixture("desk"), note="需主管处理")
    return inquiry


# Keys prefixed: tests/test_access_matrix.py (and the accessibility walk) share these makers.
MAKERS = {"inquiry_open": _inquiry, "inquiry_escalated": _escalated}


@pytest.fixture
def records(request, desk):
    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


def _snapshot(inquiry) -> tuple:
    inquiry.refresh_from_db()
    return inquiry.status, inquiry.answer, inquiry.supervisor_note, AuditEvent.objects.count()


@pytest.mark.parametrize(
    ("who", "record", "data", "status"),
    [
        ("anonymous", "inquiry_open", {"action": "escalate", "note": "x"}, LOGIN_REDIRECT),
        ("engineer", "inquiry_open", {"action": "escalate", "note": "x"}, FORBIDDEN),
        ("tenant_a_admin", "inquiry_open", {"answer": "x"}, FORBIDDEN),
        ("guard", "inquiry_open", {"answer": "x"}, FORBIDDEN),
        ("desk", "inquiry_escalated", {"action": "close", "note": "x"}, FORBIDDEN),  # the supervisor's
        ("desk", "inquiry_open", {"action": "answer_it"}, FORBIDDEN),  # not an action of this page
    ],
)
def test_a_refused_post_changes_nothing(records, persona, who, record, data, status):
    inquiry = records[record]
    url = reverse("desk:frontdesk:inquiry_detail", args=[inquiry.pk])
    before = _snapshot(inquiry)
    response = client_as(persona, who).post(url, data)
    assert response.status_code == status
    assert _snapshot(inquiry) == before


@pytest.mark.parametrize("who", ["anonymous", "engineer", "finance", "tenant_a_admin"])
def test_a_refused_conversion_makes_no_ticket(records, persona, who):
    inquiry = records["inquiry_open"]
    category = RepairCategory.objects.create(name="空调")
    data = {"tenant": inquiry.tenant_id, "unit": "1201", "reporter_name": "张", "phone": "13877110001"}
    client_as(persona, who).post(
        reverse("desk:frontdesk:inquiry_repair", args=[inquiry.pk]),
        {**data, "category": category.pk, "description": "x", "urgency": "normal"},
    )
    assert not RepairTicket.objects.exists()
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.OPEN
