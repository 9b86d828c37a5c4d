"""Ten submits of one check form at the same instant (threads with their own connections,
released by a barrier; a phone's double tap, a retried request): one check, one set of
non-conformities, and every submit answers with that check."""

import uuid

import pytest
from django.contrib.auth import get_user_model

from frontdesk.models import NonConformity, QualityCheck
from jinyuan.workflow.models import AuditEvent
from tests.concurrency import run_at_once
from tests.frontdesk.quality_data import make_check, make_sheet

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_simultaneous_submits_of_one_form_record_one_check(supervisor):
    sheet = make_sheet()
    key = uuid.uuid4()

    def prepare(i):
        return get_user_model().objects.get(pk=supervisor.pk)

    def attempt(i, user):
        return make_check(sheet, user, [1, 10, 5], submit_key=key).pk

    results = run_at_once(10, prepare, attempt)
    assert len(set(results)) == 1 and all(isinstance(r, int) for r in results), results
    assert QualityCheck.objects.count() == 1 and NonConformity.objects.count() == 1
    assert AuditEvent.objects.filter(action="quality_check.submitted").count() == 1
