"""Late-fee runs at the same moment on PostgreSQL (threads released together by a barrier):
each bill and month is billed once, in one late-fee bill per tenant."""

from datetime import date

import pytest

from billing import latefee_services
from billing.models import Bill, LateFeeCharge
from billing.tasks import bill_late_fees_at_payoff
from jinyuan.documents import tasks as document_tasks
from tests.billing.helpers import D
from tests.billing.late_fee_helpers import agree, overdue_bill
from tests.concurrency import run_at_once

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("price_list")]

RUN_DAY = date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _no_pdf_rendering(monkeypatch):
    """Receipts are numbered in the payment's transaction; rendering their PDFs is beside the point."""

    class Quiet:
        @staticmethod
        def delay_on_commit(*args, **kwargs):
            return None

    monkeypatch.setattr(document_tasks, "render_document_pdf", Quiet)


@pytest.fixture
def overdue(tenant_a, tenant_b, desk):
    """Two tenants under a 0.03 %/day clause, each with two bills overdue since January."""
    for tenant in (tenant_a, tenant_b):
        agree(tenant)
        overdue_bill(tenant, desk, "1000.00", date(2026, 1, 15))
        overdue_bill(tenant, desk, "500.00", date(2026, 1, 20))


def late_fee_bills() -> list[Bill]:
    return list(Bill.objects.filter(source_key__startswith="latefee:").order_by("tenant_id"))


def test_two_month_end_runs_at_once_bill_each_month_once(overdue, desk, tenant_a, tenant_b):
    results = run_at_once(2, lambda i: None, lambda i, _: latefee_services.late_fees_bill_all(by=desk, on=RUN_DAY))
    assert sorted(results) == [0, 2], results  # one run billed both tenants, the other nothing
    assert [b.tenant for b in late_fee_bills()] == [tenant_a, tenant_b]
    # Per tenant: January 4.80 + 1.65, February 8.40 + 4.20.
    assert [b.total for b in late_fee_bills()] == [D("19.05"), D("19.05")]
    assert LateFeeCharge.objects.count() == 8
    assert len(set(LateFeeCharge.objects.values_list("source_key", flat=True))) == 8


def test_five_runs_and_payoff_tasks_at_once_bill_nothing_twice(overdue, desk, tenant_a):
    def work(i, _):
        if i % 2:
            return bill_late_fees_at_payoff(tenant_a.pk, desk.pk)
        return latefee_services.late_fees_bill_all(by=desk, on=RUN_DAY)

    results = run_at_once(5, lambda i: None, work)
    assert not [r for r in results if isinstance(r, BaseException)], results
    charges = LateFeeCharge.objects.filter(source_bill__tenant=tenant_a)
    months = sorted(charges.values_list("source_bill_id", "month"))
    assert months == sorted(set(months))
    assert len(late_fee_bills()) >= 2
    # Everything billed adds up to each bill's months, once.
    assert sum(c.amount for c in LateFeeCharge.objects.all()) == sum(b.total for b in late_fee_bills())
