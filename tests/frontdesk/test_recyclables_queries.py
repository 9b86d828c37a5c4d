"""Fixed query counts of the recyclables pages: the register, the details (weighed lines, credit
note, timeline), the company's list and detail, the admin (see tests/querycount.py)."""

import pytest
from django.urls import reverse

from jinyuan.workflow.services import record_event
from tests.frontdesk.recycle_data import make_recycler, make_request, set_prices
from tests.querycount import Case, admin_changelist, assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(query_ctx):
    set_prices()
    make_recycler()
    people = {"tenant": query_ctx["tenant_a"], "applicant": query_ctx["tenant_a_admin"], "desk": query_ctx["desk"]}
    settled = make_request("settled", **people)
    scheduled = make_request("scheduled", **people)
    return {**query_ctx, "people": people, "req": settled, "scheduled": scheduled}


def requests(ctx, n):
    """Requests in several states (the register shows recyclers and totals of some)."""
    for i in range(n):
        make_request(("requested", "scheduled", "collected")[i % 3], **ctx["people"])


def events(ctx, n):
    for i in range(n):
        record_event(ctx["req"], "recycle_request.noted", by=ctx["desk"], note=f"电话联系{i}")
        record_event(ctx["scheduled"], "recycle_request.noted", by=ctx["desk"], note=f"电话联系{i}")


def detail(side, key="req"):
    return lambda c: reverse(f"{side}:frontdesk:recycle_detail", args=[c[key].pk])


CASES = {
    "desk-recycle-list": Case("desk", lambda c: reverse("desk:frontdesk:recycle_list"), requests, 4),
    "desk-recycle-detail": Case("supervisor", detail("desk"), events, 5),
    "desk-recycle-detail-weighing": Case("supervisor", detail("desk", "scheduled"), events, 7),
    "portal-recycle-list": Case("tenant_a_admin", lambda c: reverse("portal:frontdesk:recycle_list"), requests, 5),
    "portal-recycle-detail": Case("tenant_a_admin", detail("portal"), events, 6),
    "admin-recycle-request": Case("superuser", admin_changelist("frontdesk.RecycleRequest"), requests, 8),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
