"""Fixed query counts of the management log's pages, with 1 row and with 30."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from frontdesk import duty_services
from frontdesk import management_log_services as services
from tests.frontdesk.liaison_data import make_emergency
from tests.frontdesk.management_log_data import one_event_per_section
from tests.querycount import Case, assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(query_ctx):
    return {**query_ctx, "made": 0, "today": timezone.localdate()}


def logs(ctx, n):
    for _ in range(n):
        ctx["made"] += 1
        day = ctx["today"] - dt.timedelta(days=ctx["made"])
        if ctx["made"] % 2:
            services.log_open(day=day)
        else:
            services.log_write_remarks(day=day, by=ctx["supervisor"], building_remarks="正常", manager_opinion="")


def day_rows(ctx, n):
    """Per row: an emergency (its own event), one event of every registered section, a
    follow-up item noted on the log and an open duty-log entry."""
    for _ in range(n):
        emergency = make_emergency(ctx["building"], ctx["desk"])
        one_event_per_section(emergency, ctx["today"], by=ctx["desk"])
        services.log_add_item(
            day=ctx["today"],
            by=ctx["desk"],
            text="检查",
            owner=ctx["supervisor"],
            due_at=timezone.now() + dt.timedelta(days=1),
        )
        duty_services.entry_log(by=ctx["desk"], kind="request", text="待回复", is_open=True)


def signed_rows(ctx, n):
    day_rows(ctx, n)


def _day(c):
    return reverse("desk:frontdesk:management_log_day", args=[c["today"].isoformat()])


CASES = {
    "desk-management-log-list": Case("desk", lambda c: reverse("desk:frontdesk:management_log_list"), logs, 4),
    "desk-management-log-day-desk": Case("desk", _day, day_rows, 11),
    "desk-management-log-day-supervisor": Case("supervisor", _day, day_rows, 11),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])


def test_a_signed_logs_page_reads_its_frozen_content_in_fixed_queries(request, ctx, client_for):
    def sign_after(c, n):
        if n == 1:
            day_rows(c, 1)
            services.log_sign(day=c["today"] - dt.timedelta(days=1), by=c["supervisor"])
        else:
            day_rows(c, n)  # later events never reach the signed day

    ctx["today"] = timezone.localdate()
    case = Case(
        "desk",
        lambda c: reverse("desk:frontdesk:management_log_day", args=[(c["today"] - dt.timedelta(days=1)).isoformat()]),
        sign_after,
        4,
    )
    assert_fixed_queries(request, ctx, client_for, "signed", case)
