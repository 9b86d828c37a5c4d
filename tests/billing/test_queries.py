"""Fixed query counts of the billing pages with 1 row and with 30 (see tests/querycount.py)."""

from decimal import Decimal

import pytest
from django.db.models import F

from billing.models import Bill, BillLine
from billing.services import payment_record
from jinyuan.workflow.services import record_event
from tests import factories
from tests.billing.helpers import issue_bill
from tests.querycount import Case, assert_fixed_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]


@pytest.fixture
def ctx(query_ctx, price_list):
    """Tenant A with a bill of one line and a payment holding credit for later bills."""
    tenant, desk = query_ctx["tenant_a"], query_ctx["desk"]
    bill = issue_bill(tenant, desk, "500")
    credit = payment_record(tenant=tenant, amount=Decimal("100"), method="bank", by=desk, bills=[])
    from billing.paid import PaidItem
    from billing.paid_services import service_charge

    charge = service_charge(
        tenant=tenant, items=[PaidItem(price_list["access_card"], Decimal(1))], materials=[], title="门禁卡", by=desk
    )
    return {**query_ctx, "bill": bill, "credit": credit, "items": price_list, "charge": charge}


def other_tenant(ctx):
    tenant, _unit = factories.occupied_unit(floor=ctx["floor"])
    return tenant


def bills(ctx, n):
    for _ in range(n):
        factories.make_bill(other_tenant(ctx), ctx["desk"])


def payments(ctx, n):
    for _ in range(n):
        factories.make_payment(other_tenant(ctx), ctx["desk"])


def deposits(ctx, n):
    for _ in range(n):
        factories.make_deposit(other_tenant(ctx), ctx["desk"])


def account_rows(ctx, n):
    """Bills, payments and deposit entries of tenant A."""
    tenant, desk = ctx["tenant_a"], ctx["desk"]
    for _ in range(n):
        factories.make_bill(tenant, desk, "1000.00")
        factories.make_payment(tenant, desk, "1.00")
        factories.make_deposit(tenant, desk, "10.00")


def bill_rows(ctx, n):
    """Lines, allocations (part payments with receipts) and timeline events of tenant A's bill."""
    bill, desk = ctx["bill"], ctx["desk"]
    for i in range(n):
        BillLine.objects.create(
            bill=bill,
            fee_item=ctx["items"]["access_card"],
            unit=factories.UnitFactory(floor=ctx["floor"]),
            description=f"门禁卡 {i}",
            quantity=Decimal(1),
            unit_price=Decimal("20.00"),
            amount=Decimal("20.00"),
        )
        Bill.objects.filter(pk=bill.pk).update(total=F("total") + Decimal("20.00"))
        payment_record(tenant=bill.tenant, amount=Decimal("0.01"), method="cash", by=desk, bills=[bill])
        record_event(bill, "bill.reminded", by=desk)


def payment_rows(ctx, n):
    """Allocations of tenant A's credit to new bills (each paid at issue from the credit)."""
    for _ in range(n):
        issue_bill(ctx["tenant_a"], ctx["desk"], "1.00")


def service_charges(ctx, n):
    """Paid services charged to other tenants (each with its bill and a return visit)."""
    from billing.paid import PaidItem
    from billing.paid_services import service_charge

    for _ in range(n):
        service_charge(
            tenant=other_tenant(ctx),
            items=[PaidItem(ctx["items"]["access_card"], Decimal(1))],
            materials=[],
            title="门禁卡",
            by=ctx["desk"],
        )


def price_rows(ctx, n):
    """Paid-service items of the price list, each with a dated price now and one to come."""
    from datetime import timedelta

    from django.utils import timezone

    from billing.models import FeeItem
    from billing.services import fee_price_add

    start = FeeItem.objects.count()
    for i in range(start, start + n):
        item = FeeItem.objects.create(code=f"svc{i}", name=f"服务{i}", kind=FeeItem.Kind.ONE_OFF, price=Decimal(10))
        fee_price_add(item=item, price=Decimal(10), effective_from=timezone.localdate(), by=ctx["desk"])
        later = timezone.localdate() + timedelta(days=30)
        fee_price_add(item=item, price=Decimal(12), effective_from=later, by=ctx["desk"])


def charge_rows(ctx, n):
    """Lines, part payments with receipts and timeline events of one paid service."""
    bill_rows({**ctx, "bill": ctx["charge"].bill}, n)


CASES = {
    "desk-bill-list": Case("desk", lambda c: "/desk/billing/bills/", bills, 5),
    "desk-payment-list": Case("desk", lambda c: "/desk/billing/payments/", payments, 5),
    "desk-deposit-list": Case("desk", lambda c: "/desk/billing/deposits/", deposits, 5),
    # +1: the tenant's overdue bills for their late fees (none here; see test_late_fees_pages.py).
    "desk-account": Case("desk", lambda c: f"/desk/billing/accounts/{c['tenant_a'].pk}/", account_rows, 8),
    # +3: the bill's late fee (its tenant's agreements, what was billed and waived).
    "desk-bill-detail": Case("desk", lambda c: f"/desk/billing/bills/{c['bill'].pk}/", bill_rows, 13),
    "desk-payment-detail": Case("finance", lambda c: f"/desk/billing/payments/{c['credit'].pk}/", payment_rows, 6),
    "desk-service-charge-list": Case("desk", lambda c: "/desk/billing/services/", service_charges, 5),
    "desk-service-charge-detail": Case(
        "finance", lambda c: f"/desk/billing/services/{c['charge'].pk}/", charge_rows, 11
    ),
    "desk-price-list": Case("desk", lambda c: "/desk/billing/price-list/", price_rows, 5),
    "portal-billing-home": Case("tenant_a_admin", lambda c: "/portal/billing/", account_rows, 9),
    "portal-bill-detail": Case("tenant_a_admin", lambda c: f"/portal/billing/bills/{c['bill'].pk}/", bill_rows, 13),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
