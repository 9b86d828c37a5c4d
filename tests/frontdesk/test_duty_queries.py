"""Fixed query counts of the duty log's pages (see tests/querycount.py)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from frontdesk import inquiry_services
from frontdesk.models import DutyEntry, Shift
from jinyuan.records import content_type_of
from jinyuan.workflow.services import record_event
from tests.querycount import Case, admin_changelist, assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(query_ctx):
    desk = query_ctx["desk"]
    inquiry = inquiry_services.inquiry_log(by=desk, channel="walk_in", kind="visitor", question="找甲方")
    shift = inquiry.shift
    earlier = Shift.objects.create(
        applicant=desk,
        date=shift.date - dt.timedelta(days=1),
        code=shift.code,
        starts_at=shift.starts_at - dt.timedelta(days=1),
        ends_at=shift.ends_at - dt.timedelta(days=1),
    )
    return {**query_ctx, "shift": shift, "earlier": earlier, "inquiry": inquiry, "made": 0}


def entries(ctx, n):
    """Entries of the live shift, a third open, a third linked to the inquiry; and as many open
    items carried over from the day before."""
    now = timezone.now()
    rows = []
    for i in range(n):
        ctx["made"] += 1
        linked = i % 3 == 1
        rows.append(
            DutyEntry(
                shift=ctx["shift"],
                at=now - dt.timedelta(minutes=ctx["made"]),
                kind="visitor",
                text=f"访客 {ctx['made']}",
                is_open=i % 3 == 0,
                written_by=ctx["desk"],
                record_type=content_type_of(ctx["inquiry"]) if linked else None,
                record_id=ctx["inquiry"].pk if linked else None,
                record_label=str(ctx["inquiry"]) if linked else "",
            )
        )
        rows.append(
            DutyEntry(
                shift=ctx["earlier"],
                at=ctx["earlier"].starts_at + dt.timedelta(minutes=ctx["made"]),
                kind="parcel",
                text=f"快递 {ctx['made']}",
                is_open=True,
                written_by=ctx["supervisor"],
            )
        )
    DutyEntry.objects.bulk_create(rows)


def shifts(ctx, n):
    base = ctx["shift"].starts_at
    rows = []
    for _ in range(n):
        ctx["made"] += 1
        start = base - dt.timedelta(days=2 + ctx["made"])
        rows.append(
            Shift(
                applicant=ctx["desk"],
                date=timezone.localdate(start),
                code="day",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=12),
                status=Shift.Status.HANDED_OVER,
                arriving=ctx["supervisor"],
                handed_over_by=ctx["desk"],
            )
        )
    Shift.objects.bulk_create(rows)
    entries(ctx, 1)


def timeline_and_entries(ctx, n):
    for i in range(n):
        record_event(ctx["shift"], "shift.joined", by=ctx["desk"], note=f"{i}")
    entries(ctx, n)


CASES = {
    "duty-page": Case("desk", lambda c: reverse("desk:frontdesk:duty"), entries, 7),
    "shift-list": Case("desk", lambda c: reverse("desk:frontdesk:shift_list"), shifts, 4),
    "shift-detail": Case(
        "desk", lambda c: reverse("desk:frontdesk:shift_detail", args=[c["shift"].pk]), timeline_and_entries, 7
    ),
    "shift-handover": Case(
        "desk", lambda c: reverse("desk:frontdesk:shift_handover", args=[c["shift"].pk]), entries, 6
    ),
    "entry-list": Case("desk", lambda c: reverse("desk:frontdesk:entry_list"), entries, 4),
    "admin-shift": Case("superuser", admin_changelist("frontdesk.Shift"), shifts, 8),
    "admin-entry": Case("superuser", admin_changelist("frontdesk.DutyEntry"), entries, 7),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
