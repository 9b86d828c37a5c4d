"""Fixed query counts of the arrears pages with 1 row and with 30 (see tests/querycount.py)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from billing import arrears
from tests import factories
from tests.billing.arrears_helpers import overdue_bill
from tests.querycount import Case, assert_fixed_queries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]


def escalated_tenants(ctx, n):
    for _ in range(n):
        tenant, _unit = factories.occupied_unit(floor=ctx["floor"])
        overdue_bill(tenant, ctx["desk"], days=100)


def tenant_a_rows(ctx, n):
    """Overdue bills, calls, notices and demand letters of tenant A."""
    tenant, desk, supervisor = ctx["tenant_a"], ctx["desk"], ctx["supervisor"]
    for _ in range(n):
        overdue_bill(tenant, desk, days=100)
        arrears.contact_record(tenant=tenant, by=desk, method="phone", person="王", promise_date=timezone.localdate())
        arrears.notice_issue(tenant=tenant, by=desk)
        arrears.demand_letter_issue(tenant=tenant, by=supervisor)


CASES = {
    "arrears_escalation": Case(
        "supervisor", lambda c: reverse("desk:billing:arrears_escalation"), escalated_tenants, 3
    ),
    "arrears_account": Case(
        "supervisor",
        lambda c: reverse("desk:billing:arrears_account", args=[c["tenant_a"].pk]),
        tenant_a_rows,
        12,  # 5 of them: the late fees of the overdue bills (billing.latefees.accruals_of)
    ),
    "portal_notices": Case("tenant_a_admin", lambda c: reverse("portal:billing:arrears_notices"), tenant_a_rows, 5),
}


@pytest.mark.parametrize("name", list(CASES))
def test_fixed_queries(request, query_ctx, client_for, name):
    assert_fixed_queries(request, query_ctx, client_for, name, CASES[name])
