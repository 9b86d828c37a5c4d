"""Fixed query counts of the access pass pages (see tests/querycount.py): the registers with 1
and 30 rows, the detail pages with 1 and 30 timeline events."""

import pytest
from django.urls import reverse

from jinyuan.workflow.services import record_event
from tests import factories
from tests.querycount import Case, admin_changelist, assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(query_ctx):
    tenant, admin, desk = query_ctx["tenant_a"], query_ctx["tenant_a_admin"], query_ctx["desk"]
    query_ctx["card"] = factories.make_access_pass(tenant, admin, "issued", desk=desk)
    return query_ctx


def own_cards(ctx, n):
    for i in range(n):
        state = ("requested", "issued", "lost")[i % 3]
        factories.make_access_pass(ctx["tenant_a"], ctx["tenant_a_admin"], state, desk=ctx["desk"])


def other_tenants_cards(ctx, n):
    for _ in range(n):
        tenant, _unit = factories.occupied_unit()
        member = factories.MembershipFactory(tenant=tenant, role="admin").user
        factories.make_access_pass(tenant, member, "issued", desk=ctx["desk"])


def timeline_events(ctx, n):
    for i in range(n):
        record_event(ctx["card"], "access_pass.note", by=ctx["desk"], note=f"备注{i}")


CASES = {
    "desk-access-pass-list": Case("desk", lambda c: reverse("desk:permits:access_pass_list"), other_tenants_cards, 5),
    "desk-access-pass-list-filtered": Case(
        "desk", lambda c: reverse("desk:permits:access_pass_list") + "?status=issued&due=", other_tenants_cards, 5
    ),
    "desk-access-pass-detail": Case(
        "desk", lambda c: reverse("desk:permits:access_pass_detail", args=[c["card"].pk]), timeline_events, 7
    ),
    "portal-access-pass-list": Case(
        "tenant_a_admin", lambda c: reverse("portal:permits:access_pass_list"), own_cards, 6
    ),
    "portal-access-pass-detail": Case(
        "tenant_a_admin",
        lambda c: reverse("portal:permits:access_pass_detail", args=[c["card"].pk]),
        timeline_events,
        8,
    ),
    "admin-access-pass": Case("superuser", admin_changelist("permits.AccessPass"), other_tenants_cards, 8),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
