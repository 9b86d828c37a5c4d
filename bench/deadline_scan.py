#!/usr/bin/env python
"""Bench of the deadline scan: ``python bench/deadline_scan.py [--running N] [--due N]``.

Copies ``running`` deadlines (default 100,000) into the database, ``due`` of them (5,000) with
a reminder step due now, and times two scans: the first sends those steps, the second finds
nothing to send. Everything happens inside one transaction that is rolled back, so the
database is left as it was (the notifications' e-mail task, queued on commit, never runs).

``bench/run.py`` calls ``measure()`` against its bench database; run standalone, this script
migrates and uses its own database (``jinyuan_bench_deadline_scan``) on the server of
DATABASE_URL and prints ``{"deadline_scan": {...}, "met": {...}}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STANDALONE_DB = "jinyuan_bench_deadline_scan"
TARGETS = {"deadline_scan_first_ms": 10_000, "deadline_scan_repeat_ms": 1_000}
# A Wednesday morning in office hours: the working-hours arithmetic of the steps is exercised
# without depending on the clock of the machine.
NOW = (2026, 12, 2, 10, 0)


class _Rollback(Exception):
    pass


def _copy_deadlines(running: int, due: int, now: datetime) -> None:
    """COPY ``running`` certificate review deadlines; the first ``due`` have their 1-hour
    reminder due now (due in 30 minutes), the rest are due in two days."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from permits.models import PremisesCertificate

    ct = ContentType.objects.get_for_model(PremisesCertificate)
    soon, later = now + timedelta(minutes=30), now + timedelta(days=2)
    # Object ids far above the demo's: the scan loads whatever records exist (none here).
    base = 10_000_000
    with (
        connection.cursor() as cur,
        cur.cursor.copy(
            "COPY workflow_deadline (content_type_id, object_id, kind, state, working_hours, started_at, due_at,"
            " next_step_at, next_step) FROM STDIN"
        ) as copy,
    ):
        for i in range(running):
            is_due = i < due
            due_at = soon if is_due else later
            next_at = now - timedelta(minutes=30) if is_due else later - timedelta(hours=1)
            copy.write_row((ct.pk, base + i, "review", "running", True, now, due_at, next_at, 0))
    with connection.cursor() as cur:
        cur.execute("ANALYZE workflow_deadline")


def _front_desk_users() -> int:
    """Recipients of the reminders: the front desk (two made if the database has none)."""
    from django.contrib.auth.models import Group

    from jinyuan.accounts.models import User
    from jinyuan.accounts.roles import Role

    group, _ = Group.objects.get_or_create(name=Role.FRONT_DESK)
    have = User.objects.filter(groups=group, is_active=True).count()
    for i in range(max(0, 2 - have)):
        user = User.objects.create(username=f"bench-desk-{i}", email="")
        user.groups.add(group)
    return max(have, 2)


def _timed_scan(now: datetime) -> tuple[int, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jinyuan.workflow.scan import scan

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        sent = scan(now=now)
        ms = (time.perf_counter() - started) * 1000
    return sent, round(ms, 1), len(ctx.captured_queries)


def _run(running: int, due: int) -> dict[str, Any]:
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from jinyuan.workflow.calendar import seed_year

    now = timezone.make_aware(datetime(*NOW))
    result: dict[str, Any] = {}
    # Content types are cached per process after their first lookup: the first run of a scan
    # that meets a model no earlier part touched would count one query the second run does not.
    ContentType.objects.get_for_models(*apps.get_models())
    try:
        with transaction.atomic():
            seed_year(now.year)
            recipients = _front_desk_users()
            # The database's own steps due at NOW (the demo's records) go out first, untimed:
            # the timed scans then send exactly the copied deadlines' steps.
            from jinyuan.workflow.scan import scan

            scan(now=now)
            started = time.perf_counter()
            _copy_deadlines(running, due, now)
            copy_s = round(time.perf_counter() - started, 1)
            sent, first_ms, first_q = _timed_scan(now)
            again, repeat_ms, repeat_q = _timed_scan(now)
            result = {
                "running": running,
                "due": due,
                "first_ms": first_ms,
                "repeat_ms": repeat_ms,
                "queries": first_q,
                "repeat_queries": repeat_q,
                "steps_sent": sent,
                "steps_sent_again": again,
                "recipients_per_step": recipients,
                "copy_seconds": copy_s,
            }
            raise _Rollback
    except _Rollback:
        pass
    return result


def measure(running: int = 100_000, due: int = 5_000) -> dict[str, Any]:
    """The figures, plus the query count of a scan 100 times smaller (it must be the same)."""
    result = _run(running, due)
    small = _run(max(running // 100, 1), max(due // 100, 1))
    result["queries_at_one_hundredth"] = small.get("queries")
    return result


def verdicts(figures: dict[str, Any]) -> dict[str, bool | None]:
    if not figures:
        return {"deadline_scan_first_ms": None, "deadline_scan_repeat_ms": None, "deadline_scan_queries_fixed": None}
    return {
        "deadline_scan_first_ms": figures["first_ms"] <= TARGETS["deadline_scan_first_ms"]
        and figures["steps_sent"] == figures["due"],
        "deadline_scan_repeat_ms": figures["repeat_ms"] <= TARGETS["deadline_scan_repeat_ms"]
        and figures["steps_sent_again"] == 0,
        "deadline_scan_queries_fixed": figures["queries"] == figures.get("queries_at_one_hundredth"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--running", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=5_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.run import (
        database_exists,
        dev_database_url,
        log,
        manage,
        recreate_database,
        with_db_name,
    )

    dev_url = dev_database_url()
    url = with_db_name(dev_url, STANDALONE_DB)
    if not database_exists(with_db_name(dev_url, "postgres"), STANDALONE_DB):
        recreate_database(with_db_name(dev_url, "postgres"), STANDALONE_DB)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "jinyuan.settings", "PYTHONWARNINGS": "ignore"}
    log(f"migrating {STANDALONE_DB}")
    manage(env, "migrate", "--no-input", "-v0")
    os.environ.update(env)
    import django

    django.setup()
    log(f"copying {args.running} deadlines ({args.due} due) and scanning twice")
    figures = measure(args.running, args.due)
    print(json.dumps({"deadline_scan": figures, "targets": TARGETS, "met": verdicts(figures)}, indent=2))


if __name__ == "__main__":
    main()
