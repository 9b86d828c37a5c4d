"""Payments of one customer at the same moment (threads released by a barrier): its row lock
serialises them as a tenant's does, so its bill is never paid more than its total."""

import pytest
from django.db.models import Sum

from billing import services
from billing.models import Allocation, Bill, Payment
from tests.billing.helpers import D, service_lines
from tests.billing.payer_helpers import make_customer
from tests.billing.test_concurrency import _no_pdf_rendering, run_together  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("price_list")]


def test_ten_payments_of_one_customer_at_once_never_overpay_its_bill(desk):
    customer = make_customer(desk)
    bill = services.bill_create(payer=customer, title="场地费", lines=service_lines("1000"), by=desk)

    def pay():
        return services.payment_record(payer=customer, amount=D("300"), method="cash", by=desk, bills=[bill])

    results = run_together([pay] * 10)
    assert not [r for r in results if isinstance(r, Exception)]
    bill.refresh_from_db()
    assert (bill.paid, bill.status) == (D("1000.00"), "paid")
    assert Allocation.objects.filter(bill=bill).aggregate(s=Sum("amount"))["s"] == D("1000.00")
    assert Payment.objects.filter(customer=customer).aggregate(s=Sum("allocated"))["s"] == D("1000.00")
    assert Bill.objects.get(pk=bill.pk).customer_id == customer.pk
