"""Fixed query counts of the liaison, follow-up item and emergency pages, with 1 row and with
30 (see tests/querycount.py)."""

import pytest
from django.urls import reverse

from frontdesk import emergency_services
from jinyuan.workflow.services import record_event
from tests import factories
from tests.frontdesk.liaison_data import make_emergency, make_item, make_plan, make_visit
from tests.querycount import Case, assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(query_ctx):
    desk, building = query_ctx["desk"], query_ctx["building"]
    visit = make_visit(query_ctx["tenant_a"], desk)
    emergency = make_emergency(building, desk)
    item = make_item(emergency, desk, desk)
    plan = make_plan(desk)
    return {**query_ctx, "visit": visit, "emergency": emergency, "item": item, "plan": plan, "made": 0}


def _n(ctx) -> int:
    ctx["made"] += 1
    return ctx["made"]


def my_items(ctx, n):
    for _ in range(n):
        make_item(ctx["emergency"], ctx["desk"], ctx["desk"], hours=_n(ctx))


def all_items(ctx, n):
    for _ in range(n):
        owner = factories.UserFactory(username=f"eng{_n(ctx)}", roles=["engineering"])
        make_item(ctx["visit"], ctx["desk"], owner, hours=ctx["made"])


def item_events(ctx, n):
    for _ in range(n):
        record_event(ctx["item"], "action_item.created", by=ctx["desk"], data={"item_owner": "x"})


def visits(ctx, n):
    for _ in range(n):
        tenant, _unit = factories.occupied_unit(floor=ctx["floor"])
        make_visit(tenant, ctx["desk"], hours_ago=_n(ctx))


def company_visits(ctx, n):
    for _ in range(n):
        make_visit(ctx["tenant_a"], ctx["desk"], hours_ago=_n(ctx))


def visit_needs(ctx, n):
    for _ in range(n):
        owner = factories.UserFactory(username=f"owner{_n(ctx)}", roles=["engineering"])
        make_item(ctx["visit"], ctx["desk"], owner)
        ctx["visit"].staff.add(owner)


def plans(ctx, n):
    for _ in range(n):
        make_plan(factories.UserFactory(username=f"clerk{_n(ctx)}", roles=["front_desk"]))


def plan_tenants(ctx, n):
    for _ in range(n):
        tenant, _unit = factories.occupied_unit(floor=ctx["floor"])
        if _n(ctx) % 2:
            make_visit(tenant, ctx["desk"], hours_ago=0)


def emergencies(ctx, n):
    for _ in range(n):
        make_emergency(ctx["building"], ctx["desk"])


def emergency_rows(ctx, n):
    """Follow-up items, responders, tenants affected and linked tickets of the one emergency."""
    from repairs import services as repairs
    from tests.frontdesk.liaison_data import water_category

    e = ctx["emergency"]
    for _ in range(n):
        owner = factories.UserFactory(username=f"resp{_n(ctx)}", roles=["security"])
        make_item(e, ctx["desk"], owner)
        e.responders.add(owner)
        tenant, _unit = factories.occupied_unit(floor=ctx["floor"])
        e.tenants.add(tenant)
        ticket = repairs.report(
            by=ctx["desk"], category=water_category(), reporter_name="王", phone="1", description="漏水"
        )
        emergency_services.emergency_link(obj=e, by=ctx["desk"], kind="repair", number=ticket.number)


def portal_needs(ctx, n):
    for _ in range(n):
        make_item(ctx["visit"], ctx["desk"], ctx["desk"], hours=_n(ctx))


def _detail(name, key):
    return lambda c: reverse(name, args=[c[key].pk])


CASES = {
    "desk-my-items": Case("desk", lambda c: reverse("desk:frontdesk:action_items"), my_items, 4),
    "desk-all-items": Case("supervisor", lambda c: reverse("desk:frontdesk:action_items_all"), all_items, 5),
    "desk-item-detail": Case("desk", _detail("desk:frontdesk:action_item_detail", "item"), item_events, 4),
    "desk-visit-list": Case("desk", lambda c: reverse("desk:frontdesk:visit_list"), visits, 4),
    "desk-visit-detail": Case("desk", _detail("desk:frontdesk:visit_detail", "visit"), visit_needs, 6),
    "desk-plan-list": Case("desk", lambda c: reverse("desk:frontdesk:visit_plan_list"), plans, 3),
    "desk-plan-detail": Case("desk", _detail("desk:frontdesk:visit_plan_detail", "plan"), plan_tenants, 6),
    "desk-emergency-list": Case("desk", lambda c: reverse("desk:frontdesk:emergency_list"), emergencies, 5),
    "desk-emergency-detail": Case("desk", _detail("desk:frontdesk:emergency_detail", "emergency"), emergency_rows, 11),
    "portal-visit-list": Case("tenant_a_admin", lambda c: reverse("portal:frontdesk:visit_list"), company_visits, 5),
    "portal-visit-detail": Case("tenant_a_admin", _detail("portal:frontdesk:visit_detail", "visit"), portal_needs, 5),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
