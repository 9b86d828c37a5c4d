"""A register's rows cost the same queries for 1 complaint as for 30; late flags in that query."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import selectors
from complaints.models import Complaint

from .helpers import recorded

pytestmark = pytest.mark.django_db


def _count(user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        rows = list(selectors.complaint_rows(selectors.complaints_for(user))[:50])
        shown = [(r.category.name, r.tenant and r.tenant.name, r.assignee, r.reply_late, r.due_at) for r in rows]
    assert len(shown) == len(rows)
    return len(ctx.captured_queries)


def test_rows_cost_the_same_for_one_and_thirty(desk, supervisor, tenant_a):
    recorded(desk, tenant=tenant_a)
    supervisor.has_role("supervisor")  # the user's roles load once per request, before the page
    one = _count(supervisor)
    for _ in range(29):
        recorded(desk, tenant=tenant_a)
    assert Complaint.objects.count() == 30
    assert _count(supervisor) == one == 1


def test_late_and_overdue(desk):
    complaint = recorded(desk)
    later = timezone.now() + timedelta(days=30)
    row = selectors.with_late(Complaint.objects.filter(pk=complaint.pk), now=later).get()
    assert row.acknowledgement_late and row.reply_late
    assert list(selectors.overdue(Complaint.objects.all(), now=later)) == [complaint]
    assert not selectors.overdue(Complaint.objects.all()).exists()
