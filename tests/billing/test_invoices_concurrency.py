"""Invoice requests at the same moment on PostgreSQL: threads released together by a barrier.
Of the requests against one payment, never more than was paid is taken."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from billing.models import InvoiceRequest, InvoiceRequestLine, Payment
from tests.billing.invoice_helpers import paid, request_invoice
from tests.billing.test_concurrency import run_together

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("price_list")]


def test_two_requests_against_one_payment_take_at_most_the_amount_paid(tenant_a, tenant_a_admin, desk):
    payment = paid(tenant_a, desk, "1000.00")

    results = run_together([lambda: request_invoice(tenant_a, tenant_a_admin, [payment], amount="700.00")] * 2)

    made = [r for r in results if isinstance(r, InvoiceRequest)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(made), len(refused)) == (1, 1), results
    assert list(refused[0].message_dict) == ["amount"]
    payment.refresh_from_db()
    assert payment.invoiced == Decimal("700.00")
    assert InvoiceRequestLine.objects.aggregate(s=Sum("amount"))["s"] == Decimal("700.00")


def test_ten_requests_of_a_share_each_never_pass_the_payment(tenant_a, tenant_a_admin, desk):
    first, second = paid(tenant_a, desk, "500.00"), paid(tenant_a, desk, "300.00")

    results = run_together([lambda: request_invoice(tenant_a, tenant_a_admin, [second, first], amount="150.00")] * 10)

    # 800 paid: five requests of 150, the sixth finds 50 left and is refused like the rest.
    assert sum(isinstance(r, InvoiceRequest) for r in results) == 5, results
    assert all(isinstance(r, (InvoiceRequest, ValidationError)) for r in results), results
    payments = Payment.objects.filter(pk__in=[first.pk, second.pk])
    assert sum(p.invoiced for p in payments) == Decimal("750.00")
    for payment in payments:
        assert payment.invoiced <= payment.amount
        assert InvoiceRequestLine.objects.filter(payment=payment).aggregate(s=Sum("amount"))["s"] == payment.invoiced
