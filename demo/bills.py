"""Bills, payments, receipts and deposits of the demo.

Property fees are billed monthly; most tenants pay within the payment term, some late, a few
not yet, so the ledgers, the overdue panel on the desk home and the portal show something true.

- Small scale: the last three months are billed by ``billing.services.monthly_bills_issue`` as
  the daily beat task would have billed them (numbers, lines, audit events and notifications
  are the service's own). Payments received on past days are written in bulk, shaped as
  ``payment_record`` leaves them: allocations, the bill's paid amount and status, the
  payment's allocated amount, a receipt document numbered in sequence with the sequence table
  following, and the audit events. No PDF: the download view renders on demand.
- Large scale: three years of monthly bills, payments and receipts, all written with COPY.

At both scales a dozen payments made today go through ``payment_record`` (their receipts
render as PDFs, eagerly without a broker), and deposits are billed and paid through the
services, so the deposit ledger holds entries the services made.
"""

import json
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, F, Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext

from billing import services
from billing.documents import ISSUER, RECEIPT
from billing.models import ZERO, Allocation, Bill, BillLine, FeeItem, Payment
from billing.money import rmb_upper
from billing.services import PAYMENT_TERM, RECURRING, LineSpec, month_end, monthly_lines
from jinyuan.documents.codes import new_code
from jinyuan.documents.models import Document
from jinyuan.documents.services import PRINT_LANGUAGE
from jinyuan.workflow.models import AuditEvent, Notification, NumberSequence
from jinyuan.workflow.services import mark_read
from tenants.models import Tenant, Unit

from . import clock
from .bulk import continue_numbers, copy_rows, reserve_ids
from .premises import TZ, Premises, Stay, local_dt, office_time

BILL_PREFIX = "ZD"  # what bill_create draws from next_number
MONTHLY_HOUR = 6  # the beat task's run on the first of the month, before the desk opens

# Payment behaviour: how many days after the bill's issue a tenant pays.
ON_TIME, LATE = 0.85, 0.12  # within the 15-day term; up to a month; the rest up to 75 days
NEVER_PAID = 0.01  # of current tenants' bills of the last half year: not paid at all yet
PARTLY_PAID = 0.015  # of the last two months' payments: part of the bill only
METHODS = (("bank", 45), ("wechat", 20), ("card", 15), ("cash", 10), ("alipay", 10))

# Tenants A and B (the portal logins) keep their last two months open for the payments that
# go through the services today.
PAID_TODAY = (0, 1)
# Tenants the lifecycle and deposit steps use; the random payments of today leave them alone.
SPECIAL_TENANTS = 7

DEPOSIT_TITLE = "入驻保证金及装修保证金"
DEPOSIT_TENANTS = (0, 1, 2, 3, 6)  # A and B (portal logins), C (moving out), D, G (moved out)
# The monthly service's title. Looked up through a variable, so the bulk bills read exactly as
# the service's in the active language, without this module showing up in the catalogue.
MONTHLY_TITLE = "Property fees %(month)s"


@dataclass
class MonthlyBill:
    """A property-fee bill whose payment the demo plans."""

    pk: int
    number: str
    tenant_pk: int
    payer: str  # the tenant's name, printed on the receipt
    title: str
    issued_on: date
    due_date: date
    total: Decimal
    current: bool  # the tenant occupies a unit today: only current tenants still owe
    keep_open: bool = False  # left for a payment made through the services today
    paid: Decimal = ZERO
    # Written in bulk only:
    lines: list[LineSpec] = field(default_factory=list)
    period_start: date | None = None
    period_end: date | None = None
    source_key: str = ""
    created_at: datetime | None = None
    created_by_pk: int | None = None

    @property
    def status(self) -> str:
        if self.paid >= self.total:
            return Bill.Status.PAID
        return Bill.Status.PARTLY_PAID if self.paid > 0 else Bill.Status.OPEN


@dataclass
class PastPayment:
    """A payment received on a past day, written in bulk with its allocation and receipt."""

    bill: MonthlyBill
    amount: Decimal
    method: str
    reference: str
    received_at: datetime
    received_by: Any
    pk: int = 0
    receipt_pk: int = 0
    number: str = ""


@dataclass(frozen=True)
class Clerks:
    system: Any  # the superuser the beat task issues monthly bills as
    desk: Any  # takes cash, cards, WeChat and Alipay at the counter
    finance: Any  # books bank transfers


def months_back(today: date, count: int) -> list[date]:
    """The first days of the last ``count`` months, this month included, oldest first."""
    year, month = today.year, today.month
    firsts = []
    for _ in range(count):
        firsts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return firsts[::-1]


def months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def current_tenant_pks(premises: Premises, today: date) -> set[int]:
    return {premises.tenants[s.tenant].pk for s in premises.stays if s.is_current(today)}


# --- when and how tenants pay --------------------------------------------------------------------


def pay_day(rng: random.Random, bill: MonthlyBill, today: date) -> date | None:
    """The day the tenant pays, or None for a bill a current tenant has let slide."""
    if bill.current and months_between(bill.issued_on, today) < 6 and rng.random() < NEVER_PAID:
        return None
    draw = rng.random()
    if draw < ON_TIME:
        days = rng.randint(0, 14)
    elif draw < ON_TIME + LATE:
        days = rng.randint(15, 30)
    else:
        days = rng.randint(31, 75)
    return bill.issued_on + timedelta(days=days)


def reference(rng: random.Random, method: str, day: date) -> str:
    """What the clerk types into "reference": the transfer, order or POS number."""
    if method == "bank":
        return f"{day:%Y%m%d}{rng.randrange(10**10):010d}"  # the bank's serial number
    if method == "wechat":
        return f"4200{rng.randrange(10**6):06d}{day:%Y%m%d}{rng.randrange(10**10):010d}"
    if method == "alipay":
        return f"{day:%Y%m%d}2200{rng.randrange(10**12):012d}"
    if method == "card":
        return f"{rng.randrange(10**12):012d}"  # the POS slip's reference number
    return ""


def partial_amount(rng: random.Random, total: Decimal) -> Decimal | None:
    """A round sum below the total (a tenant paying what it can), or None for small bills."""
    hundreds = int(total * Decimal(rng.uniform(0.4, 0.8)) // 100)
    return Decimal(hundreds * 100) if hundreds and hundreds * 100 < total else None


def plan_payments(rng: random.Random, bills: list[MonthlyBill], today: date, clerks: Clerks) -> list[PastPayment]:
    """One payment per bill paid before today, oldest first; sets each bill's ``paid``."""
    methods, weights = zip(*METHODS, strict=True)
    payments = []
    for bill in bills:
        day = None if bill.keep_open else pay_day(rng, bill, today)
        if day is None or day >= today:
            continue  # not paid yet
        amount = bill.total
        if months_between(bill.issued_on, today) <= 1 and bill.current and rng.random() < PARTLY_PAID:
            amount = partial_amount(rng, bill.total) or amount
        method = rng.choices(methods, weights)[0]
        payments.append(
            PastPayment(
                bill=bill,
                amount=amount,
                method=method,
                reference=reference(rng, method, day),
                received_at=office_time(rng, day),
                received_by=clerks.finance if method == "bank" else clerks.desk,
            )
        )
        bill.paid = amount
    payments.sort(key=lambda p: p.received_at)
    return payments


# --- writing payments in bulk ----------------------------------------------------------------------


def printed_receipt(payment: PastPayment, method_labels: dict[str, str]) -> dict:
    """What ``billing.documents.receipt_data`` copies at issue, without its queries."""
    amount = f"{payment.amount:,.2f}"
    return {
        "payer": payment.bill.payer,
        "amount": amount,
        "amount_upper": rmb_upper(payment.amount),
        "method": method_labels[payment.method],
        "reference": payment.reference,
        "items": [{"bill": payment.bill.number, "title": payment.bill.title, "amount": amount}],
        "credit": f"{ZERO:,.2f}",  # every bulk payment is allocated in full
        "received_by": str(payment.received_by),
        "received_on": timezone.localtime(payment.received_at, TZ).strftime("%Y-%m-%d %H:%M"),
        "issuer": ISSUER,
    }


def write_payments(payments: list[PastPayment]) -> None:
    """Payments, their allocations and receipts with COPY, then their audit events."""
    if not payments:
        return
    numbers = continue_numbers(RECEIPT.prefix, [timezone.localdate(p.received_at, TZ).year for p in payments])
    for payment, pk, receipt_pk, number in zip(
        payments, reserve_ids(Payment, len(payments)), reserve_ids(Document, len(payments)), numbers, strict=True
    ):
        payment.pk, payment.receipt_pk, payment.number = pk, receipt_pk, number
    with translation.override(PRINT_LANGUAGE):
        method_labels = {value: str(label) for value, label in Payment.Method.choices}
    payment_ct = ContentType.objects.get_for_model(Payment).pk
    copy_rows(Document, RECEIPT_COLUMNS, (receipt_row(p, payment_ct, method_labels) for p in payments))
    copy_rows(Payment, PAYMENT_COLUMNS, (payment_row(p) for p in payments))
    allocation_ids = reserve_ids(Allocation, len(payments))
    copy_rows(
        Allocation,
        ("id", "payment_id", "bill_id", "amount", "created_at"),
        ((a, p.pk, p.bill.pk, p.amount, p.received_at) for a, p in zip(allocation_ids, payments, strict=True)),
    )
    payment_events([p.pk for p in payments], allocation_ids)


RECEIPT_COLUMNS = (
    *("id", "kind", "number", "content_type_id", "object_id", "data"),
    *("status", "issued_at", "issued_by_id", "revoke_reason", "pdf", "code", "single_use"),
)


def receipt_row(p: PastPayment, payment_ct: int, method_labels: dict[str, str]) -> tuple:
    data = json.dumps(printed_receipt(p, method_labels))
    return (
        *(p.receipt_pk, RECEIPT.code, p.number, payment_ct, p.pk, data),
        *(Document.Status.VALID, p.received_at, p.received_by.pk, "", "", new_code(), False),
    )


PAYMENT_COLUMNS = (
    *("id", "tenant_id", "amount", "method", "reference", "note"),
    *("received_by_id", "received_at", "allocated", "receipt_id"),
)


def payment_row(p: PastPayment) -> tuple:
    return (
        *(p.pk, p.bill.tenant_pk, p.amount, p.method, p.reference, ""),
        *(p.received_by.pk, p.received_at, p.amount, p.receipt_pk),
    )


def audit_insert(select_sql: str, params: list) -> None:
    """Append audit events made by a SELECT of (content type, object, action, actor, at, from,
    to, note, data): far faster than building hundreds of thousands of rows in Python."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    columns = "content_type_id, object_id, action, actor_id, at, from_state, to_state, note, data"
    with connection.cursor() as cur:
        cur.execute(f"INSERT INTO {table} ({columns}) {select_sql}", params)


def bill_issued_events(bill_pks: list[int]) -> None:
    """ "bill.issued" as ``bill_create`` records it: the state it was issued in and its total."""
    audit_insert(
        "SELECT %s, id, 'bill.issued', created_by_id, created_at, '', 'open', '',"
        " jsonb_build_object('total', total::text) FROM billing_bill WHERE id = ANY(%s)",
        [ContentType.objects.get_for_model(Bill).pk, bill_pks],
    )


def payment_events(payment_pks: list[int], allocation_pks: list[int]) -> None:
    """The events ``payment_record`` leaves: the allocation on the bill's timeline, the
    payment received, the receipt issued."""
    ct = ContentType.objects.get_for_models(Bill, Payment, Document)
    audit_insert(
        "SELECT %s, a.bill_id, 'bill.payment_allocated', p.received_by_id, a.created_at, 'open', b.status, '',"
        " jsonb_build_object('payment', a.payment_id, 'amount', a.amount::text)"
        " FROM billing_allocation a JOIN billing_payment p ON p.id = a.payment_id"
        " JOIN billing_bill b ON b.id = a.bill_id WHERE a.id = ANY(%s)",
        [ct[Bill].pk, allocation_pks],
    )
    audit_insert(
        "SELECT %s, id, 'payment.received', received_by_id, received_at, '', '', '',"
        " jsonb_build_object('amount', amount::text, 'method', method, 'allocated', allocated::text)"
        " FROM billing_payment WHERE id = ANY(%s)",
        [ct[Payment].pk, payment_pks],
    )
    audit_insert(
        "SELECT %s, d.id, 'document.issued', d.issued_by_id, d.issued_at, '', 'valid', '',"
        " jsonb_build_object('number', d.number)"
        " FROM documents_document d JOIN billing_payment p ON p.receipt_id = d.id WHERE p.id = ANY(%s)",
        [ct[Document].pk, payment_pks],
    )


# --- small scale: the last months through the monthly service ---------------------------------------


def recent_through_services(
    rng: random.Random, premises: Premises, months: int, today: date, clerks: Clerks
) -> list[MonthlyBill]:
    """Bill the last ``months`` months with the service as the beat task did on each first of
    the month, then record each payment on the day it came in."""
    for first in months_back(today, months):
        with clock.at(local_dt(first, MONTHLY_HOUR)):
            services.monthly_bills_issue(year=first.year, month=first.month, by=clerks.system)
    bills = read_monthly_bills(premises, today)
    payments = plan_payments(rng, bills, today, clerks)
    rows = Bill.objects.in_bulk([p.bill.pk for p in payments])
    tenants = {t.pk: t for t in premises.tenants}
    for p in payments:
        with clock.at(p.received_at):
            bill = rows[p.bill.pk]
            payment_record_past(tenants[bill.tenant_id], p, [bill])
    return bills


def payment_record_past(tenant: Tenant, p: PastPayment, bills: list[Bill]) -> Payment:
    """``payment_record`` (the clock already set to the day), and the tenant has read the
    notices of what it paid: only unpaid bills stay unread in the portal."""
    payment = services.payment_record(
        tenant=tenant, amount=p.amount, method=p.method, by=p.received_by, reference=p.reference, bills=bills
    )
    if p.amount >= sum((b.total for b in bills), ZERO):
        read_bill_notices(bills)
    return payment


def read_bill_notices(bills: list[Bill]) -> None:
    """The tenant has read the "new bill" notices of bills it paid."""
    keys = [f"bill-{b.pk}-issued" for b in bills]
    for notice in Notification.objects.filter(dedup_key__in=keys, read_at__isnull=True).select_related("recipient"):
        mark_read(notification=notice, by=notice.recipient)


def read_monthly_bills(premises: Premises, today: date) -> list[MonthlyBill]:
    current = current_tenant_pks(premises, today)
    keep = {premises.tenants[i].pk for i in PAID_TODAY if i < len(premises.tenants)}
    rows = (
        Bill.objects.filter(source_key__startswith="monthly:")
        .order_by("issued_on", "pk")
        .values_list("pk", "number", "tenant_id", "tenant__name", "title", "issued_on", "due_date", "total")
    )
    bills = []
    for pk, number, tenant_pk, payer, title, issued_on, due_date, total in rows:
        bill = MonthlyBill(pk, number, tenant_pk, payer, title, issued_on, due_date, total, tenant_pk in current)
        bill.keep_open = tenant_pk in keep and months_between(issued_on, today) <= 1
        bills.append(bill)
    return bills


# --- large scale: years of monthly bills in bulk ------------------------------------------------------


def history_in_bulk(
    rng: random.Random, premises: Premises, months: int, today: date, clerks: Clerks
) -> list[MonthlyBill]:
    """The bills ``monthly_bills_issue`` would have issued on each first of the month (its own
    line builder, so the lines are the service's), most of them paid; written with COPY."""
    items = list(FeeItem.objects.filter(is_active=True, billed_monthly=True, kind__in=RECURRING).order_by("pk"))
    current = current_tenant_pks(premises, today)
    keep = {premises.tenants[i].pk for i in PAID_TODAY if i < len(premises.tenants)}
    bills: list[MonthlyBill] = []
    for first in months_back(today, months):
        title = gettext(MONTHLY_TITLE) % {"month": f"{first:%Y-%m}"}
        for tenant_index, stays in stays_in_month(premises, first).items():
            tenant = premises.tenants[tenant_index]
            bill = planned_bill(
                tenant,
                title,
                monthly_lines(items, [(premises.units[s.unit], s.start, s.end) for s in stays], first),
                issued_on=first,
                source_key=f"monthly:{first:%Y-%m}",
                created_at=local_dt(first, MONTHLY_HOUR),
                created_by=clerks.system,
            )
            bill.current = tenant.pk in current
            bill.keep_open = tenant.pk in keep and months_between(first, today) <= 1
            bills.append(bill)
    payments = plan_payments(rng, bills, today, clerks)
    write_bills(bills)
    write_payments(payments)
    return bills


def stays_in_month(premises: Premises, first: date) -> dict[int, list[Stay]]:
    """Each tenant's stays overlapping the month, by unit number (as the service orders them)."""
    last = month_end(first)
    held: dict[int, list[Stay]] = defaultdict(list)
    for stay in premises.stays:
        if stay.start <= last and (stay.end is None or stay.end > first):
            held[stay.tenant].append(stay)
    return {
        tenant: sorted(stays, key=lambda s: premises.units[s.unit].number) for tenant, stays in sorted(held.items())
    }


def planned_bill(
    tenant: Tenant,
    title: str,
    lines: list[LineSpec],
    *,
    issued_on: date,
    source_key: str,
    created_at: datetime,
    created_by: Any,
    due_on: date | None = None,
) -> MonthlyBill:
    """A bill as ``bill_create`` makes it, to be written by ``write_bills`` (due after the
    payment term unless ``due_on`` says otherwise)."""
    starts = [x.period_start for x in lines if x.period_start]
    ends = [x.period_end for x in lines if x.period_end]
    return MonthlyBill(
        pk=0,
        number="",
        tenant_pk=tenant.pk,
        payer=tenant.name,
        title=title,
        issued_on=issued_on,
        due_date=due_on or issued_on + PAYMENT_TERM,
        total=sum((x.amount for x in lines), ZERO),
        current=True,
        lines=lines,
        period_start=min(starts) if starts else None,
        period_end=max(ends) if ends else None,
        source_key=source_key,
        created_at=created_at,
        created_by_pk=created_by.pk,
    )


def write_bills(bills: list[MonthlyBill]) -> None:
    """Number the bills in issue order, then COPY them, their lines and "bill.issued"."""
    bills.sort(key=lambda b: b.created_at)
    numbers = continue_numbers(BILL_PREFIX, [timezone.localdate(b.created_at, TZ).year for b in bills])
    for bill, pk, number in zip(bills, reserve_ids(Bill, len(bills)), numbers, strict=True):
        bill.pk, bill.number = pk, number
    # Each bill's building as the insert trigger would find it (billing migration 0012), given
    # in the rows: the trigger then looks up nothing, and the lines' trigger changes no bill
    # (computed per row, the large demo's 97,000 bills took 29 s longer).
    buildings = dict(Unit.objects.values_list("pk", "floor__building_id"))
    copy_rows(Bill, BILL_COLUMNS, (bill_row(b, building_of(b, buildings)) for b in bills))
    line_ids = iter(reserve_ids(BillLine, sum(len(b.lines) for b in bills)))
    copy_rows(BillLine, LINE_COLUMNS, (line_row(next(line_ids), b, x) for b in bills for x in b.lines))
    bill_issued_events([b.pk for b in bills])


BILL_COLUMNS = (
    *("id", "number", "tenant_id", "title", "period_start", "period_end", "issued_on", "due_date"),
    *("total", "paid", "status", "source_key", "created_by_id", "created_at", "void_reason", "building_id"),
)


def building_of(b: MonthlyBill, buildings: dict[int, int]) -> int | None:
    """The building charged most by the bill's lines (the lower id on a tie), as the trigger
    chooses; None without a unit (the trigger then takes the tenant's occupancy)."""
    amounts: dict[int, Decimal] = defaultdict(Decimal)
    for x in b.lines:
        if x.unit is not None:
            amounts[buildings[x.unit.pk]] += x.amount
    return min(amounts, key=lambda pk: (-amounts[pk], pk)) if amounts else None


def bill_row(b: MonthlyBill, building: int | None) -> tuple:
    # The source key is the service's, so the beat task never bills these months again.
    return (
        *(b.pk, b.number, b.tenant_pk, b.title, b.period_start, b.period_end, b.issued_on, b.due_date),
        *(b.total, b.paid, b.status, b.source_key, b.created_by_pk, b.created_at, "", building),
    )


LINE_COLUMNS = (
    *("id", "bill_id", "fee_item_id", "unit_id", "description"),
    *("period_start", "period_end", "quantity", "unit_price", "amount"),
)


def line_row(pk: int, b: MonthlyBill, x: LineSpec) -> tuple:
    return (
        *(pk, b.pk, x.fee_item.pk, x.unit.pk if x.unit else None, x.description),
        *(x.period_start, x.period_end, x.quantity, x.unit_price, x.amount),
    )


# --- today's payments and deposits through the services ---------------------------------------------


def open_bills(tenant: Tenant, source_prefix: str = "") -> list[Bill]:
    return list(
        Bill.objects.filter(
            tenant=tenant, source_key__startswith=source_prefix, status__in=[Bill.Status.OPEN, Bill.Status.PARTLY_PAID]
        ).order_by("due_date", "pk")
    )


def outstanding(bills: list[Bill]) -> Decimal:
    return sum((b.total - b.paid for b in bills), ZERO)


def payments_through_services(rng: random.Random, premises: Premises, today: date, clerks: Clerks) -> list[Payment]:
    """Money taken today at the desk and by finance, through ``payment_record``."""
    made = []
    tenant_a, tenant_b = premises.tenants[0], premises.tenants[1]
    # Tenant A settles both open months in one WeChat payment: one receipt listing two bills.
    open_a = open_bills(tenant_a, "monthly:")
    if open_a:
        made.append(pay(rng, tenant_a, outstanding(open_a), "wechat", clerks.desk, open_a))
    # Tenant B's transfer covers last month; this month's bill stays open in its portal.
    open_b = open_bills(tenant_b, "monthly:")
    if len(open_b) > 1:
        made.append(pay(rng, tenant_b, outstanding(open_b[:1]), "bank", clerks.finance, open_b[:1]))
    others = other_open_bills(premises, today)
    picked = rng.sample(others, min(3, len(others)))
    for n, bill in enumerate(picked):
        tenant = bill.tenant
        owed = bill.total - bill.paid
        if n == 0:  # part now, the rest "next week"
            made.append(pay(rng, tenant, partial_amount(rng, owed) or owed, "cash", clerks.desk, [bill]))
        elif n == 1:
            made.append(pay(rng, tenant, owed, "card", clerks.desk, [bill]))
        else:  # a quarter in advance: the rest is credit, applied to the next bills
            advance = Decimal(math.ceil(owed * 3 / 1000) * 1000)
            made.append(pay(rng, tenant, advance, "bank", clerks.finance))
    return made


def other_open_bills(premises: Premises, today: date) -> list[Bill]:
    """Open monthly bills of current tenants the other demo steps do not touch, each tenant's
    only open bill (so a prepayment leaves credit and no debt beside it)."""
    special = [t.pk for t in premises.tenants[:SPECIAL_TENANTS]]
    current = current_tenant_pks(premises, today)
    single = (
        Bill.objects.filter(status__in=[Bill.Status.OPEN, Bill.Status.PARTLY_PAID])
        .values("tenant")
        .annotate(n=Count("pk"))
        .filter(n=1)
        .values("tenant")
    )
    return list(
        Bill.objects.filter(source_key__startswith="monthly:", status=Bill.Status.OPEN, tenant__in=single)
        .filter(tenant__in=current)
        .exclude(tenant__in=special)
        .select_related("tenant")
        .order_by("pk")
    )


def pay(
    rng: random.Random, tenant: Tenant, amount: Decimal, method: str, by: Any, bills: list[Bill] | None = None
) -> Payment:
    return services.payment_record(
        tenant=tenant,
        amount=amount,
        method=method,
        by=by,
        reference=reference(rng, method, timezone.localdate()),
        bills=bills,
    )


def deposits_through_services(rng: random.Random, premises: Premises, today: date, clerks: Clerks) -> list[Bill]:
    """Move-in and renovation deposits billed and paid for a few tenants: the ledger's entries
    come from the service settling the bill."""
    items = [FeeItem.objects.get(code="move_in_deposit"), FeeItem.objects.get(code="renovation_deposit")]
    bills = []
    for index in DEPOSIT_TENANTS:
        if index >= len(premises.tenants):
            continue
        tenant = premises.tenants[index]
        issued = office_time(rng, today - timedelta(days=rng.randint(3, 6)))
        with clock.at(issued):
            bill = services.bill_create(
                tenant=tenant,
                title=DEPOSIT_TITLE,
                lines=[LineSpec(item, item.name, Decimal(1), item.price) for item in items],
                by=clerks.desk,
            )
        with clock.at(issued + timedelta(days=1)):
            pay(rng, tenant, bill.total, "bank", clerks.finance, [bill])
        bills.append(bill)
    return bills


# --- checks -----------------------------------------------------------------------------------------


def check_ledgers() -> None:
    """Fail loudly if the bulk rows broke what the services keep true: paid amounts are the
    sum of allocations, totals the sum of lines, statuses follow, numbers are gapless."""
    problems = []
    bills = Bill.objects.annotate(allocated=Sum("allocations__amount"))
    if bills.exclude(paid=F("allocated")).exclude(paid=0, allocated__isnull=True).exists():
        problems.append("a bill's paid amount differs from its allocations")
    if Bill.objects.annotate(lines_total=Sum("lines__amount")).exclude(total=F("lines_total")).exists():
        problems.append("a bill's total differs from its lines")
    wrong_status = (
        Q(paid=F("total"), total__gt=0) & ~Q(status=Bill.Status.PAID)
        | Q(paid=0) & ~Q(status__in=[Bill.Status.OPEN, Bill.Status.VOID]) & Q(total__gt=0)
        | Q(paid__gt=0, paid__lt=F("total")) & ~Q(status=Bill.Status.PARTLY_PAID)
    )
    if Bill.objects.filter(wrong_status).exists():
        problems.append("a bill's status does not follow from its paid amount")
    payments = Payment.objects.annotate(spent=Sum("allocations__amount"))
    if payments.exclude(allocated=F("spent")).exclude(allocated=0, spent__isnull=True).exists():
        problems.append("a payment's allocated amount differs from its allocations")
    if Payment.objects.filter(receipt__isnull=True).exists():
        problems.append("a payment has no receipt")
    problems += number_gaps(BILL_PREFIX, Bill.objects.values_list("number", flat=True))
    problems += number_gaps(RECEIPT.prefix, Document.objects.filter(kind=RECEIPT.code).values_list("number", flat=True))
    if problems:
        raise RuntimeError("demo billing data is inconsistent: " + "; ".join(problems))


def number_gaps(prefix: str, numbers) -> list[str]:
    """Each year's numbers must run 1..last of the sequence table, without gaps or extras."""
    by_year: dict[int, list[int]] = defaultdict(list)
    for number in numbers:
        _prefix, year, n = number.split("-")
        by_year[int(year)].append(int(n))
    last = dict(NumberSequence.objects.filter(prefix=prefix).values_list("year", "last"))
    return [
        f"{prefix}-{year} numbers do not run 1..{last.get(year)}"
        for year, ns in by_year.items()
        if sorted(ns) != list(range(1, last.get(year, 0) + 1))
    ]
