"""Visitor inquiries: logged with their duty-log line, answered, turned into exactly one repair
ticket or complaint (also on a double submit and with clerks at once), escalated to the
supervisor with a deadline and closed by them."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from complaints.models import Complaint, ComplaintCategory
from frontdesk import inquiry_services as services
from frontdesk.models import DutyEntry, Inquiry
from jinyuan.records import content_type_of
from jinyuan.workflow.models import AuditEvent, Deadline, Notification
from jinyuan.workflow.scan import scan
from jinyuan.workflow.services import TransitionRefused
from repairs.models import RepairCategory, RepairTicket
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(db):
    return RepairCategory.objects.create(name="水电")


@pytest.fixture
def complaint_category(db):
    return ComplaintCategory.objects.create(name="服务态度")


def walk_in(desk, tenant=None, unit=None, **over):
    fields = {
        "channel": Inquiry.Channel.WALK_IN,
        "kind": Inquiry.Kind.REQUEST,
        "question": "卫生间水龙头漏水",
        "tenant": tenant,
        "unit": unit,
        "visitor_name": "张先生",
        "visitor_phone": "13877119999",
    }
    return services.inquiry_log(by=desk, **{**fields, **over})


def repair_fields(inquiry):
    return {
        "tenant": inquiry.tenant,
        "unit": inquiry.unit,
        "reporter_name": inquiry.visitor_name,
        "phone": inquiry.visitor_phone,
        "description": inquiry.question,
    }


def test_an_inquiry_is_logged_with_its_open_line_in_the_duty_log(desk, tenant_a, unit_a):
    inquiry = walk_in(desk, tenant_a, unit_a)
    assert inquiry.status == Inquiry.Status.OPEN
    entry = DutyEntry.objects.get(record_type=content_type_of(inquiry), record_id=inquiry.pk)
    assert entry.still_open and entry.kind == DutyEntry.Kind.VISITOR and entry.shift == inquiry.shift
    assert tenant_a.name in entry.text
    assert AuditEvent.objects.filter(object_id=inquiry.pk, action="inquiry.logged", actor=desk).exists()


def test_an_inquiry_logged_with_its_answer_is_answered_and_its_line_is_not_open(desk, tenant_a, unit_a):
    inquiry = walk_in(desk, tenant_a, unit_a, kind=Inquiry.Kind.VISITOR, question="找甲方科技", answer="A座12楼1201")
    assert inquiry.status == Inquiry.Status.ANSWERED
    assert not DutyEntry.objects.get(record_id=inquiry.pk, record_type=content_type_of(inquiry)).is_open


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"question": ""}, "question"),
        ({"question": "问" * 1001}, "question"),
        ({"channel": "fax"}, "channel"),
        ({"kind": "x"}, "kind"),
        ({"visitor_phone": "12345"}, "visitor_phone"),
    ],
)
def test_bad_input_is_a_field_error_and_logs_nothing(desk, over, field):
    with pytest.raises(ValidationError) as exc:
        walk_in(desk, **over)
    assert field in exc.value.message_dict
    assert not Inquiry.objects.exists() and not DutyEntry.objects.exists()


def test_answering_closes_the_open_line(desk, desk_b_user):
    inquiry = walk_in(desk)
    services.inquiry_answer(obj=inquiry, by=desk_b_user, answer="已告知物业服务时间")
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.ANSWERED
    entry = DutyEntry.objects.get(record_id=inquiry.pk, record_type=content_type_of(inquiry))
    assert entry.closed_by == desk_b_user and not entry.still_open


@pytest.fixture
def desk_b_user(db):
    from tests import factories

    return factories.UserFactory(username="desk_b", roles=["front_desk"])


def test_an_inquiry_becomes_a_repair_ticket_with_the_details_and_its_source(desk, tenant_a, unit_a, category):
    inquiry = walk_in(desk, tenant_a, unit_a)
    services.inquiry_to_repair(obj=inquiry, by=desk, category=category, **repair_fields(inquiry))
    inquiry.refresh_from_db()
    ticket = inquiry.repair
    assert inquiry.status == Inquiry.Status.CONVERTED
    assert (ticket.tenant, ticket.unit, ticket.phone, ticket.description) == (
        tenant_a,
        unit_a,
        "13877119999",
        "卫生间水龙头漏水",
    )
    assert (ticket.source_type, ticket.source_id) == (content_type_of(inquiry), inquiry.pk)
    assert not DutyEntry.objects.get(record_id=inquiry.pk, record_type=content_type_of(inquiry)).still_open


def test_a_second_conversion_makes_no_second_ticket(desk, tenant_a, unit_a, category, complaint_category):
    inquiry = walk_in(desk, tenant_a, unit_a)
    stale = Inquiry.objects.get(pk=inquiry.pk)
    services.inquiry_to_repair(obj=inquiry, by=desk, category=category, **repair_fields(inquiry))
    with pytest.raises(TransitionRefused):
        services.inquiry_to_repair(obj=stale, by=desk, category=category, **repair_fields(stale))
    with pytest.raises(TransitionRefused):
        services.inquiry_to_complaint(
            obj=stale, by=desk, category=complaint_category, channel="desk", content="x", tenant=tenant_a
        )
    assert RepairTicket.objects.count() == 1 and not Complaint.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_clerks_converting_at_once_make_exactly_one_ticket(desk, tenant_a, unit_a, category):
    inquiry = walk_in(desk, tenant_a, unit_a)
    results = run_at_once(
        6,
        lambda i: Inquiry.objects.get(pk=inquiry.pk),
        lambda i, obj: services.inquiry_to_repair(obj=obj, by=desk, category=category, **repair_fields(obj)),
    )
    assert sum(isinstance(r, Inquiry) for r in results) == 1
    assert all(isinstance(r, Inquiry | TransitionRefused) for r in results), results
    assert RepairTicket.objects.count() == 1


def test_an_inquiry_becomes_a_complaint_that_shows_where_it_came_from(desk, tenant_a, unit_a, complaint_category):
    inquiry = walk_in(desk, tenant_a, unit_a, question="保安态度恶劣")
    services.inquiry_to_complaint(
        obj=inquiry,
        by=desk,
        category=complaint_category,
        channel="desk",
        kind="complaint",
        tenant=tenant_a,
        complainant_name="张先生",
        complainant_phone="13877119999",
        content="保安态度恶劣",
    )
    inquiry.refresh_from_db()
    complaint = inquiry.complaint
    assert inquiry.status == Inquiry.Status.CONVERTED
    assert complaint.content == "保安态度恶劣" and complaint.source_id == inquiry.pk
    assert complaint.source_url.endswith(f"/inquiries/{inquiry.pk}/")


def test_a_bad_ticket_leaves_the_inquiry_open(desk, complaint_category):
    inquiry = walk_in(desk)
    with pytest.raises(ValidationError):
        services.inquiry_to_complaint(obj=inquiry, by=desk, category=complaint_category, channel="desk", content="")
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.OPEN and not Complaint.objects.exists()


def test_escalation_needs_a_note_and_the_supervisor_closes_it(desk, supervisor):
    inquiry = walk_in(desk, question="要求减免物业费")
    with pytest.raises(ValidationError):
        services.inquiry_escalate(obj=inquiry, by=desk, note="")
    services.inquiry_escalate(obj=inquiry, by=desk, note="前台无权答复")
    assert Deadline.objects.get(object_id=inquiry.pk, kind="inquiry_answer").state == Deadline.State.RUNNING
    with pytest.raises(PermissionDenied):
        services.inquiry_close(obj=inquiry, by=desk, note="x")
    services.inquiry_close(obj=inquiry, by=supervisor, note="已与业户沟通，按合同执行")
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.CLOSED and inquiry.supervisor_note.startswith("已与业户")
    assert Deadline.objects.get(object_id=inquiry.pk, kind="inquiry_answer").state == Deadline.State.STOPPED
    assert not DutyEntry.objects.get(record_id=inquiry.pk, record_type=content_type_of(inquiry)).still_open


def test_refused_transitions(desk, supervisor, category):
    inquiry = walk_in(desk)
    with pytest.raises(TransitionRefused):
        services.inquiry_close(obj=inquiry, by=supervisor, note="x")  # not escalated
    services.inquiry_answer(obj=inquiry, by=desk, answer="好的")
    with pytest.raises(TransitionRefused):
        services.inquiry_escalate(obj=inquiry, by=desk, note="x")
    with pytest.raises(TransitionRefused):
        services.inquiry_to_repair(obj=inquiry, by=desk, category=category, **repair_fields(inquiry))


def test_an_escalated_inquiry_left_unanswered_reaches_the_supervisor_once(desk, supervisor):
    inquiry = walk_in(desk)
    services.inquiry_escalate(obj=inquiry, by=desk, note="需主管答复")
    deadline = Deadline.objects.get(object_id=inquiry.pk, kind="inquiry_answer")
    after = deadline.due_at + dt.timedelta(minutes=1)
    key = f"deadline-{deadline.pk}-"
    scan(now=after)
    scan(now=after)
    # The reminder an hour before and the escalation at the due time, each once; the clerk
    # who escalated hears it too.
    to_supervisor = Notification.objects.filter(recipient=supervisor, dedup_key__startswith=key).order_by("id")
    assert [n.message.split(" ")[-1] for n in to_supervisor] == ["%(due)s", "(%(due)s)"]
    assert Notification.objects.filter(recipient=desk, dedup_key__startswith=key).count() == 1
    scan(now=deadline.due_at + dt.timedelta(days=4))
    to_supervisor = Notification.objects.filter(recipient=supervisor, dedup_key__startswith=key).order_by("id")
    assert to_supervisor.count() == 3 and to_supervisor.last().message.startswith("Overdue")
    assert timezone.is_aware(deadline.due_at)
