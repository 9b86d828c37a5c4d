"""Helpers of the late-fee tests (违约金): an agreement's clause, overdue bills, dated payments."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from billing.models import Bill, Payment
from billing.services import payment_record
from tenants.models import Occupancy
from tests.billing.helpers import issue_bill

TZ = ZoneInfo("Asia/Shanghai")
LONG_AGO = date(2020, 1, 1)


def noon(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=TZ)


def on_day(day: date):
    """Freeze the clock at noon of ``day`` (Asia/Shanghai)."""
    return time_machine.travel(noon(day), tick=False)


def agree(tenant, rate: str | None = "0.0003", grace: int = 0) -> None:
    """The tenant's agreements (all its occupancies, since 2020) set this late-fee clause."""
    Occupancy.objects.filter(tenant=tenant).update(
        start=LONG_AGO, late_fee_daily_rate=Decimal(rate) if rate else None, late_fee_grace_days=grace
    )


def overdue_bill(tenant, by, amount: str, due: date, **kwargs) -> Bill:
    """A bill issued 15 days before ``due`` (no credit of the tenant pays it at issue)."""
    return issue_bill(tenant, by, amount, due_date=due, issued_on=due - timedelta(days=15), **kwargs)


def pay_on(day: date, tenant, by, amount: str, bills=None) -> Payment:
    """A payment recorded on ``day`` (its allocations are dated that day)."""
    with on_day(day):
        return payment_record(tenant=tenant, amount=Decimal(amount), method="bank", by=by, bills=bills)
