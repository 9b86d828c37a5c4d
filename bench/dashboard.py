#!/usr/bin/env python
"""The supervisor dashboard and its monthly report (issue 17) on the large demo database.

``run.py --only dashboard`` calls ``measure()`` (figures at the top level); standalone,
``python bench/dashboard.py [--database NAME]`` uses run.py's bench database (the large demo,
plus the rows other parts copied: repairs' 200,000 tickets and their deadlines, the patrols'
year when present). The seed is a COPY, never the services: a year and a month of deadline runs
of every registered procedure (``navigation.work()``), about 150,000 of them (met, late, still
running, overdue, paused), so the on-time counts read a year of history. Figures:

- ``dashboard_seed_seconds`` (target <= 60 s);
- ``supervisor_dashboard``: ``/desk/frontdesk/dashboard/`` as the supervisor, with the test
  client: median <= 300 ms over repeated requests, the same number of queries on every request
  (``queries``, ``met``);
- ``monthly_report_pdf``: last month's report drawn up (its figures) and rendered to PDF,
  median of a few runs <= 3 s.
"""

import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

RUNS = 150_000
KIND = "bench_dashboard"  # the bench runs' kind: counted with the rest, found again on a rerun
REQUESTS = 20
PDF_RUNS = 3
TARGETS = {"dashboard_seed_seconds": 60, "supervisor_dashboard_median_ms": 300, "monthly_report_pdf_median_ms": 3000}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def seed() -> float | None:
    """Seed once; the seconds it took, or None when the rows were there already."""
    from django.db import connection

    from jinyuan.workflow.models import Deadline

    if Deadline.objects.filter(kind=KIND).count() >= RUNS:
        return None
    started = time.perf_counter()
    seed_rows()
    with connection.cursor() as cur:
        cur.execute("ANALYZE workflow_deadline")
    return round(time.perf_counter() - started, 1)


def seed_rows() -> None:
    """The COPY of the runs (one transaction). Record ids far above any real one: a run's
    record is never read by the dashboard, and the live runs' unique key stays free."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone
    from renovation_passes import copy_rows  # bench/renovation_passes.py: the one COPY helper

    from jinyuan import navigation as nav
    from jinyuan.workflow.models import Deadline

    models = [entry.model for entry in nav.work()]
    if not models:
        raise SystemExit("no procedure registers its work (navigation.register_work)")
    cts = [ContentType.objects.get_for_model(model).pk for model in models]
    rng = random.Random(17)
    now = timezone.now()
    rows: list[dict[str, Any]] = []
    for n in range(RUNS):
        started = now - timedelta(days=rng.uniform(0, 395))
        due = started + timedelta(hours=rng.choice((4, 8, 24, 72, 168)))
        row: dict[str, Any] = {
            "content_type_id": rng.choice(cts),
            "object_id": 2_000_000_000 + n,
            "kind": KIND,
            "started_at": started,
            "due_at": due,
            "next_step_at": None,
        }
        roll = rng.random()
        if roll < 0.03 and started > now - timedelta(days=30):
            row.update(state="paused", paused_at=started + (due - started) / 2, remaining=(due - started) / 2)
        elif roll < 0.10 and started > now - timedelta(days=45):
            row.update(state="running")  # overdue when due before now
        else:
            late = rng.random() < 0.15
            stopped = due + timedelta(hours=rng.uniform(1, 48)) if late else started + (due - started) * rng.random()
            stopped = min(stopped, now)
            row.update(state="stopped", stopped_at=stopped, met=stopped <= due)
        rows.append(row)
    with transaction.atomic():
        copy_rows(Deadline, rows)


def supervisor_dashboard() -> dict:
    """The page, as the supervisor, repeated; queries counted on two requests."""
    import run  # bench/run.py
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = run.client_of("supervisor")
    path = "/desk/frontdesk/dashboard/"
    result = run.timed_page(client, path, requests=REQUESTS)
    if "error" in result:
        return {**result, "met": False}
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    result["queries_again"] = len(captured)
    result["met"] = result["median_ms"] <= TARGETS["supervisor_dashboard_median_ms"] and result["queries"] == len(
        captured
    )
    return result


def monthly_report_pdf() -> dict:
    """Last month's report: its figures drawn up and its PDF rendered, as the beat's task does."""
    from django.utils import timezone

    from frontdesk.dashboard_services import add_months, first_of, month_pdf

    month = add_months(first_of(timezone.localdate()), -1)
    times, size = [], 0
    for _ in range(PDF_RUNS):
        started = time.perf_counter()
        pdf = month_pdf(month)
        times.append((time.perf_counter() - started) * 1000)
        size = len(pdf)
    median = round(statistics.median(times), 1)
    return {
        "month": f"{month:%Y-%m}",
        "runs": PDF_RUNS,
        "median_ms": median,
        "max_ms": round(max(times), 1),
        "kib": round(size / 1024, 1),
        "met": median <= TARGETS["monthly_report_pdf_median_ms"],
    }


def measure() -> dict:
    from jinyuan.workflow.models import Deadline

    seconds = seed()
    result: dict[str, Any] = {"dashboard_seed_seconds": seconds, "deadline_runs": Deadline.objects.count()}
    log("timing the supervisor dashboard")
    result["supervisor_dashboard"] = supervisor_dashboard()
    log("timing last month's supervision report PDF")
    result["monthly_report_pdf"] = monthly_report_pdf()
    result["targets"] = TARGETS
    result["met"] = {
        "dashboard_seed_seconds": None if seconds is None else seconds <= TARGETS["dashboard_seed_seconds"],
        "supervisor_dashboard": bool(result["supervisor_dashboard"].get("met")),
        "monthly_report_pdf": bool(result["monthly_report_pdf"].get("met")),
    }
    return result


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("dashboard", measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
