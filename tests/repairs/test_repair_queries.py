"""Fixed query counts of the repair pages, 1 row vs 30 (see tests/querycount.py)."""

import pytest
from django.urls import reverse

from jinyuan.attachments.services import attachment_add
from jinyuan.uploads import IMAGE_TYPES
from jinyuan.workflow.services import record_event
from tests.querycount import Case, assert_fixed_queries
from tests.repairs.page_data import png, ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(desk, engineer, tenant_a, unit_a):
    return {
        "desk": desk,
        "engineer": engineer,
        "tenant_a": tenant_a,
        "ticket": ticket(desk, "accepted", engineer=engineer, tenant=tenant_a, unit=unit_a),
    }


def tickets(ctx, n):
    for i in range(n):
        state = ("reported", "pooled", "accepted")[i % 3]
        ticket(ctx["desk"], state, engineer=ctx["engineer"], tenant=ctx["tenant_a"], description=f"漏水{i}")


def engineer_tickets(ctx, n):
    for i in range(n):
        ticket(ctx["desk"], ("dispatched", "pooled")[i % 2], engineer=ctx["engineer"], place=f"{i}楼")


def events_and_photos(ctx, n):
    for i in range(n):
        record_event(ctx["ticket"], "repair.note", by=ctx["desk"], note=f"备注{i}")
        if i % 10 == 0:
            attachment_add(record=ctx["ticket"], upload=png(), by=ctx["desk"], kind="photo", allowed=IMAGE_TYPES)


def detail(name):
    return lambda c: reverse(name, args=[c["ticket"].pk])


CASES = {
    # An EXPLAIN for the estimated count, then the exact COUNT(*) under 10,000 rows.
    "desk-repair-list": Case("desk", lambda c: reverse("desk:repairs:ticket_list"), tickets, 7),
    "desk-repair-detail": Case("desk", detail("desk:repairs:ticket_detail"), events_and_photos, 7),
    "engineer-worklist": Case("engineer", lambda c: reverse("desk:repairs:engineer_worklist"), engineer_tickets, 4),
    "engineer-ticket": Case("engineer", detail("desk:repairs:engineer_ticket"), events_and_photos, 6),
    "portal-repair-list": Case("tenant_a_admin", lambda c: reverse("portal:repairs:ticket_list"), tickets, 5),
    "portal-repair-detail": Case("tenant_a_admin", detail("portal:repairs:ticket_detail"), events_and_photos, 6),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
