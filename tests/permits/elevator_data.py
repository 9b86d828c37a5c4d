"""Freight-elevator fixtures and helpers (imported by tests/permits/test_elevator_*.py): an
elevator with the usual rules (07:00–22:00 bookable, office hours 08:30–17:30, 2 free hours,
CNY 40 per started hour outside, 4 h / 24 h notice, 24 h cut-off), and slot times."""

import datetime as dt

import pytest
from django.utils import timezone

from billing.models import FeeItem
from permits import elevator as services
from permits.models import ElevatorBooking, FreightElevator

# A Monday in a year the working calendar has no holidays for: plain weekdays.
MONDAY = dt.date(2031, 3, 3)


def at(day: dt.date, hm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hm), timezone.get_current_timezone())


def weekday_ahead(days: int = 3) -> dt.date:
    """A working weekday at least ``days`` days after today (for pages that use the real clock)."""
    day = timezone.localdate() + dt.timedelta(days=days)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def make_elevator(building, name: str = "1号货梯", **over) -> FreightElevator:
    fee_item = FeeItem.objects.get(code="freight_elevator_hour")
    return FreightElevator.objects.create(name=name, building=building, fee_item=fee_item, **over)


@pytest.fixture(name="elevator")
def elevator_fixture(building):
    return make_elevator(building)


def book(elevator, by, tenant, day: dt.date, start: str, end: str, now=None, **over) -> ElevatorBooking:
    return services.elevator_book(
        elevator=elevator,
        by=by,
        tenant=tenant,
        start=at(day, start),
        end=at(day, end),
        purpose=over.pop("purpose", "搬运办公家具"),
        now=now or at(day - dt.timedelta(days=3), "09:00"),
        **over,
    )
