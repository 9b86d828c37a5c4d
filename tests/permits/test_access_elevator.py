"""Who may open the freight-elevator pages (the access matrix); a refused POST changes nothing."""

import pytest
from django.urls import reverse

from jinyuan.workflow.models import AuditEvent
from permits.models import ElevatorBooking
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
from tests.permits.elevator_data import ACCESS_MAKERS, weekday_ahead

pytestmark = pytest.mark.django_db

PAGES = [
    Page("desk:permits:elevator_list", DESK_PAGE),
    Page("desk:permits:elevator_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:permits:elevator_calendar", DESK_PAGE, "elevator"),
    Page("desk:permits:elevator_book", DESK_ROLES_PAGE, "elevator"),
    Page("desk:permits:elevator_booking_detail", DESK_PAGE, "elevator_booking"),
    Page("portal:permits:elevator_list", GRANTED_PORTAL_PAGE),
    Page("portal:permits:elevator_calendar", GRANTED_PORTAL_PAGE, "elevator"),
    Page("portal:permits:elevator_book", GRANTED_PORTAL_PAGE, "elevator"),
    Page("portal:permits:elevator_booking_detail", GRANTED_TENANT_A_RECORD, "elevator_booking"),
]


MAKERS = ACCESS_MAKERS


@pytest.fixture
def records(request, tenant_a, tenant_b_admin, tenant_a_staff):
    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


def _snapshot(booking) -> tuple:
    booking.refresh_from_db()
    return booking.status, booking.operator_id, AuditEvent.objects.count()


@pytest.mark.parametrize(
    ("who", "side", "data", "status"),
    [
        ("anonymous", "desk", {"action": "cancel"}, LOGIN_REDIRECT),
        ("finance", "desk", {"action": "cancel"}, FORBIDDEN),
        ("finance", "desk", {"action": "complete"}, FORBIDDEN),
        ("tenant_a_admin", "desk", {"action": "cancel"}, FORBIDDEN),
        ("guard", "desk", {"action": "cancel"}, FORBIDDEN),
        ("engineer", "desk", {"operator": "1"}, FORBIDDEN),
        ("desk", "desk", {"action": "complete"}, LOGIN_REDIRECT),  # not begun yet: a notice
        ("tenant_a_staff", "portal", {"action": "cancel"}, FORBIDDEN),
        ("tenant_b_admin", "portal", {"action": "cancel"}, MISSING),
        ("tenant_a_admin", "portal", {"action": "complete"}, FORBIDDEN),
        ("supervisor", "portal", {"action": "cancel"}, FORBIDDEN),
        ("anonymous", "portal", {"action": "cancel"}, LOGIN_REDIRECT),
    ],
)
def test_a_refused_post_changes_nothing(records, persona, who, side, data, status):
    booking = records["elevator_booking"]
    url = reverse(f"{side}:permits:elevator_booking_detail", args=[booking.pk])
    before = _snapshot(booking)
    response = client_as(persona, who).post(url, data)
    assert response.status_code == status
    assert _snapshot(booking) == before


@pytest.mark.parametrize(
    ("who", "side", "status"),
    [
        ("anonymous", "desk", LOGIN_REDIRECT),
        ("guard", "desk", FORBIDDEN),
        ("finance", "desk", FORBIDDEN),
        ("tenant_a_admin", "desk", FORBIDDEN),
        ("tenant_a_staff", "portal", FORBIDDEN),
        ("desk", "portal", FORBIDDEN),
    ],
)
def test_a_refused_booking_books_nothing(records, persona, who, side, status):
    elevator = records["elevator"]
    day = weekday_ahead(3)
    data = {"day": day.isoformat(), "start": "09:00", "end": "10:00", "purpose": "搬运"}
    response = client_as(persona, who).post(reverse(f"{side}:permits:elevator_book", args=[elevator.pk]), data)
    assert response.status_code == status
    assert not ElevatorBooking.objects.exists()
