"""The collection dashboard and its Excel file cost a fixed number of queries whatever the
number of tenants, bills, payments, reminders and promises (see tests/querycount.py)."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from billing import arrears
from billing.arrears_models import ReminderSent
from billing.services import bill_create, payment_record
from tests import factories
from tests.billing.arrears_helpers import ensure_schedule, overdue_bill
from tests.billing.helpers import service_lines
from tests.billing.payer_helpers import make_customer
from tests.querycount import Case, assert_fixed_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]


def tenants_in_arrears(ctx, n):
    """Each: a tenant in its own unit with an overdue bill, another partly paid in the month, a
    reminder sent and an open promise to pay, and one broken."""
    steps = ensure_schedule()
    desk = ctx["desk"]
    for i in range(n):
        tenant, _unit = factories.occupied_unit(floor=ctx["floor"])
        old = overdue_bill(tenant, desk, days=40 + i * 7)
        recent = overdue_bill(tenant, desk, days=3)
        payment_record(tenant=tenant, amount=recent.total / 2, method="cash", by=desk, bills=[recent])
        ReminderSent.objects.create(bill=old, step=steps[i % len(steps)], sent_at=timezone.now(), recipients=2)
        arrears.contact_record(
            tenant=tenant, by=desk, method="phone", person="王", promise_date=timezone.localdate() + timedelta(days=2)
        )
        arrears.contact_record(tenant=tenant, by=desk, method="visit", person="李", promise_date=timezone.localdate())


_customer_numbers = itertools.count(1)


def customers_overdue(ctx, n):
    """Customers' overdue bills (followed up on the customer's page, not in the tenants'
    aging): the page lists no tenant in arrears with one or with thirty of them."""
    today = timezone.localdate()
    for _ in range(n):
        customer = make_customer(ctx["desk"], name=f"会展客户{next(_customer_numbers)}")
        bill_create(
            payer=customer,
            title="场地使用费",
            lines=service_lines("3000.00"),
            by=ctx["desk"],
            issued_on=today - timedelta(days=50),
            due_date=today - timedelta(days=40),
        )


def with_building(ctx) -> str:
    return f"?building={ctx['building'].pk}"


def empty_building(ctx) -> str:
    """A building with no bill at all (the meter bench's buildings, a new block)."""
    return f"?month={timezone.localdate() - timedelta(days=365):%Y-%m}&building={factories.BuildingFactory().pk}"


# Session and user, the buildings, the rates (one statement), the aging totals, the largest
# debtors, the reminders by step, promises due, promises broken, the aging page (also when it
# lists no tenant: a building without arrears, only customers overdue).
CASES = {
    "collection": Case("finance", lambda c: reverse("desk:billing:collection"), tenants_in_arrears, 10),
    "collection_building": Case(
        "supervisor", lambda c: reverse("desk:billing:collection") + with_building(c), tenants_in_arrears, 10
    ),
    # The same statements: the aging one lists every tenant instead of a page.
    "collection_export": Case("finance", lambda c: reverse("desk:billing:collection_export"), tenants_in_arrears, 10),
    "collection_building_without_arrears": Case(
        "finance", lambda c: reverse("desk:billing:collection") + empty_building(c), tenants_in_arrears, 10
    ),
    "collection_customers_overdue": Case(
        "finance", lambda c: reverse("desk:billing:collection"), customers_overdue, 10
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_fixed_queries(request, query_ctx, client_for, name):
    assert_fixed_queries(request, query_ctx, client_for, name, CASES[name])
