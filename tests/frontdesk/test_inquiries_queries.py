"""Fixed query counts of the inquiry pages, the lookup included (see tests/querycount.py)."""

import pytest
from django.urls import reverse

from frontdesk import inquiry_services
from jinyuan.workflow.services import record_event
from tests import factories
from tests.querycount import Case, admin_changelist, assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(query_ctx):
    desk = query_ctx["desk"]
    inquiry = inquiry_services.inquiry_log(
        by=desk, channel="walk_in", kind="request", question="漏水", tenant=query_ctx["tenant_a"]
    )
    return {**query_ctx, "inquiry": inquiry, "made": 0}


def companies(ctx, n):
    """Occupying companies whose names all match the search ("现代"), each with a contact."""
    for _ in range(n):
        ctx["made"] += 1
        unit = factories.UnitFactory(floor=ctx["floor"], number=f"30{ctx['made']:02d}")
        tenant = factories.TenantFactory(name=f"现代{ctx['made']}号公司")
        factories.OccupancyFactory(tenant=tenant, unit=unit, start="2024-01-01")
        factories.ContactFactory(tenant=tenant, name=f"联系人{ctx['made']}", phone="13800000000")


def inquiries(ctx, n):
    for _ in range(n):
        ctx["made"] += 1
        inquiry_services.inquiry_log(
            by=ctx["desk"],
            channel="phone",
            kind="phone",
            question=f"问题{ctx['made']}",
            tenant=ctx["tenant_a"],
            answer="已答复" if ctx["made"] % 2 else "",
        )


def timeline(ctx, n):
    for i in range(n):
        record_event(ctx["inquiry"], "inquiry.logged", by=ctx["desk"], note=f"{i}")


CASES = {
    "lookup": Case("desk", lambda c: reverse("desk:frontdesk:inquiry_lookup") + "?q=%E7%8E%B0%E4%BB%A3", companies, 3),
    "inquiry-list": Case("desk", lambda c: reverse("desk:frontdesk:inquiry_list"), inquiries, 4),
    "inquiry-detail": Case(
        "desk", lambda c: reverse("desk:frontdesk:inquiry_detail", args=[c["inquiry"].pk]), timeline, 4
    ),
    "admin-inquiry": Case("superuser", admin_changelist("frontdesk.Inquiry"), inquiries, 7),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
