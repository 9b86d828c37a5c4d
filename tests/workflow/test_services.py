"""The kernel: transitions, audit events, gapless numbers, notifications sent once."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from jinyuan.workflow import services
from jinyuan.workflow.models import AuditEvent, Notification, NumberSequence
from jinyuan.workflow.selectors import timeline, unread_notifications
from jinyuan.workflow.services import TransitionRefused, next_number, notify, transition
from jinyuan.workflow.tasks import email_notification
from permits.models import PremisesCertificate
from tests import factories

pytestmark = pytest.mark.django_db


def events_of(obj) -> list[AuditEvent]:
    return list(timeline(obj))


# --- transition() --------------------------------------------------------------------------------


def test_allowed_transition_changes_state_and_writes_one_event(make_certificate, desk):
    cert = make_certificate("submitted")
    before = AuditEvent.objects.count()
    transition(cert, "pass_check", by=desk, note="租赁合同已核对", data={"k": 1})
    cert.refresh_from_db()
    assert cert.status == "checked"
    assert AuditEvent.objects.count() == before + 1
    event = events_of(cert)[-1]
    assert (event.action, event.from_state, event.to_state) == ("certificate.checked", "submitted", "checked")
    assert event.actor == desk
    assert event.note == "租赁合同已核对"
    assert event.data == {"k": 1}


def test_transition_in_the_wrong_state_is_refused_and_changes_nothing(make_certificate, supervisor):
    cert = make_certificate("submitted")
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused):
        transition(cert, "approve", by=supervisor)
    assert cert.status == "submitted"
    cert.refresh_from_db()
    assert cert.status == "submitted"
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("who", ["desk", "engineer", "guard", "finance", "tenant_a_admin", "tenant_b_admin"])
def test_transition_for_the_wrong_role_is_permission_denied_and_changes_nothing(make_certificate, persona, who):
    cert = make_certificate("checked")
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        transition(cert, "approve", by=persona(who))
    cert.refresh_from_db()
    assert cert.status == "checked"
    assert AuditEvent.objects.count() == before


def test_anonymous_cannot_run_a_transition(make_certificate):
    from django.contrib.auth.models import AnonymousUser

    cert = make_certificate("submitted")
    with pytest.raises(PermissionDenied):
        transition(cert, "pass_check", by=AnonymousUser())
    cert.refresh_from_db()
    assert cert.status == "submitted"


def test_stale_copy_loses_compare_and_swap(make_certificate, desk):
    cert = make_certificate("submitted")
    first = PremisesCertificate.objects.get(pk=cert.pk)
    second = PremisesCertificate.objects.get(pk=cert.pk)
    transition(first, "pass_check", by=desk)
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused):
        transition(second, "send_back", by=desk, note="晚了一步")  # allowed from "submitted" as it read it
    cert.refresh_from_db()
    assert cert.status == "checked"
    assert AuditEvent.objects.count() == before


def test_available_actions_follow_role_and_state(make_certificate, desk, supervisor, guard, tenant_a_admin):
    submitted = make_certificate("submitted")
    assert {a.name for a in services.available_actions(submitted, desk)} == {"pass_check", "send_back"}
    assert {a.name for a in services.available_actions(submitted, guard)} == set()
    assert {a.name for a in services.available_actions(submitted, tenant_a_admin)} == {"withdraw"}
    checked = make_certificate("checked")
    assert {a.name for a in services.available_actions(checked, supervisor)} == {"approve", "reject", "send_back"}
    reject = next(a for a in services.available_actions(checked, supervisor) if a.name == "reject")
    assert reject.needs_note


def test_record_event_without_a_person_has_no_actor(make_certificate):
    from django.contrib.auth.models import AnonymousUser

    cert = make_certificate("submitted")
    event = services.record_event(cert, "certificate.note", by=AnonymousUser(), note="系统")
    assert event.actor is None


# --- numbers -------------------------------------------------------------------------------------


def test_numbers_are_gapless_per_prefix_and_year():
    with transaction.atomic():
        assert [next_number("TS", 2026) for _ in range(3)] == ["TS-2026-00001", "TS-2026-00002", "TS-2026-00003"]
        assert next_number("TS", 2027) == "TS-2027-00001"
        assert next_number("QX", 2026) == "QX-2026-00001"
        assert next_number("TS", 2026) == "TS-2026-00004"
    assert NumberSequence.objects.get(prefix="TS", year=2026).last == 4


def test_number_defaults_to_the_current_local_year():
    from django.utils import timezone

    with transaction.atomic():
        assert next_number("TS") == f"TS-{timezone.localdate().year}-00001"


def test_a_rolled_back_number_is_given_back():
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        assert next_number("RB", 2026) == "RB-2026-00001"
        raise Boom
    with transaction.atomic():
        assert next_number("RB", 2026) == "RB-2026-00001"


@pytest.mark.django_db(transaction=True)
def test_next_number_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the issuing transaction"):
        next_number("XX", 2026)
    assert not NumberSequence.objects.filter(prefix="XX").exists()


# --- notifications -------------------------------------------------------------------------------


def test_notify_dedups_per_recipient_and_key_and_emails_once(desk, guard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify([desk, guard], title="巡查提醒", body="请巡查B2", url="/desk/", dedup_key="patrol-1")
    with django_capture_on_commit_callbacks(execute=True):
        again = notify([desk, guard], title="巡查提醒", body="请巡查B2", url="/desk/", dedup_key="patrol-1")
    assert len(first) == 2
    assert again == []
    assert Notification.objects.filter(dedup_key="patrol-1").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([desk.email, guard.email])
    assert mail.outbox[0].subject == "巡查提醒"
    assert "http://" in mail.outbox[0].body and "/desk/" in mail.outbox[0].body


def test_same_key_for_another_recipient_is_a_new_notification(desk, guard):
    notify([desk], title="t", dedup_key="k")
    assert len(notify([guard], title="t", dedup_key="k")) == 1
    assert len(notify([desk], title="t", dedup_key="k2")) == 1


def test_notification_for_a_user_without_email_sends_no_mail(desk, django_capture_on_commit_callbacks):
    desk.email = ""
    desk.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([desk], title="t", dedup_key="k")
    assert mail.outbox == []
    assert unread_notifications(desk).count() == 1


def test_email_notification_task_run_twice_sends_one_mail(desk):
    (note,) = notify([desk], title="请处理", dedup_key="twice")
    assert email_notification.delay(note.pk).get() is True
    assert email_notification.delay(note.pk).get() is False
    assert len(mail.outbox) == 1
    note.refresh_from_db()
    assert note.emailed_at is not None


def test_email_notification_for_a_missing_notification_does_nothing(db):
    assert email_notification(987654) is False
    assert mail.outbox == []


def test_mark_read_only_for_the_recipient(desk, guard):
    (note,) = notify([desk], title="t", dedup_key="k")
    services.mark_read(notification=note, by=guard)
    note.refresh_from_db()
    assert note.read_at is None
    services.mark_read(notification=note, by=desk)
    note.refresh_from_db()
    assert note.read_at is not None


def test_opening_a_notification_marks_it_read_and_follows_the_link(client_for, desk):
    (note,) = notify([desk], title="t", url=reverse("desk:tenants:tenant_list"), dedup_key="k")
    response = client_for(desk).post(reverse("notification_open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:tenants:tenant_list")
    note.refresh_from_db()
    assert note.read_at is not None


def test_opening_someone_elses_notification_is_404(client_for, desk, guard):
    (note,) = notify([desk], title="t", dedup_key="k")
    assert client_for(guard).post(reverse("notification_open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_notification_list_shows_only_ones_own(client_for, desk, tenant_a_admin):
    notify([desk], title="给前台的消息", dedup_key="k1")
    notify([tenant_a_admin], title="给租户的消息", dedup_key="k2")
    html = client_for(tenant_a_admin).get(reverse("notifications")).content.decode()
    assert "给租户的消息" in html
    assert "给前台的消息" not in html


def test_a_range_of_numbers_continues_the_sequence_in_one_statement(django_assert_num_queries):
    from jinyuan.workflow.services import next_numbers

    with transaction.atomic():
        assert next_number("NR", 2026) == "NR-2026-00001"
        with django_assert_num_queries(1):
            assert next_numbers("NR", 3, 2026) == ["NR-2026-00002", "NR-2026-00003", "NR-2026-00004"]
        assert next_numbers("NQ", 2, 2026) == ["NQ-2026-00001", "NQ-2026-00002"]
        assert next_numbers("NR", 0, 2026) == []
        assert next_number("NR", 2026) == "NR-2026-00005"


def test_a_rolled_back_range_is_given_back_whole():
    from jinyuan.workflow.services import next_numbers

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        next_numbers("RR", 300, 2026)
        raise Boom
    with transaction.atomic():
        assert next_numbers("RR", 2, 2026) == ["RR-2026-00001", "RR-2026-00002"]


def test_events_of_many_records_in_one_insert(desk, django_assert_num_queries):
    from jinyuan.workflow.models import AuditEvent
    from jinyuan.workflow.services import record_events

    users = [factories.UserFactory() for _ in range(3)]
    ContentType.objects.get_for_model(users[0])  # cached, as in any request after the first
    with django_assert_num_queries(1):
        record_events(users, "user.checked", by=desk, to_state="ok", data=lambda u: {"name": u.username})
    events = AuditEvent.objects.filter(action="user.checked").order_by("object_id")
    assert [(e.object_id, e.actor, e.to_state, e.data) for e in events] == [
        (u.pk, desk, "ok", {"name": u.username}) for u in sorted(users, key=lambda u: u.pk)
    ]


def test_a_batch_of_notifications_is_one_insert_and_each_key_once(desk, supervisor, django_assert_num_queries):
    from jinyuan.workflow.models import Notification
    from jinyuan.workflow.services import Message, notify_many

    batch = [
        Message(desk.pk, "New bill %(number)s", {"number": "ZD-1"}, "/a/", "bill-1"),
        Message(supervisor.pk, "New bill %(number)s", {"number": "ZD-2"}, "/b/", "bill-2"),
    ]
    with django_assert_num_queries(1):
        created = notify_many(batch, channels=())
    assert len(created) == 2
    assert notify_many(batch, channels=()) == []  # sent once per recipient and key
    note = Notification.objects.get(recipient=desk)
    assert (note.message, note.args, note.url, note.channels) == ("New bill %(number)s", {"number": "ZD-1"}, "/a/", [])
