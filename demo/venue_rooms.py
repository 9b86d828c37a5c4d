"""Meeting rooms 会议室 of the demo: four rooms in the towers (equipment, rates, one with a free
monthly quota, a small free one) and a month of bookings (about three weeks back, ten days
ahead) walked through ``venues.rooms`` by the demo users at the time of each step: past ones
checked in, no-shows and cancellations before and after the cut-off; coming ones booked (a few
cancelled); by companies (free hours first, the rest billed), by the desk for a customer and for
the property itself. Public space and events are the applications' demo, not made here."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from billing.customer_models import Customer
from billing.models import FeeItem
from venues import rooms
from venues.models import Booking, Space

from . import clock
from .premises import Premises, local_dt

# name, building index, where, seats, equipment, tenant rate, non-tenant rate, free hours/month, longest
ROOMS = (
    ("18楼第一会议室", 0, "18F 电梯厅东侧", 12, ["投影仪", "白板", "视频会议"], "100.00", "150.00", "4", 4),
    ("18楼第二会议室", 0, "18F 电梯厅西侧", 6, ["电视", "白板"], "60.00", "90.00", "2", 4),
    ("3楼多功能厅", 1, "3F 连廊旁", 60, ["投影仪", "音响", "话筒", "讲台"], "300.00", "450.00", "0", 8),
    ("2楼洽谈室", 0, "2F 客服中心旁", 4, ["电视"], "0.00", "0.00", "0", 2),
)
SUBJECTS = ("部门周例会", "客户方案评审", "季度经营分析会", "新员工培训", "项目启动会", "供应商洽谈", "产品演示")


@dataclass
class People:
    desk: Any


def meeting_rooms(premises: Premises) -> list[Space]:
    fee = FeeItem.objects.filter(code=rooms.FEE_ITEM_CODE).first()
    buildings = premises.buildings
    made = []
    for name, b, where, seats, equipment, rate, visitor, free, longest in ROOMS:
        building = buildings[b % len(buildings)]
        made.append(
            Space.objects.get_or_create(
                name=f"{building.code}座{name}",
                defaults={
                    "kind": Space.Kind.MEETING_ROOM,
                    "building": building,
                    "location": where,
                    "capacity": seats,
                    "equipment": equipment,
                    "tenant_rate": Decimal(rate),
                    "visitor_rate": Decimal(visitor),
                    "free_hours_per_month": Decimal(free),
                    "max_hours": longest,
                    "fee_item": fee,
                },
            )[0]
        )
    return made


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return local_dt(day, hour, minute)


def _plan(today: date):
    """(room, start, hours, who, final) for each booking: ``who`` a company index, "customer" or
    None (the property); ``final`` what becomes of it."""
    for offset in range(-24, 11):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for r in range(len(ROOMS)):
            if (offset + r) % 4 == 0:
                continue
            slots = [(9 + (offset * 7 + r) % 3, 1 + (offset + r) % 2)]
            if (offset + r) % 2 == 0:
                slots.append((14 + (offset + 2 * r) % 3, 1 + (offset * 3 + r) % 2))
            for i, (hour, hours) in enumerate(slots):
                n = abs(offset * 11 + r * 5 + i * 3)
                who: Any = n % 6
                if n % 13 == 0:
                    who = None
                elif n % 17 == 0:
                    who = "customer"
                if offset < 0:
                    final = (
                        "no_show"
                        if n % 7 == 0
                        else "cancelled"
                        if n % 11 == 1
                        else "cancelled_late"
                        if n % 11 == 2
                        else "checked_in"
                    )
                else:
                    final = "cancelled" if n % 9 == 0 else "booked"
                yield r, _at(day, hour), hours, who, final


def through_services(premises: Premises, people: People, admins: list[Any], today: date) -> list[Booking]:
    spaces = meeting_rooms(premises)
    customer = Customer.objects.filter(is_active=True).order_by("pk").first()
    now = timezone.now()
    made = []
    for n, (r, start, hours, who, final) in enumerate(_plan(today)):
        end = start + timedelta(hours=hours)
        if final == "booked" and start < now:
            final = "checked_in"  # today's earlier meetings have begun
        tenant = premises.tenants[who] if isinstance(who, int) and who < len(admins) else None
        by = admins[who] if tenant is not None else people.desk
        paying = customer if who == "customer" and tenant is None else None
        booked_at = min(_at(start.date() - timedelta(days=3), 10), now - timedelta(minutes=5))
        with clock.at(booked_at):
            booking = rooms.room_book(
                space=spaces[r],
                by=by,
                tenant=tenant,
                customer=paying,
                start=start,
                end=end,
                title=SUBJECTS[n % len(SUBJECTS)],
                attendees=min(spaces[r].capacity, 2 + n % 5) or 2,
                equipment=spaces[r].equipment[: n % 3],
                accept_fee=True,
                now=booked_at,
            )
        if final == "cancelled":
            moment = booked_at + timedelta(hours=1)
        elif final == "cancelled_late":
            moment = start - timedelta(hours=3)
        elif final == "checked_in":
            moment = start + timedelta(minutes=3)
        elif final == "no_show":
            moment = start + timedelta(minutes=40)
        else:
            made.append(booking)
            continue
        with clock.at(moment):
            if final.startswith("cancelled"):
                rooms.room_cancel(obj=booking, by=by, note="会议改期。", now=moment)
            elif final == "checked_in":
                rooms.room_check_in(obj=booking, by=people.desk, now=moment)
            else:
                rooms.room_no_show(obj=booking, by=people.desk, now=moment)
        made.append(booking)
    return made
