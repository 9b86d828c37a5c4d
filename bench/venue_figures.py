#!/usr/bin/env python
"""Venue benchmarks (issue 15: meeting rooms and the desk's calendar) on rows this script seeds.

``run.py --only venues`` calls ``measure()`` (figures at the top level); standalone,
``python bench/venue_figures.py [--database NAME]`` uses run.py's bench database (seeded with the
demo by ``run.py`` first: the tenants and the desk user). The seed is a bulk COPY, never the
services: 40 bench spaces (30 meeting rooms, 10 pieces of public space) with 200,000 bookings,
5,000 a space: five two-hour uses a day (08, 10, 13, 15, 18 o'clock) from about 2.5 years back to
100 days ahead, in every state (past: checked in, no-show, cancelled; coming: booked, a tenth
cancelled), one in ten the property's own. Figures:

- ``venues_seed_seconds`` (target <= 60 s);
- ``free_slots``: the free time of one room for one week (``venues.room_selectors.free_slots``,
  one query): median <= 20 ms, the same number of queries for every week;
- ``booking_attempt``: one booking through ``venues.rooms.room_book`` (the desk for a company,
  the fee billed), half of them of a slot already taken (refused by the check under the room's
  lock, or by the exclusion constraint), each rolled back: median <= 20 ms;
- ``desk_calendar_day``: the desk's calendar of every space's day (``/desk/venues/calendar/``)
  with the test client, 20 days: median <= 50 ms, the same number of queries for every day.
"""

import secrets
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

BOOKINGS = 200_000
ROOMS = 30
PUBLIC = 10
SLOTS = ("08:00", "10:00", "13:00", "15:00", "18:00")  # two hours each
DAYS_AHEAD = 100
WEEKS = 60
ATTEMPTS = 200
DAYS = 20
NAME = "基准场地"
TARGETS = {
    "venues_seed_seconds": 60,
    "free_slots_median_ms": 20,
    "booking_attempt_median_ms": 20,
    "desk_calendar_day_median_ms": 50,
}
SUBJECTS = ("部门周例会", "客户方案评审", "季度经营分析会", "新员工培训", "项目启动会")
PUBLIC_KINDS = ("lobby", "plaza", "corridor", "poster_board")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def seed() -> float | None:
    """Seed once; returns the seconds it took, or None when the rows were there already."""
    from django.db import connection

    from venues.models import Booking

    if Booking.objects.filter(space__name__startswith=NAME).count() >= BOOKINGS:
        return None
    started = time.perf_counter()
    seed_rows()
    with connection.cursor() as cur:
        cur.execute("ANALYZE venues_space; ANALYZE venues_booking")
    return round(time.perf_counter() - started, 1)


def seed_rows() -> None:
    """The COPY of the bench spaces and their bookings (one transaction)."""
    from django.db import transaction
    from django.utils import timezone
    from renovation_passes import copy_rows  # bench/renovation_passes.py: the one COPY helper

    from billing.models import FeeItem
    from jinyuan.accounts.models import User
    from tenants.models import Building, Occupancy
    from venues.models import Booking, Space

    desk = User.objects.get(username="desk")
    tenants = sorted(
        set(Occupancy.objects.filter(end__isnull=True).order_by().values_list("tenant_id", flat=True).distinct())
    )
    if not tenants:
        raise SystemExit("the bench database has no occupying companies: run bench/run.py first")
    buildings = list(Building.objects.order_by("pk").values_list("pk", flat=True))
    fee = FeeItem.objects.filter(code="meeting_room_hour").first()
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    now = timezone.now()
    per_space = BOOKINGS // (ROOMS + PUBLIC)
    days = per_space // len(SLOTS)
    first_day = today + timedelta(days=DAYS_AHEAD) - timedelta(days=days - 1)
    with transaction.atomic():
        Booking.objects.filter(space__name__startswith=NAME).delete()  # a half seed (bench rows only)
        Space.objects.filter(name__startswith=NAME).delete()
        spaces = []
        for n in range(ROOMS + PUBLIC):
            room = n < ROOMS
            spaces.append(
                {
                    "name": f"{NAME}{n + 1:02d}",
                    "kind": "meeting_room" if room else PUBLIC_KINDS[n % len(PUBLIC_KINDS)],
                    "building_id": buildings[n % len(buildings)],
                    "location": f"{3 + n % 20}F",
                    "capacity": 8 + n % 5 * 4,
                    "equipment": ["投影仪", "白板"] if room else [],
                    "advance_days": 365,
                    "max_hours": 4,
                    "tenant_rate": "100.00" if room else "0.00",
                    "visitor_rate": "150.00" if room else "0.00",
                    "free_hours_per_month": "2.0" if room and n % 2 else "0.0",
                    "daily_rate": "0.00" if room else "800.00",
                    "fee_item_id": fee.pk if fee else None,
                    "door_code": secrets.token_urlsafe(12),
                }
            )
        copy_rows(Space, spaces)
        space_ids = list(Space.objects.filter(name__startswith=NAME).order_by("pk").values_list("pk", flat=True))
        rows = []
        n = 0
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            for slot in SLOTS:
                start = datetime.combine(day, datetime.strptime(slot, "%H:%M").time(), tz)
                end = start + timedelta(hours=2)
                for space in space_ids:
                    if end <= now:
                        state = "no_show" if n % 10 == 0 else "cancelled" if n % 10 == 5 else "checked_in"
                    else:
                        state = "cancelled" if n % 10 == 0 else "booked"
                    tenant = None if n % 10 == 9 else tenants[n % len(tenants)]
                    rows.append(
                        {
                            "tenant_id": tenant,
                            "applicant_id": desk.pk,
                            "status": state,
                            "space_id": space,
                            "start": start,
                            "end": end,
                            "title": SUBJECTS[n % len(SUBJECTS)],
                            "attendees": 4,
                            "equipment": [],
                            "free_minutes": 0,
                            "billed_minutes": 120 if tenant else 0,
                            "fee": "200.00" if tenant else "0.00",
                            "checked_in_at": start + timedelta(minutes=3) if state == "checked_in" else None,
                            "code": secrets.token_urlsafe(12),
                            "created_at": start - timedelta(days=2),
                        }
                    )
                    n += 1
        log(f"copying {len(rows)} bookings over {len(space_ids)} spaces")
        copy_rows(Booking, rows)


def _rooms():
    from venues.models import Space

    return list(
        Space.objects.filter(name__startswith=NAME, kind="meeting_room").select_related("fee_item").order_by("pk")
    )


def free_slots() -> dict:
    """The free time of one room for one week (a fresh query each time)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from venues import room_selectors as selectors

    rooms = _rooms()
    monday = selectors.monday_of(timezone.localdate())
    pairs = [(rooms[i % len(rooms)], monday + timedelta(weeks=i % 12 - 4)) for i in range(WEEKS)]
    selectors.free_slots(*pairs[0])  # warm up
    times, cpu, queries, intervals = [], [], set(), 0
    for room, week in pairs:
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            free = selectors.free_slots(room, week)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        queries.add(len(captured))
        intervals += sum(len(v) for v in free.values())
    median = round(statistics.median(times), 2)
    return {
        "requests": len(times),
        "median_ms": median,
        "median_cpu_ms": round(statistics.median(cpu), 2),
        "max_ms": round(max(times), 2),
        "queries": sorted(queries),
        "free_intervals_seen": intervals,
        "met": median <= TARGETS["free_slots_median_ms"] and queries == {1},
    }


class _Rollback(Exception):
    pass


def booking_attempt() -> dict:
    """Bookings through the service, every other one of a taken slot; each rolled back."""
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils import timezone

    from jinyuan.accounts.models import User
    from tenants.models import Tenant
    from venues import rooms as services
    from venues.models import Booking

    desk = User.objects.get(username="desk")
    rooms = _rooms()
    now = timezone.now()
    taken = list(
        Booking.objects.filter(space__in=rooms, status="booked", start__gte=now + timedelta(days=3)).order_by(
            "start", "space_id"
        )[: ATTEMPTS // 2]
    )
    # The free hour between the morning's two bookings and lunch: 12:00–13:00, every day.
    noon = datetime.strptime("12:00", "%H:%M").time()
    free = []
    day = timezone.localdate(now) + timedelta(days=3)
    while len(free) < ATTEMPTS // 2:
        for room in rooms:
            start = services.local_at(day, noon)
            free.append((room, start, start + timedelta(hours=1)))
        day += timedelta(days=1)
    free = free[: ATTEMPTS // 2]
    tenant = Tenant.objects.filter(pk__in=[b.tenant_id for b in taken if b.tenant_id]).first()
    by_pk = {room.pk: room for room in rooms}
    tries = []
    for a, b in zip(taken, free, strict=False):
        tries += [(by_pk[a.space_id], a.start, a.end), b]
    times, cpu, outcomes = [], [], {"booked": 0, "refused": 0, "other": 0}
    by_outcome: dict[str, list[float]] = {"booked": [], "refused": []}
    for room, start, end in tries:
        before = dict(outcomes)
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            with transaction.atomic():
                services.room_book(
                    space=room,
                    by=desk,
                    tenant=tenant,
                    start=start,
                    end=end,
                    title="基准测试",
                    attendees=4,
                    accept_fee=True,
                    now=now,
                )
                outcomes["booked"] += 1
                raise _Rollback
        except _Rollback:
            pass
        except ValidationError as exc:
            outcomes["refused" if "start" in getattr(exc, "message_dict", {}) else "other"] += 1
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        for key in by_outcome:
            if outcomes[key] > before[key]:
                by_outcome[key].append(times[-1])
    median = round(statistics.median(times), 2) if times else None
    return {
        "attempts": len(times),
        **outcomes,
        **{f"{key}_median_ms": round(statistics.median(v), 2) for key, v in by_outcome.items() if v},
        "median_ms": median,
        "median_cpu_ms": round(statistics.median(cpu), 2) if cpu else None,
        "max_ms": round(max(times), 2) if times else None,
        "met": median is not None
        and median <= TARGETS["booking_attempt_median_ms"]
        and outcomes["other"] == 0
        and outcomes["booked"] == outcomes["refused"],
    }


def desk_calendar_day() -> dict:
    """The desk's calendar of every space's day, through the test client (server time)."""
    import run  # bench/run.py
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    client = run.client_of("desk")
    today = timezone.localdate()
    days = [today + timedelta(days=i - DAYS // 2) for i in range(DAYS)]
    client.get("/desk/venues/calendar/", {"day": today.isoformat()})  # warm up
    times, cpu, queries, blocks = [], [], set(), 0
    for day in days:
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get("/desk/venues/calendar/", {"day": day.isoformat()})
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            return {"error": f"the calendar of {day} answered {response.status_code}", "met": False}
        queries.add(len(captured))
        blocks += response.content.count(b"venue-block")
    median = round(statistics.median(times), 2)
    return {
        "requests": len(times),
        "median_ms": median,
        "median_cpu_ms": round(statistics.median(cpu), 2),
        "max_ms": round(max(times), 2),
        "queries": sorted(queries),
        "blocks_per_day": round(blocks / len(days), 1),
        "met": median <= TARGETS["desk_calendar_day_median_ms"] and len(queries) == 1,
    }


def measure() -> dict:
    seconds = seed()
    result: dict[str, Any] = {"venues_seed_seconds": seconds}
    log("timing the free slots of one room for one week")
    result["free_slots"] = free_slots()
    log("timing booking attempts through the service (half conflicting, rolled back)")
    result["booking_attempt"] = booking_attempt()
    log("timing the desk's calendar of the day")
    result["desk_calendar_day"] = desk_calendar_day()
    result["targets"] = TARGETS
    result["met"] = {
        "venues_seed_seconds": None if seconds is None else seconds <= TARGETS["venues_seed_seconds"],
        "free_slots": bool(result["free_slots"].get("met")),
        "booking_attempt": bool(result["booking_attempt"].get("met")),
        "desk_calendar_day": bool(result["desk_calendar_day"].get("met")),
    }
    return result


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("venues", measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
