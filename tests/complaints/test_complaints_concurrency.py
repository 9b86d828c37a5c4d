"""Twenty supervisors approve one proposed reply at the same instant: one transition, one event."""

import pytest
from django.contrib.auth import get_user_model

from complaints import services
from complaints.models import Complaint
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from tests import factories
from tests.concurrency import run_at_once

from .helpers import in_state

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_approvals_at_once_give_one_transition(desk, supervisor, engineer):
    complaint = in_state("proposed", desk=desk, supervisor=supervisor, engineer=engineer)
    ids = [factories.UserFactory(username=f"sup{i}", roles=["supervisor"]).pk for i in range(20)]

    def prepare(i):
        return Complaint.objects.get(pk=complaint.pk), get_user_model().objects.get(pk=ids[i])

    results = run_at_once(20, prepare, lambda i, p: services.approve_reply(p[0], by=p[1]))
    won = [r for r in results if isinstance(r, Complaint)]
    assert len(won) == 1, results
    assert sum(isinstance(r, TransitionRefused) for r in results) == 19, results
    complaint.refresh_from_db()
    assert complaint.status == "approved" and complaint.approved_by_id == won[0].approved_by_id
    assert AuditEvent.objects.filter(action="complaint.reply_approved", object_id=complaint.pk).count() == 1
