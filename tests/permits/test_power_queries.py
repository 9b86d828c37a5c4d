"""Fixed query counts of the temporary power pages, and of the verify page a guard opens at the
distribution board (see tests/querycount.py)."""

import pytest
from django.urls import reverse

from jinyuan.workflow.services import record_event
from permits import temporary_power as power
from tests.permits.power_fixtures import power_fields
from tests.querycount import Case, admin_changelist, assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(query_ctx, make_power, engineer, guard):
    permit = make_power("switched_on")
    return {**query_ctx, "permit": permit, "engineer": engineer, "guard": guard}


def permits(ctx, n):
    for _ in range(n):
        permit = power.power_apply(tenant=ctx["tenant_a"], by=ctx["tenant_a_admin"], **power_fields(ctx["permit"].unit))
        power.power_approve(obj=permit, by=ctx["engineer"])


def timeline_events(ctx, n):
    for i in range(n):
        record_event(ctx["permit"], "temporary_power.note", by=ctx["engineer"], note=f"备注{i}")


def gate_checks(ctx, n):
    from jinyuan.documents.models import GateCheck

    for i in range(n):
        GateCheck.objects.create(
            document=ctx["permit"].document, by=ctx["guard"], action="check", result="ok", verdict="valid", note=i
        )


# The register: the user, the building filter's choices, the count and the page (ids and rows in
# one statement); a building chosen is found among the choices (jinyuan.lists), no query of its
# own, so filtered or not the register costs the same. The verify page reads the permit's
# state for the guard (one query more than a release note's).
CASES = {
    "desk-power-list": Case("desk", lambda c: reverse("desk:permits:power_list"), permits, 5),
    "desk-power-list-filtered": Case(
        "engineer",
        lambda c: reverse("desk:permits:power_list") + f"?status=approved&overdue=false&building={c['building'].pk}",
        permits,
        5,
    ),
    "desk-power-detail": Case(
        "engineer", lambda c: reverse("desk:permits:power_detail", args=[c["permit"].pk]), timeline_events, 4
    ),
    "portal-power-list": Case("tenant_a_admin", lambda c: reverse("portal:permits:power_list"), permits, 5),
    "portal-power-detail": Case(
        "tenant_a_admin",
        lambda c: reverse("portal:permits:power_detail", args=[c["permit"].pk]),
        timeline_events,
        5,
    ),
    "verify-power-as-guard": Case("guard", lambda c: c["permit"].document.verify_path, gate_checks, 5),
    "admin-power": Case("superuser", admin_changelist("permits.TemporaryPower"), permits, 7),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
