#!/usr/bin/env python
"""Repair ticket benchmarks (issue 11) on rows this script seeds itself.

``run.py --only repairs`` calls ``measure()``; standalone, ``python bench/repair_tickets.py
[--database NAME]`` (not ``repairs.py``: that name is the app's) uses run.py's bench database
(seeded with the demo by ``run.py`` first: the companies, their units and the desk and engineer
users). The seed is a bulk COPY, never the services: 200,000 repair tickets over two years on the
demo's categories (``demo.repairs``), reported for the occupying companies' units (one in six for
a public area), 40 bench engineers and the demo's ``engineer`` sharing them; most closed, some
cancelled, the last days' open in every state with a pool waiting; each with its response and
completion deadline rows as the kernel leaves them (stopped with ``met`` for the finished ones,
some late; running, paused or past due for the open ones). Numbers continue each year's ``BX``
sequence, so a ticket the desk reports afterwards gets the next one. Figures:

- ``repair_seed_seconds`` (target <= 60 s; ``null`` when the rows were there);
- ``repair_list``: the desk's register (``desk:repairs:ticket_list``): first, middle, last page,
  by state, by category, overdue, searched by company, number, phone and reporter
  (<= 10 queries, median <= 30 ms on every page);
- ``engineer_worklist``: the demo engineer's worklist (``desk:repairs:engineer_worklist``), about
  20 open tickets of their own and the pool (<= 10 queries, median <= 30 ms);
- ``repair_intake``: the desk's intake form (``desk:repairs:ticket_new``) posted, multipart
  without a photo, each POST a new ticket (median <= 50 ms).

The pages come from the parts of issue 11 that build them; where a URL name is missing the
figure says so (``error``) and its ``met`` is false.
"""

import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

TICKETS = 200_000
DAYS = 730
ENGINEERS = 40
ENGINEER_PREFIX = "bench_eng_"
DEMO_ENGINEER_OPEN = 20  # the open tickets the demo engineer carries, about
INTAKE_POSTS = 60
RANDOM_SEED = 11
TARGETS = {
    "repair_seed_seconds": 60,
    "repair_list_queries": 10,
    "repair_list_median_ms": 30,
    "engineer_worklist_queries": 10,
    "engineer_worklist_median_ms": 30,
    "repair_intake_median_ms": 50,
}
URLS = {
    "list": "desk:repairs:ticket_list",
    "worklist": "desk:repairs:engineer_worklist",
    "intake": "desk:repairs:ticket_new",
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韦覃蒙陆莫"
GIVEN = ("建国", "海燕", "志强", "丽华", "明", "小燕", "振华", "春生", "晓东", "文斌", "嘉欣", "国庆", "伟", "静")
PUBLIC_PLACES = ("A座一楼大堂", "B座一楼大堂", "地下停车场B1层", "C座3号客梯", "D座消防楼梯间", "裙楼二层连廊")
CANCEL_SHARE = 0.03
LATE_RESPONSE = 0.08
LATE_COMPLETION = 0.06


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- the seed ------------------------------------------------------------------------------------


def seed(count: int = TICKETS) -> float | None:
    """Seed once; returns the seconds it took, or None when the tickets were there already."""
    from django.db import connection

    from repairs.models import RepairTicket

    have = RepairTicket.objects.count()
    if have >= count:
        return None
    started = time.perf_counter()
    seed_rows(count - have)
    # As autovacuum leaves them on a live server: statistics, and the visibility map that lets
    # the register's count and far pages read the indexes alone.
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) repairs_repairticket")
        cur.execute("VACUUM (ANALYZE) workflow_deadline")
        cur.execute("ANALYZE workflow_numbersequence")
    return round(time.perf_counter() - started, 1)


def bench_engineers() -> list[int]:
    """40 engineers besides the demo's (no password: nobody logs in as them)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from jinyuan.accounts.roles import Role

    User = get_user_model()
    group = Group.objects.get(name=Role.ENGINEERING)
    ids = []
    for n in range(ENGINEERS):
        user, made = User.objects.get_or_create(
            username=f"{ENGINEER_PREFIX}{n + 1:02d}",
            defaults={"display_name": f"工程部 {SURNAMES[n % len(SURNAMES)]}{GIVEN[n % len(GIVEN)]}"},
        )
        if made:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(group)
        ids.append(user.pk)
    return ids


def plan_row(rng: random.Random, created: datetime, now: datetime, category: Any) -> dict[str, Any]:
    """One ticket's state and timestamps by its age: the last days' open in every stage, older
    ones closed (a few cancelled, some late)."""
    age = now - created
    response = timedelta(minutes=category.response_minutes)
    completion = timedelta(hours=category.completion_hours)
    pool = category.dispatch == "pool"
    r = rng.random()
    if r < CANCEL_SHARE and not category.emergency:
        return {"status": "cancelled", "cancelled_at": min(created + timedelta(minutes=rng.randint(5, 120)), now)}
    if age < timedelta(hours=3):
        stages = ("pooled", "accepted", "on_site") if pool else ("reported", "dispatched", "accepted", "on_site")
        status = stages[min(int(age / timedelta(hours=3) * len(stages) + rng.random()), len(stages) - 1)]
    elif age < timedelta(hours=48):
        # Some wait in the pool past their response time; the rest at work or done.
        status = (
            "pooled"
            if pool and r < 0.25
            else rng.choice(("on_site", "paused", "accepted", "completed", "completed", "completed"))
        )
    elif age < timedelta(days=7):
        status = "paused" if r < 0.10 else ("completed" if r < 0.7 else "closed")
    else:
        status = "paused" if r < 0.0008 else "closed"  # a few stuck for weeks waiting for parts
    row: dict[str, Any] = {"status": status}
    if status in ("reported", "pooled"):
        return row
    dispatched = created + timedelta(minutes=rng.randint(1, 8))
    if status == "dispatched":
        return row
    row["accepted_at"] = min(dispatched + timedelta(minutes=rng.randint(1, 5)), now)
    if status == "accepted":
        return row
    late = rng.random() < LATE_RESPONSE
    arrival = response * (rng.uniform(1.1, 2.2) if late else rng.uniform(0.4, 0.9))
    row["arrived_at"] = min(max(created + arrival, row["accepted_at"] + timedelta(minutes=1)), now)
    if status == "on_site":
        return row
    if status == "paused":
        row["paused_at"] = min(row["arrived_at"] + timedelta(minutes=rng.randint(10, 40)), now)
        row["pause_reason"] = "parts" if rng.random() < 0.7 else "tenant"
        return row
    done = created + completion * (rng.uniform(1.1, 1.8) if rng.random() < LATE_COMPLETION else rng.uniform(0.1, 0.9))
    row["completed_at"] = min(max(done, row["arrived_at"] + timedelta(minutes=10)), now)
    if status == "closed":
        row["closed_at"] = min(row["completed_at"] + timedelta(hours=rng.choice((3, 20, 26, 168))), now)
    return row


def seed_rows(wanted: int, *, days: int = DAYS) -> None:
    """The COPY of ``wanted`` tickets, newest ``now``, oldest ``days`` back, then their
    deadlines in one INSERT … SELECT (one transaction)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from demo.bulk import continue_numbers, copy_rows
    from demo.repairs import CATEGORIES, ensure_categories
    from jinyuan.accounts.models import User
    from repairs.models import RepairTicket
    from repairs.services import NUMBER_PREFIX
    from tenants.models import Contact, Occupancy

    rng = random.Random(RANDOM_SEED)
    now = timezone.now()
    desk = User.objects.get(username="desk")
    demo_engineer = User.objects.get(username="engineer")
    with transaction.atomic():
        categories = list(ensure_categories().values())
        faults = {c.name: c for c in CATEGORIES}
        weights = [faults[c.name].weight if c.name in faults else 1 for c in categories]
        engineers = bench_engineers()
        places = list(
            Occupancy.objects.filter(end__isnull=True)
            .order_by("tenant_id", "unit_id")
            .distinct("tenant_id")
            .values_list("tenant_id", "unit_id")
        )
        if not places:
            raise SystemExit("the bench database has no occupying companies: run bench/run.py first")
        firsts = Contact.objects.order_by("tenant_id", "pk").distinct("tenant_id")
        phones = dict(firsts.values_list("tenant_id", "phone"))
        step = timedelta(days=days) / wanted
        start = now - timedelta(days=days)
        created_times = [start + step * n for n in range(wanted)]
        years = [timezone.localtime(t).year for t in created_times]
        numbers = continue_numbers(NUMBER_PREFIX, years)
        open_assigned = 0
        columns = (
            "applicant_id",
            "created_at",
            "updated_at",
            "status",
            "number",
            "tenant_id",
            "unit_id",
            "place",
            "reporter_name",
            "phone",
            "category_id",
            "description",
            "preferred_time",
            "urgency",
            "assignee_id",
            "pause_reason",
            "materials",
            "accepted_at",
            "arrived_at",
            "completed_at",
            "closed_at",
            "reopen_count",
        )

        def rows():
            nonlocal open_assigned
            for n, created in enumerate(created_times):
                category = rng.choices(categories, weights)[0]
                spec = faults.get(category.name)
                row = plan_row(rng, created, now, category)
                status = row["status"]
                public = n % 6 == 0
                tenant_id, unit_id = (None, None) if public else places[n % len(places)]
                name = f"{SURNAMES[n % len(SURNAMES)]}{GIVEN[(n // 7) % len(GIVEN)]}"
                phone = f"138{n:08d}" if public or n % 3 else (phones.get(tenant_id) or f"139{n:08d}")
                assignee = None
                if status not in ("reported", "pooled", "cancelled"):
                    # The demo engineer carries a realistic load of the open tickets.
                    if status in RepairTicket.OPEN and open_assigned < DEMO_ENGINEER_OPEN and n % 9 == 0:
                        assignee = demo_engineer.pk
                        open_assigned += 1
                    else:
                        assignee = engineers[n % len(engineers)]
                stamps = [row.get(k) for k in ("accepted_at", "arrived_at", "paused_at", "completed_at", "closed_at")]
                updated = max([created, row.get("cancelled_at") or created, *(s for s in stamps if s)])
                yield (
                    desk.pk,
                    created,
                    updated,
                    status,
                    numbers[n],
                    tenant_id,
                    unit_id,
                    rng.choice(PUBLIC_PLACES) if public else "",
                    name,
                    phone,
                    category.pk,
                    rng.choice(spec.faults) if spec else "报修",
                    "" if n % 4 else "下午 2 点后",
                    "emergency" if category.emergency else ("urgent" if n % 10 == 0 else "normal"),
                    assignee,
                    row.get("pause_reason", ""),
                    (rng.choice(spec.materials) if spec and spec.materials else "") if row.get("completed_at") else "",
                    row.get("accepted_at"),
                    row.get("arrived_at"),
                    row.get("completed_at"),
                    row.get("closed_at"),
                    1 if n % 97 == 0 and status in ("closed", "completed") else 0,
                )

        log(f"copying {wanted} repair tickets")
        with connection.cursor() as cur:
            cur.execute("SELECT coalesce(max(id), 0) FROM repairs_repairticket")
            (first_id,) = cur.fetchone()
        copy_rows(RepairTicket, columns, rows())
        log("writing their response and completion deadlines")
        deadlines(first_id, now)


# The deadline rows of the copied tickets (id > %(after)s), as ``jinyuan.workflow.deadlines``
# leaves them: response runs until arrival, completion until completion, paused with the ticket;
# a finished run stopped with ``met``. Working-hours categories are timed in calendar time here
# (an approximation of the office calendar: the register reads state, due time and ``met`` only).
DEADLINES_SQL = """
INSERT INTO workflow_deadline
    (content_type_id, object_id, kind, state, working_hours, started_at, due_at, remaining,
     paused_at, stopped_at, met, next_step_at, next_step)
SELECT %(ct)s, t.id, d.kind || CASE WHEN c.working_hours_only THEN '_wh' ELSE '' END,
       s.state, c.working_hours_only, t.created_at, s.due_at,
       CASE WHEN s.state = 'paused' THEN greatest(s.due_at - t.updated_at, interval '0') END,
       CASE WHEN s.state = 'paused' THEN t.updated_at END,
       CASE WHEN s.state = 'stopped' THEN s.stop END,
       CASE WHEN s.state = 'stopped' THEN s.stop <= s.due_at END,
       CASE WHEN s.state = 'running' AND s.due_at - interval '5 minutes' > %(now)s
            THEN s.due_at - interval '5 minutes' END,
       CASE WHEN s.state = 'running' AND s.due_at - interval '5 minutes' <= %(now)s THEN 2 ELSE 0 END
FROM repairs_repairticket t
JOIN repairs_repaircategory c ON c.id = t.category_id
CROSS JOIN (VALUES ('response'), ('completion')) AS d(kind)
CROSS JOIN LATERAL (
    SELECT
        CASE WHEN d.kind = 'response' THEN t.created_at + c.response_minutes * interval '1 minute'
             ELSE t.created_at + c.completion_hours * interval '1 hour' END AS due_at,
        CASE
            WHEN d.kind = 'response' AND t.status IN ('reported', 'dispatched', 'pooled', 'accepted') THEN 'running'
            WHEN d.kind = 'completion' AND t.status IN ('reported', 'dispatched', 'pooled', 'accepted', 'on_site')
                THEN 'running'
            WHEN d.kind = 'completion' AND t.status = 'paused' THEN 'paused'
            ELSE 'stopped' END AS state,
        CASE WHEN t.status = 'cancelled' THEN t.updated_at
             WHEN d.kind = 'response' THEN t.arrived_at
             ELSE t.completed_at END AS stop
) AS s
WHERE t.id > %(after)s
"""


def deadlines(after_id: int, now: datetime) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from repairs.models import RepairTicket

    ct = ContentType.objects.get_for_model(RepairTicket).pk
    with connection.cursor() as cur:
        cur.execute(DEADLINES_SQL, {"ct": ct, "now": now, "after": after_id})


# --- the pages ----------------------------------------------------------------------------------


def url_of(name: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(URLS[name])
    except NoReverseMatch:
        return None


def missing(name: str) -> dict:
    return {"error": f"URL {URLS[name]} does not exist (the page has not landed)", "met": False}


def repair_list() -> dict:
    """The desk's register of repair tickets: first, middle, last page, filters and searches."""
    from urllib.parse import quote

    import run  # bench/run.py
    from django.urls import resolve

    from repairs.models import RepairCategory, RepairTicket
    from tenants.models import Tenant

    path = url_of("list")
    if path is None:
        return missing("list")
    view = getattr(resolve(path).func, "view_class", None)
    per_page = getattr(view, "paginate_by", None) or 25
    ticket = RepairTicket.objects.filter(tenant__isnull=False).order_by("-created_at", "-id")[500]
    company = Tenant.objects.get(pk=ticket.tenant_id).name
    category = RepairCategory.objects.filter(name="空调").first() or RepairCategory.objects.first()
    result = run.register_pages(
        run.desk_client(),
        path,
        RepairTicket.objects.count(),
        per_page,
        {
            "status_dispatched": "status=dispatched",
            "status_cancelled": "status=cancelled",
            "category": f"category={category.pk}",
            "overdue": "overdue=1",
            # A trade name in about 40 company names, and a name's first four characters (at
            # the large scale "广西南宁": a thousand companies, a quarter of the tickets).
            "search_company": f"q={quote('邕江')}",
            "search_company_broad": f"q={quote(company[:4])}",
            "search_number": f"q={ticket.number}",
            "search_phone": f"q={ticket.phone}",
            "search_reporter": f"q={quote(ticket.reporter_name)}",
        },
    )
    result["queries"] = result["queries_max"]
    result["median_ms"] = result["median_ms_max"]
    return result


def engineer_worklist() -> dict:
    """The demo engineer's worklist: their open tickets by due time, and the pool."""
    import run  # bench/run.py

    from repairs.models import RepairTicket

    path = url_of("worklist")
    if path is None:
        return missing("worklist")
    page = run.timed_page(run.client_of("engineer"), path)
    page["own_open"] = RepairTicket.objects.filter(assignee__username="engineer", status__in=RepairTicket.OPEN).count()
    page["pool"] = RepairTicket.objects.filter(status=RepairTicket.Status.POOLED).count()
    page["met"] = (
        "queries" in page
        and page["queries"] <= TARGETS["engineer_worklist_queries"]
        and page["median_ms"] <= TARGETS["engineer_worklist_median_ms"]
    )
    return page


def hidden_fields(html: str) -> dict[str, str]:
    """The intake form's hidden inputs (a submission key, say): sent back as a browser would."""
    import re

    fields = {}
    for tag in re.findall(r"<input[^>]*type=[\"']hidden[\"'][^>]*>", html):
        name = re.search(r"name=[\"']([^\"']+)", tag)
        value = re.search(r"value=[\"']([^\"']*)", tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def repair_intake(posts: int = INTAKE_POSTS) -> dict:
    """The desk's intake form posted as a clerk on the phone sends it (multipart, no photo):
    each POST a new ticket. The form page before each POST is not timed."""
    import run  # bench/run.py
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from repairs.models import RepairCategory, RepairTicket
    from tenants.models import Occupancy

    path = url_of("intake")
    if path is None:
        return missing("intake")
    client = run.desk_client()
    category = RepairCategory.objects.filter(name="水电维修").first() or RepairCategory.objects.first()
    places = list(
        Occupancy.objects.filter(end__isnull=True)
        .order_by("tenant_id", "unit_id")
        .values_list("tenant_id", "unit__number")[:posts]
    )
    stamp = f"{time.time():.0f}"[-6:]
    times, queries, statuses = [], [], []
    before = RepairTicket.objects.count()
    for n in range(posts + 1):  # the first one warms up
        form = client.get(path)
        if form.status_code != 200:
            return {"error": f"{path} answered {form.status_code} to the desk", "met": False}
        # The form takes the unit number as the clerk types it (the typeahead fills it).
        tenant_id, unit_number = places[n % len(places)]
        data = {
            **hidden_fields(form.content.decode()),
            "tenant": tenant_id,
            "unit": unit_number,
            "place": "",
            "reporter_name": f"基准{stamp}-{n}",
            "phone": f"1387710{n % 10000:04d}",
            "category": category.pk,
            "description": "卫生间水龙头漏水，请尽快派人维修",
            "preferred_time": "今天下午",
            "urgency": "normal",
        }
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(path, data)  # multipart/form-data, as the browser sends it
            elapsed = (time.perf_counter() - started) * 1000
        statuses.append(response.status_code)
        if response.status_code >= 400 or not RepairTicket.objects.filter(reporter_name=data["reporter_name"]).exists():
            return {
                "error": f"POST {path} answered {response.status_code} without creating a ticket "
                "(form errors? fields sent: " + ", ".join(sorted(data)) + ")",
                "met": False,
            }
        if n:
            times.append(elapsed)
            queries.append(len(captured))
    times.sort()
    median = round(statistics.median(times), 1)
    return {
        "url": path,
        "posts": len(times),
        "tickets_created": RepairTicket.objects.count() - before,
        "median_ms": median,
        "p90_ms": round(times[int(len(times) * 0.9) - 1], 1),
        "queries": sorted(set(queries)),
        "status_codes": sorted(set(statuses)),
        "met": median <= TARGETS["repair_intake_median_ms"],
    }


def shape() -> dict:
    """What the seeded register holds: tickets by state, the overdue ones, the pool."""
    from django.db.models import Count

    from repairs.models import RepairTicket
    from repairs.selectors import overdue

    return {
        "tickets": RepairTicket.objects.count(),
        "by_status": dict(RepairTicket.objects.order_by().values_list("status").annotate(n=Count("pk"))),
        "overdue": overdue(RepairTicket.objects.all()).count(),
    }


def measure() -> dict:
    seconds = seed()
    result: dict[str, Any] = {"repair_seed_seconds": seconds, "repair_data": shape()}
    log("timing the repair register")
    result["repair_list"] = repair_list()
    log("timing the engineer's worklist")
    result["engineer_worklist"] = engineer_worklist()
    log("timing the desk's repair intake (each POST a new ticket)")
    result["repair_intake"] = repair_intake()
    result["targets"] = TARGETS
    result["met"] = {
        "repair_seed_seconds": None if seconds is None else seconds <= TARGETS["repair_seed_seconds"],
        "repair_list": bool(result["repair_list"].get("met")),
        "engineer_worklist": bool(result["engineer_worklist"].get("met")),
        "repair_intake": bool(result["repair_intake"].get("met")),
    }
    return result


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("repairs", measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
