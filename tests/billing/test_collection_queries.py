"""The collection dashboard and its Excel file cost a fixed number of queries whatever the
number of tenants, bills, payments, reminders and promises (see tests/querycount.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from billing import arrears
from billing.arrears_models import ReminderSent
from billing.services import payment_record
from tests import factories
from tests.billing.arrears_helpers import ensure_schedule, overdue_bill
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


def with_building(ctx) -> str:
    return f"?building={ctx['building'].pk}"


# Session and user, the buildings, the rates (one statement), the aging totals, the largest
# debtors, the reminders by step, promises due, promises broken, the aging page.
CASES = {
    "collection": Case("finance", lambda c: reverse("desk:billing:collection"), tenants_in_arrears, 10),
    "collection_building": Case(
        "supervisor", lambda c: reverse("desk:billing:collection") + with_building(c), tenants_in_arrears, 10
    ),
    # The same statements: the aging one lists every tenant instead of a page.
    "collection_export": Case("finance", lambda c: reverse("desk:billing:collection_export"), tenants_in_arrears, 10),
}


@pytest.mark.parametrize("name", list(CASES))
def test_fixed_queries(request, query_ctx, client_for, name):
    assert_fixed_queries(request, query_ctx, client_for, name, CASES[name])
