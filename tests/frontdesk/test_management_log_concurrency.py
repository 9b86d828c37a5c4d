"""The management log under concurrency (threads with their own connections, released by a
barrier): ten scheduler runs at once open yesterday's log once with one deadline; ten
signatures at once sign it once with one PDF."""

import datetime as dt

import pytest
from django.utils import timezone

from frontdesk import management_log_services as services
from frontdesk.models import ManagementLog
from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent, Deadline
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_scheduler_runs_at_once_open_the_log_once_with_one_deadline():
    results = run_at_once(10, lambda i: None, lambda i, _: services.open_yesterday())
    assert sorted(results) == [False] * 9 + [True]
    log = ManagementLog.objects.get()
    assert log.date == timezone.localdate() - dt.timedelta(days=1)
    assert Deadline.objects.filter(kind="log_sign", object_id=log.pk).count() == 1
    assert AuditEvent.objects.filter(action="management_log.opened").count() == 1


def test_ten_signatures_at_once_sign_once(supervisor):
    day = timezone.localdate() - dt.timedelta(days=1)
    services.open_yesterday()

    def sign(i, _):
        return services.log_sign(day=day, by=supervisor)

    results = run_at_once(10, lambda i: None, sign)
    assert len([r for r in results if isinstance(r, ManagementLog)]) == 1
    assert all(isinstance(r, ManagementLog) or type(r).__name__ == "TransitionRefused" for r in results)
    assert Document.objects.filter(kind="management_log").count() == 1
    assert AuditEvent.objects.filter(action="management_log.signed").count() == 1
