"""The complaint pages: the desk's record of a complaint (and every bad input), the register's
filters, late flags and Excel export, each step of the reply workflow from the complaint's page
(allowed and refused), the tenant's portal pages, and the menus and panels."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from complaints import services
from complaints.models import Complaint
from jinyuan.attachments.models import Attachment
from jinyuan.followups.models import FollowUp
from jinyuan.workflow.models import AuditEvent, Deadline, Notification
from tests import factories
from tests.repairs.page_data import png

from .helpers import category, in_state, recorded

pytestmark = pytest.mark.django_db

NEW = reverse("desk:complaints:complaint_new")
LIST = reverse("desk:complaints:complaint_list")
PORTAL_NEW = reverse("portal:complaints:complaint_new")
PORTAL_LIST = reverse("portal:complaints:complaint_list")


def detail(complaint) -> str:
    return reverse("desk:complaints:complaint_detail", args=[complaint.pk])


def portal_detail(complaint) -> str:
    return reverse("portal:complaints:complaint_detail", args=[complaint.pk])


def pdf(name: str = "letter.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n", "application/pdf")


def intake(**over) -> dict:
    data = {
        "channel": "phone",
        "kind": "complaint",
        "category": category().pk,
        "tenant": "",
        "unit": "",
        "complainant_name": "王建国",
        "complainant_phone": "13877110001",
        "complainant_email": "",
        "content": "大堂空调噪音太大，影响办公",
    }
    data.update(over)
    return data


def fresh(complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


# --- recording at the desk ---------------------------------------------------------------------


def test_desk_records_a_phone_complaint_for_a_tenant_with_files(client_for, desk, tenant_a):
    response = client_for(desk).post(NEW, intake(tenant=tenant_a.pk, urgent="on", files=[png("noise.png"), pdf()]))
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(complaint)
    assert (complaint.tenant, complaint.channel, complaint.status, complaint.urgent) == (
        tenant_a,
        "phone",
        "recorded",
        True,
    )
    assert complaint.applicant == desk and complaint.number.startswith("TS-")
    assert Attachment.objects.filter(object_id=complaint.pk, kind="evidence").count() == 2
    page = client_for(desk).get(response["Location"])
    html = page.content.decode()
    assert complaint.number in html and "王建国" in html and len(page.context["files"]) == 2
    assert {d.kind for d in page.context["deadlines"]} == {"acknowledgement", "reply"}


def test_a_unit_number_alone_finds_the_company_occupying_it(client_for, desk, tenant_a, unit_a):
    client_for(desk).post(NEW, intake(unit="1201"))
    assert Complaint.objects.get().tenant == tenant_a


def test_a_visitor_is_a_name_without_a_company(client_for, desk):
    client_for(desk).post(NEW, intake(channel="desk", complainant_name="过路访客"))
    complaint = Complaint.objects.get()
    assert complaint.tenant is None and complaint.complainant_name == "过路访客"


def test_an_anonymous_caller_needs_no_name(client_for, desk):
    response = client_for(desk).post(NEW, intake(complainant_name="", complainant_phone="", anonymous="on"))
    assert response.status_code == 302
    assert Complaint.objects.get().anonymous


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"content": ""}, "content"),
        ({"content": "   "}, "content"),
        ({"content": "长" * 2001}, "content"),
        ({"category": ""}, "category"),
        ({"category": "987654"}, "category"),
        ({"channel": "portal"}, "channel"),
        ({"channel": "pigeon"}, "channel"),
        ({"kind": "rant"}, "kind"),
        ({"unit": "9999"}, "unit"),
        ({"tenant": "987654"}, "tenant"),
        ({"complainant_phone": "12345"}, "complainant_phone"),
        ({"complainant_email": "not-an-address"}, "complainant_email"),
        ({"complainant_name": ""}, "complainant_name"),  # no name, no company, not anonymous
    ],
)
def test_bad_input_shows_the_error_beside_the_field_and_saves_nothing(client_for, desk, over, field):
    data = intake(**over)
    response = client_for(desk).post(NEW, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Complaint.objects.exists()
    assert response.context["form"].data["content"] == data["content"]  # nothing typed is lost


def test_an_inactive_category_is_refused(client_for, desk):
    retired = category("已停用")
    retired.active = False
    retired.save()
    response = client_for(desk).post(NEW, intake(category=retired.pk))
    assert "category" in response.context["form"].errors and not Complaint.objects.exists()


def test_an_oversized_attachment_is_refused_and_nothing_is_saved(client_for, desk, settings):
    settings.UPLOAD_MAX_BYTES = 2048
    big = SimpleUploadedFile("big.png", png().read() + b"\0" * 4096, content_type="image/png")
    response = client_for(desk).post(NEW, intake(files=[big]))
    assert response.status_code == 200 and "files" in response.context["form"].errors
    assert "MB" in " ".join(response.context["form"].errors["files"])
    assert not Complaint.objects.exists() and not Attachment.objects.exists()


def test_a_file_that_is_neither_a_photo_nor_a_pdf_is_refused(client_for, desk):
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")
    response = client_for(desk).post(NEW, intake(files=[fake]))
    assert "files" in response.context["form"].errors
    assert not Complaint.objects.exists() and not Attachment.objects.exists()


def test_the_typeahead_finds_a_company_by_unit_number_or_name(client_for, desk, tenant_a, tenant_b):
    client = client_for(desk)
    url = reverse("desk:complaints:tenant_lookup")
    assert [r["id"] for r in client.get(url, {"q": "1201"}).json()["results"]] == [tenant_a.pk]
    assert [r["id"] for r in client.get(url, {"q": "乙方"}).json()["results"]] == [tenant_b.pk]


# --- the register --------------------------------------------------------------------------------


def _numbers(response) -> set[str]:
    return {c.number for c in response.context["object_list"]}


def test_register_filters_each_return_the_right_rows(client_for, desk, supervisor, engineer, tenant_a):
    noise = category("噪音")
    assigned = in_state("assigned", desk=desk, supervisor=supervisor, engineer=engineer, tenant=tenant_a, urgent=True)
    letter = recorded(desk, channel="letter", kind="suggestion", category=noise, content="建议增加绿植")
    visitor = recorded(desk, channel="desk", complainant_name="访客", content="停车场指引不清")
    services.mark_validity(visitor, valid=False, reason="非物业管理范围", by=desk)
    client = client_for(desk)
    everything = {assigned.number, letter.number, visitor.number}
    assert _numbers(client.get(LIST)) == everything
    assert _numbers(client.get(LIST, {"status": "assigned"})) == {assigned.number}
    assert _numbers(client.get(LIST, {"status": "open"})) == everything
    assert _numbers(client.get(LIST, {"kind": "suggestion"})) == {letter.number}
    assert _numbers(client.get(LIST, {"category": noise.pk})) == {letter.number}
    assert _numbers(client.get(LIST, {"department": "engineering"})) == {assigned.number}
    assert _numbers(client.get(LIST, {"channel": "letter"})) == {letter.number}
    assert _numbers(client.get(LIST, {"urgent": "true"})) == {assigned.number}
    assert _numbers(client.get(LIST, {"urgent": "false"})) == {letter.number, visitor.number}
    assert _numbers(client.get(LIST, {"validity": "invalid"})) == {visitor.number}
    assert _numbers(client.get(LIST, {"q": assigned.number.lower()})) == {assigned.number}
    assert _numbers(client.get(LIST, {"q": "绿植"})) == {letter.number}  # the content
    assert _numbers(client.get(LIST, {"q": "甲方"})) == {assigned.number}  # the company
    today = timezone.localdate()
    assert _numbers(client.get(LIST, {"created_from": today, "created_to": today})) == everything
    assert _numbers(client.get(LIST, {"created_to": today - timedelta(days=1)})) == set()
    assert _numbers(client.get(LIST, {"created_from": "0001-01-01", "created_to": "9999-12-31"})) == everything


def test_the_complainants_name_is_not_searched(client_for, desk):
    recorded(desk, complainant_name="赵匿名", anonymous=True)
    assert _numbers(client_for(desk).get(LIST, {"q": "赵匿名"})) == set()


def test_late_complaints_are_flagged_and_filtered(client_for, desk):
    late = recorded(desk)
    on_time = recorded(desk)
    Deadline.objects.filter(object_id=late.pk, kind="acknowledgement").update(
        due_at=timezone.now() - timedelta(minutes=5)
    )
    client = client_for(desk)
    response = client.get(LIST, {"late": "true"})
    assert _numbers(response) == {late.number}
    row = response.context["object_list"][0]
    assert row.acknowledgement_late and not row.reply_late
    assert "badge-state-bad" in response.content.decode()
    assert _numbers(client.get(LIST, {"late": "false"})) == {on_time.number}
    page = client.get(detail(late))
    assert page.context["late"] == {"acknowledgement"}
    assert [d.late for d in page.context["deadlines"] if d.kind == "acknowledgement"] == [True]


def test_a_department_sees_its_own_complaints_only(client_for, desk, supervisor, engineer, guard):
    ours = in_state("assigned", desk=desk, supervisor=supervisor, engineer=engineer)
    waiting = recorded(desk)
    assert _numbers(client_for(engineer).get(LIST)) == {ours.number}
    assert _numbers(client_for(guard).get(LIST)) == set()
    assert client_for(guard).get(detail(ours)).status_code == 404
    assert client_for(engineer).get(detail(waiting)).status_code == 404
    # An engineer records nothing: the register offers no button and the form is refused.
    assert NEW not in client_for(engineer).get(LIST).content.decode()
    assert client_for(engineer).get(NEW).status_code == 403


def _sheet(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxml")
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_register_exports_the_filtered_rows_to_excel(client_for, desk, tenant_a):
    kept = recorded(desk, tenant=tenant_a, urgent=True)
    recorded(desk, channel="letter")
    rows = _sheet(client_for(desk).get(LIST, {"export": "xlsx", "channel": "phone"}))
    header, *body = rows
    assert len(body) == 1 and len(header) == len(body[0]) == 18
    values = list(body[0])
    assert values[0] == kept.number and values[4] == category().name and values[5] == tenant_a.name
    assert values[6] == "王建国" and values[7] == "138****0001"  # phones are masked in exports
    assert values[8] == kept.content and values[9] and values[-1] == 0


def test_an_anonymous_complainant_is_hidden_everywhere_but_from_the_recorder(client_for, desk, supervisor, tenant_a):
    other_clerk = factories.UserFactory(username="desk2", display_name="desk2", roles=["front_desk"])
    complaint = recorded(
        desk, tenant=tenant_a, anonymous=True, complainant_name="赵匿名", complainant_phone="13900000009"
    )
    services.acknowledge(complaint, by=desk)
    secret = ("赵匿名", "13900000009", "139****0009")
    for reader in (other_clerk, supervisor):
        client = client_for(reader)
        for html in (
            client.get(LIST).content.decode(),
            client.get(detail(complaint)).content.decode(),
        ):
            assert not any(s in html for s in secret)
            assert complaint.number in html
        export = _sheet(client.get(LIST, {"export": "xlsx"}))
        assert not any(s in str(cell) for row in export for cell in row for s in secret)
    own = client_for(desk)
    assert "赵匿名" in own.get(detail(complaint)).content.decode()
    assert "赵匿名" in own.get(LIST).content.decode()
    assert any(cell == "赵匿名" for row in _sheet(own.get(LIST, {"export": "xlsx"})) for cell in row)


def test_a_portal_complainant_filing_anonymously_stays_off_the_desks_timeline(client_for, desk, tenant_a_admin):
    tenant_a_admin.display_name = "钱匿名"
    tenant_a_admin.save()
    client_for(tenant_a_admin).post(
        PORTAL_NEW,
        {
            "kind": "complaint",
            "category": category().pk,
            "content": "保安态度差",
            "anonymous": "on",
            "files": [png("钱匿名的照片.png")],
        },
    )
    complaint = Complaint.objects.get()
    client_for(tenant_a_admin).post(portal_detail(complaint), {"action": "withdraw", "note": "已私下解决"})
    assert fresh(complaint).status == "cancelled"
    page = client_for(desk).get(detail(complaint))
    html = page.content.decode()
    assert "钱匿名" not in html and tenant_a_admin.username not in html
    hidden = [e for e in page.context["events"] if e.hidden_actor]
    assert {e.action for e in hidden} >= {"complaint.recorded", "complaint.withdrawn"}
    # The complainant themself still sees their own name in the portal.
    assert "钱匿名" in client_for(tenant_a_admin).get(portal_detail(complaint)).content.decode()


def test_a_large_register_shows_an_estimated_count_and_still_its_rows(client_for, desk, monkeypatch):
    from jinyuan import paginator

    for _ in range(3):
        recorded(desk)
    exact = client_for(desk).get(LIST)
    assert exact.context["paginator"].count == 3 and not exact.context["paginator"].estimated
    monkeypatch.setattr(paginator, "EXACT_BELOW", 0)  # as if the register held 30,000 complaints
    estimated = client_for(desk).get(LIST)
    assert estimated.context["paginator"].estimated and len(estimated.context["object_list"]) == 3


# --- the reply workflow from the complaint's page -----------------------------------------------


def test_the_desk_acknowledges_and_assigns_to_a_person_of_the_department(client_for, desk, engineer, guard):
    complaint = recorded(desk)
    client = client_for(desk)
    assert client.post(detail(complaint), {"action": "acknowledge"}).status_code == 302
    assert fresh(complaint).status == "acknowledged"
    page = client.get(detail(complaint))
    handlers = page.context["forms"]["assign"].handlers
    assert [u.pk for u in handlers["engineering"]] == [engineer.pk]
    assert [u.pk for u in handlers["security"]] == [guard.pk]
    # A guard is no engineer: refused beside the field, nothing changes.
    refused = client.post(
        detail(complaint), {"action": "assign", "assign-department": "engineering", "assign-assignee": guard.pk}
    )
    assert refused.status_code == 400 and "assignee" in refused.context["forms"]["assign"].errors
    assert fresh(complaint).status == "acknowledged"
    empty = client.post(detail(complaint), {"action": "assign", "assign-department": "", "assign-assignee": ""})
    assert empty.status_code == 400 and "department" in empty.context["forms"]["assign"].errors
    done = client.post(
        detail(complaint), {"action": "assign", "assign-department": "engineering", "assign-assignee": engineer.pk}
    )
    assert done.status_code == 302
    complaint = fresh(complaint)
    assert (complaint.status, complaint.department, complaint.assignee) == ("assigned", "engineering", engineer)
    assert Notification.objects.filter(recipient=engineer, url=detail(complaint)).exists()


def test_a_hand_over_needs_a_reason(client_for, desk, supervisor, engineer, guard):
    complaint = in_state("assigned", desk=desk, supervisor=supervisor, engineer=engineer)
    client = client_for(desk)
    data = {"action": "hand_over", "hand_over-department": "security", "hand_over-assignee": guard.pk}
    response = client.post(detail(complaint), {**data, "hand_over-note": ""})
    assert response.status_code == 400 and "note" in response.context["forms"]["hand_over"].errors
    assert fresh(complaint).assignee == engineer
    client.post(detail(complaint), {**data, "hand_over-note": "属于秩序部职责"})
    complaint = fresh(complaint)
    assert (complaint.department, complaint.assignee) == ("security", guard)
    assert AuditEvent.objects.filter(object_id=complaint.pk, action="complaint.handed_over").exists()


def test_the_department_proposes_a_reply_within_the_length_limit(client_for, desk, supervisor, engineer, settings):
    settings.COMPLAINT_REPLY_MAX_LENGTH = 20
    complaint = in_state("assigned", desk=desk, supervisor=supervisor, engineer=engineer)
    client = client_for(engineer)
    page = client.get(detail(complaint))
    assert "propose_reply" in page.context["forms"]
    too_long = client.post(detail(complaint), {"action": "propose_reply", "propose_reply-reply_draft": "长" * 21})
    assert too_long.status_code == 400
    errors = too_long.context["forms"]["propose_reply"].errors["reply_draft"]
    assert "21" in " ".join(errors) and "20" in " ".join(errors)
    assert too_long.context["forms"]["propose_reply"]["reply_draft"].value() == "长" * 21  # kept
    empty = client.post(detail(complaint), {"action": "propose_reply", "propose_reply-reply_draft": " "})
    assert empty.status_code == 400 and "reply_draft" in empty.context["forms"]["propose_reply"].errors
    assert fresh(complaint).status == "assigned"
    client.post(detail(complaint), {"action": "propose_reply", "propose_reply-reply_draft": "已调整风速，噪音消除。"})
    complaint = fresh(complaint)
    assert (complaint.status, complaint.reply_draft, complaint.proposed_by) == (
        "proposed",
        "已调整风速，噪音消除。",
        engineer,
    )
    assert Notification.objects.filter(recipient=supervisor).exists()


def test_the_supervisor_approves_and_may_correct_the_wording(client_for, desk, supervisor, engineer):
    complaint = in_state("proposed", desk=desk, supervisor=supervisor, engineer=engineer)
    client = client_for(supervisor)
    page = client.get(detail(complaint))
    assert page.context["forms"]["approve_reply"]["approved_reply"].value() == complaint.reply_draft
    assert "send_back" in {a.name for a in page.context["actions"]}
    # The desk and the department see no approval and cannot post one (tests/complaints/test_access).
    for other in (desk, engineer):
        assert "approve_reply" not in client_for(other).get(detail(complaint)).context["forms"]
    client.post(detail(complaint), {"action": "approve_reply", "approve_reply-approved_reply": "您好，空调已调整。"})
    complaint = fresh(complaint)
    assert (complaint.status, complaint.approved_reply, complaint.approved_by) == (
        "approved",
        "您好，空调已调整。",
        supervisor,
    )
    assert AuditEvent.objects.get(object_id=complaint.pk, action="complaint.reply_approved").data == {"edited": True}


def test_the_supervisor_sends_a_reply_back_with_a_reason(client_for, desk, supervisor, engineer):
    complaint = in_state("proposed", desk=desk, supervisor=supervisor, engineer=engineer)
    client = client_for(supervisor)
    assert client.post(detail(complaint), {"action": "send_back", "note": ""}).status_code == 400
    assert fresh(complaint).status == "proposed"
    client.post(detail(complaint), {"action": "send_back", "note": "请说明具体整改时间"})
    assert fresh(complaint).status == "assigned"
    event = AuditEvent.objects.get(object_id=complaint.pk, action="complaint.sent_back")
    assert event.note == "请说明具体整改时间" and event.actor == supervisor


def test_the_desk_sends_the_reply_and_a_return_visit_is_scheduled(
    client_for, desk, supervisor, engineer, tenant_a, tenant_a_admin
):
    complaint = in_state("approved", desk=desk, supervisor=supervisor, engineer=engineer, tenant=tenant_a)
    client = client_for(desk)
    page = client.get(detail(complaint))
    assert page.context["forms"]["send_reply"]["reply_via"].value() == "portal"
    bad = client.post(detail(complaint), {"action": "send_reply", "send_reply-reply_via": "carrier-pigeon"})
    assert bad.status_code == 400 and "reply_via" in bad.context["forms"]["send_reply"].errors
    client.post(detail(complaint), {"action": "send_reply", "send_reply-reply_via": "phone"})
    complaint = fresh(complaint)
    assert (complaint.status, complaint.reply_via, complaint.reply_sent_by) == ("closed", "phone", desk)
    visit = FollowUp.objects.get(object_id=complaint.pk)
    assert visit.status == "open"
    assert Notification.objects.filter(recipient=tenant_a_admin, url=portal_detail(complaint)).exists()
    page = client.get(detail(complaint))
    assert page.context["visits"] == [visit] and "reopen" in {a.name for a in page.context["actions"]}


def test_waiting_for_the_complainant_pauses_and_resumes(client_for, desk, supervisor, engineer):
    complaint = in_state("assigned", desk=desk, supervisor=supervisor, engineer=engineer)
    client = client_for(engineer)
    assert client.post(detail(complaint), {"action": "wait_for_complainant", "note": ""}).status_code == 400
    client.post(detail(complaint), {"action": "wait_for_complainant", "note": "请业户提供照片"})
    assert fresh(complaint).status == "waiting"
    assert Deadline.objects.get(object_id=complaint.pk, kind="reply").state == "paused"
    client.post(detail(complaint), {"action": "resume"})
    assert fresh(complaint).status == "assigned"


def test_validity_is_marked_with_a_reason(client_for, desk):
    complaint = recorded(desk)
    client = client_for(desk)
    missing = client.post(detail(complaint), {"action": "mark_validity", "validity-validity": "invalid"})
    assert missing.status_code == 400 and "validity_reason" in missing.context["validity_form"].errors
    assert fresh(complaint).validity == "undecided"
    client.post(
        detail(complaint),
        {"action": "mark_validity", "validity-validity": "invalid", "validity-validity_reason": "不属于物业范围"},
    )
    complaint = fresh(complaint)
    assert (complaint.validity, complaint.validity_reason) == ("invalid", "不属于物业范围")
    services.cancel(complaint, by=desk, reason="重复登记")
    late = client.post(
        detail(complaint),
        {"action": "mark_validity", "validity-validity": "valid", "validity-validity_reason": "x"},
    )
    assert late.status_code == 302 and fresh(complaint).validity == "invalid"
    assert "validity_form" not in client.get(detail(complaint)).context


def test_the_desk_reopens_a_closed_complaint_with_a_reason(client_for, desk, supervisor, engineer):
    complaint = in_state("closed", desk=desk, supervisor=supervisor, engineer=engineer)
    client = client_for(desk)
    assert client.post(detail(complaint), {"action": "reopen", "note": ""}).status_code == 400
    client.post(detail(complaint), {"action": "reopen", "note": "业户仍不满意"})
    complaint = fresh(complaint)
    assert (complaint.status, complaint.reopen_count, complaint.assignee) == ("assigned", 1, engineer)


def test_the_desk_cancels_with_a_reason(client_for, desk):
    complaint = recorded(desk)
    client = client_for(desk)
    assert client.post(detail(complaint), {"action": "cancel", "note": ""}).status_code == 400
    client.post(detail(complaint), {"action": "cancel", "note": "重复登记"})
    assert fresh(complaint).status == "cancelled"


def test_a_refused_transition_is_a_message_and_changes_nothing(client_for, desk, supervisor, engineer):
    complaint = in_state("closed", desk=desk, supervisor=supervisor, engineer=engineer)
    events = AuditEvent.objects.count()
    response = client_for(desk).post(detail(complaint), {"action": "cancel", "note": "x"}, follow=True)
    assert response.status_code == 200 and list(response.context["messages"])
    response = client_for(desk).post(
        detail(complaint), {"action": "send_reply", "send_reply-reply_via": "phone"}, follow=True
    )
    assert response.status_code == 200
    assert fresh(complaint).status == "closed" and AuditEvent.objects.count() == events


def test_each_reader_sees_only_the_actions_they_may_take(client_for, desk, supervisor, engineer):
    complaint = in_state("assigned", desk=desk, supervisor=supervisor, engineer=engineer)

    def offered(user) -> set[str]:
        ctx = client_for(user).get(detail(complaint)).context
        return (
            {a.name for a in ctx["actions"]}
            | set(ctx["forms"])
            | ({"mark_validity"} if "validity_form" in ctx else set())
        )

    assert offered(engineer) == {"propose_reply", "wait_for_complainant"}
    assert offered(desk) == {"hand_over", "wait_for_complainant", "cancel", "mark_validity"}
    assert offered(supervisor) >= {"propose_reply", "hand_over", "mark_validity"}


def test_reminder_links_lead_to_the_complaint_pages(desk, tenant_a):
    complaint = recorded(desk, tenant=tenant_a)
    assert complaint.deadline_url == detail(complaint)
    assert complaint.deadline_portal_url == portal_detail(complaint)


# --- the portal --------------------------------------------------------------------------------


def test_a_tenant_complains_from_the_portal_with_a_photo(client_for, tenant_a, tenant_a_admin):
    client = client_for(tenant_a_admin)
    assert client.get(PORTAL_NEW).status_code == 200
    response = client.post(
        PORTAL_NEW,
        {
            "kind": "complaint",
            "category": category().pk,
            "content": "电梯间地面长时间未清洁",
            "urgent": "on",
            "complainant_phone": "13877110001",
            "files": [png()],
        },
    )
    complaint = Complaint.objects.get()
    assert response["Location"] == portal_detail(complaint)
    assert (complaint.tenant, complaint.channel, complaint.applicant, complaint.urgent) == (
        tenant_a,
        "portal",
        tenant_a_admin,
        True,
    )
    assert complaint.complainant_email == tenant_a_admin.email
    assert Attachment.objects.filter(object_id=complaint.pk).count() == 1
    page = client.get(response["Location"])
    assert page.status_code == 200 and page.context["progress"]
    assert "withdraw" in {a.name for a in page.context["actions"]}


def test_an_empty_portal_complaint_shows_field_errors(client_for, tenant_a_admin):
    response = client_for(tenant_a_admin).post(PORTAL_NEW, {"kind": "complaint", "content": ""})
    assert response.status_code == 200
    assert {"content", "category"} <= set(response.context["form"].errors)
    assert not Complaint.objects.exists()


def test_the_portal_shows_the_sent_reply_and_no_internal_notes(
    client_for, desk, supervisor, engineer, tenant_a, tenant_a_admin
):
    complaint = in_state("proposed", desk=desk, supervisor=supervisor, engineer=engineer, tenant=tenant_a)
    services.send_back(complaint, by=supervisor, reason="内部意见：措辞太生硬")
    services.mark_validity(complaint, valid=True, reason="内部判定有效", by=desk)
    services.propose_reply(complaint, text="草稿：空调已处理", by=engineer)
    client = client_for(tenant_a_admin)
    html = client.get(portal_detail(complaint)).content.decode()
    assert "内部意见" not in html and "内部判定" not in html and "草稿" not in html
    assert engineer.username not in html
    services.approve_reply(complaint, by=supervisor, text="您好，空调噪音已处理完毕。")
    assert "空调噪音已处理完毕" not in client.get(portal_detail(complaint)).content.decode()
    services.send_reply(complaint, via="portal", by=desk)
    page = client.get(portal_detail(complaint))
    assert "空调噪音已处理完毕" in page.content.decode()
    assert not page.context["actions"]  # a closed complaint is not withdrawn


def test_the_complainant_withdraws_an_open_complaint(client_for, tenant_a_admin):
    complaint = services.record(by=tenant_a_admin, category=category(), channel="portal", content="门禁卡失灵")
    client = client_for(tenant_a_admin)
    assert client.post(portal_detail(complaint), {"action": "withdraw", "note": ""}).status_code == 400
    assert fresh(complaint).status == "recorded"
    client.post(portal_detail(complaint), {"action": "withdraw", "note": "已自行解决"})
    assert fresh(complaint).status == "cancelled"
    again = client.post(portal_detail(complaint), {"action": "withdraw", "note": "x"})
    assert again.status_code == 302 and AuditEvent.objects.filter(action="complaint.withdrawn").count() == 1


def test_another_companys_complaint_is_a_404(client_for, desk, tenant_a, tenant_a_admin, tenant_b_admin):
    complaint = recorded(desk, tenant=tenant_a)
    assert client_for(tenant_b_admin).get(portal_detail(complaint)).status_code == 404
    assert complaint.number not in client_for(tenant_b_admin).get(PORTAL_LIST).content.decode()
    assert complaint.number in client_for(tenant_a_admin).get(PORTAL_LIST).content.decode()


def test_company_staff_open_complaints_with_the_grant(client_for, desk, tenant_a, tenant_a_staff):
    complaint = recorded(desk, tenant=tenant_a)
    client = client_for(tenant_a_staff)
    assert client.get(PORTAL_LIST).status_code == 403
    membership = tenant_a_staff.membership
    membership.areas = ["complaints"]
    membership.save()
    assert complaint.number in client.get(PORTAL_LIST).content.decode()
    assert client.get(portal_detail(complaint)).status_code == 200


def test_the_portal_register_filters_by_status(client_for, desk, tenant_a, tenant_a_admin):
    waiting = recorded(desk, tenant=tenant_a)
    gone = recorded(desk, tenant=tenant_a)
    services.cancel(gone, by=desk, reason="重复")
    client = client_for(tenant_a_admin)
    assert _numbers(client.get(PORTAL_LIST, {"status": "open"})) == {waiting.number}
    assert _numbers(client.get(PORTAL_LIST, {"status": "cancelled"})) == {gone.number}


# --- menus and panels ------------------------------------------------------------------------------


def test_the_desk_home_shows_the_complaint_panels(client_for, desk, supervisor, engineer):
    recorded(desk)
    in_state("proposed", desk=desk, supervisor=supervisor, engineer=engineer)
    html = client_for(supervisor).get(reverse("desk:home")).content.decode()
    assert f"{LIST}?status=recorded" in html and f"{LIST}?status=proposed" in html
    assert f"{LIST}?status=open&amp;late=true" in html
    assert f"{LIST}?status=proposed" not in client_for(desk).get(reverse("desk:home")).content.decode()
    assert f"{LIST}?status=assigned" in client_for(engineer).get(reverse("desk:home")).content.decode()


def test_the_tenant_page_lists_the_companys_complaints(client_for, desk, tenant_a):
    complaint = recorded(desk, tenant=tenant_a)
    html = client_for(desk).get(reverse("desk:tenants:tenant_detail", args=[tenant_a.pk])).content.decode()
    assert complaint.number in html and detail(complaint) in html


def test_menus_offer_the_complaint_pages(client_for, desk, tenant_a_admin):
    desk_html = client_for(desk).get(reverse("desk:home")).content.decode()
    assert f'href="{LIST}"' in desk_html and f'href="{NEW}"' in desk_html
    portal_html = client_for(tenant_a_admin).get(reverse("portal:home")).content.decode()
    assert f'href="{PORTAL_LIST}"' in portal_html and f'href="{PORTAL_NEW}"' in portal_html
