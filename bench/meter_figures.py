#!/usr/bin/env python
"""Meter benchmarks (issue 14) on rows this script seeds itself.

``run.py --only meters`` calls ``measure()``; standalone, ``python bench/meter_figures.py``
uses run.py's bench database. The seed is a bulk COPY, never the services, in buildings of its
own (codes ``MB1``..``MB5``, which the demo never has, so it never billed their months): 5,000
units (5 buildings × 50 floors × 20 units), 2,500 companies each occupying two units, two meters
per unit (electricity, some on a current transformer with a multiplier, and water), and 36 months
of confirmed readings (one reading round per building and month, each reading chained to the
one before with its consumption), 360,000 readings in all. This month's rounds are open, every
meter read.

Figures:

- ``meter_seed_seconds`` (target <= 60 s; ``null`` when the rows were there);
- ``reading_round_page``: one floor of this month's round as the phone page
  (``desk:tenants:round_floor``, 40 meters): median <= 30 ms;
- ``utility_billing_run``: this month's five rounds confirmed and billed
  (``billing.utilities.utility_bills_issue``, 10,000 readings, 2,500 bills) inside a transaction
  rolled back afterwards (so it can run again): <= 20 s.
"""

import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

BUILDINGS, FLOORS, UNITS_PER_FLOOR = 5, 50, 20
MONTHS = 36
RANDOM_SEED = 14
CODE_PREFIX = "MB"
READER = "bench_meter_reader"
TARGETS = {"meter_seed_seconds": 60, "reading_round_page_median_ms": 30, "utility_billing_run_seconds": 20}
PAGE_REQUESTS = 30
USE = {"electricity": (300, 2500), "water": (5, 40)}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def months_before(today: date, n: int) -> date:
    index = today.year * 12 + today.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def reader() -> Any:
    """The bench's meter reader (engineering; no password: nobody logs in as them)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, made = get_user_model().objects.get_or_create(username=READER, defaults={"display_name": "工程部 抄表员"})
    if made:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name="engineering"))
    return user


def seed() -> float | None:
    """Seed once; returns the seconds it took, or None when the rows were there already."""
    from tenants.models import Building

    if Building.objects.filter(code__startswith=CODE_PREFIX).count() >= BUILDINGS:
        return None
    started = time.perf_counter()
    seed_rows()
    return round(time.perf_counter() - started, 1)


def seed_rows() -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from demo.bulk import copy_insert, copy_rows, reserve_ids
    from tenants.models import Building, Floor, Meter, MeterReading, Occupancy, ReadingRound, Tenant, Unit
    from tenants.validators import credit_code_check_char

    rng = random.Random(RANDOM_SEED)
    user = reader()
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        buildings = [Building(code=f"{CODE_PREFIX}{b + 1}", name=f"抄表测试{b + 1}座") for b in range(BUILDINGS)]
        copy_insert(Building, buildings)
        floors = [Floor(building=b, number=n) for b in buildings for n in range(1, FLOORS + 1)]
        copy_insert(Floor, floors)
        units = [
            Unit(floor=f, number=f"{f.number}{u + 1:02d}", area=Decimal(rng.choice((80, 120, 160, 320))))
            for f in floors
            for u in range(UNITS_PER_FLOOR)
        ]
        copy_insert(Unit, units)
        bodies = [f"91450100MB{n:07d}" for n in range(len(units) // 2)]
        tenants = [
            Tenant(
                name=f"抄表测试企业{n + 1:04d}有限公司", credit_code=body + credit_code_check_char(body), created_at=now
            )
            for n, body in enumerate(bodies)
        ]
        copy_insert(Tenant, tenants)
        start = months_before(today, MONTHS + 1)
        copy_insert(
            Occupancy, [Occupancy(tenant=tenants[i // 2], unit=unit, start=start) for i, unit in enumerate(units)]
        )
        meters = []
        for unit in units:
            multiplier = Decimal(40) if unit.area >= 300 else Decimal(1)
            meters.append(Meter(unit=unit, kind="electricity", number=f"E-{unit.pk}", multiplier=multiplier))
            meters.append(Meter(unit=unit, kind="water", number=f"W-{unit.pk}"))
        copy_insert(Meter, meters)
        floor_building = {f.pk: f.building_id for f in floors}
        building_of = {m.pk: floor_building[m.unit.floor_id] for m in meters}
        # One round per building and month: 36 confirmed (billed long ago, outside the bench),
        # and this month's, open.
        months = [months_before(today, n) for n in range(MONTHS, -1, -1)]
        rounds = {}
        for month in months:
            current = month == months[-1]
            for b in buildings:
                rounds[(b.pk, month)] = ReadingRound(
                    building=b,
                    month=month,
                    confirm_by=month_end(month) + timedelta(days=5),
                    status="open" if current else "confirmed",
                    billed_at=None if current else now,
                    applicant=user,
                    created_at=now,
                    updated_at=now,
                )
        copy_insert(ReadingRound, list(rounds.values()))
        ids = iter(reserve_ids(MeterReading, len(meters) * len(months)))
        value = {m.pk: Decimal(rng.randint(100, 50_000)) for m in meters}

        def rows():
            previous: dict[int, int] = {}
            for month in months:
                read_on = min(month_end(month), today)
                current = month == months[-1]
                for m in meters:
                    pk = next(ids)
                    low, high = USE[m.kind]
                    use = Decimal(rng.randint(low, high)) / (m.multiplier if m.multiplier > 1 else 1)
                    before = previous.get(m.pk)
                    value[m.pk] = (value[m.pk] + use).quantize(Decimal("0.01"))
                    consumption = None if before is None else use.quantize(Decimal("0.01"))
                    yield (
                        pk,
                        m.pk,
                        rounds[(building_of[m.pk], month)].pk,
                        "round",
                        read_on,
                        value[m.pk],
                        False,
                        before,
                        consumption,
                        "entered" if current else "confirmed",
                        "",
                        user.pk,
                        now,
                        None if current else user.pk,
                    )
                    previous[m.pk] = pk

        columns = (
            "id",
            "meter_id",
            "reading_round_id",
            "source",
            "read_on",
            "value",
            "replacement",
            "previous_id",
            "consumption",
            "status",
            "hold_reason",
            "entered_by_id",
            "entered_at",
            "confirmed_by_id",
        )
        copy_rows(MeterReading, columns, rows())
    with connection.cursor() as cur:
        for table in ("tenants_meterreading", "tenants_meter", "tenants_unit", "tenants_occupancy"):
            cur.execute(f"VACUUM (ANALYZE) {table}")


def open_rounds() -> list:
    from tenants.models import ReadingRound

    return list(
        ReadingRound.objects.filter(building__code__startswith=CODE_PREFIX, status="open").order_by("building__code")
    )


def reading_round_page() -> dict:
    import run  # bench/run.py, beside this script
    from django.test import Client
    from django.urls import reverse

    from tenants.models import Floor

    first = open_rounds()[0]
    floor = Floor.objects.get(building_id=first.building_id, number=FLOORS // 2)
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)")
    client.force_login(reader())
    figure = run.timed_page(client, reverse("desk:tenants:round_floor", args=[first.pk, floor.pk]), PAGE_REQUESTS)
    figure["meters"] = UNITS_PER_FLOOR * 2
    figure["met"] = "median_ms" in figure and figure["median_ms"] <= TARGETS["reading_round_page_median_ms"]
    return figure


class Rollback(Exception):
    pass


def utility_billing_run() -> dict:
    """This month's rounds confirmed (as the supervisor's confirmation leaves them) and billed,
    timed, then rolled back."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from billing.models import MeterCharge
    from billing.utilities import utility_bills_issue
    from tenants.models import MeterReading, ReadingRound

    by = get_user_model().objects.filter(is_superuser=True).first() or reader()
    figure: dict[str, Any] = {}
    try:
        with transaction.atomic():
            rounds = open_rounds()
            ReadingRound.objects.filter(pk__in=[r.pk for r in rounds]).update(status="confirmed")
            MeterReading.objects.filter(reading_round__in=rounds).update(status="confirmed")
            started = time.perf_counter()
            bills = []
            for r in rounds:
                r.status = "confirmed"
                bills += utility_bills_issue(reading_round=r, by=by)
            seconds = time.perf_counter() - started
            figure = {
                "rounds": len(rounds),
                "bills": len(bills),
                "lines": MeterCharge.objects.filter(reading_round__in=rounds).count(),
                "seconds": round(seconds, 2),
                "met": seconds <= TARGETS["utility_billing_run_seconds"],
            }
            raise Rollback
    except Rollback:
        pass
    return figure


def measure() -> dict:
    seconds = seed()
    result: dict[str, Any] = {"meter_seed_seconds": seconds}
    log("timing a floor of this month's reading round (phone page)")
    result["reading_round_page"] = reading_round_page()
    log("timing the month's utility billing (rolled back)")
    result["utility_billing_run"] = utility_billing_run()
    result["targets"] = TARGETS
    result["met"] = {
        "meter_seed_seconds": None if seconds is None else seconds <= TARGETS["meter_seed_seconds"],
        "reading_round_page": bool(result["reading_round_page"].get("met")),
        "utility_billing_run": bool(result["utility_billing_run"].get("met")),
    }
    return result


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("meters", measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
