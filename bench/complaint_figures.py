#!/usr/bin/env python
"""Complaint benchmarks (issue 12) on rows this script seeds itself.

``run.py --only complaints`` calls ``measure()``; standalone, ``python bench/complaint_figures.py
[--database NAME]`` (not ``complaints.py``: that name is the app's, and a script of that name
beside ``run.py`` would shadow it) uses run.py's bench database (seeded with the demo by
``run.py`` first: the companies, their portal admins, the desk, supervisor, engineer and guard
users). The seed is a bulk COPY, never the services: 30,000 complaints over the past year on the
demo's categories (``demo.complaints``), from the occupying companies (their contacts by phone,
at the desk, by e-mail or letter, their portal admins in the portal), visitors and anonymous
callers, answered by engineering (40 bench engineers and the demo's), security (10 bench guards
and the demo's) and the desk (6 bench clerks and the demo's, also for the cleaning contractor).
Older ones closed with an approved reply (a few cancelled, a few reopened after a dissatisfied
return visit and closed again, some still waiting for a complainant who never answered); the
last days' open in every state. Each has its acknowledgement and reply ``Deadline`` rows as the
kernel leaves them, timed in the working calendar (running, paused while waiting, or stopped
with ``met``: some late), and each closed one its return visit (``FollowUp``: made, or open
when due today or later; cancelled for an anonymous caller without a number). Numbers continue
each year's ``TS`` sequence. The repairs part's 200,000 tickets are its own (``--only
repairs,complaints`` for both; the statistics are meant with both present).

Figures:

- ``complaint_seed_seconds`` (target <= 60 s; ``null`` when the rows were there);
- ``complaint_list``: the desk's register (``desk:complaints:complaint_list``): first, middle,
  last page, each filter, searches (<= 10 queries, median <= 30 ms on every page);
- ``monthly_statistics``: ``complaints.statistics.month_figures(<first day of the last complete
  month>)``, its result walked to the end (lazy querysets evaluated): median <= 300 ms, the same
  number of queries for months of other volumes (``queries_fixed``);
- ``statistics_pdf``: ``complaints.reports.render_statistics_pdf(<the same date>)``: median
  <= 2 s.

The register, the statistics and the PDF come from the parts of issue 12 that build them; where
a URL name or function is missing the figure says so (``error``) and its ``met`` is false.
"""

import bisect
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

COMPLAINTS = 30_000
DAYS = 365
RANDOM_SEED = 12
STATISTICS_RUNS = 15
PDF_RUNS = 5
TARGETS = {
    "complaint_seed_seconds": 60,
    "complaint_list_queries": 10,
    "complaint_list_median_ms": 30,
    "monthly_statistics_median_ms": 300,
    "statistics_pdf_median_ms": 2000,
}
URLS = {"list": "desk:complaints:complaint_list"}
# Bench staff besides the demo's users (no password: nobody logs in as them).
GUARDS, GUARD_PREFIX = 10, "bench_sec_"
CLERKS, CLERK_PREFIX = 6, "bench_desk_"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韦覃蒙陆莫"
GIVEN = ("建国", "海燕", "志强", "丽华", "明", "小燕", "振华", "春生", "晓东", "文斌", "嘉欣", "国庆", "伟", "静")
CHANNELS = (("phone", 34), ("desk", 20), ("portal", 26), ("email", 12), ("letter", 8))
KINDS = (("complaint", 75), ("suggestion", 15), ("inquiry", 10))
VISITOR, ANONYMOUS = 0.21, 0.09
URGENT = 0.12
LATE_ACKNOWLEDGEMENT, LATE_REPLY = 0.08, 0.09
WAITS, NEVER_ANSWERED = 0.10, 0.01  # of the waits: the complainant never came back
CANCELLED = 0.04
INVALID = 0.08
REOPENED = 0.02  # of the closed complaints proper older than a month
# The declared steps (complaints.models.Complaint.deadlines), in working hours from the due time.
STEPS = {"acknowledgement": (-0.5, 0.0, 2.0), "reply": (-4.0, 0.0, 9.0)}


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- working time, fast -------------------------------------------------------------------------


class WorkingClock:
    """``WorkingCalendar.add`` and ``between`` over a fixed span of days, in O(log n): the
    office hours of every working day as epoch seconds with the working time before each, so
    the 200,000 moments of the seed cost microseconds each, not a walk over the days."""

    def __init__(self, calendar: Any, first: date, last: date):
        self.opens: list[float] = []
        self.before: list[float] = []  # working seconds of the span before each day's opening
        self.after: list[float] = []  # ... and at its closing
        total = 0.0
        day = first
        while day <= last:
            if calendar.is_working_day(day):
                opens, closes = calendar.office(day)
                self.opens.append(opens.timestamp())
                self.before.append(total)
                total += closes.timestamp() - opens.timestamp()
                self.after.append(total)
            day += timedelta(days=1)

    def worked(self, moment: datetime) -> float:
        ts = moment.timestamp()
        i = bisect.bisect_right(self.opens, ts) - 1
        if i < 0:
            return 0.0
        return min(self.before[i] + ts - self.opens[i], self.after[i])

    def add(self, start: datetime, hours: float) -> datetime:
        """``hours`` of working time after ``start``; a time that fills a day ends at its closing."""
        target = self.worked(start) + hours * 3600
        j = min(bisect.bisect_left(self.after, target), len(self.after) - 1)
        return datetime.fromtimestamp(self.opens[j] + max(target - self.before[j], 0.0), start.tzinfo)

    def between(self, a: datetime, b: datetime) -> timedelta:
        return timedelta(seconds=self.worked(b) - self.worked(a))


# --- the seed ------------------------------------------------------------------------------------


def seed(count: int = COMPLAINTS) -> float | None:
    """Seed once; returns the seconds it took, or None when the complaints were there already."""
    from django.db import connection

    from complaints.models import Complaint

    have = Complaint.objects.count()
    if have >= count:
        return None
    started = time.perf_counter()
    seed_rows(count - have)
    # As autovacuum leaves them on a live server: statistics and the visibility map.
    with connection.cursor() as cur:
        for table in ("complaints_complaint", "workflow_deadline", "followups_followup"):
            cur.execute(f"VACUUM (ANALYZE) {table}")
        cur.execute("ANALYZE workflow_numbersequence")
    return round(time.perf_counter() - started, 1)


def bench_staff(prefix: str, count: int, role: str, title: str) -> list[int]:
    """``count`` users of ``role`` (no password), made once."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    User = get_user_model()
    group = Group.objects.get(name=role)
    ids = []
    for n in range(count):
        user, made = User.objects.get_or_create(
            username=f"{prefix}{n + 1:02d}",
            defaults={"display_name": f"{title} {SURNAMES[(n + 7) % len(SURNAMES)]}{GIVEN[n % len(GIVEN)]}"},
        )
        if made:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(group)
        ids.append(user.pk)
    return ids


@dataclass
class Context:
    """What every row draws on."""

    now: datetime
    today: date  # local
    tz: Any  # the building's time zone
    clock: WorkingClock
    calendar: Any
    handlers: dict[str, list[int]]  # department -> user ids
    desk: int
    supervisor: int
    companies: list[tuple[int, str]]  # (tenant id, a contact's phone)
    portal_admins: dict[int, int]  # tenant id -> its portal admin's user id


def _complainant(rng: random.Random, n: int, ctx: Context, channel: str) -> tuple[dict[str, Any], str]:
    """The complainant's columns and the channel (a company without a portal login calls)."""
    name = f"{SURNAMES[n % len(SURNAMES)]}{GIVEN[(n // 7) % len(GIVEN)]}"
    r = rng.random()
    if r < ANONYMOUS:
        phone = f"137{n:08d}" if channel in ("phone", "desk") or r < ANONYMOUS * 0.4 else ""
        return {"anonymous": True, "tenant_id": None, "name": "", "phone": phone, "email": "", "applicant": None}, (
            "phone" if channel == "portal" else channel
        )
    if r < ANONYMOUS + VISITOR:
        email = f"{n + 10**7}@qq.com" if channel == "email" else ""
        channel = "phone" if channel == "portal" else channel
        return {
            "anonymous": False,
            "tenant_id": None,
            "name": name,
            "phone": f"138{n:08d}",
            "email": email,
            "applicant": None,
        }, channel
    tenant_id, phone = ctx.companies[n % len(ctx.companies)]
    admin = ctx.portal_admins.get(tenant_id)
    if channel == "portal" and admin is None:
        channel = "phone"
    return {
        "anonymous": False,
        "tenant_id": tenant_id,
        "name": name,
        "phone": phone or f"139{n:08d}",
        "email": f"service{tenant_id}@example.cn" if channel in ("email", "portal") else "",
        "applicant": admin if channel == "portal" else None,
    }, channel


def plan_row(rng: random.Random, n: int, created: datetime, ctx: Context, category: Any) -> dict[str, Any]:
    """One complaint's columns, deadlines and return visits: its steps in working hours from
    the record, those still ahead of now not taken (the last days' complaints are open)."""
    from demo.complaints import INVALID as INVALID_REPLIES
    from demo.complaints import VALID_REASONS

    clock, now = ctx.clock, ctx.now
    kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
    channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
    who, channel = _complainant(rng, n, ctx, channel)
    topic = rng.choice(
        {"complaint": category.complaints, "suggestion": category.suggestions}.get(kind, category.inquiries)
    )
    urgent = kind == "complaint" and rng.random() < URGENT
    allowed = 24.0 if urgent else 48.0
    row: dict[str, Any] = {
        "kind": kind,
        "channel": channel,
        "who": who,
        "topic": topic,
        "urgent": urgent,
        "status": "recorded",
        "department": "",
        "assignee": None,
        "deadlines": [],
        "visits": [],
        "reopen_count": 0,
    }
    at = lambda hours: clock.add(created, hours)  # noqa: E731
    ack_h = rng.uniform(2.3, 7.0) if rng.random() < LATE_ACKNOWLEDGEMENT else rng.uniform(0.08, 1.8)
    ack, ack_due = at(ack_h), at(2.0)
    reply_due = at(allowed)
    if rng.random() < CANCELLED and ack <= now:
        cancelled = at(ack_h + rng.uniform(0.2, 3))
        if cancelled <= now:
            row.update(status="cancelled", cancelled_at=cancelled)
            if rng.random() < 0.5:
                row["acknowledged_at"] = ack
            stop = row.get("acknowledged_at") or cancelled
            row["deadlines"] = [
                ("acknowledgement", created, ack_due, "stopped", stop),
                ("reply", created, reply_due, "stopped", cancelled),
            ]
            return row
    department = topic.department
    handler = rng.choice(ctx.handlers[department])
    assign_h = ack_h + rng.uniform(0.1, 1.5)
    cursor, waited, wait = assign_h, 0.0, None
    if rng.random() < WAITS:
        cursor += rng.uniform(0.5, 4)
        waited = rng.uniform(4, 30)
        wait = (at(cursor), None if rng.random() < NEVER_ANSWERED else at(cursor + waited))
        cursor += waited
    sent_h = allowed * (rng.uniform(1.05, 1.7) if rng.random() < LATE_REPLY else rng.uniform(0.2, 0.9)) + waited
    approve_delay, send_delay = rng.uniform(0.3, 3), rng.uniform(0.1, 1.5)
    propose_h = max(cursor + rng.uniform(0.5, 2), sent_h - approve_delay - send_delay)
    steps = {
        "acknowledged_at": ack,
        "assigned_at": at(assign_h),
        "proposed": at(propose_h),
        "approved_at": at(propose_h + approve_delay),
        "sent": at(propose_h + approve_delay + send_delay),
    }
    invalid = kind == "complaint" and rng.random() < INVALID
    reason, reply = rng.choice(INVALID_REPLIES) if invalid else (rng.choice(VALID_REASONS), topic.reply)
    # The state now: the last step taken (a wait counts while the complainant has not answered).
    if ack > now:
        row["deadlines"] = [
            ("acknowledgement", created, ack_due, "running", None),
            ("reply", created, reply_due, "running", None),
        ]
        return row
    row.update(status="acknowledged", acknowledged_at=ack)
    ack_run = ("acknowledgement", created, ack_due, "stopped", ack)
    if steps["assigned_at"] > now:
        row["deadlines"] = [ack_run, ("reply", created, reply_due, "running", None)]
        return row
    row.update(status="assigned", department=department, assignee=handler, assigned_at=steps["assigned_at"])
    if wait and wait[0] <= now and (wait[1] is None or wait[1] > now):
        remaining = timedelta(hours=allowed) - clock.between(created, wait[0])
        row.update(status="waiting", paused_at=wait[0])
        row["deadlines"] = [ack_run, ("reply", created, reply_due, "paused", remaining)]
        return row
    reply_due = at(allowed + waited) if wait and wait[1] is not None else reply_due
    row["reply_draft"] = reply
    for state, step in (("proposed", "proposed"), ("approved", "approved_at"), ("closed", "sent")):
        if steps[step] > now:
            row["deadlines"] = [ack_run, ("reply", created, reply_due, "running", None)]
            return row
        row["status"] = state
    row.update(approved_at=steps["approved_at"], sent=steps["sent"])
    if kind == "complaint":
        row.update(validity="invalid" if invalid else "valid", validity_reason=reason)
    row["deadlines"] = [ack_run, ("reply", created, reply_due, "stopped", steps["sent"])]
    _return_visits(rng, row, created, allowed, reply, ctx)
    return row


def _return_visits(rng: random.Random, row: dict, created: datetime, allowed: float, reply: str, ctx: Context) -> None:
    """The visit three working days after the reply: made when due before today (a few
    dissatisfied: reopened, answered again, visited again), open from today on; cancelled for
    an anonymous caller without a number."""
    from jinyuan.followups.services import visit_due_on

    today = ctx.today
    sent = row["sent"]
    due = visit_due_on(sent, ctx.calendar)
    unreachable = row["who"]["anonymous"] and not row["who"]["phone"]
    old = sent < ctx.now - timedelta(days=30)
    proper = row["kind"] == "complaint" and row.get("validity") == "valid"
    if old and proper and not unreachable and rng.random() < REOPENED:
        reopened = datetime.combine(due, datetime.min.time(), ctx.tz) + timedelta(hours=10)
        row["visits"].append((sent, due, "done", "dissatisfied", reopened, "投诉人表示问题仍未解决，情况依旧"))
        again = ctx.clock.add(reopened, rng.uniform(3, 20))
        sent = ctx.clock.add(again, rng.uniform(0.7, 4))
        row["deadlines"].append(("reply", reopened, ctx.clock.add(reopened, allowed), "stopped", sent))
        row.update(reopen_count=1, sent=sent, approved_at=sent - timedelta(minutes=30))
        row["reply_draft"] = reply = "您好，针对您回访时反映的问题，我们已再次到现场核查并彻底处理。"
        due = visit_due_on(sent, ctx.calendar)
    row["reply"] = reply
    if due >= today:
        row["visits"].append((sent, due, "open", "", None, ""))
    elif unreachable:
        done = datetime.combine(due, datetime.min.time(), ctx.tz) + timedelta(hours=9, minutes=30)
        row["visits"].append((sent, due, "cancelled", "", done, "匿名投诉，未留联系方式，无法回访"))
    else:
        done = datetime.combine(due, datetime.min.time(), ctx.tz) + timedelta(hours=rng.randint(9, 16))
        result = "satisfied" if rng.random() < 0.7 else "fairly_satisfied"
        row["visits"].append((sent, due, "done", result, done, ""))


COLUMNS = (
    "id",
    "applicant_id",
    "created_at",
    "updated_at",
    "status",
    "number",
    "channel",
    "kind",
    "category_id",
    "tenant_id",
    "complainant_name",
    "complainant_phone",
    "complainant_email",
    "anonymous",
    "content",
    "urgent",
    "department",
    "assignee_id",
    "reply_draft",
    "proposed_by_id",
    "approved_reply",
    "approved_by_id",
    "approved_at",
    "reply_sent_at",
    "reply_sent_by_id",
    "reply_via",
    "reply_emailed_at",
    "validity",
    "validity_reason",
    "acknowledged_at",
    "assigned_at",
    "closed_at",
    "reopen_count",
)
DEADLINE_COLUMNS = (
    "content_type_id",
    "object_id",
    "kind",
    "state",
    "working_hours",
    "started_at",
    "due_at",
    "remaining",
    "paused_at",
    "stopped_at",
    "met",
    "next_step_at",
    "next_step",
)
FOLLOWUP_COLUMNS = (
    "content_type_id",
    "object_id",
    "status",
    "due_on",
    "channel",
    "created_by_id",
    "created_at",
    "done_at",
    "done_by_id",
    "result",
    "comments",
)


def _reply_via(row: dict) -> str:
    if row["who"]["applicant"]:
        return "portal"
    if row["channel"] == "email" and row["who"]["email"]:
        return "email"
    return {"desk": "in_person", "letter": "letter" if not row["who"]["phone"] else "phone"}.get(
        row["channel"], "phone"
    )


def _columns(pk: int, number: str, created: datetime, category_id: int, row: dict, ctx: Context) -> tuple:
    who, status = row["who"], row["status"]
    answered = status in ("proposed", "approved", "closed")
    approved = status in ("approved", "closed")
    closed = status == "closed"
    sent = row.get("sent") if closed else None
    via = _reply_via(row) if closed else ""
    stamps = [
        created,
        row.get("acknowledged_at"),
        row.get("assigned_at"),
        row.get("paused_at"),
        row.get("approved_at") if approved else None,
        sent,
        row.get("cancelled_at"),
    ]
    return (
        pk,
        who["applicant"] or ctx.desk,
        created,
        max(s for s in stamps if s),
        status,
        number,
        row["channel"],
        row["kind"],
        category_id,
        who["tenant_id"],
        who["name"],
        who["phone"],
        who["email"],
        who["anonymous"],
        row["topic"].content,
        row["urgent"],
        row["department"],
        row["assignee"],
        row.get("reply_draft", "") if answered else "",
        row["assignee"] if answered else None,
        row.get("reply", row.get("reply_draft", "")) if approved else "",
        ctx.supervisor if approved else None,
        row.get("approved_at") if approved else None,
        sent,
        ctx.desk if closed else None,
        via,
        sent + timedelta(seconds=20) if closed and who["email"] else None,
        row.get("validity", "undecided"),
        row.get("validity_reason", ""),
        row.get("acknowledged_at"),
        row.get("assigned_at"),
        sent,
        row["reopen_count"],
    )


def _deadline_rows(pk: int, ct: int, row: dict, ctx: Context):
    """As ``jinyuan.workflow.deadlines`` leaves them; a running one has its steps already due
    counted as sent (``next_step``), as the scan would have."""
    for kind, started, due, state, end in row["deadlines"]:
        remaining = paused = stopped = met = next_at = None
        step = 0
        if state == "stopped":
            stopped, met = end, end <= due
        elif state == "paused":
            remaining, paused = end, row["paused_at"]
        else:
            moments = [ctx.clock.add(due, offset) for offset in STEPS[kind]]
            step = sum(1 for m in moments if m <= ctx.now)
            next_at = moments[step] if step < len(moments) else None
        yield (ct, pk, kind, state, True, started, due, remaining, paused, stopped, met, next_at, step)


def _followup_rows(pk: int, ct: int, row: dict, ctx: Context):
    for scheduled, due, status, result, done, comments in row["visits"]:
        channel = "phone" if status == "done" else ""
        done_by = ctx.desk if done else None
        yield (ct, pk, status, due, channel, ctx.desk, scheduled, done, done_by, result, comments)


def seed_rows(wanted: int, *, days: int = DAYS) -> None:
    """The COPY of ``wanted`` complaints, newest now, oldest ``days`` back, with their
    deadlines and return visits (one transaction)."""
    import repair_tickets  # bench/repair_tickets.py: the same 40 bench engineers
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from complaints.models import Complaint, Department
    from complaints.services import NUMBER_PREFIX
    from demo.bulk import continue_numbers, copy_rows, reserve_ids
    from demo.complaints import CATEGORIES, ensure_categories
    from jinyuan.accounts.models import User
    from jinyuan.accounts.roles import Role
    from jinyuan.followups.models import FollowUp
    from jinyuan.workflow.calendar import load_calendar
    from jinyuan.workflow.models import Deadline
    from tenants.models import Contact, Membership, Occupancy

    rng = random.Random(RANDOM_SEED)
    now = timezone.now()
    users = dict(
        User.objects.filter(username__in=["desk", "supervisor", "engineer", "guard"]).values_list("username", "pk")
    )
    with transaction.atomic():
        categories = ensure_categories()
        engineers = [users["engineer"], *repair_tickets.bench_engineers()]
        guards = [users["guard"], *bench_staff(GUARD_PREFIX, GUARDS, Role.SECURITY, "秩序部")]
        clerks = [users["desk"], *bench_staff(CLERK_PREFIX, CLERKS, Role.FRONT_DESK, "客服中心")]
        tenants = list(
            Occupancy.objects.filter(end__isnull=True)
            .order_by("tenant_id")
            .distinct("tenant_id")
            .values_list("tenant_id", flat=True)
        )
        if not tenants:
            raise SystemExit("the bench database has no occupying companies: run bench/run.py first")
        phones = dict(
            Contact.objects.order_by("tenant_id", "pk").distinct("tenant_id").values_list("tenant_id", "phone")
        )
        admins = dict(
            Membership.objects.filter(role=Membership.Role.ADMIN, is_active=True, tenant_id__in=tenants)
            .order_by("tenant_id", "pk")
            .distinct("tenant_id")
            .values_list("tenant_id", "user_id")
        )
        calendar = load_calendar()
        start = now - timedelta(days=days)
        local = timezone.localtime(now)
        ctx = Context(
            now=now,
            today=local.date(),
            tz=timezone.get_current_timezone(),
            clock=WorkingClock(
                calendar, timezone.localdate(start) - timedelta(days=2), local.date() + timedelta(days=60)
            ),
            calendar=calendar,
            handlers={
                Department.ENGINEERING: engineers,
                Department.SECURITY: guards,
                Department.CLEANING: clerks,
                Department.DESK: clerks,
            },
            desk=users["desk"],
            supervisor=users["supervisor"],
            companies=[(t, phones.get(t, "")) for t in tenants],
            portal_admins=admins,
        )
        weights = [c.weight for c in CATEGORIES]
        step = timedelta(days=days) / wanted
        created_times = [start + step * n for n in range(wanted)]
        numbers = continue_numbers(NUMBER_PREFIX, [timezone.localtime(t).year for t in created_times])
        ids = reserve_ids(Complaint, wanted)
        ct = ContentType.objects.get_for_model(Complaint).pk
        log(f"planning {wanted} complaints")
        planned = []
        for n, created in enumerate(created_times):
            category = rng.choices(CATEGORIES, weights)[0]
            planned.append((n, created, category.name, plan_row(rng, n, created, ctx, category)))
        log(f"copying {wanted} complaints, their deadlines and return visits")
        copy_rows(
            Complaint,
            COLUMNS,
            (_columns(ids[n], numbers[n], created, categories[name].pk, row, ctx) for n, created, name, row in planned),
        )
        copy_rows(
            Deadline, DEADLINE_COLUMNS, (d for n, _, _, row in planned for d in _deadline_rows(ids[n], ct, row, ctx))
        )
        copy_rows(
            FollowUp, FOLLOWUP_COLUMNS, (f for n, _, _, row in planned for f in _followup_rows(ids[n], ct, row, ctx))
        )


# --- the figures --------------------------------------------------------------------------------


def url_of(name: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(URLS[name])
    except NoReverseMatch:
        return None


def missing(name: str) -> dict:
    return {"error": f"URL {URLS[name]} does not exist (the page has not landed)", "met": False}


def complaint_list() -> dict:
    """The desk's register of complaints: first, middle, last page, each filter, searches by
    number, content and company (what the register searches: never the complainant, whom a
    search would reveal behind an anonymous complaint). Parameters the register's filter does
    not declare are listed in ``unknown_params`` (such a page would be the unfiltered one)."""
    from urllib.parse import parse_qsl, quote

    import run  # bench/run.py
    from django.urls import resolve

    from complaints.models import Complaint, ComplaintCategory
    from tenants.models import Tenant

    path = url_of("list")
    if path is None:
        return missing("list")
    view = getattr(resolve(path).func, "view_class", None)
    per_page = getattr(view, "paginate_by", None) or 25
    sample = Complaint.objects.filter(tenant__isnull=False, anonymous=False).order_by("-created_at", "-id")[500]
    company = Tenant.objects.get(pk=sample.tenant_id).name
    category = ComplaintCategory.objects.filter(name="噪音").first() or ComplaintCategory.objects.first()
    filters = {
        "status_proposed": "status=proposed",
        "status_closed": "status=closed",
        "category": f"category={category.pk}",
        "department": "department=security",
        "channel": "channel=portal",
        "kind": "kind=suggestion",
        "late": "status=open&late=true",
        "urgent": "urgent=true",
        "search_number": f"q={sample.number}",
        "search_content": f"q={quote(sample.content[:6])}",
        "search_company": f"q={quote('邕江')}",
        "search_company_broad": f"q={quote(company[:4])}",
    }
    result = run.register_pages(run.desk_client(), path, Complaint.objects.count(), per_page, filters)
    declared = getattr(getattr(view, "filterset_class", None), "base_filters", None)
    if declared is not None:
        asked = {key for query in filters.values() for key, _ in parse_qsl(query)}
        result["unknown_params"] = sorted(asked - set(declared))
    result["queries"] = result["queries_max"]
    result["median_ms"] = result["median_ms_max"]
    return result


def last_complete_month(today: date) -> date:
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def evaluated(value: Any, depth: int = 0) -> int:
    """Walk a result to the end, so lazy querysets run inside the timing: querysets, dicts,
    lists, tuples, dataclasses and plain objects' attributes. Returns the items seen."""
    import dataclasses

    from django.db.models import QuerySet

    if depth > 6 or value is None or isinstance(value, str | bytes | int | float | bool | date):
        return 1
    if isinstance(value, QuerySet):
        return sum(evaluated(v, depth + 1) for v in list(value))
    if isinstance(value, dict):
        return sum(evaluated(v, depth + 1) for v in value.values())
    if isinstance(value, list | tuple | set | frozenset):
        return sum(evaluated(v, depth + 1) for v in value)
    if dataclasses.is_dataclass(value):
        return sum(evaluated(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value))
    if hasattr(value, "__dict__") and not hasattr(value, "_meta"):
        return sum(evaluated(v, depth + 1) for k, v in vars(value).items() if not k.startswith("_"))
    return 1


def _volume(month: date) -> dict[str, int]:
    """What a month holds: complaints and repair tickets recorded in it."""
    from django.apps import apps
    from django.utils import timezone

    start = timezone.make_aware(datetime.combine(month, datetime.min.time()))
    end = timezone.make_aware(datetime.combine((month + timedelta(days=32)).replace(day=1), datetime.min.time()))
    counts = {}
    for label, key in (("complaints.Complaint", "complaints"), ("repairs.RepairTicket", "repair_tickets")):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        counts[key] = model.objects.filter(created_at__gte=start, created_at__lt=end).count()
    return counts


def monthly_statistics(runs: int = STATISTICS_RUNS) -> dict:
    """``month_figures`` of the last complete month: median of ``runs`` calls after a warm-up,
    each result walked to the end; its queries, and those of the current (partial) month and
    of the month a year before (other volumes: fewer rows, no bench complaints), which must be
    the same (aggregates in the database, not a query per category or person)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    try:
        from complaints.statistics import month_figures
    except ImportError as exc:
        return {"error": f"complaints.statistics.month_figures does not exist yet ({exc})", "met": False}
    today = timezone.localdate()
    month = last_complete_month(today)
    months = {
        "last_complete": month,
        "current_partial": today.replace(day=1),
        "year_before": (month - timedelta(days=360)).replace(day=1),
    }
    queries: dict[str, int] = {}
    items = 0
    try:
        for key, first in months.items():
            evaluated(month_figures(first))  # warm-up: caches, the first plan of each query
            with CaptureQueriesContext(connection) as captured:
                items = evaluated(month_figures(first)) if key == "last_complete" else items
                if key != "last_complete":
                    evaluated(month_figures(first))
            queries[key] = len(captured)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            evaluated(month_figures(month))
            times.append((time.perf_counter() - started) * 1000)
    except Exception as exc:  # a bench reports what broke, it does not stop the other figures
        return {"error": f"month_figures({month}) raised {type(exc).__name__}: {exc}", "met": False}
    median = round(statistics.median(times), 1)
    fixed = len(set(queries.values())) == 1
    return {
        "month": month.isoformat(),
        "median_ms": median,
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "queries": queries["last_complete"],
        "queries_by_month": queries,
        "queries_fixed": fixed,
        "volumes": {key: _volume(first) for key, first in months.items()},
        "items_walked": items,
        "met": fixed and median <= TARGETS["monthly_statistics_median_ms"],
    }


def _pdf_bytes(value: Any) -> bytes | None:
    """The PDF out of what the renderer returns: bytes, a file, or something with one."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    for attr in ("read", "getvalue"):
        if callable(getattr(value, attr, None)):
            return _pdf_bytes(getattr(value, attr)())
    for attr in ("content", "pdf"):
        inner = getattr(value, attr, None)
        if inner is not None and inner is not value:
            return _pdf_bytes(inner)
    return None


def statistics_pdf(runs: int = PDF_RUNS) -> dict:
    """``render_statistics_pdf`` of the last complete month: median of ``runs`` renders after a
    warm-up (fonts, templates, WeasyPrint's caches), its size and pages."""
    from io import BytesIO

    import run  # bench/run.py
    from django.utils import timezone

    try:
        from complaints.reports import render_statistics_pdf
    except ImportError as exc:
        return {"error": f"complaints.reports.render_statistics_pdf does not exist yet ({exc})", "met": False}
    month = last_complete_month(timezone.localdate())
    try:
        pdf = _pdf_bytes(render_statistics_pdf(month))
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            pdf = _pdf_bytes(render_statistics_pdf(month))
            times.append((time.perf_counter() - started) * 1000)
    except Exception as exc:  # reported, as above
        return {"error": f"render_statistics_pdf({month}) raised {type(exc).__name__}: {exc}", "met": False}
    median = round(statistics.median(times), 1)
    result: dict[str, Any] = {
        "month": month.isoformat(),
        "median_ms": median,
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "is_pdf": bool(pdf and pdf.startswith(b"%PDF")),
    }
    if result["is_pdf"]:
        from pypdf import PdfReader

        result.update(
            size_kib=round(len(pdf) / 1024, 1), pages=len(PdfReader(BytesIO(pdf)).pages), **run.pdf_fonts(pdf)
        )
    result["met"] = result["is_pdf"] and median <= TARGETS["statistics_pdf_median_ms"]
    return result


def shape() -> dict:
    """What the seeded register holds: complaints by state, the late ones open now, the visits."""
    from django.db.models import Count
    from django.utils import timezone

    from complaints.models import Complaint
    from jinyuan.followups.models import FollowUp
    from jinyuan.workflow.models import Deadline

    complaints = Complaint.objects.order_by()
    deadlines = Deadline.objects.filter(content_type__model="complaint", content_type__app_label="complaints")
    return {
        "complaints": complaints.count(),
        "by_status": dict(complaints.values_list("status").annotate(n=Count("pk"))),
        "late_open": complaints.filter(
            status__in=Complaint.OPEN,
            pk__in=deadlines.filter(state="running", due_at__lt=timezone.now()).values("object_id"),
        ).count(),
        # [kind, met, count] of the finished runs: the on-time rates the statistics report.
        "deadlines_stopped": [
            list(r)
            for r in deadlines.filter(state="stopped").order_by().values_list("kind", "met").annotate(n=Count("pk"))
        ],
        "return_visits": dict(
            FollowUp.objects.filter(content_type__model="complaint")
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        ),
    }


def measure() -> dict:
    seconds = seed()
    result: dict[str, Any] = {"complaint_seed_seconds": seconds, "complaint_data": shape()}
    log("timing the complaint register")
    result["complaint_list"] = complaint_list()
    log("timing the monthly service statistics")
    result["monthly_statistics"] = monthly_statistics()
    log("rendering the monthly statistics PDF")
    result["statistics_pdf"] = statistics_pdf()
    result["targets"] = TARGETS
    result["met"] = {
        "complaint_seed_seconds": None if seconds is None else seconds <= TARGETS["complaint_seed_seconds"],
        "complaint_list": bool(result["complaint_list"].get("met")),
        "monthly_statistics": bool(result["monthly_statistics"].get("met")),
        "statistics_pdf": bool(result["statistics_pdf"].get("met")),
    }
    return result


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("complaints", measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
