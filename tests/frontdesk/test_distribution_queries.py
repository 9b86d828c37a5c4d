"""Fixed query counts of the material distribution pages: the register, the details (targets,
material, bill, timeline), the company's list and detail, the admin (see tests/querycount.py)."""

import pytest
from django.urls import reverse

from jinyuan.workflow.services import record_event
from tests import factories
from tests.frontdesk.recycle_data import make_distribution
from tests.querycount import Case, admin_changelist, assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(query_ctx):
    people = {
        "tenant": query_ctx["tenant_a"],
        "applicant": query_ctx["tenant_a_admin"],
        "desk": query_ctx["desk"],
        "supervisor": query_ctx["supervisor"],
    }
    done = make_distribution("completed", **people)
    return {**query_ctx, "people": people, "dist": done}


def distributions(ctx, n):
    for i in range(n):
        make_distribution(("submitted", "approved", "rejected")[i % 3], **ctx["people"])


def targets_and_events(ctx, n):
    """More companies it goes to, and timeline events."""
    for i in range(n):
        ctx["dist"].target_tenants.add(factories.TenantFactory(name=f"目标公司{ctx['dist'].target_tenants.count()}"))
        record_event(ctx["dist"], "distribution.noted", by=ctx["desk"], note=f"补派{i}")


def detail(side):
    return lambda c: reverse(f"{side}:frontdesk:distribution_detail", args=[c["dist"].pk])


CASES = {
    "desk-distribution-list": Case("desk", lambda c: reverse("desk:frontdesk:distribution_list"), distributions, 4),
    "desk-distribution-detail": Case("desk", detail("desk"), targets_and_events, 7),
    "portal-distribution-list": Case(
        "tenant_a_admin", lambda c: reverse("portal:frontdesk:distribution_list"), distributions, 5
    ),
    "portal-distribution-detail": Case("tenant_a_admin", detail("portal"), targets_and_events, 8),
    "admin-distribution": Case("superuser", admin_changelist("frontdesk.MaterialDistribution"), distributions, 7),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
