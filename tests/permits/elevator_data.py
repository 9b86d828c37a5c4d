"""Freight-elevator fixtures and helpers (imported by tests/permits/test_elevator_*.py): an
elevator with the usual rules (07:00–22:00 bookable, office hours 08:30–17:30, 2 free hours,
CNY 40 per started hour outside, 4 h / 24 h notice, 24 h cut-off), and slot times."""

import datetime as dt
from decimal import Decimal

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
    # The migration's fee item (a transactional test before this one may have flushed it).
    fee_item, _ = FeeItem.objects.get_or_create(
        code="freight_elevator_hour",
        defaults={
            "name": "专用货梯使用费（办公时间外）",
            "kind": "one_off",
            "price": Decimal("40.00"),
            "unit_label": "元/小时",
        },
    )
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


# Records of the access matrix (tests/permits/test_access_elevator.py, and the admin's rows in
# tests/test_access_matrix.py): an elevator, and a booking of tenant A three weekdays ahead.
ACCESS_MAKERS = {
    "elevator": lambda r: make_elevator(r.fixture("building")),
    "elevator_booking": lambda r: book(
        r["elevator"],
        r.fixture("tenant_a_admin"),
        r.fixture("tenant_a"),
        weekday_ahead(3),
        "09:00",
        "10:00",
        now=timezone.now(),
    ),
}
