"""Meeting-room fixtures and helpers (imported by tests/venues/test_rooms_*.py and the access
matrix): a room with the usual rules (08:00–22:00, 30-minute slots, at most 4 hours, 60 days
ahead, 10 seats, CNY 100 per hour for tenants and 150 for others, 2 free hours per company and
month), and slot times."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import FeeItem
from venues import rooms as services
from venues.models import Space

# A Monday far ahead: bookings are never in the past whatever the clock.
MONDAY = dt.date(2031, 3, 3)


def at(day: dt.date, hm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hm), timezone.get_current_timezone())


def day_ahead(days: int = 3) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def fee_item() -> FeeItem:
    # The migration's fee item (a transactional test before this one may have flushed it).
    item, _ = FeeItem.objects.get_or_create(
        code=services.FEE_ITEM_CODE,
        defaults={"name": "会议室使用费", "kind": "one_off", "price": Decimal("0.00"), "unit_label": "元/小时"},
    )
    return item


def make_room(building, name: str = "A座18楼1号会议室", **over) -> Space:
    fields = {
        "kind": Space.Kind.MEETING_ROOM,
        "location": "18F",
        "capacity": 10,
        "equipment": ["投影仪", "白板", "视频会议"],
        "tenant_rate": Decimal("100.00"),
        "visitor_rate": Decimal("150.00"),
        "free_hours_per_month": Decimal("2.0"),
        "advance_days": 60 if "advance_days" not in over else over.pop("advance_days"),
        "fee_item": fee_item(),
        **over,
    }
    return Space.objects.create(name=name, building=building, **fields)


@pytest.fixture(name="room")
def room_fixture(building):
    return make_room(building, advance_days=3650)


def book(room, by, tenant, day: dt.date, start: str, end: str, now=None, **over):
    return services.room_book(
        space=room,
        by=by,
        tenant=tenant,
        start=at(day, start),
        end=at(day, end),
        title=over.pop("title", "周例会"),
        attendees=over.pop("attendees", 4),
        accept_fee=over.pop("accept_fee", True),
        now=now or at(day - dt.timedelta(days=3), "09:00"),
        **over,
    )


# Records of the access matrix (tests/venues/test_access_rooms.py, and the admin's rows in
# tests/test_access_matrix.py): a room, and a booking of tenant A three days ahead.
ACCESS_MAKERS = {
    "room": lambda r: make_room(r.fixture("building")),
    "room_booking": lambda r: book(
        r["room"],
        r.fixture("tenant_a_admin"),
        r.fixture("tenant_a"),
        day_ahead(3),
        "09:00",
        "10:00",
        now=timezone.now(),
    ),
    "room_door": lambda r: r["room"].door_code,
}
