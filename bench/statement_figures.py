#!/usr/bin/env python
"""Statement 对账单 benchmark (issue 13) on a tenant this script seeds itself.

``run.py --only statements`` calls ``measure()``; standalone, ``python bench/statement_figures.py``
uses run.py's bench database (seeded with the large demo by ``run.py`` first). The large seed's
tenants have three years of monthly bills and payments but no late-fee bills, voids or waivers,
so this part seeds one tenant of its own, in bulk (COPY through ``demo.bulk`` and the demo's
bill and payment writers, never the services), shaped as the services leave it: 36 months
ending last month of a monthly property-fee bill (most paid within the term, every sixth paid
six weeks late, the one before last paid in part, last month's still open), a paid service now
and then (some voided in their month, some in the next), the late fee of each late payment
(``latefees.monthly_fees``: a ``LateFeeCharge`` per month and one late-fee bill at payoff, paid
a few days later), and a supervisor's waiver taken off the first of them. The tenant holds a
unit under the demo's late-fee clause (0.03 % a day), so the late fee not yet billed is
computed too. A second run finds the tenant and seeds nothing.

Figure:

- ``statement_pdf``: the PDF of the whole 36 months as one statement, through the real code
  (``billing.statements.statement`` and ``billing.statement_documents.statement_pdf``: the
  ledger read in its fixed queries, WeasyPrint in Chinese), median of ``PDF_RUNS`` renders
  after a warm-up: ``{"median_ms", "runs", "met"}`` (target <= 300 ms), with the statement's
  lines, pages, bytes and queries beside.
"""

import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

MONTHS = 36
PDF_RUNS = 12
RANDOM_SEED = 13
TARGETS = {"statement_pdf_median_ms": 300}
TENANT_NAME = "南宁对账单基准科技有限公司"
CREDIT_BODY = "91450100MA5BTMT00"  # 17 characters; the check character is computed
AREA = Decimal("186.40")
RATE, GRACE = Decimal("0.0003"), 0
BUILDING_CODE = "STMT"  # only when no unit is free for the three years


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def credit_code() -> str:
    from tenants.validators import credit_code_check_char

    return CREDIT_BODY + credit_code_check_char(CREDIT_BODY)


def statement_months(today: date) -> tuple[date, date]:
    """The first days of the first and the last of the 36 months ending last month."""
    from billing.statements import add_months, first_of

    last = add_months(first_of(today), -1)
    return add_months(last, -(MONTHS - 1)), last


# --- the seed -----------------------------------------------------------------------------------


def bench_tenant():
    from tenants.models import Tenant

    return Tenant.objects.filter(credit_code=credit_code()).first()


def free_unit(since: date):
    """A unit nobody occupies from ``since`` on, else a new one on a floor of its own."""
    from django.db.models import Exists, OuterRef, Q

    from tenants.models import Building, Floor, Occupancy, Unit

    taken = Occupancy.objects.filter(unit=OuterRef("pk")).filter(Q(end__isnull=True) | Q(end__gt=since))
    unit = Unit.objects.filter(is_active=True).exclude(Exists(taken)).order_by("pk").first()
    if unit is not None:
        return unit
    building, _made = Building.objects.get_or_create(code=BUILDING_CODE, defaults={"name": "对账单基准楼"})
    floor, _made = Floor.objects.get_or_create(building=building, number=1)
    return Unit.objects.create(floor=floor, number=f"{BUILDING_CODE}-0101", area=AREA)


def seed() -> float | None:
    """Seed the bench tenant's three years once; returns the seconds taken, None when there."""
    if bench_tenant() is not None:
        log("the statement tenant is there already")
        return None
    from django.db import transaction
    from django.utils import timezone

    started = time.perf_counter()
    with transaction.atomic():
        seed_rows(timezone.localdate())
    return round(time.perf_counter() - started, 2)


def seed_rows(today: date) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from billing import latefee_services
    from billing.latefees import Policy, month_key, monthly_fees
    from billing.models import Bill, BillLine, FeeItem, LateFeeCharge, LateFeeWaiver
    from billing.services import PAYMENT_TERM, LineSpec, month_end
    from billing.statements import add_months
    from demo.bills import MonthlyBill, PastPayment, planned_bill, reference, write_bills, write_payments
    from demo.bulk import copy_rows
    from demo.premises import local_dt, office_time
    from tenants.models import Occupancy, Tenant

    rng = random.Random(RANDOM_SEED)
    first, _last = statement_months(today)
    User = get_user_model()
    system = User.objects.filter(is_superuser=True).order_by("pk").first()
    finance = User.objects.filter(username="finance").first() or system
    desk = User.objects.filter(username="desk").first() or system
    supervisor = User.objects.filter(username="supervisor").first() or system
    tenant = Tenant.objects.create(name=TENANT_NAME, credit_code=credit_code(), phone="0771-5560000")
    unit = free_unit(first)
    Occupancy.objects.create(tenant=tenant, unit=unit, start=first, late_fee_daily_rate=RATE, late_fee_grace_days=GRACE)
    policy = Policy(RATE, GRACE)
    fee_item = FeeItem.objects.get(code="property_fee")
    service_item = (
        FeeItem.objects.filter(kind=FeeItem.Kind.ONE_OFF, is_active=True)
        .exclude(code=latefee_services.LATE_FEE_CODE)
        .order_by("pk")
        .first()
    )
    late_item = latefee_services.late_fee_item()

    def planned(title: str, lines: list, issued: date, due: date, key: str, by) -> MonthlyBill:
        at = local_dt(issued, 6 if key.startswith("monthly:") else 10)
        return planned_bill(
            tenant, title, lines, issued_on=issued, source_key=key, created_at=at, created_by=by, due_on=due
        )

    def pay(bill: MonthlyBill, amount: Decimal, day: date, method: str = "bank") -> PastPayment:
        bill.paid += amount
        clerk = finance if method == "bank" else desk
        return PastPayment(bill, amount, method, reference(rng, method, day), office_time(rng, day), clerk)

    bills: list[MonthlyBill] = []
    payments: list[PastPayment] = []
    voids: list[tuple[MonthlyBill, date]] = []
    late: list[tuple[MonthlyBill, date]] = []  # bills paid after their due date, and the day
    for n in range(MONTHS):
        month = add_months(first, n)
        price = fee_item.price
        line = LineSpec(
            fee_item, f"{fee_item.name} {month:%Y-%m} {unit.number}", AREA, price, unit, month, month_end(month)
        )
        bill = planned(f"物业费 {month:%Y-%m}", [line], month, month + PAYMENT_TERM, f"monthly:{month:%Y-%m}", system)
        bills.append(bill)
        if n == MONTHS - 1:
            pass  # last month's: open, overdue since the 16th
        elif n == MONTHS - 2:
            payments.append(pay(bill, Decimal("3000.00"), month + timedelta(days=10)))
        elif n % 6 == 4:
            day = month + timedelta(days=45)
            payments.append(pay(bill, bill.total, day))
            late.append((bill, day))
        else:
            payments.append(
                pay(bill, bill.total, month + timedelta(days=rng.randint(2, 14)), rng.choice(("bank", "wechat")))
            )
        if n % 4 == 1:
            service = LineSpec(service_item, "空调清洗", Decimal(1), Decimal("480.00"))
            extra = planned("有偿服务", [service], month + timedelta(days=6), month + timedelta(days=21), "", desk)
            bills.append(extra)
            if n % 8 == 5:
                # Voided: in its month, or early in the next.
                voids.append((extra, month + timedelta(days=9 if n % 16 == 5 else 35)))
            else:
                payments.append(pay(extra, extra.total, month + timedelta(days=8), "wechat"))
    write_bills(bills)

    # The late fee of each late payment: billed at payoff, a line per month, paid days later.
    fee_bills: list[tuple[MonthlyBill, list[LateFeeCharge]]] = []
    waiver: LateFeeWaiver | None = None
    for source, day in late:
        months = monthly_fees(source.total, source.due_date, policy, [(day, source.total)], day)
        charges = []
        for m in months:
            waived = Decimal("0.00")
            if waiver is None:
                waived = min(Decimal("5.00"), m.fee)
                waiver = LateFeeWaiver(
                    source_bill_id=source.pk,
                    amount=waived,
                    reason="首次逾期，经协商减免部分违约金",
                    created_by=supervisor,
                    created_at=office_time(rng, day - timedelta(days=3)),
                )
            charges.append(
                LateFeeCharge(
                    source_bill_id=source.pk,
                    month=m.month,
                    source_key=month_key(source.pk, m.month),
                    days=m.days,
                    daily_rate=RATE,
                    fee=m.fee,
                    waived=waived,
                    amount=m.fee - waived,
                    created_at=local_dt(day, 18),
                )
            )
        lines = [
            LineSpec(
                late_item,
                f"违约金：{source.number}，{c.month:%Y-%m}，{c.days}天，每日{policy.percent}%",
                Decimal(1),
                c.amount,
                None,
                c.month,
                month_end(c.month),
            )
            for c in charges
            if c.amount > 0
        ]
        fee_bill = planned(
            f"违约金 {charges[-1].month:%Y-%m}", lines, day, day + PAYMENT_TERM, charges[0].source_key, system
        )
        fee_bill.created_at = local_dt(day, 18)
        fee_bills.append((fee_bill, charges))
        if (source, day) != late[-1]:
            payments.append(pay(fee_bill, fee_bill.total, day + timedelta(days=5), "wechat"))
    write_bills([b for b, _c in fee_bills])
    line_ids: dict[int, list[int]] = {}
    for bill_id, line_id in (
        BillLine.objects.filter(bill_id__in=[b.pk for b, _c in fee_bills]).order_by("id").values_list("bill_id", "id")
    ):
        line_ids.setdefault(bill_id, []).append(line_id)
    charge_rows = []
    for fee_bill, charges in fee_bills:
        billed = iter(line_ids[fee_bill.pk])
        for c in charges:
            line_id = next(billed) if c.amount > 0 else None
            charge_rows.append(
                (
                    *(c.source_bill_id, c.month, c.source_key, c.days, c.daily_rate, c.fee, c.waived, c.amount),
                    *(fee_bill.pk, line_id, c.created_at),
                )
            )
    copy_rows(
        LateFeeCharge,
        (
            *("source_bill_id", "month", "source_key", "days", "daily_rate", "fee", "waived", "amount"),
            *("bill_id", "bill_line_id", "created_at"),
        ),
        charge_rows,
    )
    if waiver is not None:
        copy_rows(
            LateFeeWaiver,
            ("source_bill_id", "amount", "reason", "created_by_id", "created_at"),
            [(waiver.source_bill_id, waiver.amount, waiver.reason, waiver.created_by.pk, waiver.created_at)],
        )
    write_payments(payments)
    for bill, day in voids:
        Bill.objects.filter(pk=bill.pk).update(
            status=Bill.Status.VOID, void_reason="重复开具", voided_at=office_time(rng, day)
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE billing_bill, billing_payment, billing_allocation, billing_latefeecharge")


def shape() -> dict:
    """What the seeded tenant holds."""
    from django.db.models import Count, Q

    from billing.models import LATE_FEE_KEY_PREFIX, Bill, LateFeeWaiver, Payment

    tenant = bench_tenant()
    bills = Bill.objects.filter(tenant=tenant).aggregate(
        bills=Count("pk"),
        late_fee_bills=Count("pk", filter=Q(source_key__startswith=LATE_FEE_KEY_PREFIX)),
        void=Count("pk", filter=Q(status=Bill.Status.VOID)),
        open=Count("pk", filter=Q(status__in=[Bill.Status.OPEN, Bill.Status.PARTLY_PAID])),
    )
    return {
        **bills,
        "payments": Payment.objects.filter(tenant=tenant).count(),
        "waivers": LateFeeWaiver.objects.filter(source_bill__tenant=tenant).count(),
    }


# --- the figure ----------------------------------------------------------------------------------


def statement_pdf(runs: int = PDF_RUNS) -> dict[str, Any]:
    """The 36 months as one PDF, through the real code, timed after a warm-up."""
    from io import BytesIO

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from billing.statement_documents import statement_pdf as render
    from billing.statements import Period, statement

    tenant = bench_tenant()
    today = timezone.localdate()
    first, last = statement_months(today)
    period = Period.of_months(first, last, today)

    def once() -> bytes:
        return render(statement(tenant, period))

    pdf = once()  # warm-up: fonts, templates, WeasyPrint's caches
    with CaptureQueriesContext(connection) as captured:
        paper = statement(tenant, period)
    timings, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        once()
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    median = round(statistics.median(timings), 1)
    try:
        from pypdf import PdfReader

        pages = len(PdfReader(BytesIO(pdf)).pages)
    except ImportError:  # pragma: no cover - pypdf is a test requirement
        pages = None
    return {
        "median_ms": median,
        "runs": runs,
        "met": median <= TARGETS["statement_pdf_median_ms"],
        "min_ms": round(min(timings), 1),
        "max_ms": round(max(timings), 1),
        # This process's CPU (WeasyPrint, the ORM; PostgreSQL's not): less swayed by the load.
        "median_cpu_ms": round(statistics.median(cpu), 1),
        "months": period.months,
        "lines": len(paper.lines),
        "queries": len(captured),
        "pages": pages,
        "kib": round(len(pdf) / 1024, 1),
        "closing_balance": str(paper.totals.closing),
    }


def measure() -> dict:
    seconds = seed()
    result: dict[str, Any] = {"statement_seed_seconds": seconds, "statement_data": shape()}
    log("rendering the 36-month statement PDF")
    result["statement_pdf"] = statement_pdf()
    result["targets"] = TARGETS
    result["met"] = {"statement_pdf": bool(result["statement_pdf"].get("met"))}
    return result


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("statements", measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
