"""Statements 对账单: a tenant's account over a period of whole months, read from the ledger.

A statement is a view of the ledger, never stored or numbered: it reads the same rows every
time, so the same period printed twice says the same thing (a void, a late payment recorded
later ... land in the period they happened in, not in the one already printed).

**Balance** (what the tenant owes at the end of a day; negative: credit in its favour)::

    Σ totals of the bills issued by then (Bill.issued_on, the date the bill bears)
  − Σ totals of those bills voided by then (the day it was voided, never before the bill's date)
  − Σ payments received by then (Payment.received_at, local day), allocated or not

- A bill voided later stays in the period it was issued in; the void is a reversal line in the
  period it happened in (both lines when both fall in one period), so no printed period changes.
  Only an unpaid bill can be voided (``services.bill_void``): a void never touches a payment.
- A payment counts in full the day it is received. Allocating it to bills moves money between
  bills inside the balance; what is left is credit, which the balance already nets. So the
  closing balance today is ``tenant_balance``'s owed on open bills less the credit held.
- Late-fee bills (违约金) are bills like any other: billed late fees are in the balance. A late
  fee accrued and not yet billed is not owed yet (it is billed at month end or at payoff, and
  the supervisor may still waive it): it is shown apart, as of the statement date. A waiver
  (``LateFeeWaiver``) takes off fees not yet billed, so it never moves the balance: listed apart.
- Deposits: a deposit's bill and its payment are in the balance like any bill; the deposit
  ledger (``DepositEntry``: received, deducted, refunded) is money the center holds for the
  tenant, settled at move-out, not money owed: its balance is shown apart, never in the sum.

Hence a period's opening balance is exactly the previous period's closing balance, and the
last closing balance is the account's balance. Every figure is an aggregate or one read of the
period's rows: a statement costs a fixed number of queries whatever the number of rows.
A customer (a payer who is not a tenant, billing.payers) has statements too: the same ledger
read by its own key, without late fees (their terms are a tenant's agreement).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Greatest, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant

from . import latefees, payers
from .models import LATE_FEE_KEY_PREFIX, ZERO, Allocation, Bill, Customer, DepositEntry, LateFeeWaiver, Payment
from .payers import Owner
from .services import month_end

# One statement covers at most five years: the 36-month statement fits with room to spare.
MAX_MONTHS = 60
EARLIEST = date(2000, 1, 1)


# --- the period ---------------------------------------------------------------------------------


def first_of(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> int:
    """Whole months from ``first``'s month to ``last``'s, both included."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


@dataclass(frozen=True)
class Period:
    """Whole calendar months, ``first`` to ``last`` included. The current month runs to today:
    a statement never reaches into days that have not happened."""

    first: date  # the first day of the first month
    last: date  # the last day covered

    @classmethod
    def of_months(cls, start: date, end: date, today: date | None = None) -> "Period":
        today = today or timezone.localdate()
        return cls(first_of(start), min(month_end(first_of(end)), today))

    @classmethod
    def of_month(cls, month: date, today: date | None = None) -> "Period":
        return cls.of_months(month, month, today)

    @property
    def last_month(self) -> date:
        return first_of(self.last)

    @property
    def months(self) -> int:
        return months_between(self.first, self.last)

    @property
    def is_one_month(self) -> bool:
        return self.months == 1

    @property
    def label(self) -> str:
        """``2026-01`` or ``2024-01 – 2026-12``."""
        if self.is_one_month:
            return f"{self.first:%Y-%m}"
        return f"{self.first:%Y-%m} – {self.last_month:%Y-%m}"

    @property
    def query(self) -> str:
        """The page's query string for this period."""
        if self.is_one_month:
            return f"month={self.first:%Y-%m}"
        return f"start={self.first:%Y-%m}&end={self.last_month:%Y-%m}"

    def previous(self) -> "Period":
        """The month before the period (the one whose closing is this opening)."""
        month = add_months(self.first, -1)
        return Period(month, month_end(month))

    def next_month(self, today: date | None = None) -> "Period | None":
        """The month after the period's last, unless it has not begun."""
        today = today or timezone.localdate()
        month = add_months(self.last_month, 1)
        return Period.of_month(month, today) if month <= today else None


def day_start(day: date) -> datetime:
    """Midnight starting ``day`` in the current time zone (Asia/Shanghai)."""
    return datetime.combine(day, time.min, timezone.get_current_timezone())


# --- what a statement holds ---------------------------------------------------------------------

BILL, LATE_FEE, VOID, PAYMENT = "bill", "late_fee", "void", "payment"
KIND_LABELS = {
    BILL: _("Bill"),
    LATE_FEE: _("Late fee"),
    VOID: _("Bill voided (reversal)"),
    PAYMENT: _("Payment"),
}
# Within a day: what was billed, then what was reversed, then what was paid.
KIND_ORDER = {BILL: 0, LATE_FEE: 0, VOID: 1, PAYMENT: 2}


@dataclass(frozen=True)
class StatementLine:
    """One movement of the balance: a bill (its late-fee kind: 违约金), a void, a payment."""

    day: date
    kind: str
    number: str  # the bill's number, or the payment's receipt number
    description: str  # the bill's title, or the payment's method (a lazy label)
    charge: Decimal  # raises the balance (a bill)
    credit: Decimal  # lowers it (a payment, a void's reversal)
    balance: Decimal  # after this line
    period_start: date | None = None
    period_end: date | None = None
    bill_id: int | None = None
    payment_id: int | None = None
    note: str = ""  # the void's reason, or the payment's transfer or order number

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


@dataclass(frozen=True)
class WaiverLine:
    """A supervisor's late-fee waiver in the period: fees not yet billed, so not in the balance."""

    day: date
    bill_id: int
    bill_number: str
    amount: Decimal
    reason: str


@dataclass(frozen=True)
class UnbilledLateFee:
    """A bill's late fee accrued and not yet billed or waived on the statement date."""

    bill_id: int
    bill_number: str
    due_date: date
    unpaid: Decimal
    days: int
    percent: str  # the agreement's rate, per cent a day
    amount: Decimal


@dataclass(frozen=True)
class Totals:
    opening: Decimal
    billed: Decimal  # bills other than late fees
    late_fees_billed: Decimal
    voided: Decimal
    paid: Decimal
    closing: Decimal
    waived: Decimal  # not in the balance
    late_fee_unbilled: Decimal  # not in the balance
    deposit_held: Decimal  # not in the balance

    @property
    def charges(self) -> Decimal:
        return self.billed + self.late_fees_billed

    @property
    def credits(self) -> Decimal:
        return self.voided + self.paid


@dataclass(frozen=True)
class Statement:
    tenant: Tenant | Customer  # the payer
    period: Period
    as_of: date  # the statement date: the period's last day (today within this month)
    lines: list[StatementLine]
    totals: Totals
    waivers: list[WaiverLine] = field(default_factory=list)
    unbilled: list[UnbilledLateFee] = field(default_factory=list)

    @property
    def for_customer(self) -> bool:
        """A customer's statement (a payer who is not a tenant): no move-out settles its deposit."""
        return isinstance(self.tenant, Customer)


# --- reading it ---------------------------------------------------------------------------------


def _bills_of(tenant: Owner) -> QuerySet[Bill]:
    """The tenant's bills with ``void_on``: the day a void counts (never before the bill's date;
    a void bill without a time, from before voids were timed, counts from its own date)."""
    return Bill.objects.filter(**payers.owned_by(tenant)).annotate(
        void_on=Greatest(F("issued_on"), TruncDate("voided_at"))
    )


def balance_before(tenant: Owner, day: date) -> Decimal:
    """The balance at the end of the day before ``day``: two aggregates."""
    void = Q(status=Bill.Status.VOID, void_on__lt=day)
    bills = _bills_of(tenant).aggregate(
        issued=Sum("total", filter=Q(issued_on__lt=day), default=ZERO),
        voided=Sum("total", filter=void, default=ZERO),
    )
    paid = Payment.objects.filter(**payers.owned_by(tenant), received_at__lt=day_start(day)).aggregate(
        s=Sum("amount", default=ZERO)
    )["s"]
    return bills["issued"] - bills["voided"] - paid


def _bill_lines(tenant: Owner, period: Period) -> list[tuple[date, int, int, dict]]:
    """Bills issued in the period and voids that fall in it: one query."""
    first, last = period.first, period.last
    rows = (
        _bills_of(tenant)
        .filter(Q(issued_on__range=(first, last)) | Q(status=Bill.Status.VOID, void_on__range=(first, last)))
        .values(
            *("pk", "number", "title", "issued_on", "period_start", "period_end", "total", "status"),
            *("source_key", "void_on", "void_reason"),
        )
        .order_by("issued_on", "pk")
    )
    out = []
    for row in rows:
        if first <= row["issued_on"] <= last:
            kind = LATE_FEE if row["source_key"].startswith(LATE_FEE_KEY_PREFIX) else BILL
            out.append((row["issued_on"], KIND_ORDER[kind], row["pk"], {**row, "kind": kind}))
        if row["status"] == Bill.Status.VOID and first <= row["void_on"] <= last:
            out.append((row["void_on"], KIND_ORDER[VOID], row["pk"], {**row, "kind": VOID}))
    return out


def _payment_lines(tenant: Owner, period: Period) -> list[tuple[date, int, int, dict]]:
    """Payments received in the period, with their receipt numbers: one query."""
    rows = (
        Payment.objects.filter(
            **payers.owned_by(tenant),
            received_at__gte=day_start(period.first),
            received_at__lt=day_start(period.last + timedelta(days=1)),
        )
        .values("pk", "amount", "method", "reference", "received_at", "receipt__number")
        .order_by("received_at", "pk")
    )
    methods = dict(Payment.Method.choices)
    out = []
    for row in rows:
        day = timezone.localdate(row["received_at"])
        row = {**row, "kind": PAYMENT, "method_label": methods.get(row["method"], row["method"])}
        out.append((day, KIND_ORDER[PAYMENT], row["pk"], row))
    return out


def _line(day: date, row: dict, balance: Decimal) -> StatementLine:
    kind = row["kind"]
    if kind == PAYMENT:
        return StatementLine(
            day=day,
            kind=kind,
            number=row["receipt__number"] or "",
            # The lazy label: a PDF printed in Chinese for an English reader says 银行转账.
            description=row["method_label"],
            charge=ZERO,
            credit=row["amount"],
            balance=balance,
            payment_id=row["pk"],
            note=row["reference"],
        )
    return StatementLine(
        day=day,
        kind=kind,
        number=row["number"],
        description=row["title"],
        charge=ZERO if kind == VOID else row["total"],
        credit=row["total"] if kind == VOID else ZERO,
        balance=balance,
        period_start=row["period_start"],
        period_end=row["period_end"],
        bill_id=row["pk"],
        note=row["void_reason"] if kind == VOID else "",
    )


def _waivers(tenant: Owner, until: date) -> list[LateFeeWaiver]:
    """The tenant's waivers made by the end of ``until``: one query (few rows a tenant)."""
    return list(
        LateFeeWaiver.objects.filter(
            **payers.owned_by(tenant, "source_bill__"), created_at__lt=day_start(until + timedelta(days=1))
        )
        .select_related("source_bill")
        .order_by("created_at", "pk")
    )


def deposit_held(tenant: Owner, on: date) -> Decimal:
    """The deposit ledger's balance at the end of ``on``: one aggregate."""
    received = Q(kind=DepositEntry.Kind.RECEIVED)
    sums = DepositEntry.objects.filter(
        **payers.owned_by(tenant), created_at__lt=day_start(on + timedelta(days=1))
    ).aggregate(
        received=Sum("amount", filter=received, default=ZERO),
        out=Sum("amount", filter=~received, default=ZERO),
    )
    return sums["received"] - sums["out"]


def unbilled_late_fees(tenant: Owner, on: date, waivers: list[LateFeeWaiver]) -> list[UnbilledLateFee]:
    """Late fee accrued by the end of ``on`` and not billed or waived by then, per bill.

    ``latefees.accruals_of`` accrues to ``on`` but reads billed months and waivers as they stand
    today; for a past statement date only those recorded by then count. The bills: those due
    before ``on`` and unpaid then, or paid after their due date (a fee final at payoff may wait
    for its bill), read with their payments and units in one row (``with_accrual_inputs``).
    Three queries; none for a customer (late-fee terms are a tenant's agreement)."""
    if isinstance(tenant, Customer):
        return []
    cutoff = day_start(on + timedelta(days=1))
    paid_late = Allocation.objects.filter(bill_id=OuterRef("pk"), created_at__date__gt=OuterRef("due_date"))
    paid_after = Allocation.objects.filter(bill_id=OuterRef("pk"), created_at__gte=cutoff)
    candidates = latefees.with_accrual_inputs(
        Bill.objects.filter(tenant=tenant, due_date__lt=on, issued_on__lte=on)
        .exclude(status=Bill.Status.VOID)
        .exclude(source_key__startswith=LATE_FEE_KEY_PREFIX)
        .filter(Q(status__in=latefees.OPEN) | Exists(paid_late) | Exists(paid_after))
        .order_by("due_date", "pk")
    )
    waived: dict[int, Decimal] = defaultdict(Decimal)
    for waiver in waivers:
        if waiver.created_at < cutoff:
            waived[waiver.source_bill_id] += waiver.amount
    rows = []
    for acc in latefees.accruals_of(list(candidates), on):
        if acc.policy is None:
            continue
        charged = {month: c for month, c in acc.charged.items() if c.created_at < cutoff}
        then = latefees.Accrual(acc.bill, acc.policy, acc.unpaid, acc.months, charged, waived[acc.bill.pk])
        if then.due_now > 0:
            rows.append(
                UnbilledLateFee(
                    bill_id=acc.bill.pk,
                    bill_number=acc.bill.number,
                    due_date=acc.bill.due_date,
                    unpaid=acc.unpaid,
                    days=then.days,
                    percent=acc.policy.percent,
                    amount=then.due_now,
                )
            )
    return rows


def statement(tenant: Owner, period: Period) -> Statement:
    """The tenant's statement for ``period``: nine queries whatever the number of rows."""
    opening = balance_before(tenant, period.first)
    entries = sorted(_bill_lines(tenant, period) + _payment_lines(tenant, period), key=lambda e: e[:3])
    lines, balance = [], opening
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for day, _order, _pk, row in entries:
        amount = row["amount"] if row["kind"] == PAYMENT else row["total"]
        sums[row["kind"]] += amount
        balance += -amount if row["kind"] in (PAYMENT, VOID) else amount
        lines.append(_line(day, row, balance))
    waivers = _waivers(tenant, period.last)
    in_period = [w for w in waivers if timezone.localdate(w.created_at) >= period.first]
    unbilled = unbilled_late_fees(tenant, period.last, waivers)
    totals = Totals(
        opening=opening,
        billed=sums[BILL],
        late_fees_billed=sums[LATE_FEE],
        voided=sums[VOID],
        paid=sums[PAYMENT],
        closing=balance,
        waived=sum((w.amount for w in in_period), ZERO),
        late_fee_unbilled=sum((u.amount for u in unbilled), ZERO),
        deposit_held=deposit_held(tenant, period.last),
    )
    return Statement(
        tenant=tenant,
        period=period,
        as_of=period.last,
        lines=lines,
        totals=totals,
        waivers=[
            WaiverLine(timezone.localdate(w.created_at), w.source_bill_id, w.source_bill.number, w.amount, w.reason)
            for w in in_period
        ],
        unbilled=unbilled,
    )
