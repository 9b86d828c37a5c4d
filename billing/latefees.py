"""Late fees 违约金 (民法典 art.585): what a bill's agreement charges for paying late.

Only where the agreement sets a rate (tenants.Occupancy.late_fee_daily_rate; none: no fee).
The computation, for one bill with principal P (its total) due on day D, grace G days, rate r:

- Day d accrues r × (the principal still unpaid at the start of day d) for every day
  D + G < d ≤ on. Payments reach a bill through its allocations (billing.services allocates
  the oldest due bill first) and count from the day after they were made: a bill paid on day
  p accrues p − D − G days, none when paid by the end of the grace days.
- Simple interest: only the principal accrues, never a late fee; late-fee bills accrue nothing.
- Each calendar month's sum is rounded half-up to the cent once; the months added up never
  pass P (the month that would is cut to what is left).

``monthly_fees`` is that computation, pure. ``accruals`` and ``late_fee_as_of`` read what it
needs (allocations, the policy, what was billed and waived) in a fixed number of queries.
billing.latefee_services bills the fees and records waivers.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from tenants.models import Occupancy, Tenant

from .models import LATE_FEE_KEY_PREFIX, ZERO, Allocation, Bill, BillLine, LateFeeCharge, LateFeeWaiver
from .money import round_money
from .services import month_end

OPEN = (Bill.Status.OPEN, Bill.Status.PARTLY_PAID)


@dataclass(frozen=True)
class Policy:
    """An agreement's late-fee clause: a fraction of the principal per day after grace days."""

    daily_rate: Decimal
    grace_days: int

    @property
    def percent(self) -> str:
        """0.0003 -> "0.03" (per cent a day, as printed)."""
        return f"{self.daily_rate * 100:f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class MonthFee:
    month: date  # the first day of the calendar month
    days: int  # days of the month that accrued (principal unpaid)
    fee: Decimal  # the month's late fee: rounded half-up once, capped at the principal


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def month_key(bill_pk: int, month: date) -> str:
    """The source key of a bill's late fee for a month: ``latefee:<bill>:<YYYY-MM>``."""
    return f"{LATE_FEE_KEY_PREFIX}{bill_pk}:{month:%Y-%m}"


def accrual_start(due: date, policy: Policy) -> date:
    """The first day that accrues: the due date and the grace days are free."""
    return due + timedelta(days=policy.grace_days + 1)


def monthly_fees(
    principal: Decimal, due: date, policy: Policy | None, paid: Iterable[tuple[date, Decimal]], on: date
) -> list[MonthFee]:
    """The late fee of one bill per calendar month up to and including ``on``.

    ``paid``: (day, amount) of each allocation to the bill. The principal unpaid is constant
    between payments, so each stretch is rate × amount × days in one step (exactly the sum of
    the days: Decimal holds the products exactly), split at month ends."""
    if policy is None or principal <= 0:
        return []
    start = accrual_start(due, policy)
    if on < start:
        return []
    by_day: dict[date, Decimal] = defaultdict(Decimal)
    for day, amount in paid:
        by_day[day] += amount
    unpaid = principal - sum((a for d, a in by_day.items() if d < start), ZERO)
    # Days on which the unpaid principal changes: the day after each payment.
    changes = sorted(d + timedelta(days=1) for d in by_day if start <= d < on)
    exact: dict[date, Decimal] = defaultdict(Decimal)
    days: dict[date, int] = defaultdict(int)
    cursor = start
    for stop in [*changes, on + timedelta(days=1)]:
        while cursor < stop and unpaid > 0:
            last = min(month_end(cursor), stop - timedelta(days=1))
            n = (last - cursor).days + 1
            exact[first_of_month(cursor)] += unpaid * policy.daily_rate * n
            days[first_of_month(cursor)] += n
            cursor = last + timedelta(days=1)
        cursor = stop
        unpaid -= by_day.get(stop - timedelta(days=1), ZERO)
    months, total = [], ZERO
    for month in sorted(exact):
        fee = min(round_money(exact[month]), principal - total)
        total += fee
        months.append(MonthFee(month, days[month], fee))
    return months


# --- the policy of a bill ---------------------------------------------------------------------


def policy_for(due: date, bill_units: set[int], occupancies: Sequence[Occupancy]) -> Policy | None:
    """The late-fee clause a bill falls under: its tenant's agreement (occupancy) in force on
    the due date. With several, the agreement of a unit the bill's lines name comes first
    (a unit's fees fall under that unit's agreement), then the one nearest the due date (in
    force on it, else ended just before, as for final bills after a move-out, or starting just
    after, as for first charges before move-in), then the latest started. Its rate may be
    none: no late fee."""
    if not occupancies:
        return None

    def distance(o: Occupancy) -> int:
        if o.start > due:
            return (o.start - due).days
        if o.end is not None and o.end <= due:
            return (due - o.end).days + 1
        return 0

    chosen = min(occupancies, key=lambda o: (o.unit_id not in bill_units, distance(o), -o.start.toordinal(), -o.pk))
    if chosen.late_fee_daily_rate is None:
        return None
    return Policy(chosen.late_fee_daily_rate, chosen.late_fee_grace_days)


# --- reading it for bills ---------------------------------------------------------------------


@dataclass
class Accrual:
    """One bill's late fee on a day: accrued (billed months as billed), billed, waived."""

    bill: Bill
    policy: Policy | None
    unpaid: Decimal  # principal still unpaid at the end of the day
    months: list[MonthFee] = field(default_factory=list)
    charged: dict[date, LateFeeCharge] = field(default_factory=dict)  # month -> what was billed
    waived: Decimal = ZERO

    @property
    def days(self) -> int:
        return sum(m.days for m in self.months)

    @property
    def accrued(self) -> Decimal:
        """The whole late fee so far, before waivers: billed months at their billed fee."""
        months = {m.month: m.fee for m in self.months} | {k: c.fee for k, c in self.charged.items()}
        return sum(months.values(), ZERO)

    @property
    def billed(self) -> Decimal:
        return sum((c.amount for c in self.charged.values()), ZERO)

    @property
    def due_now(self) -> Decimal:
        """Accrued and not yet billed or waived: what a waiver may take off at most."""
        return max(self.accrued - self.billed - self.waived, ZERO)

    @property
    def total(self) -> Decimal:
        """What the tenant owes for late payment of this bill: billed and still to bill."""
        return self.billed + self.due_now

    @property
    def start(self) -> date | None:
        """The first day that accrues (after the due date and the grace days)."""
        return accrual_start(self.bill.due_date, self.policy) if self.policy else None

    @property
    def month_rows(self) -> list[tuple[date, int, Decimal, LateFeeCharge | None]]:
        """(month, days, fee, its charge if billed) per month, oldest first, for the pages."""
        rows = {m.month: (m.month, m.days, m.fee, self.charged.get(m.month)) for m in self.months if m.fee > 0}
        rows |= {k: (k, c.days, c.fee, c) for k, c in self.charged.items()}
        return [rows[k] for k in sorted(rows)]

    @property
    def unapplied_waivers(self) -> Decimal:
        """Waived but not yet taken off a billed month."""
        return self.waived - sum((c.waived for c in self.charged.values()), ZERO)


def _day_of(moment) -> date:
    return timezone.localtime(moment).date()


def accruals_of(bills: Sequence[Bill], on: date) -> list[Accrual]:
    """The late fee of each of ``bills`` on day ``on``: five queries whatever their number
    (three with their allocations and lines prefetched, none for void and late-fee bills).

    The fee accrues to ``on`` on the payments made by then; what was billed and waived is
    read as it stands (billing may run for a day in the past, and must see every month it
    billed). Late-fee and void bills accrue nothing."""
    bills = list(bills)
    ids = [b.pk for b in bills if b.status != Bill.Status.VOID and not b.is_late_fee_bill]
    if not ids:
        return [Accrual(b, None, ZERO) for b in bills]
    # A bill detail page has prefetched its allocations and lines, a tenant's overdue bills come
    # with them as arrays (``with_accrual_inputs``): no need to read them again.
    prefetched = all("allocations" in getattr(b, "_prefetched_objects_cache", {}) for b in bills) and all(
        "lines" in b._prefetched_objects_cache for b in bills
    )
    annotated = all(hasattr(b, "accrual_paid_amounts") for b in bills)
    paid: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
    units: dict[int, set[int]] = defaultdict(set)
    waived: dict[int, Decimal] = defaultdict(Decimal)
    if annotated:
        allocations = [
            (b.pk, amount, at)
            for b in bills
            for amount, at in zip(b.accrual_paid_amounts, b.accrual_paid_at, strict=True)
        ]
        lines = {(b.pk, unit_id) for b in bills for unit_id in b.accrual_unit_ids}
        waived.update({b.pk: b.accrual_waived for b in bills})
    elif prefetched:
        allocations = [(a.bill_id, a.amount, a.created_at) for b in bills for a in b.allocations.all()]
        lines = {(line.bill_id, line.unit_id) for b in bills for line in b.lines.all() if line.unit_id}
    else:
        allocations = Allocation.objects.filter(bill_id__in=ids).values_list("bill_id", "amount", "created_at")
        lines = BillLine.objects.filter(bill_id__in=ids, unit__isnull=False).values_list("bill_id", "unit_id")
    for bill_id, amount, at in allocations:
        if _day_of(at) <= on:
            paid[bill_id].append((_day_of(at), amount))
    for bill_id, unit_id in lines:
        units[bill_id].add(unit_id)
    occupancies: dict[int, list[Occupancy]] = defaultdict(list)
    tenant_ids = {b.tenant_id for b in bills}
    for o in Occupancy.objects.filter(tenant_id__in=tenant_ids).only(
        "pk", "tenant_id", "unit_id", "start", "end", "late_fee_daily_rate", "late_fee_grace_days"
    ):
        occupancies[o.tenant_id].append(o)
    charged: dict[int, dict[date, LateFeeCharge]] = defaultdict(dict)
    for charge in LateFeeCharge.objects.filter(source_bill_id__in=ids).select_related("bill"):
        charged[charge.source_bill_id][charge.month] = charge
    if not annotated:
        waivers = LateFeeWaiver.objects.filter(source_bill_id__in=ids).values_list("source_bill_id", "amount")
        for bill_id, amount in waivers:
            waived[bill_id] += amount

    out = []
    for bill in bills:
        paid_by_on = sum((a for _d, a in paid[bill.pk]), ZERO)
        if bill.status == Bill.Status.VOID or bill.is_late_fee_bill:
            out.append(Accrual(bill, None, ZERO))
            continue
        policy = policy_for(bill.due_date, units[bill.pk], occupancies[bill.tenant_id])
        months = monthly_fees(bill.total, bill.due_date, policy, paid[bill.pk], on)
        out.append(
            Accrual(
                bill,
                policy,
                max(bill.total - paid_by_on, ZERO),
                months,
                charged[bill.pk],
                waived[bill.pk],
            )
        )
    return out


def late_fee_as_of(bill: Bill, on: date) -> Decimal:
    """The late fee of ``bill`` on day ``on``: accrued so far, billed or not, less waivers.
    Five queries; for many bills of a tenant use ``accruals``."""
    return accruals_of([bill], on)[0].total


def overdue_bills(tenant: Tenant, on: date) -> QuerySet[Bill]:
    """The tenant's bills unpaid after their due date (late-fee bills apart), oldest due first."""
    return (
        Bill.objects.filter(tenant=tenant, status__in=OPEN, due_date__lt=on)
        .exclude(source_key__startswith=LATE_FEE_KEY_PREFIX)
        .order_by("due_date", "id")
    )


def with_accrual_inputs(bills: QuerySet[Bill]) -> QuerySet[Bill]:
    """``bills`` each with what its late fee is computed from (its payments, the units its
    lines name, what was waived) as arrays in the same row: pages that show a tenant's late
    fees read them in one query, not three."""
    allocations = Allocation.objects.filter(bill=OuterRef("pk")).order_by("pk")
    return bills.annotate(
        accrual_paid_amounts=ArraySubquery(allocations.values("amount")),
        accrual_paid_at=ArraySubquery(allocations.values("created_at")),
        accrual_unit_ids=ArraySubquery(
            BillLine.objects.filter(bill=OuterRef("pk"), unit__isnull=False).order_by().values("unit_id").distinct()
        ),
        accrual_waived=Coalesce(
            Subquery(
                LateFeeWaiver.objects.filter(source_bill=OuterRef("pk"))
                .order_by()
                .values("source_bill")
                .annotate(s=Sum("amount"))
                .values("s")
            ),
            ZERO,
            output_field=DecimalField(max_digits=12, decimal_places=2),
        ),
    )


def accruals(tenant: Tenant, on: date | None = None) -> list[Accrual]:
    """The late fee of each overdue bill of ``tenant`` on ``on`` (today): principal, days, rate,
    accrued, billed, waived, due now. Three queries (the portal, the desk, printed notices)."""
    on = on or timezone.localdate()
    return accruals_of(list(with_accrual_inputs(overdue_bills(tenant, on))), on)


class Summary:
    """A tenant's late fees on its overdue bills, by bill and in total."""

    def __init__(self, rows: list[Accrual]):
        self.rows = rows
        self.by_bill = {a.bill.pk: a for a in rows}
        self.total = sum((a.total for a in rows), ZERO)
        self.due_now = sum((a.due_now for a in rows), ZERO)
        self.any_policy = any(a.policy is not None for a in rows)


def summary(tenant: Tenant, on: date | None = None) -> Summary:
    return Summary(accruals(tenant, on))


def billable_bills(on: date) -> QuerySet[Bill]:
    """Bills whose late fee may have months to bill on ``on``, of tenants with a late-fee
    clause: unpaid after their due date (months before this one), or paid late since the first
    of last month (a fee is final at payoff: the payoff task bills it at once, this is the net
    under it)."""
    since = first_of_month(first_of_month(on) - timedelta(days=1))
    paid_late = Allocation.objects.filter(
        bill_id=OuterRef("pk"), created_at__date__gte=since, created_at__date__gt=OuterRef("due_date")
    )
    with_clause = Occupancy.objects.filter(tenant_id=OuterRef("tenant_id"), late_fee_daily_rate__isnull=False)
    return (
        Bill.objects.filter(
            Q(status__in=OPEN, due_date__lt=first_of_month(on))
            | (Q(status=Bill.Status.PAID, due_date__lt=on) & Exists(paid_late))
        )
        .exclude(source_key__startswith=LATE_FEE_KEY_PREFIX)
        .filter(Exists(with_clause))
    )


def months_to_bill(acc: Accrual, on: date) -> list[MonthFee]:
    """The months of a bill's fee that are final on ``on`` and not yet billed: the months
    before this one, all of them once the principal is paid off (the fee stops growing)."""
    this_month = first_of_month(on)
    paid_off = acc.bill.status == Bill.Status.PAID
    return [m for m in acc.months if m.fee > 0 and m.month not in acc.charged and (paid_off or m.month < this_month)]
