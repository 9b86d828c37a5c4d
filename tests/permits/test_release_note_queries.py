"""Fixed query counts of the release note pages, and of the verify page a guard opens at the
exit (see tests/querycount.py)."""

import pytest
from django.urls import reverse

from jinyuan.workflow.services import record_event
from permits import release_notes
from tests.permits.release_data import make_note, note_fields
from tests.querycount import Case, admin_changelist, assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(query_ctx, guard):
    people = {"applicant": query_ctx["tenant_a_admin"], "desk": query_ctx["desk"], "guard": guard}
    note = make_note("issued", tenant=query_ctx["tenant_a"], **people)
    waiting = make_note("submitted", tenant=query_ctx["tenant_a"], purpose="move_out", **people)
    return {**query_ctx, "note": note, "waiting": waiting, "guard": guard}


def notes(ctx, n):
    for _ in range(n):
        note = release_notes.release_note_apply(tenant=ctx["tenant_a"], by=ctx["tenant_a_admin"], **note_fields())
        release_notes.release_note_approve(obj=note, by=ctx["desk"])


def timeline_events(ctx, n):
    for i in range(n):
        record_event(ctx["note"], "release_note.note", by=ctx["desk"], note=f"备注{i}")


def waiting_events(ctx, n):
    for i in range(n):
        record_event(ctx["waiting"], "release_note.note", by=ctx["desk"], note=f"备注{i}")


def refused_tries(ctx, n):
    """Guards' presses on the paper (the page lists the last five)."""
    from jinyuan.documents.models import GateCheck

    for i in range(n):
        GateCheck.objects.create(
            document=ctx["note"].document, by=ctx["guard"], action="refuse", result="refused", verdict="valid", note=i
        )


CASES = {
    "desk-release-note-list": Case("desk", lambda c: reverse("desk:permits:release_note_list"), notes, 4),
    "desk-release-note-list-filtered": Case(
        "desk", lambda c: reverse("desk:permits:release_note_list") + "?status=issued&q=桂A12345", notes, 4
    ),
    "desk-release-note-detail": Case(
        "desk", lambda c: reverse("desk:permits:release_note_detail", args=[c["note"].pk]), timeline_events, 5
    ),
    # Waiting for approval: the arrears and the move-out it would join are on the page too.
    "desk-release-note-detail-waiting": Case(
        "desk", lambda c: reverse("desk:permits:release_note_detail", args=[c["waiting"].pk]), waiting_events, 8
    ),
    "portal-release-note-list": Case("tenant_a_admin", lambda c: reverse("portal:permits:release_note_list"), notes, 5),
    "portal-release-note-detail": Case(
        "tenant_a_admin",
        lambda c: reverse("portal:permits:release_note_detail", args=[c["note"].pk]),
        timeline_events,
        6,
    ),
    "verify-release-note-as-guard": Case("guard", lambda c: c["note"].document.verify_path, refused_tries, 4),
    "admin-release-note": Case("superuser", admin_changelist("permits.ReleaseNote"), notes, 7),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
