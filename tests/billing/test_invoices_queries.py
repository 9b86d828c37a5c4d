"""Fixed query counts of the invoice-request pages 发票 with 1 row and with 30 (tests/querycount.py).
The register stays within ten queries (the bench's figure ``invoice_requests_list``)."""

from decimal import Decimal

import pytest

from billing.models import InvoiceRequestLine
from jinyuan.workflow.services import record_event
from tests import factories
from tests.billing.invoice_helpers import paid, request_invoice
from tests.querycount import Case, assert_fixed_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]


@pytest.fixture
def ctx(query_ctx, price_list):
    tenant, admin = query_ctx["tenant_a"], query_ctx["tenant_a_admin"]
    return {**query_ctx, "request": request_invoice(tenant, admin, [paid(tenant, query_ctx["desk"], "10.00")])}


def other_tenants_requests(ctx, n):
    for _ in range(n):
        tenant, _unit = factories.occupied_unit(floor=ctx["floor"])
        request_invoice(tenant, ctx["desk"], [paid(tenant, ctx["desk"], "50.00")])


def own_requests(ctx, n):
    for _ in range(n):
        request_invoice(ctx["tenant_a"], ctx["tenant_a_admin"], [paid(ctx["tenant_a"], ctx["desk"], "50.00")])


def own_payments(ctx, n):
    for _ in range(n):
        paid(ctx["tenant_a"], ctx["desk"], "20.00")


def request_rows(ctx, n):
    """Payments on the request (with receipts) and events on its timeline."""
    request, desk = ctx["request"], ctx["desk"]
    for _ in range(n):
        payment = paid(ctx["tenant_a"], desk, "1.00")
        InvoiceRequestLine.objects.create(request=request, payment=payment, amount=Decimal("1.00"))
        record_event(request, "invoice_request.requested", by=desk)


def detail(side):
    return lambda c: f"/{side}/billing/invoices/{c['request'].pk}/"


CASES = {
    "desk-invoice-list": Case("finance", lambda c: "/desk/billing/invoices/", other_tenants_requests, 4),
    "desk-invoice-detail": Case("finance", detail("desk"), request_rows, 7),
    "desk-invoice-new": Case("desk", lambda c: f"/desk/billing/accounts/{c['tenant_a'].pk}/invoice/", own_payments, 6),
    "portal-invoice-list": Case("tenant_a_admin", lambda c: "/portal/billing/invoices/", own_requests, 5),
    "portal-invoice-detail": Case("tenant_a_admin", detail("portal"), request_rows, 7),
    "portal-invoice-new": Case("tenant_a_admin", lambda c: "/portal/billing/invoices/new/", own_payments, 6),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
