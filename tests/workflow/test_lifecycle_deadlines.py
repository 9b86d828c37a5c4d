"""Move-in and move-out declare deadlines that run to their dates (tenants/models/lifecycle.py):
a move-in is to be confirmed by the end of its lease-start day, a move-out completed by the end
of its planned day; the front desk (and for a move-out the tenant's admins) are reminded before,
the supervisor when due and a day late."""

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from jinyuan.workflow.models import Deadline, Notification
from jinyuan.workflow.scan import scan
from jinyuan.workflow.services import transition
from tests import factories

pytestmark = pytest.mark.django_db


def at(y, m, d, hh=0, mm=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def row_of(obj, kind: str) -> Deadline:
    ct = ContentType.objects.get_for_model(obj)
    return Deadline.objects.get(content_type=ct, object_id=obj.pk, kind=kind)


def recipients(d: Deadline, step: int) -> set[str]:
    notes = Notification.objects.filter(dedup_key=f"deadline-{d.pk}-{step}")
    return set(notes.values_list("recipient__username", flat=True))


def test_a_move_out_runs_to_its_planned_day_and_tells_the_tenant_two_days_before(tenant_a, desk, tenant_a_admin):
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        move_out = factories.make_moveout(tenant_a, desk)  # planned in thirty days: 2 December
    d = row_of(move_out, "completion")
    assert (d.state, d.due_at) == ("running", at(2026, 12, 2, 17, 30))
    assert scan(now=at(2026, 11, 30, 17, 29)) == 0
    assert scan(now=at(2026, 11, 30, 17, 30)) == 1
    assert {desk.username, tenant_a_admin.username} <= recipients(d, 0)
    urls = dict(Notification.objects.filter(dedup_key=f"deadline-{d.pk}-0").values_list("recipient__username", "url"))
    assert urls[tenant_a_admin.username].startswith("/portal/") and urls[desk.username].startswith("/desk/")


def test_cancelling_a_move_in_stops_its_deadline_before_it_is_due(tenant_a, desk, supervisor):
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        move_in = factories.make_movein(tenant_a, desk)  # lease starts in ten days: 12 November
    d = row_of(move_in, "confirmation")
    assert (d.state, d.due_at) == ("running", at(2026, 11, 12, 17, 30))
    with time_machine.travel(at(2026, 11, 3, 10), tick=False):
        transition(move_in, "cancel", by=supervisor, note="租户取消入驻")
    d.refresh_from_db()
    assert (d.state, d.met, d.stopped_at) == ("stopped", None, at(2026, 11, 3, 10))  # withdrawn: no outcome
    assert scan(now=at(2026, 12, 1)) == 0
