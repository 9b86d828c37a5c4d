"""Freight-elevator slots 专用货梯 of the demo: two elevators and a week of bookings (three days
back, four ahead) in every state: used (done), nobody came (no-show), cancelled before the
cut-off (fee voided) and after it (fee kept), booked for today and the coming days, free within
office hours and billed outside them, by companies and by the property itself, linked to the
company's renovation or release note where it has one, each walked through ``permits.elevator``
by the demo users at the time of each step."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from billing.models import FeeItem
from permits import elevator
from permits.models import ElevatorBooking, FreightElevator, ReleaseNote
from renovation.models import Renovation

from . import clock
from .premises import Premises, local_dt

PURPOSES = (
    "搬运办公家具",
    "装修材料进场",
    "装修垃圾清运",
    "服务器机柜搬入",
    "样品入库",
    "大厦公共区域设备更换",
)

# Elevator, days from today, from, until, company index (None: the property), final state.
PLAN = (
    (0, -3, "09:00", "11:00", 0, "done"),
    (0, -2, "18:00", "20:00", 1, "done"),
    (1, -1, "10:00", "11:30", 2, "no_show"),
    (0, -1, "14:00", "15:00", None, "done"),
    (1, -1, "18:30", "20:00", 1, "cancelled_late"),
    (0, 0, "09:00", "10:30", 0, "booked"),
    (1, 0, "19:00", "21:00", 1, "booked"),
    (0, 1, "08:00", "09:30", 2, "booked"),
    (0, 1, "13:00", "15:00", None, "booked"),
    (1, 2, "09:00", "12:00", 0, "cancelled"),
    (1, 4, "10:00", "12:00", 2, "booked"),
    (0, 4, "16:00", "18:00", 0, "booked"),
)


@dataclass
class People:
    desk: Any
    engineer: Any
    guard: Any


def elevators(premises: Premises) -> list[FreightElevator]:
    fee = FeeItem.objects.filter(code="freight_elevator_hour").first()
    buildings = premises.buildings
    made = []
    for n, name in enumerate(("1号货梯", "2号货梯")):
        made.append(
            FreightElevator.objects.get_or_create(
                name=f"{buildings[n % len(buildings)].code}座{name}",
                defaults={"building": buildings[n % len(buildings)], "fee_item": fee},
            )[0]
        )
    return made


def _at(day: date, hm: str) -> datetime:
    hour, minute = (int(x) for x in hm.split(":"))
    return local_dt(day, hour, minute)


def _links(tenant) -> dict:
    """The company's renovation going on and a release note still to be used, where it has them."""
    renovation = Renovation.objects.filter(tenant=tenant, status__in=Renovation.LIVE).order_by("pk").first()
    note = ReleaseNote.objects.filter(tenant=tenant, status__in=elevator.LINKABLE_NOTES).order_by("date").first()
    return {"renovation": renovation, "release_note": note}


def through_services(premises: Premises, people: People, admins: list[Any], today: date) -> list[ElevatorBooking]:
    lifts = elevators(premises)
    made = []
    for n, (lift, ahead, start, end, who, final) in enumerate(PLAN):
        day = today + timedelta(days=ahead)
        booked_at = _at(day - timedelta(days=2), "10:00")
        tenant = premises.tenants[who] if who is not None and who < len(admins) else None
        by = admins[who] if tenant is not None else people.desk
        links = _links(tenant) if tenant is not None and n % 3 == 0 else {}
        with clock.at(booked_at):
            booking = elevator.elevator_book(
                elevator=lifts[lift],
                by=by,
                tenant=tenant,
                start=_at(day, start),
                end=_at(day, end),
                purpose=PURPOSES[n % len(PURPOSES)] if tenant is not None else PURPOSES[-1],
                now=booked_at,
                **links,
            )
        if final in ("cancelled", "cancelled_late"):
            moment = booked_at + timedelta(hours=2) if final == "cancelled" else _at(day, start) - timedelta(hours=3)
            with clock.at(moment):
                elevator.elevator_cancel(obj=booking, by=by, note="搬运计划调整。", now=moment)
            made.append(booking)
            continue
        with clock.at(booked_at + timedelta(hours=1)):
            elevator.elevator_assign_operator(obj=booking, operator=people.engineer, by=people.desk)
        if final in ("done", "no_show"):
            moment = _at(day, end)
            with clock.at(moment):
                mark = elevator.elevator_complete if final == "done" else elevator.elevator_no_show
                mark(obj=booking, by=people.guard, now=moment)
        made.append(booking)
    return made
