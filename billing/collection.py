"""The collection dashboard 收缴 (issue 13): reads for finance and the supervisor, each in a
fixed number of queries whatever the number of bills, tenants and payments (aggregates in the
database; pinned by tests/billing/test_collection_queries.py).

What the figures mean (a month is its calendar days in the server's time zone, Asia/Shanghai;
void bills count nowhere: only an unpaid bill can be voided, so it was never owed):

- **The month's bills** are the bills *issued* in it (``issued_on``), not those whose period
  falls in it: every bill has an issue date, while paid services, signboards and late fees
  have no period, and the monthly bills (issued on the 1st for that month) agree either way.
- **Billed**: their total. **Collected by the month's end**: what was applied to them
  (allocations: payments and credit) before the next month began. **Collection rate** 收缴率 =
  collected by the month's end / billed: what the month's figure was when the month closed, so a
  closed month's rate does not change when a tenant pays late. **Collected to date** and **rate
  to date**: what they have been paid since, as they stand now.
- **Arrears at the month's start**: what was unpaid on that day of the bills overdue then (due
  and issued before the month), computed back from the allocations' times. **Rate including
  arrears** = (collected by the month's end on the month's bills + collected in the month on
  those arrears) / (billed + arrears at the month's start).
- **Buildings**: a bill's building is ``Bill.building`` (the building of the units its lines
  charge, else its tenant's occupancy on the issue date: migration billing 0012 says why), so
  every bill counts in one building and the buildings add up to the whole.
- **Aging** 账龄 is as of today: the unpaid amount (principal; late fees not yet billed are not
  in it, a billed late fee is a bill like any other) of each overdue bill (past its due date, not
  paid in full) by days past the due date: 0–30 (1 to 30 days), 31–90, 91–180, over 180.
- **Reminders sent**: the reminder schedule's steps sent in the month (``ReminderSent``), by step.
- **Promises**: the desk's calls and visits with a promise to pay (``ArrearsContact``) that are
  still open, i.e. the tenant has a bill unpaid that was due by the promised date: due in the
  next ``PROMISE_DAYS`` days, or broken (dated before today) in the last ``BROKEN_DAYS`` days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce
from django.utils import timezone

from tenants.models import Building

from .arrears_models import ArrearsContact, ReminderSent, ReminderStep
from .arrears_selectors import UNPAID, overdue_bills
from .models import ZERO, Bill

MONTHS = 12  # the rate's history: the chosen month and the eleven before it
PROMISE_DAYS = 7  # promises falling due from today to this many days ahead
BROKEN_DAYS = 30  # broken promises shown: dated this many days back at most
PROMISES_SHOWN = 20
DEBTORS_SHOWN = 10
# Days past the due date: (first, last) of each bucket; None: no end.
BUCKETS: tuple[tuple[int, int | None], ...] = ((1, 30), (31, 90), (91, 180), (181, None))
PERCENT = Decimal("0.1")


# --- months ------------------------------------------------------------------------------------


def first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_start(month: dt.date) -> dt.datetime:
    """The first moment of ``month`` in the current time zone."""
    return dt.datetime.combine(first_of(month), dt.time.min, timezone.get_current_timezone())


def window(month: dt.date, months: int = MONTHS) -> list[dt.date]:
    """The first days of the ``months`` months ending with ``month``, oldest first."""
    last = first_of(month)
    return [add_months(last, i - months + 1) for i in range(months)]


# --- collection rates --------------------------------------------------------------------------


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` of ``whole`` in per cent, one decimal, half up; None when there is nothing to divide."""
    if not whole:
        return None
    return (part * 100 / whole).quantize(PERCENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Collection:
    """One month's bills (of one building, or of all: ``building_id`` None) and what came in."""

    month: dt.date
    building_id: int | None = None
    billed: Decimal = ZERO
    collected: Decimal = ZERO  # on the month's bills, by the month's end
    collected_to_date: Decimal = ZERO  # on the month's bills, by now
    arrears: Decimal = ZERO  # unpaid at the month's start of the bills overdue then
    arrears_collected: Decimal = ZERO  # collected in the month on those arrears

    @property
    def rate(self) -> Decimal | None:
        return percent(self.collected, self.billed)

    @property
    def rate_to_date(self) -> Decimal | None:
        return percent(self.collected_to_date, self.billed)

    @property
    def due_with_arrears(self) -> Decimal:
        return self.billed + self.arrears

    @property
    def collected_with_arrears(self) -> Decimal:
        return self.collected + self.arrears_collected

    @property
    def rate_with_arrears(self) -> Decimal | None:
        return percent(self.collected_with_arrears, self.due_with_arrears)

    def __add__(self, other: Collection) -> Collection:
        return Collection(
            month=self.month,
            building_id=self.building_id if self.building_id == other.building_id else None,
            billed=self.billed + other.billed,
            collected=self.collected + other.collected,
            collected_to_date=self.collected_to_date + other.collected_to_date,
            arrears=self.arrears + other.arrears,
            arrears_collected=self.arrears_collected + other.arrears_collected,
        )


# One statement for every month of the window and every building. Only the allocations made
# since the window began that came after their bill's issue month are joined to their bills
# (``late``: at the large scale about 1,100 of 31,000, picked by ``bill_issued_on`` from the
# allocations' index); an allocation within its bill's issue month changes neither a rate by
# the month's end nor any arrears. Arrears at a month's start are counted forward, never by
# walking history: a bill unpaid now owes (total - paid) at every month start from the first
# it was overdue at, and each late allocation was still owed at every month start from then
# until the month it was made. Month arithmetic on dates and timestamps without a time zone,
# so the session's time zone never enters; the allocations' times are read in the server's
# (``%(tz)s``).
RATES_SQL = """
WITH late AS MATERIALIZED (
    SELECT a.amount, b.building_id,
        date_trunc('month', a.created_at AT TIME ZONE %(tz)s)::date AS paid_month,
        date_trunc('month', b.issued_on::timestamp)::date AS issue_month,
        (date_trunc('month', GREATEST(b.due_date, b.issued_on)::timestamp) + interval '1 month')::date
            AS owed_from
    FROM billing_allocation a
    -- LIMIT 1 keeps this a lookup by primary key per late allocation: the planner cannot tell
    -- how few they are and would otherwise read every bill ever issued to hash them.
    CROSS JOIN LATERAL (
        SELECT building_id, issued_on, due_date FROM billing_bill WHERE id = a.bill_id LIMIT 1
    ) b
    WHERE a.created_at >= %(since)s
        AND date_trunc('month', a.created_at AT TIME ZONE %(tz)s) > date_trunc('month', a.bill_issued_on::timestamp)
)
SELECT month, building_id,
    SUM(billed), SUM(paid), SUM(paid_later), SUM(owed), SUM(owed_paid)
FROM (
    SELECT date_trunc('month', issued_on::timestamp)::date AS month, building_id,
        total AS billed, paid, 0 AS paid_later, 0 AS owed, 0 AS owed_paid
    FROM billing_bill
    WHERE issued_on >= %(first)s AND issued_on < %(end)s AND status <> 'void'
    UNION ALL
    SELECT issue_month, building_id, 0, 0, amount, 0, 0
    FROM late WHERE issue_month >= %(first)s AND issue_month <= %(last)s
    UNION ALL
    SELECT paid_month, building_id, 0, 0, 0, 0, amount
    FROM late WHERE paid_month >= owed_from AND paid_month <= %(last)s
    UNION ALL
    SELECT m::date, building_id, 0, 0, 0, amount, 0
    FROM late, generate_series(
        GREATEST(owed_from, %(first)s)::timestamp, LEAST(paid_month, %(last)s)::timestamp, interval '1 month'
    ) m
    UNION ALL
    SELECT m::date, building_id, 0, 0, 0, total - paid, 0
    FROM billing_bill, generate_series(
        GREATEST(
            (date_trunc('month', GREATEST(due_date, issued_on)::timestamp) + interval '1 month')::date, %(first)s
        )::timestamp,
        %(last)s::timestamp,
        interval '1 month'
    ) m
    WHERE status IN ('open', 'partly_paid') AND due_date < %(last)s AND issued_on < %(last)s
) rows
GROUP BY month, building_id
"""


def collection_rates(month: dt.date, months: int = MONTHS) -> list[Collection]:
    """Each (month, building) of the ``months`` months ending with ``month`` that has bills or
    arrears (one query). ``building_id`` None: bills with no building (a tenant without any
    occupancy)."""
    first, *_rest = months_list = window(month, months)
    last = months_list[-1]
    params = {
        "tz": timezone.get_current_timezone_name(),
        "since": month_start(first),
        "first": first,
        "last": last,
        "end": add_months(last, 1),
    }
    with connection.cursor() as cur:
        cur.execute(RATES_SQL, params)
        rows = cur.fetchall()
    return [
        Collection(
            month=month_of,
            building_id=building_id,
            billed=billed,
            collected=paid - paid_later,
            collected_to_date=paid,
            arrears=owed,
            arrears_collected=owed_paid,
        )
        for month_of, building_id, billed, paid, paid_later, owed, owed_paid in rows
    ]


def by_month(rates: Iterable[Collection], months: list[dt.date], building_id: int | None = None) -> list[Collection]:
    """Each month's figures, oldest first: of one building, or of all when ``building_id`` is None."""
    sums = {month: Collection(month=month, building_id=building_id) for month in months}
    for row in rates:
        if row.month in sums and (building_id is None or row.building_id == building_id):
            sums[row.month] = sums[row.month] + row
    return [sums[month] for month in months]


@dataclass(frozen=True)
class BuildingCollection:
    building: Building | None  # None: bills of no building
    figures: Collection


def by_building(rates: Iterable[Collection], month: dt.date, buildings: list[Building]) -> list[BuildingCollection]:
    """The month's figures of each building (all of them, by code), then bills of no building if any."""
    found: dict[int | None, Collection] = {}
    for row in rates:
        if row.month == month:
            found[row.building_id] = row
    rows = [BuildingCollection(b, found.get(b.pk, Collection(month=month, building_id=b.pk))) for b in buildings]
    if None in found:
        rows.append(BuildingCollection(None, found[None]))
    return rows


# --- aging -------------------------------------------------------------------------------------


def _unpaid():
    return F("total") - F("paid")


def bucket_q(first: int, last: int | None, today: dt.date) -> Q:
    """Bills ``first`` to ``last`` days past their due date on ``today``."""
    q = Q(due_date__lte=today - dt.timedelta(days=first))
    if last is not None:
        q &= Q(due_date__gte=today - dt.timedelta(days=last))
    return q


def _bucket_sums(today: dt.date) -> dict[str, Coalesce]:
    return {
        f"bucket{i}": Coalesce(Sum(_unpaid(), filter=bucket_q(first, last, today)), Value(ZERO))
        for i, (first, last) in enumerate(BUCKETS, start=1)
    }


def overdue_in(today: dt.date, building_id: int | None = None) -> QuerySet[Bill]:
    # Tenants' arrears (催缴): a customer's overdue bill (billing.payers) is followed up on its
    # own page, not among the tenants in arrears.
    bills = overdue_bills(today).filter(customer__isnull=True)
    return bills if building_id is None else bills.filter(building_id=building_id)


@dataclass(frozen=True)
class AgingTotals:
    tenants: int
    buckets: tuple[Decimal, ...]
    total: Decimal
    bills: int


def aging_totals(today: dt.date, building_id: int | None = None) -> AgingTotals:
    """Every bucket summed over all tenants, with the number of tenants and bills (one query)."""
    sums = overdue_in(today, building_id).aggregate(
        **_bucket_sums(today),
        total=Coalesce(Sum(_unpaid()), Value(ZERO)),
        tenants=Count("tenant_id", distinct=True),
        bills=Count("pk"),
    )
    return AgingTotals(
        tenants=sums["tenants"],
        buckets=tuple(sums[f"bucket{i}"] for i in range(1, len(BUCKETS) + 1)),
        total=sums["total"],
        bills=sums["bills"],
    )


def aging_by_tenant(today: dt.date, building_id: int | None = None) -> QuerySet:
    """Per tenant in arrears: ``tenant_id``, ``tenant__name``, ``bucket1``…``bucket4``,
    ``total``, ``bills``, ``oldest_due``; the largest total first (one query per slice)."""
    return (
        overdue_in(today, building_id)
        .values("tenant_id", "tenant__name")
        .annotate(**_bucket_sums(today), total=Sum(_unpaid()), bills=Count("pk"), oldest_due=Min("due_date"))
        .order_by("-total", "tenant__name", "tenant_id")
    )


class CountedRows:
    """A paginator's rows whose count is known already (``aging_totals``), so a page costs one
    query, not a COUNT over the grouped rows as well."""

    def __init__(self, queryset: QuerySet, count: int):
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self.queryset[index]
        start = index.start or 0
        if index.stop is not None and index.stop <= start:
            # An empty page (no tenant in arrears: a building without bills, a quiet month)
            # still asks. Django answers an empty slice without a query, and the page would cost
            # one query less than with rows: the dashboard's count is pinned for none, one or many.
            return list(self.queryset[start : start + 1])[:0]
        return list(self.queryset[index])


def largest_debtors(today: dt.date, building_id: int | None = None, n: int = DEBTORS_SHOWN) -> list[dict]:
    """The ``n`` tenants owing most overdue, with their last call or visit (one query)."""
    last_contact = ArrearsContact.objects.filter(tenant_id=OuterRef("tenant_id")).order_by("-contacted_at", "-id")
    return list(
        aging_by_tenant(today, building_id).annotate(
            last_contact=Subquery(last_contact.values("contacted_at")[:1]),
        )[:n]
    )


# --- reminders and promises -----------------------------------------------------------------------


@dataclass(frozen=True)
class StepCount:
    step: ReminderStep
    bills: int
    recipients: int


def reminders_sent(month: dt.date, building_id: int | None = None) -> list[StepCount]:
    """Each step of the schedule with the bills it was sent for in ``month`` and the people told;
    an inactive step only when it was sent (one query)."""
    start, end = month_start(month), month_start(add_months(month, 1))
    sent = ReminderSent.objects.filter(step=OuterRef("pk"), sent_at__gte=start, sent_at__lt=end)
    if building_id is not None:
        sent = sent.filter(bill__building_id=building_id)
    counts = sent.order_by().values("step")
    steps = ReminderStep.objects.annotate(
        sent_bills=Coalesce(Subquery(counts.annotate(n=Count("pk")).values("n")), 0),
        sent_to=Coalesce(Subquery(counts.annotate(n=Sum("recipients")).values("n")), 0),
    ).order_by("offset_days")
    return [StepCount(s, s.sent_bills, s.sent_to) for s in steps if s.is_active or s.sent_bills]


@dataclass(frozen=True)
class Promises:
    rows: list[ArrearsContact] = field(default_factory=list)
    count: int = 0  # all of them; ``rows`` holds the first PROMISES_SHOWN

    def __iter__(self) -> Iterator[ArrearsContact]:
        return iter(self.rows)


def _open_promises(building_id: int | None) -> QuerySet[ArrearsContact]:
    """Promises still open: a bill of the tenant due by the promised date is unpaid (of the
    building, when one is chosen). Each with what the tenant owes overdue today."""
    owing = Bill.objects.filter(
        tenant_id=OuterRef("tenant_id"), status__in=UNPAID, due_date__lte=OuterRef("promise_date")
    ).filter(total__gt=F("paid"))
    if building_id is not None:
        owing = owing.filter(building_id=building_id)
    overdue = (
        overdue_bills(timezone.localdate())
        .filter(tenant_id=OuterRef("tenant_id"))
        .order_by()
        .values("tenant_id")
        .annotate(s=Sum(_unpaid()))
        .values("s")
    )
    return (
        ArrearsContact.objects.filter(Exists(owing))
        .select_related("tenant", "recorded_by")
        .annotate(overdue=Coalesce(Subquery(overdue), Value(ZERO)), shown_of=Window(Count("pk")))
    )


def _promises(queryset: QuerySet[ArrearsContact], limit: int | None) -> Promises:
    rows = list(queryset[:limit] if limit is not None else queryset)
    return Promises(rows, rows[0].shown_of if rows else 0)


def promises_due(today: dt.date, building_id: int | None = None, limit: int | None = PROMISES_SHOWN) -> Promises:
    """Open promises dated today to PROMISE_DAYS ahead, soonest first; ``limit`` of them (None:
    all), with the count of all (one query)."""
    return _promises(
        _open_promises(building_id)
        .filter(promise_date__gte=today, promise_date__lte=today + dt.timedelta(days=PROMISE_DAYS))
        .order_by("promise_date", "tenant__name", "id"),
        limit,
    )


def promises_broken(today: dt.date, building_id: int | None = None, limit: int | None = PROMISES_SHOWN) -> Promises:
    """Promises dated before today (BROKEN_DAYS back at most) with the bill still unpaid, the
    latest first; ``limit`` of them, with the count of all (one query)."""
    return _promises(
        _open_promises(building_id)
        .filter(promise_date__lt=today, promise_date__gte=today - dt.timedelta(days=BROKEN_DAYS))
        .order_by("-promise_date", "tenant__name", "id"),
        limit,
    )


# --- the whole dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    month: dt.date
    today: dt.date
    building: Building | None
    buildings: list[Building]
    months: list[Collection]  # the window, oldest first, of the building (or all)
    per_building: list[BuildingCollection]  # the month, each building
    aging: AgingTotals
    debtors: list[dict]
    reminders: list[StepCount]
    due: Promises
    broken: Promises

    @property
    def current(self) -> Collection:
        return self.months[-1]


def buildings() -> list[Building]:
    return list(Building.objects.order_by("code"))


def dashboard(
    month: dt.date,
    *,
    building: Building | None = None,
    buildings_list: list[Building],
    today: dt.date | None = None,
    promises_limit: int | None = PROMISES_SHOWN,
) -> Dashboard:
    """Everything the page shows but the aging page itself, in a fixed number of queries (six);
    ``promises_limit`` None: every open promise (the Excel file)."""
    today = today or timezone.localdate()
    building_id = building.pk if building else None
    months = window(month)
    rates = collection_rates(month)
    return Dashboard(
        month=first_of(month),
        today=today,
        building=building,
        buildings=buildings_list,
        months=by_month(rates, months, building_id),
        per_building=by_building(rates, first_of(month), buildings_list),
        aging=aging_totals(today, building_id),
        debtors=largest_debtors(today, building_id),
        reminders=reminders_sent(month, building_id),
        due=promises_due(today, building_id, promises_limit),
        broken=promises_broken(today, building_id, promises_limit),
    )
