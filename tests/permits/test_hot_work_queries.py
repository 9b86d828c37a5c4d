"""Fixed query counts of the hot-work pages, security's board and the verify page a guard
opens on site (see tests/querycount.py)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jinyuan.workflow.services import record_event
from permits import hot_work
from permits.models import HotWorkPermit
from tests.permits.hot_work_data import make_hot_work, permit_fields
from tests.querycount import Case, assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(query_ctx, engineer, guard):
    people = {"applicant": query_ctx["tenant_a_admin"], "engineer": engineer, "guard": guard}
    permit = make_hot_work("approved", tenant=query_ctx["tenant_a"], **people)
    return {**query_ctx, **people, "permit": permit}


def permits(ctx, n):
    """Approved permits burning within the next hours (on the board as in the registers)."""
    now = timezone.now()
    unit = ctx["tenant_a"].occupancies.first().unit
    for _ in range(n):
        permit = hot_work.hot_work_apply(tenant=ctx["tenant_a"], by=ctx["applicant"], **permit_fields(unit))
        hot_work.hot_work_engineering_approve(obj=permit, by=ctx["engineer"])
        hot_work.hot_work_security_approve(obj=permit, by=ctx["guard"])
    HotWorkPermit.objects.update(starts_at=now + dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=3))


def timeline_events(ctx, n):
    for i in range(n):
        record_event(ctx["permit"], "hot_work.note", by=ctx["guard"], note=f"备注{i}")


def checks(ctx, n):
    from jinyuan.documents.models import GateCheck

    for i in range(n):
        GateCheck.objects.create(
            document=ctx["permit"].document, by=ctx["guard"], action="check", result="done", verdict="valid", note=i
        )


CASES = {
    "desk-hot-work-list": Case("desk", lambda c: reverse("desk:permits:hot_work_list"), permits, 5),
    "desk-hot-work-list-filtered": Case(
        "desk",
        lambda c: (
            reverse("desk:permits:hot_work_list")
            + f"?status=approved&method=electric_welding&day={timezone.localdate()}&building={c['building'].pk}"
        ),
        permits,
        5,  # as unfiltered: the building chosen is found among the filter's choices (jinyuan.lists)
    ),
    "desk-hot-work-detail": Case(
        "guard", lambda c: reverse("desk:permits:hot_work_detail", args=[c["permit"].pk]), timeline_events, 5
    ),
    "desk-hot-work-site": Case(
        "guard", lambda c: reverse("desk:permits:hot_work_site", args=[c["permit"].pk]), timeline_events, 3
    ),
    "portal-hot-work-list": Case("tenant_a_admin", lambda c: reverse("portal:permits:hot_work_list"), permits, 5),
    "portal-hot-work-detail": Case(
        "tenant_a_admin",
        lambda c: reverse("portal:permits:hot_work_detail", args=[c["permit"].pk]),
        timeline_events,
        6,
    ),
    "verify-hot-work-as-guard": Case("guard", lambda c: c["permit"].document.verify_path, checks, 5),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
