"""Payments at the same moment on PostgreSQL: threads released together by a barrier. A bill is
never paid more than its total, and receipt numbers stay gapless and unique."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from billing.models import Allocation, Bill, Payment
from billing.selectors import tenant_balance
from billing.services import DuplicateSubmission, payment_record
from jinyuan.documents import tasks as document_tasks
from tests import factories
from tests.billing.helpers import issue_bill

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("price_list")]


@pytest.fixture(autouse=True)
def _no_pdf_rendering(monkeypatch):
    """Receipts are numbered in the payment's transaction; rendering their PDFs is beside the point."""

    class Quiet:
        @staticmethod
        def delay_on_commit(*args, **kwargs):
            return None

    monkeypatch.setattr(document_tasks, "render_document_pdf", Quiet)


def run_together(calls) -> list:
    """Run each callable in its own thread, all released at once; return results or exceptions."""
    barrier = threading.Barrier(len(calls), timeout=30)
    results: list = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return results


def receipt_numbers() -> list[int]:
    year = timezone.localdate().year
    numbers = Payment.objects.values_list("receipt__number", flat=True)
    assert all(n.startswith(f"SJ-{year}-") for n in numbers)
    return sorted(int(n.rsplit("-", 1)[1]) for n in numbers)


def test_twenty_payments_of_one_bill_at_once_pay_it_exactly_once(tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "1288.88")

    def pay():
        return payment_record(tenant=tenant_a, amount=bill.total, method="wechat", by=desk, bills=[bill])

    results = run_together([pay] * 20)

    assert all(isinstance(r, Payment) for r in results), results
    bill.refresh_from_db()
    assert (bill.status, bill.paid) == ("paid", bill.total)
    assert Allocation.objects.filter(bill=bill).aggregate(s=Sum("amount"))["s"] == bill.total
    assert Allocation.objects.filter(bill=bill).count() == 1
    assert Payment.objects.count() == 20
    assert tenant_balance(tenant_a)["credit"] == bill.total * 19
    assert receipt_numbers() == list(range(1, 21))


def test_twenty_submissions_of_one_payment_form_at_once_record_one_payment(tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "300")
    key = uuid.uuid4()

    def pay():
        return payment_record(tenant=tenant_a, amount=bill.total, method="cash", by=desk, submission_key=key)

    results = run_together([pay] * 20)
    made = [r for r in results if isinstance(r, Payment)]
    repeats = [r for r in results if isinstance(r, DuplicateSubmission)]
    assert (len(made), len(repeats)) == (1, 19), results
    assert {r.payment.pk for r in repeats} == {made[0].pk}
    assert Payment.objects.count() == 1


def test_twenty_payments_to_the_oldest_open_bills_at_once_never_overpay(tenant_a, desk):
    bills = [issue_bill(tenant_a, desk, amount) for amount in ("100", "250.50", "49.50")]
    results = run_together([lambda: payment_record(tenant=tenant_a, amount=Decimal("60"), method="cash", by=desk)] * 20)
    assert all(isinstance(r, Payment) for r in results), results
    assert [Bill.objects.get(pk=b.pk).status for b in bills] == ["paid"] * 3
    assert Allocation.objects.aggregate(s=Sum("amount"))["s"] == Decimal("400.00")
    assert tenant_balance(tenant_a) == {"owed": Decimal("0.00"), "credit": Decimal("800.00"), "deposit": Decimal("0")}


def test_fifty_payments_at_once_get_receipt_numbers_1_to_50(desk):
    tenants = [factories.TenantFactory() for _ in range(25)]
    calls = [
        (lambda t=t: payment_record(tenant=t, amount=Decimal("10.00"), method="cash", by=desk))
        for t in tenants * 2  # different tenants, and each twice
    ]
    results = run_together(calls)
    assert all(isinstance(r, Payment) for r in results), results
    assert receipt_numbers() == list(range(1, 51))
    assert len({r.receipt.number for r in results}) == 50
