"""Fixed query counts of the complaint pages, 1 row vs 30 (see tests/querycount.py)."""

import pytest
from django.urls import reverse

from complaints import services
from jinyuan.attachments.services import attachment_add
from jinyuan.uploads import DOCUMENT_TYPES
from jinyuan.workflow.services import record_event
from tests.querycount import Case, assert_fixed_queries
from tests.repairs.page_data import png

from .helpers import category, in_state, recorded

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(desk, supervisor, engineer, tenant_a, tenant_a_admin):
    people = {"desk": desk, "supervisor": supervisor, "engineer": engineer}
    return {
        **people,
        "tenant_a": tenant_a,
        "tenant_a_admin": tenant_a_admin,
        # Closed: a return visit, a reply, every panel of the page in use.
        "complaint": in_state("closed", tenant=tenant_a, **people),
        # Assigned: the hand-over form lists every department's people.
        "open": in_state("assigned", tenant=tenant_a, **people),
    }


def complaints(ctx, n):
    """Complaints of every shape the register shows: named and anonymous, a company's and a
    visitor's, waiting and assigned."""
    people = {k: ctx[k] for k in ("desk", "supervisor", "engineer")}
    for i in range(n):
        if i % 3 == 0:
            in_state("assigned", tenant=ctx["tenant_a"], **people)
        elif i % 3 == 1:
            recorded(ctx["desk"], anonymous=True, tenant=ctx["tenant_a"], content=f"匿名{i}")
        else:
            recorded(ctx["desk"], complainant_name=f"访客{i}", content=f"投诉{i}")


def portal_complaints(ctx, n):
    for i in range(n):
        services.record(by=ctx["tenant_a_admin"], category=category(), channel="portal", content=f"投诉{i}")


def events_and_files(ctx, n, key="complaint"):
    complaint = ctx[key]
    for i in range(n):
        record_event(complaint, "complaint.note", by=ctx["desk"], note=f"备注{i}")
        if i % 10 == 0:
            attachment_add(record=complaint, upload=png(), by=ctx["desk"], kind="evidence", allowed=DOCUMENT_TYPES)


def open_events_and_files(ctx, n):
    events_and_files(ctx, n, key="open")


def detail(name, key="complaint"):
    return lambda c: reverse(name, args=[c[key].pk])


CASES = {
    # Session, user with roles, the category filter's choices, an EXPLAIN for the estimated
    # count, the exact COUNT(*) under 10,000 rows, the page's rows (late flags, due times and
    # the complainant shown in the same query).
    "desk-complaint-list": Case("desk", lambda c: reverse("desk:complaints:complaint_list"), complaints, 6),
    "engineer-complaint-list": Case("engineer", lambda c: reverse("desk:complaints:complaint_list"), complaints, 6),
    # Session, user, the complaint, its timeline, deadlines, files and return visits.
    "desk-complaint-detail": Case("desk", detail("desk:complaints:complaint_detail"), events_and_files, 7),
    # ... and the people of every department for the hand-over form, in one query.
    "desk-complaint-detail-assigned": Case(
        "desk", detail("desk:complaints:complaint_detail", "open"), open_events_and_files, 8
    ),
    # Session, user, membership, COUNT(*), the page's rows.
    "portal-complaint-list": Case(
        "tenant_a_admin", lambda c: reverse("portal:complaints:complaint_list"), portal_complaints, 5
    ),
    # Session, user, membership, the complaint, its progress and files.
    "portal-complaint-detail": Case(
        "tenant_a_admin", detail("portal:complaints:complaint_detail"), events_and_files, 6
    ),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
