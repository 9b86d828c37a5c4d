"""Twenty clerks settle one collected request at the same instant (threads with their own
connections, released by a barrier): one settlement, one credit note, one number."""

import pytest
from django.contrib.auth import get_user_model

from billing.models import CreditNote
from frontdesk import recyclables
from frontdesk.models import RecycleRequest
from jinyuan.workflow.services import TransitionRefused
from tests.concurrency import run_at_once
from tests.frontdesk.recycle_data import make_recycler, make_request, set_prices

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_simultaneous_settlements_settle_once(tenant_a, tenant_a_admin, desk):
    set_prices()
    make_recycler()
    obj = make_request("collected", tenant=tenant_a, applicant=tenant_a_admin, desk=desk)

    def prepare(i):
        return RecycleRequest.objects.get(pk=obj.pk), get_user_model().objects.get(pk=desk.pk)

    def work(i, prepared):
        req, user = prepared
        return recyclables.recycle_settle(obj=req, by=user)

    results = run_at_once(20, prepare, work)
    settled = [r for r in results if isinstance(r, RecycleRequest)]
    assert len(settled) == 1
    assert all(isinstance(r, TransitionRefused) for r in results if r not in settled)
    assert CreditNote.objects.count() == 1
    assert CreditNote.objects.get().number.endswith("-00001")
