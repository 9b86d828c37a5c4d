"""Freight-elevator slots: reads (the week's calendar, free slots, the security board)."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jinyuan.workflow.calendar import WorkingCalendar

from .models import ElevatorBooking, FreightElevator

DAYS_SHOWN = 7


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def local_at(day: dt.date, time: dt.time) -> dt.datetime:
    """``time`` on ``day`` in the building's time zone."""
    return dt.datetime.combine(day, time, timezone.get_current_timezone())


_at = local_at


def active_elevators() -> QuerySet:
    return FreightElevator.objects.filter(is_active=True).select_related("building").order_by("building__code", "name")


def elevator_or_404(pk: int, *, active_only: bool = True) -> FreightElevator:
    qs = FreightElevator.objects.select_related("fee_item", "building")
    return get_object_or_404(qs.filter(is_active=True) if active_only else qs, pk=pk)


def live_bookings_between(elevator: FreightElevator, start: dt.datetime, end: dt.datetime) -> list[ElevatorBooking]:
    """The live bookings of the elevator overlapping ``[start, end)``, with their company: one query
    (the ``(elevator, start)`` index; a booking lasts at most one day, so none starts before
    ``start - 1 day`` and overlaps)."""
    return list(
        ElevatorBooking.objects.filter(
            elevator=elevator,
            status__in=ElevatorBooking.LIVE,
            start__lt=end,
            start__gte=start - dt.timedelta(days=1),
            end__gt=start,
        )
        .select_related("tenant")
        .order_by("start")
    )


def free_slots(
    elevator: FreightElevator, monday: dt.date, *, now: dt.datetime | None = None, bookings: list | None = None
) -> dict[dt.date, list[tuple[dt.datetime, dt.datetime]]]:
    """Free time of the elevator per day of the week from ``monday``: the bookable hours minus the
    live bookings and the past, as merged ``(from, until)`` intervals. One query."""
    now = now or timezone.now()
    first, last = _at(monday, elevator.opens), _at(monday + dt.timedelta(days=DAYS_SHOWN - 1), elevator.closes)
    if bookings is None:
        bookings = live_bookings_between(elevator, first, last)
    free: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = {}
    index = 0
    for offset in range(DAYS_SHOWN):
        day = monday + dt.timedelta(days=offset)
        cursor, closes = _next_slot(elevator, _at(day, elevator.opens), now), _at(day, elevator.closes)
        intervals = []
        while index < len(bookings) and bookings[index].end <= cursor:
            index += 1
        i = index
        while cursor < closes:
            while i < len(bookings) and bookings[i].end <= cursor:
                i += 1
            nxt = bookings[i] if i < len(bookings) else None
            if nxt is None or nxt.start >= closes:
                intervals.append((cursor, closes))
                break
            if nxt.start > cursor:
                intervals.append((cursor, nxt.start))
            cursor = max(cursor, nxt.end)
        free[day] = intervals
    return free


def _next_slot(elevator: FreightElevator, opens: dt.datetime, now: dt.datetime) -> dt.datetime:
    """The first slot boundary of the day not in the past (12:10 -> 12:30 on a 30-minute grid)."""
    if now <= opens:
        return opens
    step = dt.timedelta(minutes=elevator.slot_minutes)
    return opens + -((opens - now) // step) * step


@dataclass
class Cell:
    start: dt.datetime
    end: dt.datetime
    state: str  # free, booked, past
    office: bool = False  # within office hours (free of charge up to the limit)
    booking: ElevatorBooking | None = None
    mine: bool = False  # the viewing company's own booking (the portal shows it)


@dataclass
class Week:
    elevator: FreightElevator
    monday: dt.date
    days: list[dt.date]
    rows: list[tuple[str, list[Cell]]] = field(default_factory=list)
    free: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = field(default_factory=dict)

    @property
    def today(self) -> dt.date:
        return timezone.localdate()

    @property
    def previous(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.monday + dt.timedelta(days=7)


def week_of(
    elevator: FreightElevator,
    monday: dt.date,
    *,
    calendar: WorkingCalendar,
    tenant_id: int | None = None,
    now: dt.datetime | None = None,
) -> Week:
    """The week's grid (rows of slot-long cells from opening to closing, a column per day):
    booked, free or past, office hours marked. One query for the bookings."""
    now = now or timezone.now()
    days = [monday + dt.timedelta(days=i) for i in range(DAYS_SHOWN)]
    first, last = _at(days[0], elevator.opens), _at(days[-1], elevator.closes)
    bookings = live_bookings_between(elevator, first, last)
    week = Week(elevator=elevator, monday=monday, days=days)
    week.free = free_slots(elevator, monday, now=now, bookings=bookings)
    step = dt.timedelta(minutes=elevator.slot_minutes)
    columns: list[list[Cell]] = []
    for day in days:
        working = calendar.is_working_day(day)
        office = (_at(day, elevator.office_opens), _at(day, elevator.office_closes))
        cells, cursor, closes, i = [], _at(day, elevator.opens), _at(day, elevator.closes), 0
        while cursor < closes:
            end = min(cursor + step, closes)
            while i < len(bookings) and bookings[i].end <= cursor:
                i += 1
            booking = bookings[i] if i < len(bookings) and bookings[i].start < end else None
            state = "booked" if booking else ("past" if cursor < now else "free")
            cells.append(
                Cell(
                    start=cursor,
                    end=end,
                    state=state,
                    office=working and office[0] <= cursor and end <= office[1],
                    booking=booking,
                    mine=bool(booking and tenant_id and booking.tenant_id == tenant_id),
                )
            )
            cursor = end
        columns.append(cells)
    for r in range(len(columns[0]) if columns else 0):
        row = [col[r] for col in columns]
        week.rows.append((f"{timezone.localtime(row[0].start):%H:%M}", row))
    return week


def booking_for_desk(pk: int) -> ElevatorBooking:
    return get_object_or_404(
        ElevatorBooking.objects.select_related(
            "elevator", "elevator__fee_item", "tenant", "applicant", "operator", "renovation", "release_note"
        ),
        pk=pk,
    )


def booking_for_tenant(pk: int, tenant: Any) -> ElevatorBooking:
    """Another company's booking (or the property's) is a 404."""
    return get_object_or_404(
        ElevatorBooking.objects.select_related(
            "elevator", "elevator__fee_item", "tenant", "applicant", "operator", "renovation", "release_note"
        ),
        pk=pk,
        tenant=tenant,
    )


def elevator_bookings_for_board(now: dt.datetime) -> list[ElevatorBooking]:
    """Security's board: booked slots of today and the next 24 hours, with elevator and company
    (one query)."""
    today = _at(timezone.localdate(now), dt.time(0))
    until = max(today + dt.timedelta(days=1), now + dt.timedelta(hours=24))
    return list(
        ElevatorBooking.objects.filter(status=ElevatorBooking.Status.BOOKED, start__lt=until, end__gt=today)
        .select_related("elevator", "tenant", "operator")
        .order_by("start", "elevator_id")
    )


def bookings_of(tenant: Any) -> QuerySet:
    return ElevatorBooking.objects.filter(tenant=tenant).select_related("elevator").order_by("-start", "-id")


def unassigned_count(now: dt.datetime | None = None) -> int:
    """Booked slots starting within the coming week that have no operator yet."""
    now = now or timezone.now()
    return ElevatorBooking.objects.filter(
        status=ElevatorBooking.Status.BOOKED,
        operator__isnull=True,
        start__gte=now,
        start__lt=now + dt.timedelta(days=7),
    ).count()
