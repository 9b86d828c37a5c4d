"""Meeting rooms: reads (free slots, the calendar feed, the desk's day of every space, the
registers' rows, a booking for the desk or for its company, the .ics file)."""

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.fields import DateTimeRangeField
from django.db.models import Count, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.ranges import DateTimeRange

from .models import Booking, Space
from .rooms import booker_name, local_at

DAYS_SHOWN = 7
# Days the phone list offers (today and the next ones).
PHONE_DAYS = 7


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def meeting_rooms() -> QuerySet:
    return (
        Space.objects.filter(is_active=True, kind=Space.Kind.MEETING_ROOM)
        .select_related("building")
        .order_by("building__code", "name")
    )


def room_or_404(pk: int) -> Space:
    return get_object_or_404(meeting_rooms().select_related("fee_item"), pk=pk)


def space_by_door_code(code: str) -> Space:
    return get_object_or_404(Space.objects.select_related("building"), door_code=code, is_active=True)


def live_overlapping(start: dt.datetime, end: dt.datetime, qs: QuerySet | None = None) -> QuerySet:
    """Live bookings overlapping ``[start, end)``, found through the exclusion constraint's GiST
    index: its expression ``tstzrange(start, end, '[)')`` with the ``&&`` operator and its
    condition (the live states). ``start < end AND end > start`` would read every earlier
    booking through a b-tree on ``start`` (200,000 bookings: 70 ms against 1 ms)."""
    qs = Booking.objects.all() if qs is None else qs
    span = DateTimeRange("start", "end", Value("[)"), output_field=DateTimeRangeField())
    return qs.alias(span=span).filter(status__in=Booking.LIVE, span__overlap=(start, end))


def live_bookings_between(space_ids: list[int], start: dt.datetime, end: dt.datetime) -> list[Booking]:
    """Live bookings of the spaces overlapping ``[start, end)``, ordered by space and start: one
    query on the exclusion constraint's GiST index (``space``, ``tstzrange``)."""
    return list(
        live_overlapping(start, end, Booking.objects.filter(space_id__in=space_ids)).order_by("space_id", "start")
    )


def _next_boundary(space: Space, opens: dt.datetime, now: dt.datetime) -> dt.datetime:
    """The first slot boundary of the day not in the past (12:10 -> 12:30 on a 30-minute grid)."""
    if now <= opens:
        return opens
    step = dt.timedelta(minutes=space.slot_minutes)
    return opens + -((opens - now) // step) * step


def free_intervals(
    space: Space, day: dt.date, bookings: list[Booking], now: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """Free time of the room on ``day`` (opening hours minus live bookings and the past), merged.
    ``bookings``: the room's live bookings overlapping the day, by start."""
    cursor, closes = _next_boundary(space, local_at(day, space.opens), now), local_at(day, space.closes)
    intervals = []
    for booking in bookings:
        if booking.end <= cursor or booking.start >= closes:
            continue
        if booking.start > cursor:
            intervals.append((cursor, booking.start))
        cursor = max(cursor, booking.end)
    if cursor < closes:
        intervals.append((cursor, closes))
    # A booking off the grid (an application's) leaves a sliver: keep whole slots only.
    step = dt.timedelta(minutes=space.slot_minutes)
    return [(a, b) for a, b in intervals if b - a >= step]


def free_starts(space: Space, intervals: list[tuple[dt.datetime, dt.datetime]]) -> list[dt.datetime]:
    """Each free slot's start (a booking of at least one slot can start there)."""
    step = dt.timedelta(minutes=space.slot_minutes)
    starts = []
    for a, b in intervals:
        cursor = a
        while cursor + step <= b:
            starts.append(cursor)
            cursor += step
    return starts


def free_slots(space: Space, monday: dt.date, *, now: dt.datetime | None = None) -> dict[dt.date, list]:
    """The room's free intervals per day of the week from ``monday``: one query."""
    now = now or timezone.now()
    days = [monday + dt.timedelta(days=i) for i in range(DAYS_SHOWN)]
    bookings = live_bookings_between([space.pk], local_at(days[0], dt.time(0)), local_at(days[-1], dt.time(23, 59)))
    return {day: free_intervals(space, day, bookings, now) for day in days}


@dataclass
class RoomDay:
    space: Space
    starts: list[dt.datetime]
    intervals: list[tuple[dt.datetime, dt.datetime]]


def rooms_on(day: dt.date, *, now: dt.datetime | None = None, rooms: list[Space] | None = None) -> list[RoomDay]:
    """Every bookable meeting room's free slots on ``day`` (the phone list): two queries."""
    now = now or timezone.now()
    rooms = list(meeting_rooms()) if rooms is None else rooms
    bookings = live_bookings_between(
        [r.pk for r in rooms], local_at(day, dt.time(0)), local_at(day + dt.timedelta(days=1), dt.time(0))
    )
    by_space: dict[int, list[Booking]] = {}
    for b in bookings:
        by_space.setdefault(b.space_id, []).append(b)
    out = []
    for room in rooms:
        last = timezone.localdate(now) + dt.timedelta(days=room.advance_days)
        intervals = free_intervals(room, day, by_space.get(room.pk, []), now) if day <= last else []
        out.append(RoomDay(room, free_starts(room, intervals), intervals))
    return out


def first_day_with_room(rooms: list[Space], now: dt.datetime) -> dt.date:
    """Today, or tomorrow once no room has a slot left today (the phone list opens on a day one
    can still book)."""
    today = timezone.localdate(now)
    for room in rooms:
        last_start = local_at(today, room.closes) - dt.timedelta(minutes=room.slot_minutes)
        if _next_boundary(room, local_at(today, room.opens), now) <= last_start:
            return today
    return today + dt.timedelta(days=1) if rooms else today


def feed(
    space: Space, start: dt.datetime, end: dt.datetime, *, tenant_id: int | None, desk: bool
) -> list[dict[str, Any]]:
    """The room's bookings in ``[start, end)`` for the calendar: the viewer's own company's by
    subject; everyone else's only as "busy" (a tenant never sees another company's name or
    subject). The desk sees whose each is. One query."""
    rows = (
        live_overlapping(start, end, Booking.objects.filter(space=space))
        .select_related("tenant", "customer", "application")
        .order_by("start")
    )
    events = []
    for b in rows:
        mine = bool(tenant_id and b.tenant_id == tenant_id)
        if desk:
            title = f"{booker_name(b)} · {b.title}" if b.title else booker_name(b)
        elif mine:
            title = b.title or _("Our booking")
        else:
            title = _("Busy")
        events.append(
            {
                "id": b.pk if (desk or mine) else None,
                "title": title,
                "start": timezone.localtime(b.start).isoformat(),
                "end": timezone.localtime(b.end).isoformat(),
                "classNames": ["fc-mine" if mine else ("fc-busy" if not desk else f"fc-{b.status}")],
            }
        )
    return events


# --- the desk's day of every space ----------------------------------------------------------------

CELL_MINUTES = 30


@dataclass(frozen=True)
class GridBooking:
    """What the day's grid shows of a booking."""

    pk: int
    space_id: int
    start: dt.datetime
    end: dt.datetime
    status: str
    status_label: str
    who: str  # the company, the customer, the application, or the property
    application_id: int | None


@dataclass
class Cell:
    """A run of free half hours (``booking`` None) or one booking's block, ``span`` half hours
    wide; ``text`` and ``href`` are filled by the view (reversed once per page)."""

    span: int = 1
    booking: GridBooking | None = None
    text: str = ""
    href: str = ""


@dataclass
class SpaceRow:
    space: Space
    cells: list[Cell] = field(default_factory=list)


@dataclass
class DayGrid:
    day: dt.date
    hours: list[dt.datetime]
    rows: list[SpaceRow]
    bookings: list[GridBooking]

    @property
    def count(self) -> int:
        return len(self.bookings)

    @property
    def previous(self) -> dt.date:
        return self.day - dt.timedelta(days=1)

    @property
    def next(self) -> dt.date:
        return self.day + dt.timedelta(days=1)


def calendar_day(day: dt.date) -> DayGrid:
    """Every active space (rooms and public space) × the day's half hours, each booking one
    block (a table cell spanning its half hours), application bookings too; free half hours in
    runs. Two queries (spaces; the bookings' rows with their company, customer and application)."""
    spaces = list(
        Space.objects.filter(is_active=True).select_related("building").order_by("kind", "building__code", "name")
    )
    first = min((s.opens for s in spaces), default=dt.time(8))
    last = max((s.closes for s in spaces), default=dt.time(22))
    grid_start = local_at(day, dt.time(first.hour))
    grid_end = local_at(day, dt.time(last.hour)) + (dt.timedelta(hours=1) if last.minute else dt.timedelta(0))
    grid_end = max(grid_end, grid_start + dt.timedelta(hours=1))
    step = dt.timedelta(minutes=CELL_MINUTES)
    n = int((grid_end - grid_start) / step)
    status_labels = dict(Booking.Status.choices)
    property_name = _("the property")
    # Plain rows, not model instances: a busy day has a few hundred blocks, and a Booking
    # instance (its FSM fields, a dozen timestamps, the joined application) costs ten times more.
    rows_read = (
        live_overlapping(grid_start, grid_end)
        .order_by("space_id", "start")
        .values_list(
            "pk",
            "space_id",
            "start",
            "end",
            "status",
            "tenant__name",
            "customer__name",
            "application_id",
            "application__number",
            "application__title",
        )
    )
    bookings = [
        GridBooking(
            pk,
            space_id,
            start,
            end,
            status,
            str(status_labels.get(status, status)),
            tenant or customer or app_number or app_title or str(property_name),
            application_id,
        )
        for pk, space_id, start, end, status, tenant, customer, application_id, app_number, app_title in rows_read
    ]
    by_space: dict[int, list[GridBooking]] = {}
    for b in bookings:
        by_space.setdefault(b.space_id, []).append(b)

    def index(moment: dt.datetime, up: bool) -> int:
        """The half hour ``moment`` falls in (``up``: the first one not before it), within the grid."""
        cells = (moment - grid_start) / step
        return min(max(math.ceil(cells) if up else math.floor(cells), 0), n)

    rows = []
    for space in spaces:
        row = SpaceRow(space)
        cursor = 0
        for b in by_space.get(space.pk, []):
            begin, finish = index(b.start, up=False), max(index(b.end, up=True), index(b.start, up=False) + 1)
            begin, finish = max(begin, cursor), min(finish, n)
            if finish <= begin:
                continue  # off the grid, or within a half hour another booking already shows
            if begin > cursor:
                row.cells.append(Cell(begin - cursor))
            row.cells.append(Cell(finish - begin, b))
            cursor = finish
        if cursor < n:
            row.cells.append(Cell(n - cursor))
        rows.append(row)
    hours = [grid_start + dt.timedelta(hours=h) for h in range(int((grid_end - grid_start).total_seconds() // 3600))]
    return DayGrid(day=day, hours=hours, rows=rows, bookings=bookings)


# --- records ---------------------------------------------------------------------------------------

DETAIL_RELATED = ("space", "space__building", "space__fee_item", "tenant", "customer", "applicant", "application")


def booking_for_desk(pk: int) -> Booking:
    return get_object_or_404(Booking.objects.select_related(*DETAIL_RELATED), pk=pk)


def booking_for_tenant(pk: int, tenant: Any) -> Booking:
    """Another company's booking (or the property's, or a customer's) is a 404."""
    return get_object_or_404(Booking.objects.select_related(*DETAIL_RELATED), pk=pk, tenant=tenant)


def bookings_of(tenant: Any) -> QuerySet:
    return Booking.objects.filter(tenant=tenant).select_related("space").order_by("-start", "-id")


def bookings_with_no_shows(tenant: Any, since: dt.datetime) -> list[Booking]:
    """The company's bookings, newest first, each carrying ``tenant_no_shows``: its no-shows
    since ``since`` (a subquery, so a panel reads both in one query)."""
    no_shows = (
        Booking.objects.filter(tenant=tenant, status=Booking.Status.NO_SHOW, start__gte=since)
        .order_by()
        .values("tenant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(bookings_of(tenant).annotate(tenant_no_shows=Coalesce(Subquery(no_shows), 0))[:10])


def today_counts(now: dt.datetime | None = None) -> dict[str, int]:
    """Today's meeting-room bookings still to come, and those waiting for their check-in."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    qs = Booking.objects.filter(
        application__isnull=True,
        start__gte=local_at(day, dt.time(0)),
        start__lt=local_at(day + dt.timedelta(days=1), dt.time(0)),
    )
    return qs.aggregate(
        booked=Count("pk", filter=Q(status=Booking.Status.BOOKED)),
        waiting=Count("pk", filter=Q(status=Booking.Status.BOOKED, start__lte=now)),
    )


def booking_ics(booking: Booking, url: str) -> bytes:
    """The booking as an iCalendar file (one VEVENT, in Asia/Shanghai), for the booker's own
    calendar."""
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//Jinyuan CBD customer service//venues//ZH")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", f"booking-{booking.pk}@jinyuan-venues")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(booking.start))
    event.add("dtend", timezone.localtime(booking.end))
    event.add("summary", f"{booking.title} · {booking.space.name}" if booking.title else booking.space.name)
    event.add(
        "location", " ".join(x for x in (booking.space.building.name, booking.space.location, booking.space.name) if x)
    )
    event.add("url", url)
    if booking.status == Booking.Status.CANCELLED:
        event.add("status", "CANCELLED")
    cal.add_component(event)
    return cal.to_ical()
