"""Twenty security approvals of one hot-work permit at the same instant issue one paper with one
number; ten guards recording the on-site check at once start the work once; the expiry action
run by two workers at once expires the permit once (PostgreSQL, threads behind a barrier)."""

import datetime as dt

import pytest

from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from permits import hot_work
from permits.models import HotWorkPermit
from permits.models.hot_work import SiteCheck
from tests.concurrency import run_at_once
from tests.permits.hot_work_data import make_hot_work

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def permit_in(tenant_a, tenant_a_admin, engineer, guard):
    def make(state: str) -> HotWorkPermit:
        return make_hot_work(state, tenant=tenant_a, applicant=tenant_a_admin, engineer=engineer, guard=guard)

    return make


def load(pk: int) -> HotWorkPermit:
    return HotWorkPermit.objects.select_related("tenant", "unit__floor__building", "document").get(pk=pk)


def test_twenty_simultaneous_security_approvals_issue_one_paper(permit_in, guard):
    permit = permit_in("security_review")
    results = run_at_once(
        20, lambda i: load(permit.pk), lambda i, obj: hot_work.hot_work_security_approve(obj=obj, by=guard)
    )
    assert sum(isinstance(r, HotWorkPermit) for r in results) == 1, results
    assert sum(isinstance(r, TransitionRefused) for r in results) == 19, results
    assert Document.objects.filter(kind="hot_work_permit").count() == 1
    assert AuditEvent.objects.filter(action="hot_work.approved", object_id=permit.pk).count() == 1


def test_ten_simultaneous_site_checks_start_the_work_once(permit_in, guard):
    permit = permit_in("approved")
    inside = permit.starts_at + dt.timedelta(minutes=1)
    results = run_at_once(
        10,
        lambda i: load(permit.pk),
        lambda i, obj: hot_work.hot_work_site_check(obj=obj, by=guard, ticked=SiteCheck.values, now=inside),
    )
    assert sum(isinstance(r, HotWorkPermit) for r in results) == 1, results
    assert AuditEvent.objects.filter(action="hot_work.started", object_id=permit.pk).count() == 1


def test_two_workers_expire_a_permit_once(permit_in):
    permit = permit_in("approved")
    after = permit.ends_at + dt.timedelta(minutes=1)
    results = run_at_once(2, lambda i: None, lambda i, _: hot_work.expire_due(HotWorkPermit, [permit.pk], after))
    assert sorted(r for r in results if isinstance(r, int)) in ([0, 1], [1]), results
    assert AuditEvent.objects.filter(action="hot_work.expired", object_id=permit.pk).count() == 1
