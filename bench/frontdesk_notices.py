#!/usr/bin/env python
"""Announcement benchmarks (issue 16: announcements 公告 and read receipts) on rows this script seeds.

``run.py --only frontdesk_notices`` calls ``measure()`` (figures at the top level); standalone,
``python bench/frontdesk_notices.py [--database NAME]`` uses run.py's bench database (seeded
with the demo first: the tenants, their portal admins and the desk user). The seed is a bulk
COPY, never the services: 500 published announcements to all tenants over two years (one every
day and a half; outages and fire drills urgent, the last few still shown), each with one
receipt per company of the demo occupying a unit (its 3,000: 1.5 million receipts, made in
the companies' name order as publishing makes them), read by a share of the companies that
varies from none to all. Figures:

- ``notices_seed_seconds`` (target <= 60 s);
- ``announcement_unread_list``: the desk's list of the companies that have not read an urgent
  announcement addressed to all tenants (``/desk/frontdesk/announcements/<pk>/unread/``, a page
  of it: the first, a middle and the last page) with the test client, over announcements from
  none to every company unread: median <= 30 ms, the same number of queries whatever the count.
"""

import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

ANNOUNCEMENTS = 500
EVERY_HOURS = 36  # one announcement every day and a half, back from now
LIVE = 6  # the newest ones are still shown (not expired)
PREFIX = "基准公告"
CATEGORIES = ("water_outage", "general", "power_outage", "elevator", "fire_drill", "general")
URGENT = {"water_outage", "power_outage", "fire_drill"}
COMPANIES = 3000  # the large demo's tenants
LISTS = 12  # urgent announcements whose unread list is timed
TARGETS = {"notices_seed_seconds": 60, "announcement_unread_list_median_ms": 30}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def read_share(n: int) -> float:
    """The share of companies that read announcement ``n``: none, a tenth … all of them."""
    return (n % 11) / 10


def seed() -> float | None:
    """Seed once; returns the seconds it took, or None when the rows were there already."""
    from frontdesk.models import Announcement

    if Announcement.objects.filter(title__startswith=PREFIX).count() >= ANNOUNCEMENTS:
        return None
    started = time.perf_counter()
    seed_rows()
    return round(time.perf_counter() - started, 1)


def seed_rows() -> None:
    """The COPY of the bench announcements and their receipts (one transaction)."""
    from django.db import connection, transaction
    from django.utils import timezone
    from renovation_passes import copy_rows  # bench/renovation_passes.py: the one COPY helper

    from frontdesk.models import Announcement, AnnouncementReceipt
    from jinyuan.accounts.models import User
    from tenants.models import Membership, Occupancy, Tenant
    from tenants.selectors import current_q

    desk = User.objects.get(username="desk")
    # The demo's companies occupying a unit (other parts' bench rows add companies of their own).
    occupying = Tenant.objects.filter(is_active=True, pk__in=Occupancy.objects.filter(current_q()).values("tenant_id"))
    first = occupying.order_by("pk").values_list("pk", flat=True)[:COMPANIES]
    tenants = list(Tenant.objects.filter(pk__in=list(first)).order_by("name", "id").values_list("pk", flat=True))
    if not tenants:
        raise SystemExit("the bench database has no occupying companies: run bench/run.py first")
    readers = dict(
        Membership.objects.filter(tenant_id__in=tenants, is_active=True)
        .order_by("tenant_id", "role", "user_id")
        .values_list("tenant_id", "user_id")
        .distinct("tenant_id")
    )
    now = timezone.now()
    with transaction.atomic():
        # A half seed (bench rows only): receipts first, they point at the announcements.
        AnnouncementReceipt.objects.filter(announcement__title__startswith=PREFIX).delete()
        Announcement.objects.filter(title__startswith=PREFIX).delete()
        rows = []
        for n in range(ANNOUNCEMENTS):
            published = now - timedelta(hours=EVERY_HOURS * (ANNOUNCEMENTS - n))
            live = n >= ANNOUNCEMENTS - LIVE
            category = CATEGORIES[n % len(CATEGORIES)]
            reads = sum(1 for i, t in enumerate(tenants) if t in readers and _reads(n, i))
            rows.append(
                {
                    "applicant_id": desk.pk,
                    "created_at": published - timedelta(hours=2),
                    "status": "published" if live else "expired",
                    "title": f"{PREFIX}{n + 1:03d}",
                    "text": "基准测试公告正文。",
                    "category": category,
                    "urgent": category in URGENT,
                    "audience": "all",
                    "publish_at": published,
                    "expires_at": (now + timedelta(days=2)) if live else published + timedelta(days=3),
                    "published_at": published,
                    "addressed_count": len(tenants),
                    "read_count": reads,
                }
            )
        copy_rows(Announcement, rows)
        ids = list(
            Announcement.objects.filter(title__startswith=PREFIX).order_by("title").values_list("pk", "published_at")
        )
        log(f"copying {len(ids) * len(tenants):,} receipts ({len(ids)} announcements × {len(tenants)} companies)")
        sql = (
            "COPY frontdesk_announcementreceipt (announcement_id, tenant_id, first_read_at, first_reader_id,"
            " last_called_at, last_call_result) FROM STDIN"
        )
        # COPY's text format written an announcement at a time: 1.5 million rows adapted value by
        # value would take most of the minute.
        with (
            connection.cursor() as cur,
            without_indexes(cur, AnnouncementReceipt._meta.db_table),
            cur.cursor.copy(sql) as copy,
        ):
            for n, (pk, published) in enumerate(ids):
                stamps = [(published + timedelta(minutes=m)).isoformat() for m in range(600)]
                lines = []
                for i, tenant in enumerate(tenants):
                    reader = readers.get(tenant)
                    if reader and _reads(n, i):
                        lines.append(f"{pk}\t{tenant}\t{stamps[i % 600]}\t{reader}\t\\N\t\n")
                    else:
                        lines.append(f"{pk}\t{tenant}\t\\N\t\\N\t\\N\t\n")
                copy.write("".join(lines))
    with connection.cursor() as cur:  # the planner's statistics of the new rows, after commit
        cur.execute("ANALYZE frontdesk_announcement; ANALYZE frontdesk_announcementreceipt")


@contextmanager
def without_indexes(cur, table: str) -> Iterator[None]:
    """The table's secondary indexes and foreign keys dropped for the COPY and made again after
    (PostgreSQL's advice for a bulk load: one sort per index and one join per key, instead of
    1.5 million index insertions and key look-ups); in the seed's transaction, so a failure
    leaves the table as it was."""
    # The checks deferred so far (the announcements' keys) first: a table with pending trigger
    # events cannot be altered.
    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cur.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
        [table],
    )
    constraints = cur.fetchall()
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN"
        " (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    )
    indexes = cur.fetchall()
    for name, _definition in constraints:
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    yield
    for _name, definition in indexes:
        cur.execute(definition)
    for name, definition in constraints:
        cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _reads(n: int, i: int) -> bool:
    """Whether company ``i`` (in name order) read announcement ``n``: spread over the list."""
    return (i * 7919 % 1000) < read_share(n) * 1000


def unread_list() -> dict:
    """A page of the companies that have not read an urgent announcement addressed to all
    tenants (first, middle and last page), through the test client (``run.timed_page``: the
    queries of one request, the median server time of five): over announcements from a few
    hundred to every company unread."""
    import run  # bench/run.py

    from frontdesk.models import Announcement

    urgent = list(
        Announcement.objects.filter(title__startswith=PREFIX, urgent=True, audience="all")
        .order_by("-publish_at")
        .values_list("pk", "addressed_count", "read_count")[: LISTS * 3]
    )
    urgent.sort(key=lambda row: row[1] - row[2])  # spread over the unread counts
    client = run.client_of("desk")
    pages = []
    for pk, addressed, read in urgent[:: max(1, len(urgent) // LISTS)][:LISTS]:
        last = max(1, -(-(addressed - read) // 25))
        for page in sorted({1, (last + 1) // 2, last}):
            timed = run.timed_page(client, f"/desk/frontdesk/announcements/{pk}/unread/?page={page}", requests=5)
            if "error" in timed:
                return {**timed, "met": False}
            pages.append({**timed, "unread": addressed - read})
    median = round(statistics.median(p["median_ms"] for p in pages), 2)
    queries = sorted({p["queries"] for p in pages})
    return {
        "pages": len(pages),
        "median_ms": median,
        "median_cpu_ms": round(statistics.median(p["median_cpu_ms"] for p in pages), 2),
        "max_ms": max(p["median_ms"] for p in pages),
        "queries": queries,
        "unread_counts": sorted({p["unread"] for p in pages}),
        "met": median <= TARGETS["announcement_unread_list_median_ms"] and len(queries) == 1,
    }


def measure() -> dict:
    seconds = seed()
    result: dict[str, Any] = {"notices_seed_seconds": seconds}
    log("timing the desk's unread list of urgent announcements addressed to all tenants")
    result["announcement_unread_list"] = unread_list()
    result["targets"] = TARGETS
    result["met"] = {
        "notices_seed_seconds": None if seconds is None else seconds <= TARGETS["notices_seed_seconds"],
        "announcement_unread_list": bool(result["announcement_unread_list"].get("met")),
    }
    return result


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("frontdesk_notices", measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
