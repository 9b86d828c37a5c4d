"""Announcements under concurrency (threads with their own connections, released by a barrier):
ten users of one company opening it at once make one company receipt and one read counted;
ten beat runs at once publish an announcement once; ten approvals at once approve it once."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from frontdesk import notice_services as services
from frontdesk.models import Announcement, AnnouncementRead, AnnouncementReceipt
from jinyuan.workflow.models import AuditEvent
from tests import factories
from tests.concurrency import run_at_once
from tests.frontdesk.notice_data import draft, make, published

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_readers_of_one_company_at_once_count_one_read(desk, supervisor, tenant_a):
    users = [factories.UserFactory(username=f"reader{i}") for i in range(10)]
    for user in users:
        factories.MembershipFactory(user=user, tenant=tenant_a, role="staff")
    obj = published(desk, supervisor)

    def prepare(i):
        return AnnouncementReceipt.objects.get(announcement=obj, tenant=tenant_a), get_user_model().objects.get(
            pk=users[i].pk
        )

    def read(i, prepared):
        receipt, user = prepared
        return services.announcement_read(receipt=receipt, user=user)

    results = run_at_once(10, prepare, read)
    assert not [r for r in results if isinstance(r, BaseException)]
    obj.refresh_from_db()
    assert obj.read_count == 1
    assert AnnouncementRead.objects.filter(announcement=obj).count() == 10
    assert AnnouncementReceipt.objects.get(announcement=obj).first_reader_id in {u.pk for u in users}


def test_ten_beat_runs_at_once_publish_once(desk, supervisor, tenant_a, tenant_b):
    obj = make("approved", desk, supervisor)
    moment = obj.publish_at + dt.timedelta(seconds=1)
    results = run_at_once(10, lambda i: None, lambda i, _: services.publish_due(now=moment))
    assert sorted(results) == [0] * 9 + [1]
    assert AnnouncementReceipt.objects.filter(announcement=obj).count() == 2
    assert AuditEvent.objects.filter(object_id=obj.pk, action="announcement.published").count() == 1


def test_ten_approvals_at_once_approve_once(desk, supervisor, tenant_a):
    obj = draft(
        desk, publish_at=timezone.now() + dt.timedelta(days=1), expires_at=timezone.now() + dt.timedelta(days=2)
    )
    results = run_at_once(
        10,
        lambda i: Announcement.objects.get(pk=obj.pk),
        lambda i, mine: services.announcement_approve(obj=mine, by=supervisor),
    )
    assert len([r for r in results if isinstance(r, Announcement)]) == 1
    assert AuditEvent.objects.filter(object_id=obj.pk, action="announcement.approved").count() == 1
