#!/usr/bin/env python
"""Freight-elevator slot benchmarks (issue 10) on rows this script seeds itself.

``run.py --only elevator`` calls ``measure()`` (figures under ``elevator``); standalone,
``python bench/elevator.py [--database NAME]`` uses run.py's bench database (seeded with the
demo by ``run.py`` first: the tenants and the desk user). The seed is a bulk COPY, never the
services: 4 bench elevators (a tower's freight lifts, beside the demo's two) with 100,000
bookings, seven slots a day each, six of them booked (ten years back, about six months ahead),
in every state, about one in ten the property's own. Each elevator holds 25,000 bookings: the
free slots and the booking attempts search the range index of a fully booked lift. Figures:

- ``elevator_seed_seconds`` (target <= 60 s);
- ``elevator_free_slots``: the free slots of one elevator for one week (the selector behind the
  calendar, one query): median <= 20 ms, the same number of queries for every week; the
  calendar page itself is reported beside it (``calendar_page_median_ms``);
- ``elevator_booking_attempt``: one booking through ``permits.elevator.elevator_book``, half of
  them of a slot already taken (refused naming it), each rolled back: median <= 20 ms.
"""

import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

BOOKINGS = 100_000
ELEVATORS = 4
SLOTS = ("07:00", "09:00", "11:00", "13:00", "15:00", "17:00", "19:30")  # 1 h 30 each
DAYS_BACK = 3980
WEEKS = 60  # free-slot requests: 60 (elevator, week) pairs
ATTEMPTS = 200
NAME = "基准货梯"
TARGETS = {
    "elevator_seed_seconds": 60,
    "elevator_free_slots_median_ms": 20,
    "elevator_booking_attempt_median_ms": 20,
}
PURPOSES = ("搬运办公家具", "装修材料进场", "装修垃圾清运", "样品入库", "设备搬出")
# Past slots: mostly used; the rest as they end in a real building.
PAST_STATES = ("done",) * 8 + ("no_show", "cancelled")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def seed() -> float | None:
    """Seed once; returns the seconds it took, or None when the rows were there already."""
    from django.db import connection

    from permits.models import ElevatorBooking

    if ElevatorBooking.objects.filter(elevator__name__startswith=NAME).count() >= BOOKINGS:
        return None
    started = time.perf_counter()
    seed_rows()
    with connection.cursor() as cur:
        cur.execute("ANALYZE permits_freightelevator; ANALYZE permits_elevatorbooking")
    return round(time.perf_counter() - started, 1)


def seed_rows() -> None:
    """The COPY of the bench elevators and their bookings (one transaction)."""
    from django.db import transaction
    from django.utils import timezone
    from renovation_passes import copy_rows  # bench/renovation_passes.py: the one COPY helper

    from billing.models import FeeItem
    from jinyuan.accounts.models import User
    from permits.models import ElevatorBooking, FreightElevator
    from tenants.models import Building, Occupancy

    desk = User.objects.get(username="desk")
    tenants = sorted(
        set(Occupancy.objects.filter(end__isnull=True).order_by().values_list("tenant_id", flat=True).distinct())
    )
    if not tenants:
        raise SystemExit("the bench database has no occupying companies: run bench/run.py first")
    buildings = list(Building.objects.order_by("pk").values_list("pk", flat=True))
    fee = FeeItem.objects.filter(code="freight_elevator_hour").first()
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        ElevatorBooking.objects.filter(elevator__name__startswith=NAME).delete()  # a half seed (bench rows only)
        FreightElevator.objects.filter(name__startswith=NAME).delete()
        copy_rows(
            FreightElevator,
            [
                {
                    "name": f"{NAME}{n + 1:02d}",
                    "building_id": buildings[n % len(buildings)],
                    "fee_item_id": fee.pk if fee else None,
                }
                for n in range(ELEVATORS)
            ],
        )
        lifts = list(FreightElevator.objects.filter(name__startswith=NAME).order_by("pk").values_list("pk", flat=True))
        rows = []
        n = 0
        day = today - timedelta(days=DAYS_BACK)
        while len(rows) < BOOKINGS:
            for slot in SLOTS:
                start = datetime.combine(day, datetime.strptime(slot, "%H:%M").time(), tz)
                end = start + timedelta(minutes=90)
                for lift in lifts:
                    # A slot in seven stays free (the calendar has gaps); the rest are booked.
                    if (n + lift) % 7 == 3:
                        n += 1
                        continue
                    past = end <= now
                    state = PAST_STATES[n % len(PAST_STATES)] if past else ("cancelled" if n % 10 == 0 else "booked")
                    outside = slot in ("07:00", "17:00", "19:30")
                    tenant = None if n % 10 == 9 else tenants[n % len(tenants)]
                    rows.append(
                        {
                            "tenant_id": tenant,
                            "applicant_id": desk.pk,
                            "status": state,
                            "elevator_id": lift,
                            "start": start,
                            "end": end,
                            "purpose": PURPOSES[n % len(PURPOSES)],
                            "fee_hours": 2 if outside and tenant else 0,
                            "fee": "80.00" if outside and tenant else "0.00",
                            "created_at": start - timedelta(days=2),
                        }
                    )
                    n += 1
                    if len(rows) >= BOOKINGS:
                        break
                if len(rows) >= BOOKINGS:
                    break
            if len(rows) >= BOOKINGS:
                break
            day += timedelta(days=1)
        log(f"copying {len(rows)} freight elevator bookings over {ELEVATORS} elevators")
        copy_rows(ElevatorBooking, rows)


def _lifts():
    from permits.models import FreightElevator

    return list(FreightElevator.objects.filter(name__startswith=NAME).select_related("fee_item").order_by("pk"))


def free_slots() -> dict:
    """The free slots of one elevator for one week (fresh query each time), and the calendar page."""
    import run  # bench/run.py
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from permits import elevator_selectors as selectors

    lifts = _lifts()
    monday = selectors.monday_of(timezone.localdate())
    pairs = [(lifts[i % len(lifts)], monday + timedelta(weeks=i % 12 - 4)) for i in range(WEEKS)]
    selectors.free_slots(*pairs[0])  # warm up
    times, queries, intervals = [], set(), 0
    for lift, week in pairs:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            free = selectors.free_slots(lift, week)
            times.append((time.perf_counter() - started) * 1000)
        queries.add(len(captured))
        intervals += sum(len(v) for v in free.values())
    client = run.client_of("desk")
    page_times = []
    for lift, week in pairs[:20]:
        started = time.perf_counter()
        response = client.get(f"/desk/elevator/{lift.pk}/calendar/", {"week": week.isoformat()})
        page_times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            return {"error": f"calendar of {lift.pk} answered {response.status_code}"}
    median = round(statistics.median(times), 2)
    return {
        "requests": len(times),
        "median_ms": median,
        "max_ms": round(max(times), 2),
        "queries": sorted(queries),
        "free_intervals_seen": intervals,
        "calendar_page_median_ms": round(statistics.median(page_times), 1),
        "met": median <= TARGETS["elevator_free_slots_median_ms"] and queries == {1},
    }


class _Rollback(Exception):
    pass


def booking_attempt() -> dict:
    """Bookings through the service, every other one of a taken slot; each rolled back."""
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils import timezone

    from jinyuan.accounts.models import User
    from permits import elevator as services
    from permits import elevator_selectors as selectors
    from permits.models import ElevatorBooking
    from tenants.models import Tenant

    desk = User.objects.get(username="desk")
    lifts = _lifts()
    now = timezone.now()
    monday = selectors.monday_of(timezone.localdate()) + timedelta(weeks=2)
    taken = list(
        ElevatorBooking.objects.filter(
            elevator__in=lifts, status="booked", start__gte=now + timedelta(days=3)
        ).order_by("start")[: ATTEMPTS // 2]
    )
    free = []
    # A fully booked lift has a free slot or two a day: look over as many weeks as it takes.
    for week in range(12):
        for lift in lifts:
            for intervals in selectors.free_slots(lift, monday + timedelta(weeks=week)).values():
                for start, end in intervals:
                    if end - start >= timedelta(hours=1):
                        free.append((lift, start, start + timedelta(hours=1)))
        if len(free) >= ATTEMPTS // 2:
            break
    tenant = Tenant.objects.filter(pk__in=[b.tenant_id for b in taken if b.tenant_id]).first()
    by_pk = {lift.pk: lift for lift in lifts}
    tries = []
    for a, b in zip(taken, free, strict=False):
        tries += [(by_pk[a.elevator_id], a.start, a.end), b]
    times, outcomes = [], {"booked": 0, "refused": 0, "other": 0}
    for lift, start, end in tries:
        started = time.perf_counter()
        try:
            with transaction.atomic():
                services.elevator_book(
                    elevator=lift, by=desk, tenant=tenant, start=start, end=end, purpose="基准测试", now=now
                )
                outcomes["booked"] += 1
                raise _Rollback
        except _Rollback:
            pass
        except ValidationError as exc:
            outcomes["refused" if "start" in getattr(exc, "message_dict", {}) else "other"] += 1
        times.append((time.perf_counter() - started) * 1000)
    median = round(statistics.median(times), 2) if times else None
    return {
        "attempts": len(times),
        **outcomes,
        "median_ms": median,
        "max_ms": round(max(times), 2) if times else None,
        "met": median is not None
        and median <= TARGETS["elevator_booking_attempt_median_ms"]
        and outcomes["other"] == 0
        and outcomes["booked"] == outcomes["refused"],
    }


def measure() -> dict:
    seconds = seed()
    result: dict[str, Any] = {"elevator_seed_seconds": seconds}
    log("timing the free slots of one elevator for one week")
    result["elevator_free_slots"] = free_slots()
    log("timing booking attempts through the service (half conflicting, rolled back)")
    result["elevator_booking_attempt"] = booking_attempt()
    result["targets"] = TARGETS
    result["met"] = {
        "elevator_seed_seconds": None if seconds is None else seconds <= TARGETS["elevator_seed_seconds"],
        "elevator_free_slots": bool(result["elevator_free_slots"].get("met")),
        "elevator_booking_attempt": bool(result["elevator_booking_attempt"].get("met")),
    }
    return result


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("elevator", measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
