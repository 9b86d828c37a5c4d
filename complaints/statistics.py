"""Monthly service statistics of repairs and complaints (issue 12): the figures of one month
against the month before, computed with aggregates in the database in a fixed number of
queries whatever the volume (13, 12 when no engineer appears; the first call of a process also
looks up two content types; pinned by tests/complaints/test_statistics_queries.py).

``month_figures(month)`` gives a frozen ``MonthFigures``; the supervisor's page, its Excel
export and the monthly report's PDF all render it through ``tables()`` (and the page's charts
through ``chart_data()``), so the three always show the same numbers. A monthly report freezes
its figures as ``to_data()`` / ``from_data()`` (JSON) when it is drafted.

What the figures count (a month is [its first day 00:00, the next month's first day 00:00) in
the server's time zone, Asia/Shanghai):

- Repairs *received*: tickets reported in the month (any channel), of which *cancelled*: those
  since cancelled. *Completed*: tickets whose completion falls in the month (a ticket reopened
  and completed again counts in the month of its last completion). *Paid*: the same counts for
  the categories marked as paid services.
- Complaints *received*: complaints, suggestions and inquiries recorded in the month (of which
  *cancelled or withdrawn* since), by type,
  category, department (the one handling it now; "not assigned" while none) and validity
  (valid / invalid / not yet decided, as marked now). *Closed*: whose approved reply was sent
  in the month (a reopened one counts when it closes again).
- *On time* (response and completion of repairs, acknowledgement and reply of complaints): the
  kernel's deadline records (``jinyuan.workflow.selectors.deadline_outcomes``). Each run of a
  deadline counts once, in the month its outcome became known: met when it stopped in time
  (in that month), missed when its due time passed in that month without it stopping, whether it
  stopped late later or is still overdue now. Runs still within their time are not counted yet.
  The rate is met / (met + missed); a reopened record's new runs count too; a cancelled record's
  runs do not (they stop when it is cancelled, "in time"). By category, engineer and department:
  the record's current category, engineer (assignee) and department.
- *Ratings*: the tenants' sign-offs of repairs made in the month (``repairs.selectors.
  rating_averages``): the average of each score (1-5) and the share satisfied, per category and
  per engineer (as recorded at the sign-off).
- *Return visits* (回访, the kernel's follow-ups) done in the month, of repairs and of
  complaints: satisfied, fairly satisfied, dissatisfied; the satisfaction rate is (satisfied +
  fairly satisfied) / visits.
- *Reopen rate*: reopenings in the month (audit events ``repair.reopened``,
  ``complaint.reopened``: by the tenant at sign-off, by the desk, or by a dissatisfied return
  visit) against what could be sent back in the month: completions of repairs
  (``repair.completed``) and replies sent for complaints (``complaint.replied``).

Shares with nothing to divide by are None and shown as "—", never a division by zero.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jinyuan.workflow.selectors import deadline_outcomes

THIS, LAST = "this", "last"


# --- the figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """``part`` of ``whole`` (met of decided, satisfied of visits ...); ``value`` None when
    there is nothing to divide by."""

    part: int = 0
    whole: int = 0

    @property
    def value(self) -> float | None:
        return self.part / self.whole if self.whole else None

    def __add__(self, other: Share) -> Share:
        return Share(self.part + other.part, self.whole + other.whole)


@dataclass(frozen=True)
class Ratings:
    """Sign-offs of repairs: how many, the average of each score, how many satisfied."""

    count: int = 0
    overall: float | None = None
    speed: float | None = None
    service: float | None = None
    satisfied: int = 0

    @property
    def satisfied_share(self) -> Share:
        return Share(self.satisfied, self.count)


@dataclass(frozen=True)
class Visits:
    """Return visits done: their results."""

    satisfied: int = 0
    fairly_satisfied: int = 0
    dissatisfied: int = 0

    @property
    def total(self) -> int:
        return self.satisfied + self.fairly_satisfied + self.dissatisfied

    @property
    def satisfaction(self) -> Share:
        return Share(self.satisfied + self.fairly_satisfied, self.total)


@dataclass(frozen=True)
class RepairGroup:
    """Repairs of one category or one engineer (``key`` None: no engineer)."""

    key: int | None
    name: str
    received: int = 0
    completed: int = 0
    response: Share = Share()
    completion: Share = Share()
    ratings: Ratings = Ratings()


@dataclass(frozen=True)
class ComplaintGroup:
    """Complaints of one type, category or department (``key``: its code or id)."""

    key: str
    name: str = ""
    received: int = 0
    closed: int = 0
    acknowledgement: Share = Share()
    reply: Share = Share()


@dataclass(frozen=True)
class RepairFigures:
    received: int = 0
    completed: int = 0
    cancelled: int = 0
    paid_received: int = 0
    paid_completed: int = 0
    response: Share = Share()
    completion: Share = Share()
    ratings: Ratings = Ratings()
    visits: Visits = Visits()
    reopens: Share = Share()
    by_category: tuple[RepairGroup, ...] = ()
    by_engineer: tuple[RepairGroup, ...] = ()


@dataclass(frozen=True)
class ComplaintFigures:
    received: int = 0
    closed: int = 0
    cancelled: int = 0
    valid: int = 0
    invalid: int = 0
    undecided: int = 0
    acknowledgement: Share = Share()
    reply: Share = Share()
    visits: Visits = Visits()
    reopens: Share = Share()
    by_kind: tuple[ComplaintGroup, ...] = ()
    by_category: tuple[ComplaintGroup, ...] = ()
    by_department: tuple[ComplaintGroup, ...] = ()


@dataclass(frozen=True)
class PeriodFigures:
    month: dt.date
    repairs: RepairFigures = RepairFigures()
    complaints: ComplaintFigures = ComplaintFigures()


@dataclass(frozen=True)
class MonthFigures:
    """One month (``this``) against the month before (``last``)."""

    month: dt.date
    this: PeriodFigures
    last: PeriodFigures
    computed_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def previous(self) -> dt.date:
        return self.last.month


# --- months ------------------------------------------------------------------------------------


def first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    return first_of(first_of(month) - dt.timedelta(days=1))


def next_month(month: dt.date) -> dt.date:
    return first_of(first_of(month) + dt.timedelta(days=32))


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first day 00:00, next month's first day 00:00) in the current time zone."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first_of(month), dt.time.min, tz)
    return start, dt.datetime.combine(next_month(month), dt.time.min, tz)


# --- computing ---------------------------------------------------------------------------------


def _counts(periods: dict[str, tuple[dt.datetime, dt.datetime]], **conditions: Any) -> dict[str, Count]:
    """``<name>_<period>``: a count of the rows matching ``conditions[name](start, end)``."""
    return {
        f"{name}_{period}": Count("pk", filter=condition(start, end))
        for name, condition in conditions.items()
        for period, (start, end) in periods.items()
    }


def _between(field_name: str):
    return lambda start, end: Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


def _window(periods: dict[str, tuple[dt.datetime, dt.datetime]]) -> tuple[dt.datetime, dt.datetime]:
    return min(s for s, _e in periods.values()), max(e for _s, e in periods.values())


def month_figures(month: dt.date, *, now: dt.datetime | None = None) -> MonthFigures:
    """The figures of ``month`` (its first day; any day of it is taken as its month) and of the
    month before, in 13 queries whatever the number of records (see the module docstring for
    what each figure counts). ``now`` decides which runs are overdue yet."""
    month = first_of(month)
    now = now or timezone.now()
    last = previous_month(month)
    periods = {THIS: month_bounds(month), LAST: month_bounds(last)}
    repairs = _repair_figures(periods, now)
    complaints = _complaint_figures(periods, now)
    visits = _visits(periods)
    reopens = _reopens(periods)
    this, before = (
        PeriodFigures(
            month=day,
            repairs=dataclasses.replace(
                repairs[period], visits=visits[period]["repairticket"], reopens=reopens[period]["repair"]
            ),
            complaints=dataclasses.replace(
                complaints[period], visits=visits[period]["complaint"], reopens=reopens[period]["complaint"]
            ),
        )
        for period, day in ((THIS, month), (LAST, last))
    )
    return MonthFigures(month=month, this=this, last=before, computed_at=now)


def _user_names(ids: Iterable[int | None]) -> dict[int, str]:
    from django.contrib.auth import get_user_model
    from django.db.models.expressions import RawSQL

    wanted = sorted({pk for pk in ids if pk is not None})
    # An array parameter rather than ``pk__in``: Django skips the query of an empty ``IN``, and
    # the statistics page keeps the same queries in a month without engineers as in a busy one.
    users = get_user_model().objects.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (wanted,)))
    users = users.only("username", "display_name", "first_name", "last_name")
    return {user.pk: str(user) for user in users}


def _ratings_of(rows: Iterable[dict]) -> Ratings:
    """The ratings of several groups together: counts added, averages weighted by count."""
    rows = list(rows)
    count = sum(r["ratings"] for r in rows)
    if not count:
        return Ratings()

    def average(name: str) -> float:
        return round(sum(float(r[name]) * r["ratings"] for r in rows) / count, 2)

    return Ratings(
        count=count,
        overall=average("overall"),
        speed=average("speed"),
        service=average("service"),
        satisfied=sum(r["satisfied"] for r in rows),
    )


def _repair_figures(periods: dict, now: dt.datetime) -> dict[str, RepairFigures]:
    from repairs.models import RepairCategory, RepairTicket
    from repairs.selectors import rating_averages

    start, end = _window(periods)
    window = Q(created_at__gte=start, created_at__lt=end) | Q(completed_at__gte=start, completed_at__lt=end)
    cancelled = Q(status=RepairTicket.Status.CANCELLED)
    tickets = list(
        RepairTicket.objects.filter(window)
        .values("category_id", "assignee_id")
        .annotate(
            **_counts(
                periods,
                received=_between("created_at"),
                completed=_between("completed_at"),
                cancelled=lambda s, e: _between("created_at")(s, e) & cancelled,
            )
        )
        .order_by()
    )
    kinds = RepairTicket.RESPONSE_KINDS + RepairTicket.COMPLETION_KINDS
    deadlines = deadline_outcomes(RepairTicket, kinds, periods, by=("category_id", "assignee_id", "status"), now=now)
    # A cancelled ticket's runs stopped when it was cancelled, "in time": they say nothing.
    deadlines = [row for row in deadlines if row["record_status"] != RepairTicket.Status.CANCELLED]
    ratings = {
        (period, by): list(rating_averages(by, s, e))
        for period, (s, e) in periods.items()
        for by in ("category", "engineer")
    }
    categories = {c.pk: c for c in RepairCategory.objects.only("name", "paid")}
    names = _user_names(
        [r["assignee_id"] for r in tickets]
        + [r["record_assignee_id"] for r in deadlines]
        + [r["engineer_id"] for period in periods for r in ratings[(period, "engineer")]]
    )
    return {
        period: _repair_period(period, tickets, deadlines, ratings, categories, names, RepairTicket)
        for period in periods
    }


def _repair_period(period, tickets, deadlines, ratings, categories, names, model) -> RepairFigures:
    counts: dict[str, dict[Any, dict[str, int]]] = {"category": defaultdict(dict), "engineer": defaultdict(dict)}
    totals: dict[str, int] = defaultdict(int)
    for row in tickets:
        paid = categories[row["category_id"]].paid if row["category_id"] in categories else False
        for name in ("received", "completed", "cancelled"):
            value = row[f"{name}_{period}"]
            totals[name] += value
            if paid:
                totals[f"paid_{name}"] += value
            for by, key in (("category", row["category_id"]), ("engineer", row["assignee_id"])):
                counts[by][key][name] = counts[by][key].get(name, 0) + value
    shares: dict[str, dict[Any, dict[str, Share]]] = {"category": defaultdict(dict), "engineer": defaultdict(dict)}
    overall = {"response": Share(), "completion": Share()}
    for row in deadlines:
        what = "response" if row["kind"] in model.RESPONSE_KINDS else "completion"
        met, missed = row[f"met_{period}"], row[f"missed_{period}"]
        share = Share(met, met + missed)
        overall[what] += share
        for by, key in (("category", row["record_category_id"]), ("engineer", row["record_assignee_id"])):
            shares[by][key][what] = shares[by][key].get(what, Share()) + share
    rated = {
        "category": {r["category_id"]: r for r in ratings[(period, "category")]},
        "engineer": {r["engineer_id"]: r for r in ratings[(period, "engineer")]},
    }

    def groups(by: str, name_of) -> tuple[RepairGroup, ...]:
        keys = set(counts[by]) | set(shares[by]) | set(rated[by])
        built = []
        for key in keys:
            c, s = counts[by].get(key, {}), shares[by].get(key, {})
            if not (c.get("received") or c.get("completed") or any(v.whole for v in s.values()) or key in rated[by]):
                continue  # only in the other month
            built.append(
                RepairGroup(
                    key=key,
                    name=name_of(key),
                    received=c.get("received", 0),
                    completed=c.get("completed", 0),
                    response=s.get("response", Share()),
                    completion=s.get("completion", Share()),
                    ratings=_ratings_of([rated[by][key]]) if key in rated[by] else Ratings(),
                )
            )
        return tuple(sorted(built, key=lambda g: (g.key is None, g.name, g.key or 0)))

    return RepairFigures(
        received=totals["received"],
        completed=totals["completed"],
        cancelled=totals["cancelled"],
        paid_received=totals["paid_received"],
        paid_completed=totals["paid_completed"],
        response=overall["response"],
        completion=overall["completion"],
        ratings=_ratings_of(ratings[(period, "category")]),
        by_category=groups("category", lambda k: categories[k].name if k in categories else str(k)),
        by_engineer=groups("engineer", lambda k: names.get(k, "") if k is not None else ""),
    )


def _complaint_figures(periods: dict, now: dt.datetime) -> dict[str, ComplaintFigures]:
    from .models import Complaint, ComplaintCategory

    start, end = _window(periods)
    window = Q(created_at__gte=start, created_at__lt=end) | Q(closed_at__gte=start, closed_at__lt=end)
    rows = list(
        Complaint.objects.filter(window)
        .values("kind", "category_id", "department", "validity")
        .annotate(
            **_counts(
                periods,
                received=_between("created_at"),
                closed=_between("closed_at"),
                cancelled=lambda s, e: _between("created_at")(s, e) & Q(status=Complaint.Status.CANCELLED),
            )
        )
        .order_by()
    )
    deadlines = deadline_outcomes(
        Complaint,
        Complaint.ACKNOWLEDGE_KINDS + Complaint.REPLY_KINDS,
        periods,
        by=("kind", "category_id", "department", "status"),
        now=now,
    )
    deadlines = [row for row in deadlines if row["record_status"] != Complaint.Status.CANCELLED]
    categories = dict(ComplaintCategory.objects.values_list("pk", "name"))
    return {period: _complaint_period(period, rows, deadlines, categories, Complaint) for period in periods}


def _complaint_period(period, rows, deadlines, categories, model) -> ComplaintFigures:
    dimensions = ("kind", "category_id", "department")
    counts: dict[str, dict[Any, dict[str, int]]] = {d: defaultdict(lambda: defaultdict(int)) for d in dimensions}
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        received, closed = row[f"received_{period}"], row[f"closed_{period}"]
        totals["received"] += received
        totals["closed"] += closed
        totals["cancelled"] += row[f"cancelled_{period}"]
        totals[row["validity"]] += received
        for d in dimensions:
            counts[d][row[d]]["received"] += received
            counts[d][row[d]]["closed"] += closed
    shares: dict[str, dict[Any, dict[str, Share]]] = {d: defaultdict(dict) for d in dimensions}
    overall = {"acknowledgement": Share(), "reply": Share()}
    for row in deadlines:
        what = "acknowledgement" if row["kind"] in model.ACKNOWLEDGE_KINDS else "reply"
        met, missed = row[f"met_{period}"], row[f"missed_{period}"]
        share = Share(met, met + missed)
        overall[what] += share
        for d in dimensions:
            key = row[f"record_{d}"]
            shares[d][key][what] = shares[d][key].get(what, Share()) + share

    def groups(d: str, name_of=lambda key: "") -> tuple[ComplaintGroup, ...]:
        built = []
        for key in set(counts[d]) | set(shares[d]):
            c, s = counts[d].get(key, {}), shares[d].get(key, {})
            if not (c.get("received") or c.get("closed") or any(v.whole for v in s.values())):
                continue
            built.append(
                ComplaintGroup(
                    key=str(key),
                    name=name_of(key),
                    received=c.get("received", 0),
                    closed=c.get("closed", 0),
                    acknowledgement=s.get("acknowledgement", Share()),
                    reply=s.get("reply", Share()),
                )
            )
        return tuple(built)

    order = {d: {code: i for i, code in enumerate(values)} for d, values in _choice_order(model).items()}
    return ComplaintFigures(
        received=totals["received"],
        closed=totals["closed"],
        cancelled=totals["cancelled"],
        valid=totals[model.Validity.VALID],
        invalid=totals[model.Validity.INVALID],
        undecided=totals[model.Validity.UNDECIDED],
        acknowledgement=overall["acknowledgement"],
        reply=overall["reply"],
        by_kind=tuple(sorted(groups("kind"), key=lambda g: order["kind"].get(g.key, 99))),
        by_category=tuple(
            sorted(groups("category_id", lambda k: categories.get(k, str(k))), key=lambda g: (g.name, g.key))
        ),
        by_department=tuple(sorted(groups("department"), key=lambda g: order["department"].get(g.key, 99))),
    )


def _choice_order(model) -> dict[str, list[str]]:
    from .models import Department

    return {"kind": list(model.Kind.values), "department": [*Department.values, ""]}


def _visits(periods: dict) -> dict[str, dict[str, Visits]]:
    """Return visits done in each period, of repairs and of complaints: one query."""
    from jinyuan.followups.models import FollowUp

    start, end = _window(periods)
    results = FollowUp.Result
    rows = (
        FollowUp.objects.filter(
            status=FollowUp.Status.DONE,
            done_at__gte=start,
            done_at__lt=end,
            content_type__app_label__in=("repairs", "complaints"),
            content_type__model__in=("repairticket", "complaint"),
        )
        .values("content_type__model", "result")
        .annotate(**_counts(periods, done=_between("done_at")))
        .order_by()
    )
    found: dict[str, dict[str, dict[str, int]]] = {p: defaultdict(dict) for p in periods}
    for row in rows:
        for period in periods:
            found[period][row["content_type__model"]][row["result"]] = row[f"done_{period}"]
    return {
        period: {
            model: Visits(
                satisfied=found[period][model].get(results.SATISFIED, 0),
                fairly_satisfied=found[period][model].get(results.FAIRLY_SATISFIED, 0),
                dissatisfied=found[period][model].get(results.DISSATISFIED, 0),
            )
            for model in ("repairticket", "complaint")
        }
        for period in periods
    }


# The events that reopen a record, and those that end what a reopening sends back.
REOPEN_EVENTS = {
    "repair": ("repair.reopened", "repair.completed"),
    "complaint": ("complaint.reopened", "complaint.replied"),
}


def _reopens(periods: dict) -> dict[str, dict[str, Share]]:
    """Reopenings against completions (repairs) and replies sent (complaints) in each period,
    from the audit events: one query (the partial index ``audit_reopen_stats_idx``)."""
    from jinyuan.workflow.models import AuditEvent

    start, end = _window(periods)
    actions = [a for pair in REOPEN_EVENTS.values() for a in pair]
    rows = (
        AuditEvent.objects.filter(action__in=actions, at__gte=start, at__lt=end)
        .values("action")
        .annotate(**_counts(periods, n=_between("at")))
        .order_by()
    )
    found = {(row["action"], period): row[f"n_{period}"] for row in rows for period in periods}
    return {
        period: {
            record: Share(found.get((reopened, period), 0), found.get((ended, period), 0))
            for record, (reopened, ended) in REOPEN_EVENTS.items()
        }
        for period in periods
    }


# --- frozen as JSON (the monthly report) -------------------------------------------------------


def to_data(figures: MonthFigures) -> dict:
    """Plain JSON-able data of ``figures`` (dates as ISO strings)."""

    def plain(value: Any) -> Any:
        if dataclasses.is_dataclass(value):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, tuple | list):
            return [plain(v) for v in value]
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return plain(figures)


def _load(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(
            **{f.name: _load(hints[f.name], value[f.name]) for f in dataclasses.fields(kind) if f.name in value}
        )
    origin = typing.get_origin(kind)
    if origin is tuple:
        (item, _ellipsis) = typing.get_args(kind)
        return tuple(_load(item, v) for v in value)
    if origin in (typing.Union, types.UnionType):
        return value  # numbers or None
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    return value


def from_data(data: dict) -> MonthFigures:
    return _load(MonthFigures, data)


# --- what the page, the Excel file and the PDF show ------------------------------------------------

COUNT, SHARE, AVERAGE = "count", "share", "average"


@dataclass(frozen=True)
class Compare:
    """One figure of this month beside last month's, and the change."""

    this: Any
    last: Any
    kind: str = COUNT

    def _number(self, value: Any) -> float | None:
        if self.kind == SHARE:
            return None if value is None or value.value is None else value.value * 100
        return value

    @property
    def this_number(self) -> float | None:
        """For Excel: a count, a percentage (0-100) or an average; None for "—"."""
        return self._number(self.this)

    @property
    def last_number(self) -> float | None:
        return self._number(self.last)

    @property
    def change_number(self) -> float | None:
        a, b = self.this_number, self.last_number
        if a is None or b is None:
            return None
        return round(a - b, 1 if self.kind == SHARE else 2)

    @staticmethod
    def _show(kind: str, number: float | None) -> str:
        if number is None:
            return "—"
        if kind == SHARE:
            return f"{number:.1f}%"
        if kind == AVERAGE:
            return f"{number:.2f}"
        return str(number)

    @property
    def this_text(self) -> str:
        return self._show(self.kind, self.this_number)

    @property
    def last_text(self) -> str:
        return self._show(self.kind, self.last_number)

    @property
    def change_text(self) -> str:
        change = self.change_number
        if change is None:
            return "—"
        if change == 0:
            return "±0"
        sign = "+" if change > 0 else "−"
        if self.kind == SHARE:
            # Percentage points: a rate from 90 % to 95 % is 5 points up, not 5.6 %.
            return _("%(sign)s%(points).1f pts") % {"sign": sign, "points": abs(change)}
        if self.kind == AVERAGE:
            return f"{sign}{abs(change):.2f}"
        return f"{sign}{abs(change):g}"

    @property
    def trend(self) -> str:
        """ "up", "down" or "" for the page's arrow."""
        change = self.change_number
        return "" if not change else ("up" if change > 0 else "down")


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[Compare, ...]


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    metrics: tuple[str, ...]  # one per value of each row
    rows: tuple[Row, ...]
    label_header: str = ""


def _summary(title: str, key: str, pairs: list[tuple[str, Any, Any, str]]) -> Table:
    return Table(
        key=key,
        title=title,
        metrics=("",),
        rows=tuple(Row(label, (Compare(a, b, kind),)) for label, a, b, kind in pairs),
        label_header=pgettext("statistics", "Figure"),
    )


def _group_rows(this: tuple, last: tuple, metrics: list[tuple[str, Any]], label_of) -> tuple[Row, ...]:
    """Rows of groups in either month (this month's order first), each metric this vs last."""
    before = {g.key: g for g in last}
    keys = [g.key for g in this] + [g.key for g in last if g.key not in {t.key for t in this}]
    now = {g.key: g for g in this}
    rows = []
    for key in keys:
        a, b = now.get(key), before.get(key)
        shown = a or b
        values = tuple(
            Compare(get(a) if a else _empty(kind), get(b) if b else _empty(kind), kind) for kind, get in metrics
        )
        rows.append(Row(label_of(shown), values))
    return tuple(rows)


def _empty(kind: str) -> Any:
    return {COUNT: 0, SHARE: Share(), AVERAGE: None}[kind]


def tables(figures: MonthFigures) -> list[Table]:
    """Every table of the statistics, labelled in the active language."""
    from .models import Complaint, Department

    a, b = figures.this, figures.last
    ra, rb, ca, cb = a.repairs, b.repairs, a.complaints, b.complaints
    not_assigned = _("Not assigned")
    kinds = dict(Complaint.Kind.choices)
    departments = dict(Department.choices)
    repair_summary = _summary(
        _("Repairs"),
        "repairs",
        [
            (pgettext("statistics", "Received"), ra.received, rb.received, COUNT),
            (_("Completed"), ra.completed, rb.completed, COUNT),
            (_("Cancelled"), ra.cancelled, rb.cancelled, COUNT),
            (_("Paid repairs received"), ra.paid_received, rb.paid_received, COUNT),
            (_("Paid repairs completed"), ra.paid_completed, rb.paid_completed, COUNT),
            (_("Response on time"), ra.response, rb.response, SHARE),
            (_("Completion on time"), ra.completion, rb.completion, SHARE),
            (_("Sign-offs rated"), ra.ratings.count, rb.ratings.count, COUNT),
            (_("Average rating: overall"), ra.ratings.overall, rb.ratings.overall, AVERAGE),
            (_("Average rating: speed"), ra.ratings.speed, rb.ratings.speed, AVERAGE),
            (_("Average rating: service"), ra.ratings.service, rb.ratings.service, AVERAGE),
            (_("Satisfied at sign-off"), ra.ratings.satisfied_share, rb.ratings.satisfied_share, SHARE),
            (_("Return visits"), ra.visits.total, rb.visits.total, COUNT),
            (_("Satisfied on the return visit"), ra.visits.satisfaction, rb.visits.satisfaction, SHARE),
            (_("Reopened"), ra.reopens.part, rb.reopens.part, COUNT),
            (_("Reopen rate (of completions)"), ra.reopens, rb.reopens, SHARE),
        ],
    )
    complaint_summary = _summary(
        _("Complaints"),
        "complaints",
        [
            (pgettext("statistics", "Received"), ca.received, cb.received, COUNT),
            (_("Closed"), ca.closed, cb.closed, COUNT),
            (_("Cancelled or withdrawn"), ca.cancelled, cb.cancelled, COUNT),
            (_("Valid"), ca.valid, cb.valid, COUNT),
            (_("Invalid"), ca.invalid, cb.invalid, COUNT),
            (_("Validity not decided"), ca.undecided, cb.undecided, COUNT),
            (_("Acknowledgement on time"), ca.acknowledgement, cb.acknowledgement, SHARE),
            (_("Reply on time"), ca.reply, cb.reply, SHARE),
            (_("Return visits"), ca.visits.total, cb.visits.total, COUNT),
            (_("Satisfied on the return visit"), ca.visits.satisfaction, cb.visits.satisfaction, SHARE),
            (_("Reopened"), ca.reopens.part, cb.reopens.part, COUNT),
            (_("Reopen rate (of replies sent)"), ca.reopens, cb.reopens, SHARE),
        ],
    )
    visit_table = Table(
        key="visits",
        title=_("Return visits"),
        metrics=(_("Repairs"), _("Complaints")),
        label_header=_("Result"),
        rows=tuple(
            Row(label, (Compare(getter(ra.visits), getter(rb.visits)), Compare(getter(ca.visits), getter(cb.visits))))
            for label, getter in (
                (_("Satisfied"), lambda v: v.satisfied),
                (_("Fairly satisfied"), lambda v: v.fairly_satisfied),
                (_("Dissatisfied"), lambda v: v.dissatisfied),
            )
        ),
    )
    repair_metrics = [
        (COUNT, lambda g: g.received),
        (COUNT, lambda g: g.completed),
        (SHARE, lambda g: g.response),
        (SHARE, lambda g: g.completion),
        (AVERAGE, lambda g: g.ratings.overall),
    ]
    repair_headers = (
        pgettext("statistics", "Received"),
        _("Completed"),
        _("Response on time"),
        _("Completion on time"),
        _("Rating"),
    )
    engineer_metrics = repair_metrics[1:]
    complaint_metrics = [
        (COUNT, lambda g: g.received),
        (COUNT, lambda g: g.closed),
        (SHARE, lambda g: g.acknowledgement),
        (SHARE, lambda g: g.reply),
    ]
    complaint_headers = (
        pgettext("statistics", "Received"),
        _("Closed"),
        _("Acknowledgement on time"),
        _("Reply on time"),
    )
    return [
        repair_summary,
        Table(
            key="repair_categories",
            title=_("Repairs by category"),
            metrics=repair_headers,
            label_header=_("Category"),
            rows=_group_rows(ra.by_category, rb.by_category, repair_metrics, lambda g: g.name),
        ),
        Table(
            key="repair_engineers",
            title=_("Repairs by engineer"),
            metrics=repair_headers[1:],
            label_header=_("Engineer"),
            rows=_group_rows(
                ra.by_engineer,
                rb.by_engineer,
                engineer_metrics,
                lambda g: g.name if g.key is not None else not_assigned,
            ),
        ),
        complaint_summary,
        Table(
            key="complaint_kinds",
            title=_("Complaints by type"),
            metrics=complaint_headers,
            label_header=_("Type"),
            rows=_group_rows(ca.by_kind, cb.by_kind, complaint_metrics, lambda g: str(kinds.get(g.key, g.key))),
        ),
        Table(
            key="complaint_categories",
            title=_("Complaints by category"),
            metrics=complaint_headers,
            label_header=_("Category"),
            rows=_group_rows(ca.by_category, cb.by_category, complaint_metrics, lambda g: g.name),
        ),
        Table(
            key="complaint_departments",
            title=_("Complaints by department"),
            metrics=complaint_headers,
            label_header=_("Department"),
            rows=_group_rows(
                ca.by_department,
                cb.by_department,
                complaint_metrics,
                lambda g: str(departments.get(g.key, not_assigned)) if g.key else not_assigned,
            ),
        ),
        visit_table,
    ]


def chart_data(figures: MonthFigures) -> dict:
    """What the page's charts draw (read from a json_script block): labels in the active
    language, numbers (percentages 0-100, None for "—")."""
    by_key = {t.key: t for t in tables(figures)}
    this_label, last_label = month_label(figures.month), month_label(figures.previous)

    def series(table: Table, index: int) -> dict:
        return {
            "labels": [row.label for row in table.rows],
            "this": [row.values[index].this_number for row in table.rows],
            "last": [row.values[index].last_number for row in table.rows],
        }

    a, b = figures.this, figures.last
    rates = [
        (_("Response"), a.repairs.response, b.repairs.response),
        (_("Completion"), a.repairs.completion, b.repairs.completion),
        (_("Acknowledgement"), a.complaints.acknowledgement, b.complaints.acknowledgement),
        (_("Reply"), a.complaints.reply, b.complaints.reply),
        (_("Repairs: return visits"), a.repairs.visits.satisfaction, b.repairs.visits.satisfaction),
        (_("Complaints: return visits"), a.complaints.visits.satisfaction, b.complaints.visits.satisfaction),
    ]
    return {
        "months": [this_label, last_label],
        "repair_categories": series(by_key["repair_categories"], 0),
        "complaint_categories": series(by_key["complaint_categories"], 0),
        "rates": {
            "labels": [label for label, _x, _y in rates],
            "this": [Compare(x, y, SHARE).this_number for _l, x, y in rates],
            "last": [Compare(x, y, SHARE).last_number for _l, x, y in rates],
        },
    }


def month_label(month: dt.date) -> str:
    return _("%(year)d-%(month)02d") % {"year": month.year, "month": month.month}
