"""Twenty engineers take one pooled ticket at the same instant: exactly one assignee."""

import pytest
from django.contrib.auth import get_user_model

from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from repairs import services
from repairs.models import RepairCategory, RepairTicket
from tests import factories
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_engineers_taking_one_ticket_give_one_assignee(desk):
    category = RepairCategory.objects.create(name="空调", dispatch=RepairCategory.Dispatch.POOL)
    ticket = services.report(by=desk, category=category, reporter_name="王", phone="13877110001", description="不制冷")
    ids = [factories.UserFactory(username=f"eng{i}", roles=["engineering"]).pk for i in range(20)]

    def prepare(i):
        return RepairTicket.objects.get(pk=ticket.pk), get_user_model().objects.get(pk=ids[i])

    results = run_at_once(20, prepare, lambda i, p: services.take(p[0], by=p[1]))
    won = [r for r in results if isinstance(r, RepairTicket)]
    assert len(won) == 1, results
    assert sum(isinstance(r, TransitionRefused) for r in results) == 19, results
    ticket.refresh_from_db()
    assert ticket.status == "accepted" and ticket.assignee_id == won[0].assignee_id
    assert AuditEvent.objects.filter(action="repair.taken", object_id=ticket.pk).count() == 1
