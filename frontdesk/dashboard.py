"""The supervisor's dashboard (主管看板, issue 17): reads only, in a fixed number of queries
whatever the number of records (aggregates in the database; pinned by
tests/frontdesk/test_dashboard_queries.py).

What it shows, for a month (this one on the page; the month reported on in the monthly report)
against the month before:

- **Open and overdue work** per procedure: the kernel's deadline runs of every model registered
  with ``navigation.register_work``. Open: running or paused now; overdue: running past its due
  time now. One grouped query over ``workflow_deadline`` for every procedure.
- **On time** per procedure: the same runs decided in the month (``workflow.selectors.
  decided_between``: met when stopped in time in the month, missed when their due time passed in
  the month without them stopping). Rate = met / (met + missed); "—" when nothing was decided.
  One grouped query for both months and every procedure. A run stopped because its record was
  cancelled counts as met here (the kernel knows no cancellations); the monthly service
  statistics of repairs and complaints leave those out, so their rates may differ slightly.
- **Figures** every app registers (``navigation.register_figure``), grouped by their ``section``:
  ``compute()`` now, and where a figure has ``month`` its value in each of the two months;
  ``trend`` (where given) the twelve months ending with the month, drawn as a line.

``dashboard(month)`` returns plain data (strings, numbers, lists, dicts): the page renders it,
its charts read it through ``json_script``, and the monthly report stores it as JSON (frozen:
the PDF shows the figures as they were when it was rendered).
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, F, Q, Value
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from billing.collection import add_months, first_of, month_start
from complaints.statistics import month_label
from jinyuan import navigation as nav
from jinyuan.workflow.models import Deadline
from jinyuan.workflow.selectors import decided_between

THIS, LAST = "this", "last"
LIVE = (Deadline.State.RUNNING, Deadline.State.PAUSED)
DASH = "—"


# --- months: billing's and complaints' (first days; [00:00 of the 1st, 00:00 of the next 1st)) ---

# --- numbers as the page and the PDF write them ----------------------------------------------------


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return float(value)
    return None


def show(value: Any, unit: str = "") -> str:
    """A figure as text: a count, a rate in per cent, money in CNY or an area in m²; "—" for none."""
    number = _number(value)
    if number is None:
        return DASH
    if unit == "%":
        return f"{Decimal(str(number)).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    if unit == "money":
        amount = Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return "¥" + formats.number_format(amount, 2, force_grouping=True)
    if unit == "area":
        area = Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return formats.number_format(area, 2, force_grouping=True) + " m²"
    if number == int(number):
        return formats.number_format(int(number), 0, force_grouping=True)
    return formats.number_format(Decimal(str(number)).quantize(Decimal("0.01"), ROUND_HALF_UP), 2)


def change(this: Any, last: Any, unit: str = "") -> tuple[str, str]:
    """The change from last month to this as text (rates in percentage points) and its
    direction ("up", "down", "")."""
    a, b = _number(this), _number(last)
    if a is None or b is None:
        return DASH, ""
    diff = a - b
    trend = "up" if diff > 0 else "down" if diff < 0 else ""
    sign = "+" if diff > 0 else "−" if diff < 0 else "±"
    if unit == "%":
        points = Decimal(str(abs(diff))).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return _("%(sign)s%(points)s pt") % {"sign": sign, "points": points}, trend
    return sign + show(abs(diff), unit), trend


def rate(met: int, missed: int) -> float | None:
    """met / decided in per cent, one decimal; None when nothing was decided."""
    decided = met + missed
    return round(met * 100 / decided, 1) if decided else None


# --- links -------------------------------------------------------------------------------------


@functools.cache
def _reversed(url_name: str, script_prefix: str) -> str:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""


def link(url_name: str, query: str = "") -> str:
    """The register behind a figure, with its filter; "" when it has none. Reversed once per
    process (a reverse costs about as much as a small query)."""
    from django.urls import get_script_prefix

    if not url_name:
        return ""
    url = _reversed(url_name, get_script_prefix())
    return f"{url}?{query}" if url and query else url


# --- open, overdue and on-time work per procedure -----------------------------------------------


def _content_types(entries: list[nav.Work]) -> Any:
    """The registered models' content types as a subquery (no look-up of its own, so the count
    does not depend on the content-type cache)."""
    q = Q(pk__in=[])
    for entry in entries:
        q |= Q(app_label=entry.model._meta.app_label, model=entry.model._meta.model_name)
    return ContentType.objects.filter(q).values("pk")


def work_counts(now: dt.datetime, entries: list[nav.Work] | None = None) -> dict[str, dict[str, int]]:
    """Open (running or paused) and overdue (running past due) deadline runs per model
    (``app_label.model``): one grouped query."""
    entries = nav.work() if entries is None else entries
    if not entries:
        return {}
    rows = (
        Deadline.objects.filter(content_type__in=_content_types(entries), state__in=LIVE)
        .values("content_type__app_label", "content_type__model")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(state=Deadline.State.RUNNING, due_at__lt=now)),
        )
        .order_by()
    )
    return {
        f"{r['content_type__app_label']}.{r['content_type__model']}": {"open": r["open"], "overdue": r["overdue"]}
        for r in rows
    }


def on_time_counts(
    periods: dict[str, tuple[dt.datetime, dt.datetime]], now: dt.datetime, entries: list[nav.Work] | None = None
) -> dict[str, dict[str, int]]:
    """Runs met and missed in each period per model (``met_<period>``, ``missed_<period>``),
    decided as ``workflow.selectors.decided_between`` says: one grouped query.

    The runs of the whole window come from the two partial indexes (``deadline_met_idx`` by
    ``stopped_at``, ``deadline_not_met_idx`` by ``due_at``) as a UNION ALL of the met and the
    missed ones, each with the time that decided it, and are counted per period around it; one
    OR of both conditions read the whole table (600 ms at 650,000 runs)."""
    entries = nav.work() if entries is None else entries
    if not entries:
        return {}
    models = {entry.model._meta.label_lower: entry.model for entry in entries}
    # The content types' ids themselves (cached after the first use, as deadline_outcomes does):
    # the planner then reads the partial indexes per content type.
    cts = ContentType.objects.get_for_models(*models.values(), for_concrete_models=False)
    ids = [ct.pk for ct in cts.values()]
    label_of = {cts[model].pk: label for label, model in models.items()}
    window = (min(s for s, _e in periods.values()), max(e for _s, e in periods.values()))
    met, missed = decided_between(*window, now)
    runs = Deadline.objects.filter(content_type_id__in=ids).order_by()
    met_rows = runs.filter(met).annotate(decided=F("stopped_at"), was_met=Value(True))
    missed_rows = runs.filter(missed).annotate(decided=F("due_at"), was_met=Value(False))
    parts = [
        qs.values("content_type_id", "decided", "was_met").query.sql_with_params() for qs in (met_rows, missed_rows)
    ]
    counts, params = [], []
    for name, (start, end) in periods.items():
        counts.append(f"COUNT(*) FILTER (WHERE was_met AND decided >= %s AND decided < %s) AS met_{name}")
        params += [start, end]
        counts.append(f"COUNT(*) FILTER (WHERE NOT was_met AND decided >= %s AND decided < %s) AS missed_{name}")
        params += [start, min(end, now)]
    # Column names are the periods' own (code, never input); every value is a parameter.
    sql = (
        f"SELECT content_type_id, {', '.join(counts)} "  # noqa: S608
        f"FROM (({parts[0][0]}) UNION ALL ({parts[1][0]})) d GROUP BY content_type_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *parts[0][1], *parts[1][1]])
        names = [col[0] for col in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return {label_of[row.pop("content_type_id")]: row for row in rows}


def work_rows(month: dt.date, now: dt.datetime) -> tuple[list[dict], dict]:
    """One row per registered procedure, in their order, and the totals: two queries."""
    entries = nav.work()
    periods = {THIS: (month_start(month), month_start(add_months(month, 1)))}
    periods[LAST] = (month_start(add_months(month, -1)), periods[THIS][0])
    live = work_counts(now, entries)
    decided = on_time_counts(periods, now, entries)
    zero = {"open": 0, "overdue": 0, **{f"{k}_{p}": 0 for k in ("met", "missed") for p in periods}}
    rows, totals = [], dict(zero)
    for entry in entries:
        key = entry.model._meta.label_lower
        counts = {**zero, **live.get(key, {}), **decided.get(key, {})}
        for name, value in counts.items():
            totals[name] += value
        rows.append(_work_row(key, str(entry.label), counts, link(entry.url), link(entry.url, entry.overdue_query)))
    return rows, _work_row("", _("All procedures"), totals, "", "")


def _work_row(key: str, label: str, counts: dict, url: str, overdue_url: str) -> dict:
    this = rate(counts["met_this"], counts["missed_this"])
    last = rate(counts["met_last"], counts["missed_last"])
    text, trend = change(this, last, "%")
    return {
        "key": key,
        "label": label,
        **counts,
        "rate_this": this,
        "rate_last": last,
        "rate_this_text": show(this, "%"),
        "rate_last_text": show(last, "%"),
        "change_text": text,
        "trend": trend,
        "url": url,
        "overdue_url": overdue_url or url,
    }


# --- the registered figures ----------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A figure's value as JSON keeps it: numbers (Decimal as float), a series as pairs."""
    if isinstance(value, list | tuple):
        return [[str(label), _plain(v)] for label, v in value]
    if isinstance(value, Decimal):
        return float(value)
    return value


def _figure_rows(figure: nav.Figure, now_value: Any, this: Any, last: Any) -> list[dict]:
    """A figure as rows of (label, now, this month, last month): one row for a number, one per
    label for a series."""
    has_month = figure.month is not None
    if isinstance(now_value, list | tuple) or isinstance(this, list | tuple):
        series_now = dict(now_value or [])
        series_this, series_last = dict(this or []), dict(last or [])
        labels = list(dict.fromkeys([*series_now, *series_this, *series_last]))
        values = [(label, series_now.get(label), series_this.get(label), series_last.get(label)) for label in labels]
    else:
        values = [("", now_value, this, last)]
    rows = []
    for label, value, a, b in values:
        text, trend = change(a, b, figure.unit) if has_month else ("", "")
        rows.append(
            {
                "label": str(label),
                "value": _plain(value),
                "value_text": show(value, figure.unit),
                "this": _plain(a),
                "last": _plain(b),
                "this_text": show(a, figure.unit) if has_month else "",
                "last_text": show(b, figure.unit) if has_month else "",
                "change_text": text,
                "trend": trend,
            }
        )
    return rows


def _trend_lines(trend: list, label: str, unit: str) -> list[dict]:
    """A trend as lines: one for a number, one per label for a series (each month's value a
    list of pairs), with each month's value as a number (the chart) and as text (the tables)."""
    values = [v for _m, v in trend]
    if any(isinstance(v, list) for v in values):
        names = list(dict.fromkeys(name for v in values for name, _x in (v or [])))
        lines = [(name, [dict(v or []).get(name) for v in values]) for name in names]
    else:
        lines = [(label, values)] if trend else []
    return [{"label": name, "values": vs, "texts": [show(v, unit) for v in vs]} for name, vs in lines]


def figure_sections(month: dt.date) -> list[dict]:
    """Every registered figure, grouped by section (the general ones first), in their order:
    each figure's own fixed queries (``compute``, and ``month`` for both months, or ``trend``
    whose last two months are the same figures)."""
    this_range = (month, add_months(month, 1))
    last_range = (add_months(month, -1), month)
    sections: dict[str, dict] = {}
    for figure in nav.figures():
        value = _plain(figure.compute())
        this = last = None
        points = list(figure.trend(month)) if figure.trend is not None else []
        trend = [[month_label(m), _plain(v)] for m, v in points]
        if figure.month is not None and len(trend) >= 2:
            # The trend's last two months are the month and the one before: no query again.
            this, last = trend[-1][1], trend[-2][1]
        elif figure.month is not None:
            this, last = _plain(figure.month(*this_range)), _plain(figure.month(*last_range))
        title = str(figure.section or "")
        section = sections.setdefault(title, {"title": title or _("General"), "figures": []})
        section["figures"].append(
            {
                "name": figure.name,
                "label": str(figure.label),
                "unit": figure.unit,
                "has_month": figure.month is not None,
                "url": link(figure.url, figure.query),
                "rows": _figure_rows(figure, value, this, last),
                "trend": trend,
                "trend_lines": _trend_lines(trend, str(figure.label), figure.unit),
            }
        )
    general = sections.pop("", None)
    return ([general] if general else []) + list(sections.values())


# --- the whole dashboard ---------------------------------------------------------------------------


def dashboard(month: dt.date | None = None, *, now: dt.datetime | None = None) -> dict:
    """The dashboard of ``month`` (its first day; this month by default) against the month
    before, as plain data: 2 queries for the procedures' work plus each figure's own."""
    now = now or timezone.now()
    month = first_of(month or timezone.localdate(now))
    work, total = work_rows(month, now)
    sections = figure_sections(month)
    return {
        "month": month.isoformat(),
        "month_text": month_label(month),
        "previous_text": month_label(add_months(month, -1)),
        "computed_at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
        "work": work,
        "total": total,
        "sections": sections,
    }


def chart_data(data: dict) -> dict:
    """What the page's charts draw (static/js/dashboard_charts.js), from ``dashboard()``."""
    work = [row for row in data["work"] if row["open"] or row["met_this"] or row["missed_this"] or row["met_last"]]
    return {
        "months": [data["month_text"], data["previous_text"]],
        "labels": {"open": pgettext("work", "Open"), "overdue": _("Overdue")},
        "work": {
            "labels": [row["label"] for row in work],
            "open": [row["open"] for row in work],
            "overdue": [row["overdue"] for row in work],
        },
        "on_time": {
            "labels": [row["label"] for row in work],
            "this": [row["rate_this"] for row in work],
            "last": [row["rate_last"] for row in work],
        },
        "trends": [
            {
                "name": figure["name"],
                "label": figure["label"],
                "unit": figure["unit"],
                "labels": [m for m, _v in figure["trend"]],
                "lines": [{"label": line["label"], "values": line["values"]} for line in figure["trend_lines"]],
            }
            for section in data["sections"]
            for figure in section["figures"]
            if figure["trend"]
        ],
    }


def bar_width(value: Any, largest: Any) -> float:
    """A bar's share of the widest, for the PDF's simple bars (no script in a PDF)."""
    a, b = _number(value), _number(largest)
    if not a or not b:
        return 0.0
    return round(max(0.0, min(100.0, a * 100 / b)), 1)
