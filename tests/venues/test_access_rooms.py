"""Who may open the meeting-room pages (the access matrix); a refused POST changes nothing."""

import pytest
from django.urls import reverse

from jinyuan.workflow.models import AuditEvent
from tests.matrix import (
    ANY_USER,
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
from tests.venues.room_data import ACCESS_MAKERS, day_ahead
from venues.models import Booking

pytestmark = pytest.mark.django_db

FEED = "start=2031-03-03T00:00:00%2B08:00&end=2031-03-10T00:00:00%2B08:00"

PAGES = [
    Page("desk:venues:calendar", DESK_PAGE),
    Page("desk:venues:booking_list", DESK_PAGE),
    Page("desk:venues:booking_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:venues:booking_detail", DESK_PAGE, "room_booking"),
    Page("desk:venues:booking_ics", DESK_PAGE, "room_booking"),
    Page("desk:venues:rooms", DESK_PAGE),
    Page("desk:venues:room_calendar", DESK_PAGE, "room"),
    Page("desk:venues:room_feed", DESK_PAGE, "room", query=FEED),
    Page("desk:venues:room_book", DESK_ROLES_PAGE, "room"),
    Page("desk:venues:room_door_label", DESK_PAGE, "room"),
    Page("portal:venues:rooms", GRANTED_PORTAL_PAGE),
    Page("portal:venues:room_calendar", GRANTED_PORTAL_PAGE, "room"),
    Page("portal:venues:room_feed", GRANTED_PORTAL_PAGE, "room", query=FEED),
    Page("portal:venues:room_book", GRANTED_PORTAL_PAGE, "room"),
    Page("portal:venues:booking_list", GRANTED_PORTAL_PAGE),
    Page("portal:venues:booking_detail", GRANTED_TENANT_A_RECORD, "room_booking"),
    Page("portal:venues:booking_ics", GRANTED_TENANT_A_RECORD, "room_booking"),
    Page("portal:venues:door", ANY_USER, "room_door"),
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
    return booking.status, booking.checked_in_at, AuditEvent.objects.count()


@pytest.mark.parametrize(
    ("who", "side", "data", "status"),
    [
        ("anonymous", "desk", {"action": "cancel"}, LOGIN_REDIRECT),
        ("finance", "desk", {"action": "cancel"}, FORBIDDEN),
        ("finance", "desk", {"action": "check_in"}, FORBIDDEN),
        ("engineer", "desk", {"action": "no_show"}, FORBIDDEN),
        ("tenant_a_admin", "desk", {"action": "cancel"}, FORBIDDEN),
        ("desk", "desk", {"action": "confirm"}, FORBIDDEN),  # internal: the application's
        ("desk", "desk", {"action": "check_in"}, LOGIN_REDIRECT),  # not yet: a notice
        ("tenant_a_staff", "portal", {"action": "cancel"}, FORBIDDEN),
        ("tenant_b_admin", "portal", {"action": "cancel"}, MISSING),
        ("tenant_a_admin", "portal", {"action": "no_show"}, FORBIDDEN),
        ("supervisor", "portal", {"action": "cancel"}, FORBIDDEN),
        ("anonymous", "portal", {"action": "cancel"}, LOGIN_REDIRECT),
    ],
)
def test_a_refused_post_changes_nothing(records, persona, who, side, data, status):
    booking = records["room_booking"]
    url = reverse(f"{side}:venues:booking_detail", args=[booking.pk])
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
    room = records["room"]
    data = {"day": day_ahead(3).isoformat(), "start": "09:00", "end": "10:00", "title": "例会", "attendees": "3"}
    response = client_as(persona, who).post(reverse(f"{side}:venues:room_book", args=[room.pk]), data)
    assert response.status_code == status
    assert not Booking.objects.exists()


def test_another_companys_door_scan_checks_nothing_in(records, persona):
    booking = records["room_booking"]
    url = reverse("portal:venues:door", args=[booking.space.door_code])
    response = client_as(persona, "tenant_b_admin").post(url)
    assert response.status_code == LOGIN_REDIRECT  # back to the page with a notice
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    page = client_as(persona, "tenant_b_admin").get(url).content.decode()
    assert "广西甲方" not in page and "周例会" not in page
