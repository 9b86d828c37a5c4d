"""Fixed query counts of the kernel's pages: notifications, the audit log (see tests/querycount.py)."""

import pytest
from django.urls import reverse

from jinyuan.workflow.services import notify, record_event
from tests.querycount import Case, admin_changelist, assert_fixed_queries

pytestmark = pytest.mark.django_db


def notifications_of(user_key):
    def add(ctx, n):
        start = ctx.setdefault("_notes", 0)
        for i in range(start, start + n):
            notify([ctx[user_key]], title=f"通知{i}", url="/desk/", dedup_key=f"q-{i}")
        ctx["_notes"] = start + n

    return add


def audit_events(ctx, n):
    for i in range(n):
        record_event(ctx["tenant_a"], "tenant.updated", by=ctx["desk"], data={"i": i})


CASES = {
    "desk-notifications": Case("desk", lambda c: reverse("notifications"), notifications_of("desk"), 4),
    "portal-notifications": Case(
        "tenant_a_admin", lambda c: reverse("notifications"), notifications_of("tenant_a_admin"), 4
    ),
    "admin-audit-event": Case("superuser", admin_changelist("workflow.AuditEvent"), audit_events, 9),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, query_ctx, client_for, name):
    assert_fixed_queries(request, query_ctx, client_for, name, CASES[name])
