"""Notifications: stored as a message id with arguments, rendered in the reader's language,
copied by e-mail and SMS as each user chose, each copy sent once."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_noop

from jinyuan.workflow import sms
from jinyuan.workflow.models import Notification, render_message
from jinyuan.workflow.services import notify
from jinyuan.workflow.tasks import deliver_notifications

pytestmark = pytest.mark.django_db

# A msgid the catalogue translates (locale/zh_Hans): rendered per reader.
OVERDUE = gettext_noop("Overdue: %(kind_label)s of %(record)s was due at %(due)s")
ARGS = {"kind_label": "Review", "record": "#7", "due": "2026-10-08 14:00"}


@pytest.fixture
def sms_outbox(settings):
    settings.SMS_BACKEND = "jinyuan.workflow.sms.LocmemBackend"
    sms._backend.cache_clear()
    sms.LocmemBackend.outbox = []
    yield sms.LocmemBackend.outbox
    sms._backend.cache_clear()


def test_the_message_is_rendered_in_the_readers_language():
    with translation.override("en"):
        assert render_message(OVERDUE, ARGS) == "Overdue: Review of #7 was due at 2026-10-08 14:00"
    with translation.override("zh-hans"):
        assert render_message(OVERDUE, ARGS) == "已超时：#7的审核应于2026-10-08 14:00完成"


def test_a_message_with_missing_arguments_shows_its_text_instead_of_failing():
    with translation.override("en"):
        assert render_message(OVERDUE, {"record": "#7"}) == OVERDUE


def test_the_email_copy_is_in_the_recipients_language(desk, guard, django_capture_on_commit_callbacks):
    desk.language, guard.language = "en", "zh-hans"
    desk.save()
    guard.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([desk, guard], message=OVERDUE, args=ARGS, url="/desk/", dedup_key="k")
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[desk.email].startswith("Overdue: Review")
    assert subjects[guard.email].startswith("已超时")


def test_a_user_who_turned_email_off_gets_it_in_app_only(desk, django_capture_on_commit_callbacks):
    desk.notify_by_email = False
    desk.save()
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = notify([desk], message=OVERDUE, args=ARGS, dedup_key="k")
    assert mail.outbox == []
    note.refresh_from_db()
    assert note.emailed_at is None


def test_sms_goes_to_those_who_chose_it_once(desk, guard, sms_outbox, django_capture_on_commit_callbacks):
    desk.notify_by_sms, desk.phone, desk.language = True, "13800000001", "zh-hans"
    desk.save()
    with django_capture_on_commit_callbacks(execute=True):
        notes = notify([desk, guard], message=OVERDUE, args=ARGS, dedup_key="k", channels=("email", "sms"))
    assert sms_outbox == [("13800000001", "已超时：#7的审核应于2026-10-08 14:00完成")]
    assert deliver_notifications([n.pk for n in notes]) == {"email": 0, "sms": 0}
    assert len(sms_outbox) == 1


def test_sms_is_not_sent_where_the_sender_did_not_allow_it(desk, sms_outbox, django_capture_on_commit_callbacks):
    desk.notify_by_sms, desk.phone = True, "13800000001"
    desk.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([desk], message=OVERDUE, args=ARGS, dedup_key="k")
    assert sms_outbox == []


def test_the_default_sms_backend_writes_to_the_log(caplog, settings):
    sms._backend.cache_clear()
    with caplog.at_level("INFO", logger="jinyuan.sms"):
        sms.send("13800000001", "测试")
    assert "13800000001" in caplog.text


def test_a_plain_title_still_works_as_the_message(desk):
    (note,) = notify([desk], title="巡查提醒", dedup_key="k")
    assert Notification.objects.get(pk=note.pk).title == "巡查提醒"


def test_a_user_chooses_channels_and_language_on_their_page(client_for, desk):
    url = reverse("accounts:notification_settings")
    client = client_for(desk)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"language": "en", "notify_by_email": "", "email": desk.email, "notify_by_sms": "on", "phone": "13800000002"},
    )
    assert response.status_code == 302
    desk.refresh_from_db()
    assert (desk.language, desk.notify_by_email, desk.notify_by_sms, desk.phone) == ("en", False, True, "13800000002")


def test_sms_without_a_phone_number_is_refused_beside_the_field(client_for, desk):
    desk.phone = ""
    desk.save()
    response = client_for(desk).post(
        reverse("accounts:notification_settings"),
        {"language": "zh-hans", "notify_by_email": "on", "email": desk.email, "notify_by_sms": "on", "phone": ""},
    )
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    desk.refresh_from_db()
    assert desk.notify_by_sms is False
