"""Fixed query counts of the meeting-room pages: the register, the day's calendar of every
space, the rooms' free slots, a room's calendar and feed, the details, the portal's list and
the admin (see tests/querycount.py)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jinyuan.workflow.services import record_event
from tests.querycount import Case, admin_changelist, assert_fixed_queries
from tests.venues.room_data import at, book, day_ahead, make_room

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(query_ctx):
    building = query_ctx["building"]
    rooms = [make_room(building, name=f"{i}号会议室", free_hours_per_month=0) for i in (1, 2, 3)]
    day = day_ahead(3)
    booking = book(
        rooms[0], query_ctx["tenant_a_admin"], query_ctx["tenant_a"], day, "08:00", "08:30", now=timezone.now()
    )
    return {**query_ctx, "rooms": rooms, "day": day, "booking": booking, "made": 1}


def bookings(ctx, n):
    """Half-hour bookings of the day, across the three rooms; a third each the company's, the
    property's, and billed."""
    for _ in range(n):
        i = ctx["made"]
        ctx["made"] += 1
        room = ctx["rooms"][i % 3]
        start = at(ctx["day"], "08:00") + dt.timedelta(minutes=30 * (i // 3 + 1))
        tenant = ctx["tenant_a"] if i % 3 != 1 else None
        by = ctx["tenant_a_admin"] if tenant else ctx["desk"]
        book(
            room,
            by,
            tenant,
            ctx["day"],
            f"{start:%H:%M}",
            f"{start + dt.timedelta(minutes=30):%H:%M}",
            now=timezone.now(),
        )


def timeline_events(ctx, n):
    for i in range(n):
        record_event(ctx["booking"], "booking.note", by=ctx["desk"], note=f"备注{i}")


def on_day(view, room=False):
    def url(c):
        args = [c["rooms"][0].pk] if room else []
        return reverse(view, args=args) + f"?day={c['day']:%Y-%m-%d}"

    return url


def feed(view):
    def url(c):
        start = at(c["day"] - dt.timedelta(days=c["day"].weekday()), "00:00")
        q = f"start={start.isoformat()}&end={(start + dt.timedelta(days=7)).isoformat()}".replace("+", "%2B")
        return reverse(view, args=[c["rooms"][0].pk]) + "?" + q

    return url


CASES = {
    "desk-booking-list": Case("desk", lambda c: reverse("desk:venues:booking_list"), bookings, 5),
    "desk-calendar-day": Case("desk", on_day("desk:venues:calendar"), bookings, 4),
    "desk-rooms": Case("desk", on_day("desk:venues:rooms"), bookings, 4),
    "desk-room-calendar": Case("desk", on_day("desk:venues:room_calendar", room=True), bookings, 5),
    "desk-room-feed": Case("desk", feed("desk:venues:room_feed"), bookings, 4),
    "desk-booking-detail": Case(
        "desk", lambda c: reverse("desk:venues:booking_detail", args=[c["booking"].pk]), timeline_events, 4
    ),
    "portal-rooms": Case("tenant_a_admin", on_day("portal:venues:rooms"), bookings, 5),
    "portal-room-calendar": Case("tenant_a_admin", on_day("portal:venues:room_calendar", room=True), bookings, 6),
    "portal-room-feed": Case("tenant_a_admin", feed("portal:venues:room_feed"), bookings, 5),
    "portal-booking-list": Case("tenant_a_admin", lambda c: reverse("portal:venues:booking_list"), bookings, 5),
    "portal-booking-detail": Case(
        "tenant_a_admin",
        lambda c: reverse("portal:venues:booking_detail", args=[c["booking"].pk]),
        timeline_events,
        7,
    ),
    "admin-booking": Case("superuser", admin_changelist("venues.Booking"), bookings, 8),
    "admin-space": Case(
        "superuser",
        admin_changelist("venues.Space"),
        lambda c, n: [make_room(c["building"], name=f"房{i}") for i in range(n)],
        6,
    ),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
