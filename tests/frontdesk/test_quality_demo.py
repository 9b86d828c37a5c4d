"""The demo's month of quality checks: three sheets, checks of every department, non-conformities
open, rectified and re-checked (closed, and failed once), a few overdue; a second run adds nothing."""

import datetime as dt

import pytest
import time_machine
from django.db.models import Count
from django.utils import timezone

from demo import frontdesk_quality
from frontdesk.models import CheckSheet, NonConformity, QualityCheck
from jinyuan.workflow.models import AuditEvent

pytestmark = pytest.mark.django_db


# A fixed day: the month's working days, and so which checks fail, are the same on every run.
TODAY = dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@time_machine.travel(TODAY, tick=False)
def test_a_month_of_checks_with_nonconformities_in_every_state(desk, supervisor, engineer, guard):
    people = frontdesk_quality.People(desk, supervisor, engineer, guard)
    made = frontdesk_quality.through_services(people, timezone.localdate())
    assert CheckSheet.objects.count() == 3
    assert len(made) >= 30
    per_department = dict(QualityCheck.objects.values_list("department").annotate(n=Count("pk")))
    assert set(per_department) == {"security", "engineering", "cleaning"}
    states = dict(NonConformity.objects.values_list("status").annotate(n=Count("pk")))
    assert states.get("closed", 0) >= 3 and states.get("open", 0) >= 1
    assert NonConformity.objects.filter(status="open", due_at__lt=timezone.now()).exists()
    assert AuditEvent.objects.filter(action="nonconformity.reopened").exists()
    assert set(NonConformity.objects.values_list("department", flat=True)) == {"security", "engineering", "cleaning"}
    assert frontdesk_quality.through_services(people, timezone.localdate()) == []
    assert QualityCheck.objects.count() == len(made)
