"""Fixed query counts of the statement pages with 1 row and with 30 (see tests/querycount.py):
bills (some overdue, so the late fee not yet billed is read too) and payments of this month."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.billing.helpers import issue_bill
from tests.billing.late_fee_helpers import agree
from tests.querycount import Case, assert_fixed_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]


def statement_rows(ctx, n):
    """Tenant A's bills and payments today; each bill overdue, under a late-fee clause."""
    tenant, desk = ctx["tenant_a"], ctx["desk"]
    agree(tenant)
    today = timezone.localdate()
    for _ in range(n):
        issue_bill(tenant, desk, "1000.00", issued_on=today, due_date=today - timedelta(days=10))
        factories.make_payment(tenant, desk, "100.00")


CASES = {
    # 9 of them: the statement (billing.statements.statement), whatever its rows.
    "desk_statement": Case(
        "finance", lambda c: reverse("desk:billing:statement", args=[c["tenant_a"].pk]), statement_rows, 12
    ),
    "portal_statement": Case("tenant_a_admin", lambda c: reverse("portal:billing:statement"), statement_rows, 12),
}


@pytest.mark.parametrize("name", list(CASES))
def test_fixed_queries(request, query_ctx, client_for, name):
    assert_fixed_queries(request, query_ctx, client_for, name, CASES[name])
