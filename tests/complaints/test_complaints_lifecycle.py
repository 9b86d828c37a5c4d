"""A complaint from the record to the sent reply: every transition by the roles allowed, and
refused (403, or the state) for everyone else; each audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from complaints import services
from complaints.models import Complaint
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from tests import factories

from .helpers import category, in_state, recorded

pytestmark = pytest.mark.django_db


def events(complaint) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=complaint.pk, action__startswith="complaint.").values_list(
            "action", flat=True
        )
    )


def test_the_happy_path_closes_with_every_step_audited(desk, supervisor, engineer):
    complaint = in_state("closed", desk=desk, supervisor=supervisor, engineer=engineer)
    complaint.refresh_from_db()
    assert complaint.status == "closed"
    assert complaint.number.startswith("TS-")
    assert complaint.department == "engineering" and complaint.assignee == engineer
    assert complaint.approved_reply == "已调整空调风速，噪音已消除。" and complaint.approved_by == supervisor
    assert complaint.reply_via == "phone" and complaint.reply_sent_by == desk and complaint.closed_at
    assert events(complaint)[:6] == [
        "complaint.recorded",
        "complaint.acknowledged",
        "complaint.assigned",
        "complaint.reply_proposed",
        "complaint.reply_approved",
        "complaint.replied",
    ]


def test_an_empty_complaint_is_a_field_error_and_saves_nothing(desk):
    with pytest.raises(ValidationError) as exc:
        recorded(desk, content="   ")
    assert "content" in exc.value.message_dict
    assert not Complaint.objects.exists()


def test_an_inactive_category_or_an_unknown_channel_are_field_errors(desk):
    old = category("旧分类")
    old.active = False
    old.save()
    with pytest.raises(ValidationError) as exc:
        recorded(desk, category=old, channel="fax")
    assert {"category", "channel"} <= set(exc.value.message_dict)


def test_a_tenant_files_in_the_portal_for_its_own_company(tenant_a, tenant_a_admin, tenant_b):
    complaint = services.record(
        by=tenant_a_admin, category=category(), channel="desk", tenant=tenant_b, content="电梯等待时间过长"
    )
    assert complaint.tenant == tenant_a and complaint.channel == "portal"
    assert complaint.complainant_email == tenant_a_admin.email


def test_staff_other_than_the_desk_cannot_record(engineer):
    with pytest.raises(PermissionDenied):
        recorded(engineer)


@pytest.mark.parametrize("who", ["engineer", "guard", "finance", "tenant_a_admin"])
def test_only_the_desk_acknowledges(persona, desk, who):
    complaint = recorded(desk)
    with pytest.raises(PermissionDenied):
        services.acknowledge(complaint, by=persona(who))
    services.acknowledge(complaint, by=persona("supervisor"))
    assert complaint.status == "acknowledged"


def test_assign_needs_a_person_of_the_department(desk, engineer, guard):
    complaint = recorded(desk)
    services.acknowledge(complaint, by=desk)
    with pytest.raises(ValidationError) as exc:
        services.assign(complaint, department="security", assignee=engineer, by=desk)
    assert "assignee" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.assign(complaint, department="laundry", assignee=engineer, by=desk)
    assert "department" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.assign(complaint, department="engineering", assignee=engineer, by=engineer)
    complaint.refresh_from_db()
    assert complaint.status == "acknowledged" and complaint.assignee is None
    services.assign(complaint, department="security", assignee=guard, by=desk)
    assert complaint.status == "assigned"


def test_assign_before_acknowledging_is_refused(desk, engineer):
    complaint = recorded(desk)
    with pytest.raises(TransitionRefused):
        services.assign(complaint, department="engineering", assignee=engineer, by=desk)


def test_the_assignee_is_told(desk, engineer, supervisor):
    from jinyuan.workflow.models import Notification

    in_state("assigned", desk=desk, supervisor=supervisor, engineer=engineer)
    assert Notification.objects.filter(recipient=engineer).count() == 1


def test_the_assignee_or_the_department_proposes_others_are_refused(desk, supervisor, engineer, guard, tenant_a_admin):
    colleague = factories.UserFactory(username="eng2", roles=["engineering"])
    complaint = in_state("assigned", desk=desk, supervisor=supervisor, engineer=engineer)
    for outsider in (guard, tenant_a_admin, desk):
        with pytest.raises(PermissionDenied):
            services.propose_reply(complaint, text="好的", by=outsider)
    services.propose_reply(complaint, text="已处理", by=colleague)
    assert complaint.status == "proposed" and complaint.proposed_by == colleague


def test_a_reply_longer_than_allowed_is_a_field_error(desk, supervisor, engineer, settings):
    settings.COMPLAINT_REPLY_MAX_LENGTH = 10
    complaint = in_state("assigned", desk=desk, supervisor=supervisor, engineer=engineer)
    with pytest.raises(ValidationError) as exc:
        services.propose_reply(complaint, text="字" * 11, by=engineer)
    assert "reply_draft" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.propose_reply(complaint, text="  ", by=engineer)
    assert "reply_draft" in exc.value.message_dict
    complaint.refresh_from_db()
    assert complaint.status == "assigned" and complaint.reply_draft == ""


@pytest.mark.parametrize("who", ["desk", "engineer", "guard", "finance", "tenant_a_admin"])
def test_approval_by_anyone_but_a_supervisor_is_refused(persona, desk, supervisor, engineer, who):
    complaint = in_state("proposed", desk=desk, supervisor=supervisor, engineer=engineer)
    with pytest.raises(PermissionDenied):
        services.approve_reply(complaint, by=persona(who))
    complaint.refresh_from_db()
    assert complaint.status == "proposed" and complaint.approved_reply == ""


def test_the_supervisor_may_reword_as_they_approve(desk, supervisor, engineer):
    complaint = in_state("proposed", desk=desk, supervisor=supervisor, engineer=engineer)
    services.approve_reply(complaint, by=supervisor, text="感谢反馈，空调已检修。")
    assert complaint.approved_reply == "感谢反馈，空调已检修。"
    assert AuditEvent.objects.get(action="complaint.reply_approved").data == {"edited": True}


def test_send_back_needs_a_reason_and_returns_it_to_the_department(desk, supervisor, engineer):
    complaint = in_state("proposed", desk=desk, supervisor=supervisor, engineer=engineer)
    with pytest.raises(ValidationError):
        services.send_back(complaint, by=supervisor, reason="")
    with pytest.raises(PermissionDenied):
        services.send_back(complaint, by=desk, reason="不够详细")
    services.send_back(complaint, by=supervisor, reason="不够详细")
    assert complaint.status == "assigned"
    assert AuditEvent.objects.get(action="complaint.sent_back").note == "不够详细"
    services.propose_reply(complaint, text="更详细的答复", by=engineer)
    assert complaint.status == "proposed"


def test_sending_needs_an_approved_reply_and_the_desk(desk, supervisor, engineer):
    complaint = in_state("proposed", desk=desk, supervisor=supervisor, engineer=engineer)
    with pytest.raises(TransitionRefused):
        services.send_reply(complaint, via="phone", by=desk)
    services.approve_reply(complaint, by=supervisor)
    with pytest.raises(PermissionDenied):
        services.send_reply(complaint, via="phone", by=engineer)
    with pytest.raises(ValidationError) as exc:
        services.send_reply(complaint, via="pigeon", by=desk)
    assert "reply_via" in exc.value.message_dict
    complaint.refresh_from_db()
    assert complaint.status == "approved"


def test_sending_tells_the_company_and_emails_the_complainant(
    desk, supervisor, engineer, tenant_a, tenant_a_admin, mailoutbox, django_capture_on_commit_callbacks
):
    from jinyuan.workflow.models import Notification

    complaint = in_state(
        "approved",
        desk=desk,
        supervisor=supervisor,
        engineer=engineer,
        tenant=tenant_a,
        complainant_email="w@a.example",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.send_reply(complaint, via="email", by=desk)
    assert Notification.objects.filter(recipient=tenant_a_admin, dedup_key__contains="replied-0").count() == 1
    replies = [m for m in mailoutbox if m.to == ["w@a.example"]]
    assert len(replies) == 1 and replies[0].body == complaint.approved_reply
    # The task run again sends nothing.
    assert services.email_reply(complaint.pk) is False
    assert len([m for m in mailoutbox if m.to == ["w@a.example"]]) == 1


def test_waiting_for_the_complainant_and_back(desk, supervisor, engineer):
    complaint = in_state("acknowledged", desk=desk, supervisor=supervisor, engineer=engineer)
    with pytest.raises(ValidationError):
        services.wait_for_complainant(complaint, by=desk, reason="")
    with pytest.raises(PermissionDenied):
        services.wait_for_complainant(complaint, by=engineer, reason="缺照片")
    services.wait_for_complainant(complaint, by=desk, reason="请补充照片")
    assert complaint.status == "waiting"
    services.resume(complaint, by=desk)
    assert complaint.status == "acknowledged"
    services.assign(complaint, department="engineering", assignee=engineer, by=desk)
    # The assignee may pause it too; it comes back to them.
    services.wait_for_complainant(complaint, by=engineer, reason="约时间现场查看")
    services.resume(complaint, by=engineer)
    assert complaint.status == "assigned"


def test_waiting_is_refused_once_a_reply_is_proposed(desk, supervisor, engineer):
    complaint = in_state("proposed", desk=desk, supervisor=supervisor, engineer=engineer)
    with pytest.raises(TransitionRefused):
        services.wait_for_complainant(complaint, by=desk, reason="x")


def test_the_desk_cancels_with_a_reason_others_cannot(desk, supervisor, engineer):
    complaint = in_state("assigned", desk=desk, supervisor=supervisor, engineer=engineer)
    with pytest.raises(PermissionDenied):
        services.cancel(complaint, by=engineer, reason="重复")
    with pytest.raises(ValidationError):
        services.cancel(complaint, by=desk, reason="")
    services.cancel(complaint, by=desk, reason="重复登记")
    assert complaint.status == "cancelled"
    with pytest.raises(TransitionRefused):
        services.acknowledge(complaint, by=desk)


def test_the_complainant_withdraws_their_own_in_the_portal(tenant_a_admin, tenant_a_staff, desk):
    complaint = services.record(by=tenant_a_admin, category=category(), channel="portal", content="停车位被占")
    with pytest.raises(PermissionDenied):
        services.withdraw(complaint, by=tenant_a_staff, reason="已解决")
    with pytest.raises(PermissionDenied):
        services.withdraw(complaint, by=desk, reason="已解决")
    services.withdraw(complaint, by=tenant_a_admin, reason="已自行解决")
    assert complaint.status == "cancelled"
    assert "complaint.withdrawn" in events(complaint)


def test_mark_validity_needs_a_reason_and_the_desk(desk, supervisor, engineer):
    complaint = in_state("assigned", desk=desk, supervisor=supervisor, engineer=engineer)
    with pytest.raises(ValidationError) as exc:
        services.mark_validity(complaint, valid=False, reason=" ", by=supervisor)
    assert "validity_reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.mark_validity(complaint, valid=True, reason="属实", by=engineer)
    services.mark_validity(complaint, valid=False, reason="非物业管理范围", by=supervisor)
    complaint.refresh_from_db()
    assert complaint.validity == "invalid" and complaint.validity_reason == "非物业管理范围"
    event = AuditEvent.objects.get(action="complaint.validity_marked")
    assert event.data == {"validity": "invalid", "previous_validity": "undecided"} and event.actor == supervisor


def test_mark_validity_on_a_stale_copy_is_refused(desk, supervisor, engineer):
    complaint = in_state("assigned", desk=desk, supervisor=supervisor, engineer=engineer)
    stale = Complaint.objects.get(pk=complaint.pk)
    services.mark_validity(complaint, valid=True, reason="属实", by=desk)
    with pytest.raises(TransitionRefused):
        services.mark_validity(stale, valid=False, reason="不属实", by=supervisor)
    complaint.refresh_from_db()
    assert complaint.validity == "valid"
    assert AuditEvent.objects.filter(action="complaint.validity_marked").count() == 1


def test_the_desk_reopens_a_closed_complaint_counted(desk, supervisor, engineer):
    complaint = in_state("closed", desk=desk, supervisor=supervisor, engineer=engineer)
    with pytest.raises(PermissionDenied):
        services.reopen(complaint, by=engineer, reason="仍有噪音")
    services.reopen(complaint, by=desk, reason="仍有噪音")
    complaint.refresh_from_db()
    assert complaint.status == "assigned" and complaint.reopen_count == 1
    assert complaint.approved_reply == "" and complaint.reply_sent_at is None and complaint.closed_at is None
    assert complaint.assignee == engineer


# --- attachments and the timeline ------------------------------------------------------------------


def test_an_oversized_attachment_is_a_field_error_and_saves_no_complaint(desk, settings, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import MINIMAL_PDF

    settings.UPLOAD_MAX_BYTES = 20
    big = SimpleUploadedFile("letter.pdf", MINIMAL_PDF, content_type="application/pdf")
    fields = {"channel": "letter", "complainant_name": "王", "content": "来信投诉噪音"}
    with pytest.raises(ValidationError) as exc:
        services.record_with_attachments(by=desk, category=category(), files=[big], **fields)
    assert "files" in exc.value.message_dict
    assert not Complaint.objects.exists()


def test_evidence_is_attached_with_its_kind(desk, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jinyuan.attachments.selectors import attachments_of
    from tests.factories import MINIMAL_PDF

    letter = SimpleUploadedFile("letter.pdf", MINIMAL_PDF, content_type="application/pdf")
    fields = {"channel": "letter", "complainant_name": "王", "content": "来信投诉噪音"}
    complaint = services.record_with_attachments(by=desk, category=category(), files=[letter], **fields)
    assert [a.kind for a in attachments_of(complaint)] == ["evidence"]


@pytest.mark.usefixtures("english")
def test_every_event_on_the_timeline_has_a_label(desk, supervisor, engineer):
    from jinyuan.workflow.selectors import timeline

    complaint = in_state("closed", desk=desk, supervisor=supervisor, engineer=engineer)
    services.reopen(complaint, by=desk, reason="仍有噪音")
    services.mark_validity(complaint, valid=True, reason="属实", by=desk)
    services.wait_for_complainant(complaint, by=engineer, reason="约时间")
    services.resume(complaint, by=engineer)
    services.cancel(complaint, by=desk, reason="重复")
    rows = list(timeline(complaint))
    assert len(rows) >= 10
    assert [e.action for e in rows if e.action_label == e.action] == []
    assigned = next(e for e in rows if e.action == "complaint.assigned")
    assert ("Department", "Engineering") in assigned.details


def test_supervisors_are_told_of_each_proposed_reply(desk, supervisor, engineer):
    from jinyuan.workflow.models import Notification

    complaint = in_state("proposed", desk=desk, supervisor=supervisor, engineer=engineer)
    assert Notification.objects.filter(recipient=supervisor, dedup_key__endswith="proposed-1").count() == 1
    services.send_back(complaint, by=supervisor, reason="不够详细")
    services.propose_reply(complaint, text="更详细的答复", by=engineer)
    assert Notification.objects.filter(recipient=supervisor, dedup_key__contains="-proposed-").count() == 2


def test_a_source_without_its_record_links_nowhere_and_the_admin_cannot_change_it():
    from complaints.admin import ComplaintAdmin
    from complaints.models import Complaint

    assert Complaint(source_type_id=1, source_id=None).source_url == ""
    assert {"source_type", "source_id"} <= set(ComplaintAdmin.readonly_fields)
