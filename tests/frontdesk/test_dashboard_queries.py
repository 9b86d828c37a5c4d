"""The supervisor dashboard and the list of monthly reports make the same, pinned number of
queries with few and with many records (see tests/querycount.py): aggregates in the database,
never a loop over rows.

The dashboard's count is the procedures' work (2 queries: open/overdue, on-time) plus each
registered figure's own fixed queries: a part that registers a figure raises the pin by its
figure's queries (here: tenants 3 (occupancy by units, by area; tenants); billing 5 (overdue
bills; collection rate now, this month, last month; arrears); complaints 2 (satisfaction now,
and its twelve months, which give this month and the last); permits 4; renovation 1; quality
4 (scores now, this month, last month; open non-conformities); patrols 3 (completion now,
this month, last month); the session and the user 2)."""

import datetime as dt
import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from frontdesk.models import MonthlyReport
from jinyuan.workflow.models import Deadline
from tests import factories
from tests.frontdesk import dashboard_data as data
from tests.querycount import Case, assert_fixed_queries

pytestmark = pytest.mark.django_db

_ids = itertools.count(10_000)


@pytest.fixture
def ctx(query_ctx, tenant_b, finance):
    return {**query_ctx, "finance": finance}


def records(ctx, n):
    """n of everything the dashboard counts: deadline runs of several procedures (open, overdue,
    met, missed), bills paid and unpaid, units occupied and vacant, return visits."""
    from complaints.models import Complaint
    from frontdesk.models import Inquiry
    from repairs.models import RepairTicket
    from venues.models import VenueApplication

    now = timezone.now()
    models = itertools.cycle([RepairTicket, Complaint, Inquiry, VenueApplication])
    runs = []
    for i in range(n):
        ct = ContentType.objects.get_for_model(next(models))
        day = dt.timedelta(days=1 + i % 20)
        runs += [
            Deadline(content_type=ct, object_id=next(_ids), kind="k", started_at=now - day, due_at=now - day / 2),
            Deadline(content_type=ct, object_id=next(_ids), kind="k", started_at=now - day, due_at=now + day),
            Deadline(
                content_type=ct,
                object_id=next(_ids),
                kind="k",
                started_at=now - day,
                due_at=now,
                state="stopped",
                stopped_at=now - day / 2,
                met=True,
            ),
            Deadline(
                content_type=ct,
                object_id=next(_ids),
                kind="k",
                started_at=now - day,
                due_at=now - day / 2,
                state="stopped",
                stopped_at=now,
                met=False,
            ),
        ]
    Deadline.objects.bulk_create(runs)
    for i in range(n):
        factories.make_bill(ctx["tenant_a"], ctx["finance"], f"{100 + i}.00")
        floor = factories.FloorFactory(building=ctx["building"], number=100 + next(_ids) % 1000)
        unit = factories.UnitFactory(floor=floor, number=f"X{next(_ids)}")
        if i % 2:
            factories.OccupancyFactory(tenant=ctx["tenant_a"], unit=unit)
    data.add_visits(ctx["supervisor"])


def reports(ctx, n):
    first = MonthlyReport.objects.count()
    MonthlyReport.objects.bulk_create(
        MonthlyReport(month=dt.date(2000 + (first + i) // 12, (first + i) % 12 + 1, 1), drawn_up_at=timezone.now())
        for i in range(n)
    )


CASES = {
    "dashboard": Case("supervisor", lambda ctx: reverse("desk:frontdesk:dashboard"), records, 26),
    "dashboard_reports": Case("supervisor", lambda ctx: reverse("desk:frontdesk:dashboard_reports"), reports, 3),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_fixed_queries(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
