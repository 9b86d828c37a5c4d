"""Fixed query counts of the freight-elevator pages: the registers, the week's calendar (the
free slots from one query however many bookings), the details (see tests/querycount.py)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jinyuan.workflow.services import record_event
from tests.permits.elevator_data import at, book, make_elevator, weekday_ahead
from tests.querycount import Case, admin_changelist, assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(query_ctx, engineer):
    elevator = make_elevator(query_ctx["building"])
    day = weekday_ahead(3)
    booking = book(
        elevator, query_ctx["tenant_a_admin"], query_ctx["tenant_a"], day, "07:00", "07:30", now=timezone.now()
    )
    return {**query_ctx, "elevator": elevator, "day": day, "booking": booking, "made": 1, "engineer": engineer}


def bookings(ctx, n):
    """Half-hour slots one after another (on the week's next days once a day is full), half of
    them the property's own; each with an operator."""
    from permits.elevator import elevator_assign_operator

    for _ in range(n):
        i = ctx["made"]
        ctx["made"] += 1
        day = ctx["day"] + dt.timedelta(days=i // 30)
        start = at(day, "07:00") + dt.timedelta(minutes=30 * (i % 30))
        tenant = ctx["tenant_a"] if i % 2 else None
        by = ctx["tenant_a_admin"] if tenant else ctx["desk"]
        b = book(
            ctx["elevator"],
            by,
            tenant,
            day,
            f"{start:%H:%M}",
            f"{start + dt.timedelta(minutes=30):%H:%M}",
            now=timezone.now(),
        )
        elevator_assign_operator(obj=b, operator=ctx["engineer"], by=ctx["desk"])


def timeline_events(ctx, n):
    for i in range(n):
        record_event(ctx["booking"], "elevator_booking.note", by=ctx["desk"], note=f"备注{i}")


def week(view):
    return lambda c: reverse(view, args=[c["elevator"].pk]) + f"?week={c['day']:%Y-%m-%d}"


CASES = {
    "desk-elevator-list": Case("desk", lambda c: reverse("desk:permits:elevator_list"), bookings, 6),
    "desk-elevator-calendar": Case("desk", week("desk:permits:elevator_calendar"), bookings, 7),
    "desk-elevator-detail": Case(
        "desk", lambda c: reverse("desk:permits:elevator_booking_detail", args=[c["booking"].pk]), timeline_events, 5
    ),
    "portal-elevator-list": Case("tenant_a_admin", lambda c: reverse("portal:permits:elevator_list"), bookings, 6),
    "portal-elevator-calendar": Case("tenant_a_admin", week("portal:permits:elevator_calendar"), bookings, 8),
    "portal-elevator-detail": Case(
        "tenant_a_admin",
        lambda c: reverse("portal:permits:elevator_booking_detail", args=[c["booking"].pk]),
        timeline_events,
        6,
    ),
    "admin-elevator-booking": Case("superuser", admin_changelist("permits.ElevatorBooking"), bookings, 8),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
