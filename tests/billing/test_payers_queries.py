"""Fixed query counts of the customer pages with 1 row and with 30 (see tests/querycount.py)."""

import pytest

from tests import factories
from tests.billing.payer_helpers import make_customer
from tests.querycount import Case, assert_fixed_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]


@pytest.fixture
def ctx(query_ctx):
    return {**query_ctx, "customer": make_customer(query_ctx["desk"], name="广西博览会展有限公司")}


def customers(ctx, n):
    for i in range(n):
        make_customer(ctx["desk"], name=f"访客公司{i}")


def customer_rows(ctx, n):
    """Bills, payments and deposit entries of the customer, and customers' bills in the ledgers."""
    customer, desk = ctx["customer"], ctx["desk"]
    for _ in range(n):
        factories.make_bill(customer, desk, "1000.00")
        factories.make_payment(customer, desk, "1.00")
        factories.make_deposit(customer, desk, "10.00")


CASES = {
    "desk-customer-list": Case("desk", lambda c: "/desk/billing/customers/", customers, 4),
    "desk-customer-detail": Case("finance", lambda c: f"/desk/billing/customers/{c['customer'].pk}/", customer_rows, 8),
    # The ledgers with customers' rows beside tenants' (the payer read in the same query).
    "desk-bill-list-customers": Case("desk", lambda c: "/desk/billing/bills/", customer_rows, 5),
    "desk-payment-list-customers": Case("desk", lambda c: "/desk/billing/payments/", customer_rows, 5),
    "desk-deposit-list-customers": Case("desk", lambda c: "/desk/billing/deposits/", customer_rows, 5),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
