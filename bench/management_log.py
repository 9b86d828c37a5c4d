#!/usr/bin/env python
"""The building management log 大厦管理日志 (issue 17) on rows this script seeds.

``run.py --only management_log`` calls ``measure()`` (figures at the top level); standalone,
``python bench/management_log.py [--database NAME]`` uses run.py's bench database (the large
demo). The seed is a bulk COPY of audit events, never the services: a busy day (3,000 events
with codes the management log's registry names) among a year of others (300 a day, one in
three registered, the rest codes the log leaves out). Each copied event repeats a real
(record, action) pair of the demo's registered events, so the draft resolves real records of
every kind the demo has. Figures:

- ``management_log_seed_seconds`` (target <= 60 s);
- ``management_log_draft``: the busy day's page (``/desk/frontdesk/management-log/<day>/``, the
  live draft: every section's rows, the carried items, the supervisor's forms), with the test
  client as the supervisor: median <= 300 ms, the same number of queries on every request.
"""

import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

DAYS = 365
BUSY_EVENTS = 3000
DAILY_EVENTS = 300
BUSY_DAYS_AGO = 200  # the busy day: well inside the year, before the demo's month
REQUESTS = 20
MARK = "基准日志"  # the bench events' note
TARGETS = {"management_log_seed_seconds": 60, "management_log_draft_median_ms": 300}
UNREGISTERED = ("bench.viewed", "bench.printed", "bench.exported")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def busy_day():
    from django.utils import timezone

    return timezone.localdate() - timedelta(days=BUSY_DAYS_AGO)


def _bounds(day):
    from frontdesk.management_log_selectors import day_bounds

    return day_bounds(day)


def seed() -> float | None:
    """Seed once; returns the seconds it took, or None when the rows were there already."""
    from django.db import connection

    from jinyuan.workflow.models import AuditEvent

    start, end = _bounds(busy_day())
    if AuditEvent.objects.filter(at__gte=start, at__lt=end, note=MARK).count() >= BUSY_EVENTS:
        return None
    started = time.perf_counter()
    seed_rows()
    with connection.cursor() as cur:
        cur.execute("ANALYZE workflow_auditevent")
    return round(time.perf_counter() - started, 1)


def seed_rows() -> None:
    """The COPY of the bench year (one transaction)."""
    from django.db import transaction
    from renovation_passes import copy_rows  # bench/renovation_passes.py: the one COPY helper

    from frontdesk.management_log_selectors import registered_q
    from jinyuan.accounts.models import User
    from jinyuan.workflow.models import AuditEvent

    actors = list(User.objects.filter(is_staff=True).order_by("pk").values_list("pk", flat=True)[:20]) or [None]
    pairs = list(
        AuditEvent.objects.filter(registered_q())
        .order_by("-id")
        .values_list("content_type_id", "object_id", "action")
        .distinct()[:5000]
    )
    if not pairs:
        raise SystemExit("the bench database has no registered events: run bench/run.py first (the demo)")
    rng = random.Random(17)
    day = busy_day()
    first = day - timedelta(days=DAYS // 2)
    rows = []

    def add(when, pair, action=None):
        ct, pk, code = pair
        rows.append(
            {
                "content_type_id": ct,
                "object_id": pk,
                "action": action or code,
                "actor_id": rng.choice(actors),
                "at": when,
                "note": MARK,
                "data": {},
            }
        )

    for offset in range(DAYS):
        current = first + timedelta(days=offset)
        start, _end = _bounds(current)
        count = BUSY_EVENTS if current == day else DAILY_EVENTS
        for i in range(count):
            when = start + timedelta(seconds=86400 * (i + 0.5) / count)
            pair = pairs[rng.randrange(len(pairs))]
            registered = current == day or i % 3 == 0
            add(when, pair, None if registered else UNREGISTERED[i % len(UNREGISTERED)])
    with transaction.atomic():
        AuditEvent.objects.filter(note=MARK, at__gte=_bounds(first)[0]).delete()  # a half seed
        log(f"copying {len(rows)} audit events ({BUSY_EVENTS} registered ones on {day})")
        copy_rows(AuditEvent, rows)


def management_log_draft() -> dict:
    """The busy day's page, ``REQUESTS`` times after a warm-up."""
    import run  # bench/run.py
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = run.client_of("supervisor")
    path = f"/desk/frontdesk/management-log/{busy_day().isoformat()}/"
    first = client.get(path)
    if first.status_code != 200:
        return {"error": f"{path} answered {first.status_code}", "met": False}
    times, cpu, queries = [], [], set()
    for _ in range(REQUESTS):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        queries.add(len(captured))
    result: dict[str, Any] = {
        "path": path,
        "rows": response.content.decode().count("<tr>"),
        "requests": len(times),
        "median_ms": round(statistics.median(times), 2),
        "median_cpu_ms": round(statistics.median(cpu), 2),
        "max_ms": round(max(times), 2),
        "queries": sorted(queries),
    }
    result["met"] = result["median_ms"] <= TARGETS["management_log_draft_median_ms"] and len(queries) == 1
    return result


def measure() -> dict:
    seconds = seed()
    result: dict[str, Any] = {"management_log_seed_seconds": seconds}
    log("timing the busy day's management log draft")
    result["management_log_draft"] = management_log_draft()
    result["targets"] = TARGETS
    result["met"] = {
        "management_log_seed_seconds": None if seconds is None else seconds <= TARGETS["management_log_seed_seconds"],
        "management_log_draft": bool(result["management_log_draft"].get("met")),
    }
    return result


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("management_log", measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
