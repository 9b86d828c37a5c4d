"""Announcements through their services: drafting rules, the workflow (allowed and refused),
publishing once, the companies addressed, read receipts, calls and the notifications."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from frontdesk import notice_services as services
from frontdesk.models import Announcement, AnnouncementCall, AnnouncementRead, AnnouncementReceipt
from frontdesk.tasks import notify_announcement, publish_due_announcements
from jinyuan.workflow.models import AuditEvent, Notification
from jinyuan.workflow.services import TransitionRefused
from tests import factories
from tests.frontdesk.notice_data import draft, make, published

pytestmark = pytest.mark.django_db


def events(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=obj.pk, action__startswith="announcement.").values_list("action", flat=True)
    )


# --- drafting: field errors ------------------------------------------------------------------------


def test_expiry_at_or_before_publish_time_is_a_field_error(desk):
    now = timezone.now()
    for expires in (now, now - dt.timedelta(hours=1)):
        with pytest.raises(ValidationError) as exc:
            draft(desk, publish_at=now, expires_at=expires)
        assert "expires_at" in exc.value.message_dict
    assert not Announcement.objects.exists()


def test_empty_title_and_text_are_field_errors(desk):
    with pytest.raises(ValidationError) as exc:
        draft(desk, title="  ", text="")
    assert {"title", "text"} <= set(exc.value.message_dict)


def test_floor_of_another_building_is_a_field_error(desk, building):
    other = factories.BuildingFactory(code="B", name="B座")
    floor_b = factories.FloorFactory(building=other, number=3)
    with pytest.raises(ValidationError) as exc:
        draft(desk, audience=Announcement.Audience.FLOORS, building=building, floors=[floor_b])
    assert "floors" in exc.value.message_dict


def test_chosen_tenants_without_a_tenant_is_a_field_error(desk):
    with pytest.raises(ValidationError) as exc:
        draft(desk, audience=Announcement.Audience.TENANTS, tenants=[])
    assert "tenants" in exc.value.message_dict


def test_drafting_writes_an_event(desk):
    obj = draft(desk)
    assert obj.status == Announcement.Status.DRAFT
    assert events(obj) == ["announcement.drafted"]


# --- workflow --------------------------------------------------------------------------------------


def test_desk_cannot_approve(desk):
    obj = draft(desk)
    with pytest.raises(PermissionDenied):
        services.announcement_approve(obj=obj, by=desk)
    obj.refresh_from_db()
    assert obj.status == Announcement.Status.DRAFT


def test_approval_of_a_due_announcement_publishes_it_at_once(desk, supervisor, tenant_a, tenant_b):
    obj = published(desk, supervisor)
    obj.refresh_from_db()
    assert obj.status == Announcement.Status.PUBLISHED
    assert obj.addressed_count == 2
    assert events(obj) == ["announcement.drafted", "announcement.approved", "announcement.published"]


def test_second_approval_changes_nothing(desk, supervisor, tenant_a):
    obj = published(desk, supervisor)
    before = (obj.status, AnnouncementReceipt.objects.count(), AuditEvent.objects.count())
    with pytest.raises(TransitionRefused):
        services.announcement_approve(obj=Announcement.objects.get(pk=obj.pk), by=supervisor)
    assert (
        Announcement.objects.get(pk=obj.pk).status,
        AnnouncementReceipt.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_a_later_one_waits_for_its_publish_time(desk, supervisor, tenant_a):
    obj = make("approved", desk, supervisor)
    assert obj.status == Announcement.Status.APPROVED
    assert services.publish_due(now=timezone.now()) == 0
    assert services.publish_due(now=obj.publish_at + dt.timedelta(seconds=1)) == 1
    obj.refresh_from_db()
    assert obj.status == Announcement.Status.PUBLISHED
    assert obj.receipts.count() == 1


def test_beat_publishes_once_when_it_runs_twice(
    desk, supervisor, tenant_a, tenant_b, tenant_a_admin, time_machine, django_capture_on_commit_callbacks
):
    obj = make("approved", desk, supervisor)
    time_machine.move_to(obj.publish_at + dt.timedelta(seconds=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due_announcements() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert publish_due_announcements() == 0
    assert obj.receipts.count() == 2
    assert events(obj).count("announcement.published") == 1
    assert Notification.objects.filter(recipient=tenant_a_admin).count() == 1


def test_withdrawn_cannot_be_published(desk, supervisor, tenant_a):
    obj = make("approved", desk, supervisor)
    services.announcement_withdraw(obj=obj, by=desk, note="时间改了")
    assert services.publish_due(now=obj.publish_at + dt.timedelta(minutes=1)) == 0
    obj.refresh_from_db()
    assert obj.status == Announcement.Status.WITHDRAWN
    assert obj.withdrawal_reason == "时间改了"
    assert not obj.receipts.exists()
    with pytest.raises(TransitionRefused):
        services.announcement_publish(obj=obj)


def test_withdrawal_needs_a_reason(desk, supervisor, tenant_a):
    obj = published(desk, supervisor)
    with pytest.raises(ValidationError):
        services.announcement_withdraw(obj=obj, by=desk, note=" ")
    assert Announcement.objects.get(pk=obj.pk).status == Announcement.Status.PUBLISHED


def test_withdrawal_after_publishing_leaves_the_portal(desk, supervisor, tenant_a):
    from frontdesk.notice_selectors import live_receipts

    obj = published(desk, supervisor)
    assert live_receipts(tenant_a).count() == 1
    services.announcement_withdraw(obj=obj, by=supervisor, note="误发")
    assert live_receipts(tenant_a).count() == 0
    assert "announcement.withdrawn" in events(obj)


def test_tenant_cannot_withdraw(desk, supervisor, tenant_a, tenant_a_admin):
    obj = published(desk, supervisor)
    with pytest.raises(PermissionDenied):
        services.announcement_withdraw(obj=obj, by=tenant_a_admin, note="x")


def test_expired_ones_leave_the_portal_and_the_beat_marks_them(desk, supervisor, tenant_a):
    from frontdesk.notice_selectors import live_receipts

    obj = published(desk, supervisor)
    later = obj.expires_at + dt.timedelta(minutes=1)
    assert live_receipts(tenant_a, now=later).count() == 0
    assert services.publish_due(now=later) == 1
    assert services.publish_due(now=later) == 0
    obj.refresh_from_db()
    assert obj.status == Announcement.Status.EXPIRED
    assert "announcement.expired" in events(obj)


# --- the companies addressed ------------------------------------------------------------------------


def test_a_building_reaches_the_companies_occupying_it_now(desk, supervisor, building, tenant_a, tenant_b):
    other = factories.BuildingFactory(code="B", name="B座")
    unit_c = factories.UnitFactory(floor=factories.FloorFactory(building=other, number=2), number="201")
    tenant_c = factories.TenantFactory(name="丙公司")
    factories.OccupancyFactory(tenant=tenant_c, unit=unit_c, start=timezone.localdate() - dt.timedelta(days=10))
    gone = factories.TenantFactory(name="已搬走公司")
    factories.OccupancyFactory(
        tenant=gone,
        unit=factories.UnitFactory(floor=factories.FloorFactory(building=building, number=20), number="2001"),
        start=timezone.localdate() - dt.timedelta(days=100),
        end=timezone.localdate() - dt.timedelta(days=1),
    )
    obj = published(desk, supervisor, audience=Announcement.Audience.BUILDING, building=building)
    assert set(obj.receipts.values_list("tenant_id", flat=True)) == {tenant_a.pk, tenant_b.pk}


def test_floors_reach_only_those_floors(desk, supervisor, building, unit_a, tenant_a, tenant_b):
    obj = published(desk, supervisor, audience=Announcement.Audience.FLOORS, building=building, floors=[unit_a.floor])
    assert list(obj.receipts.values_list("tenant_id", flat=True)) == [tenant_a.pk]


def test_chosen_tenants_reach_only_them(desk, supervisor, tenant_a, tenant_b):
    obj = published(desk, supervisor, audience=Announcement.Audience.TENANTS, tenants=[tenant_b])
    assert list(obj.receipts.values_list("tenant_id", flat=True)) == [tenant_b.pk]


# --- read receipts ---------------------------------------------------------------------------------


def test_first_reader_is_counted_once(desk, supervisor, tenant_a, tenant_a_admin, tenant_a_staff, tenant_b):
    obj = published(desk, supervisor)
    receipt = AnnouncementReceipt.objects.get(announcement=obj, tenant=tenant_a)
    first = timezone.now()
    services.announcement_read(receipt=receipt, user=tenant_a_admin, now=first)
    services.announcement_read(
        receipt=AnnouncementReceipt.objects.get(pk=receipt.pk), user=tenant_a_admin, now=first + dt.timedelta(hours=1)
    )
    services.announcement_read(
        receipt=AnnouncementReceipt.objects.get(pk=receipt.pk), user=tenant_a_staff, now=first + dt.timedelta(hours=2)
    )
    receipt.refresh_from_db()
    obj.refresh_from_db()
    assert (receipt.first_reader, receipt.first_read_at) == (tenant_a_admin, first)
    assert obj.read_count == 1
    assert AnnouncementReceipt.objects.filter(announcement=obj, tenant=tenant_a).count() == 1
    assert AnnouncementRead.objects.filter(announcement=obj).count() == 2


def test_a_stale_receipt_does_not_count_twice(desk, supervisor, tenant_a, tenant_a_admin, tenant_a_staff):
    obj = published(desk, supervisor)
    one = AnnouncementReceipt.objects.get(announcement=obj)
    two = AnnouncementReceipt.objects.get(announcement=obj)  # read before the first reader's write
    services.announcement_read(receipt=one, user=tenant_a_admin)
    services.announcement_read(receipt=two, user=tenant_a_staff)
    obj.refresh_from_db()
    assert obj.read_count == 1
    assert AnnouncementReceipt.objects.get(pk=one.pk).first_reader == tenant_a_admin


# --- calls -----------------------------------------------------------------------------------------


def test_a_call_is_recorded_with_an_event(desk, supervisor, tenant_b):
    obj = published(desk, supervisor)
    receipt = AnnouncementReceipt.objects.select_related("tenant", "announcement").get(announcement=obj)
    services.announcement_call(receipt=receipt, by=desk, result="not_reached", note="无人接听")
    receipt.refresh_from_db()
    assert receipt.last_call_result == "not_reached"
    assert AnnouncementCall.objects.get().called_by == desk
    event = AuditEvent.objects.get(action="announcement.called")
    assert event.object_id == obj.pk and event.data["tenant"] == tenant_b.name


def test_a_call_needs_a_result(desk, supervisor, tenant_b):
    obj = published(desk, supervisor)
    receipt = AnnouncementReceipt.objects.select_related("tenant", "announcement").get(announcement=obj)
    with pytest.raises(ValidationError):
        services.announcement_call(receipt=receipt, by=desk, result="maybe")
    assert not AnnouncementCall.objects.exists()


# --- notifications ---------------------------------------------------------------------------------


def test_each_portal_user_is_told_once_and_urgent_ones_by_every_channel(
    desk, supervisor, tenant_a_admin, tenant_a_staff, tenant_b_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        obj = published(desk, supervisor)
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        tenant_a_admin.pk,
        tenant_a_staff.pk,
        tenant_b_admin.pk,
    }
    assert notify_announcement(obj.pk) == 0  # a second run: nothing more
    assert Notification.objects.count() == 3
    assert set(Notification.objects.first().channels) == {"email", "sms"}


def test_a_plain_one_goes_by_e_mail_only(desk, supervisor, tenant_a_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        published(desk, supervisor, urgent=False, category=Announcement.Category.GENERAL)
    assert Notification.objects.get(recipient=tenant_a_admin).channels == ["email"]


# --- expiry against the clock, the approval's fresh row, the withdrawal reason ---------------------


def test_an_expiry_already_past_is_a_field_error(desk):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        draft(desk, publish_at=now - dt.timedelta(days=2), expires_at=now - dt.timedelta(days=1))
    assert "expires_at" in exc.value.message_dict
    assert not Announcement.objects.exists()


def test_an_approved_one_past_its_expiry_expires_unpublished(desk, supervisor, tenant_a):
    obj = make("approved", desk, supervisor)
    later = obj.expires_at + dt.timedelta(minutes=1)
    assert services.publish_due(now=later) == 1
    obj.refresh_from_db()
    assert obj.status == Announcement.Status.EXPIRED
    assert obj.published_at is None
    assert not AnnouncementReceipt.objects.filter(announcement=obj).exists()
    assert "announcement.published" not in events(obj)


def test_approval_publishes_the_audience_as_saved_not_as_first_read(desk, supervisor, tenant_a, tenant_b):
    obj = draft(desk, audience=Announcement.Audience.TENANTS, tenants=[tenant_a])
    stale = Announcement.objects.get(pk=obj.pk)
    Announcement.objects.filter(pk=obj.pk).update(audience=Announcement.Audience.ALL)
    services.announcement_approve(obj=stale, by=supervisor)
    addressed = set(AnnouncementReceipt.objects.filter(announcement=obj).values_list("tenant_id", flat=True))
    assert {tenant_a.pk, tenant_b.pk} <= addressed


def test_a_withdrawal_reason_longer_than_kept_is_refused_not_cut(desk, supervisor, tenant_a):
    obj = published(desk, supervisor)
    with pytest.raises(ValidationError) as exc:
        services.announcement_withdraw(obj=obj, by=supervisor, note="因" * 501)
    assert "note" in exc.value.message_dict
    obj.refresh_from_db()
    assert obj.status == Announcement.Status.PUBLISHED
