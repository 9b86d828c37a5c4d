"""Shared by the statement tests: a small ledger written through the services on its days, and
a long one (36 months of bills, payments, late fees, voids and a waiver)."""

from datetime import date, timedelta
from decimal import Decimal

from billing import latefee_services, latefees
from billing.models import Bill
from billing.services import bill_void
from billing.statements import add_months
from tests.billing.helpers import issue_bill
from tests.billing.late_fee_helpers import agree, on_day, pay_on


def bill_on(day: date, tenant, by, amount: str, title: str, due: date | None = None) -> Bill:
    with on_day(day):
        return issue_bill(tenant, by, amount, title=title, issued_on=day, due_date=due or day + timedelta(days=15))


def small_ledger(tenant, desk, supervisor) -> dict:
    """Tenant A under 0.03 % a day, January to March 2026 (the figures of test_statements)."""
    agree(tenant)
    b1 = bill_on(date(2026, 1, 5), tenant, desk, "1000.00", "1月物业费", due=date(2026, 1, 20))
    b2 = bill_on(date(2026, 1, 10), tenant, desk, "300.00", "空调维修", due=date(2026, 1, 25))
    p1 = pay_on(date(2026, 1, 15), tenant, desk, "400.00", bills=[b1])
    b3 = bill_on(date(2026, 1, 28), tenant, desk, "200.00", "开错的账单")
    with on_day(date(2026, 2, 1)):
        lf1 = latefee_services.late_fees_bill(tenant=tenant, by=desk)
    with on_day(date(2026, 2, 3)):
        bill_void(bill=b3, by=desk, reason="金额开错")
    with on_day(date(2026, 2, 10)):
        waiver = latefee_services.late_fee_waive(bill=b1, amount=Decimal("0.50"), reason="首次逾期", by=supervisor)
    p2 = pay_on(date(2026, 2, 20), tenant, desk, "1000.00")
    with on_day(date(2026, 3, 1)):
        lf2 = latefee_services.late_fees_bill(tenant=tenant, by=desk)
    p3 = pay_on(date(2026, 3, 5), tenant, desk, "50.00")
    return {"b1": b1, "b2": b2, "b3": b3, "lf1": lf1, "lf2": lf2, "p1": p1, "p2": p2, "p3": p3, "waiver": waiver}


def long_ledger(tenant, desk, supervisor, first: date, months: int = 36) -> None:
    """``months`` months from ``first``: a monthly bill on the 1st and the month-end late-fee
    run that day, payments on varying days (some months none, some more than owed), a service
    bill now and then, voided in its month or in the next, and one waiver. Written in the
    order it happens, each step on its day."""
    agree(tenant)
    void_next: Bill | None = None
    waived = False
    for n in range(months):
        month = add_months(first, n)
        bill_on(month, tenant, desk, f"{1000 + 37 * n}.00", f"物业费 {month:%Y-%m}")
        with on_day(month):
            latefee_services.late_fees_bill(tenant=tenant, by=desk)
        if void_next is not None:
            _void_if_unpaid(void_next, desk, month + timedelta(days=2), "重复开具")
            void_next = None
        if n % 5 == 2:
            extra = bill_on(month + timedelta(days=3), tenant, desk, "150.00", "有偿服务")
            if n % 10 == 2:
                _void_if_unpaid(extra, desk, month + timedelta(days=20), "开错")
            else:
                void_next = extra
        if not waived:
            waived = _waive_one(tenant, supervisor, month + timedelta(days=26))
        if n % 4 != 3:  # every fourth month unpaid: the next payment catches up
            amount = ("1000.00", "1500.00", "2600.00")[n % 3]
            pay_on(month + timedelta(days=(5, 25, 12)[n % 3]), tenant, desk, amount)


def _waive_one(tenant, supervisor, day: date) -> bool:
    """The supervisor waives 1.00 of the first overdue bill with that much accrued, if any."""
    with on_day(day):
        for acc in latefees.accruals(tenant, day):
            if acc.due_now >= Decimal("1.00"):
                latefee_services.late_fee_waive(bill=acc.bill, amount=Decimal("1.00"), reason="协商减免", by=supervisor)
                return True
    return False


def _void_if_unpaid(bill: Bill, by, day: date, reason: str) -> None:
    """Void ``bill`` on ``day`` unless credit paid it at issue (only an unpaid bill is voided)."""
    bill.refresh_from_db()
    if bill.status == Bill.Status.OPEN and not bill.paid:
        with on_day(day):
            bill_void(bill=bill, by=by, reason=reason)
