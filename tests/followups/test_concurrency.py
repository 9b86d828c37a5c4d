"""Twenty clerks record the same follow-up at once: one result stands, one event, one hook."""

import pytest
from django.utils import timezone

from jinyuan.followups import hooks, services
from jinyuan.followups.models import FollowUp
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from tenants.models import Tenant
from tests import factories
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_recordings_of_one_follow_up_give_one_result(desk, monkeypatch):
    tenant = factories.TenantFactory()
    followup = services.followup_schedule(record=tenant, due=timezone.localdate(), by=desk)
    reopened = []
    monkeypatch.setitem(hooks._on_dissatisfied, Tenant, lambda *, followup, by: reopened.append(followup.pk))

    def record(i, mine):
        services.followup_record(followup=mine, result="dissatisfied", channel="phone", comments=f"#{i}", by=desk)
        return "recorded"

    results = run_at_once(20, lambda i: FollowUp.objects.get(pk=followup.pk), record)

    assert results.count("recorded") == 1, results
    assert all(isinstance(r, TransitionRefused) for r in results if r != "recorded"), results
    assert AuditEvent.objects.filter(action="tenant.followup_recorded").count() == 1
    assert reopened == [followup.pk]
