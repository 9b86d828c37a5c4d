"""Emergency records 应急事件: recorded with its place and response, updated, follow-up items,
a repair ticket from it (one, even on a double submit or twenty at once), existing records
linked by number, closed with a summary by the supervisor; each step an audit event, and the
events belong in the building's management log."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from frontdesk import emergency_services as services
from frontdesk.models import Emergency, EmergencyLink
from jinyuan import navigation
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from repairs import services as repairs
from repairs.models import RepairTicket
from tests import factories
from tests.frontdesk.liaison_data import make_emergency, make_item, water_category

pytestmark = pytest.mark.django_db


def codes(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=obj.pk, action__startswith="emergency.").values_list("action", flat=True)
    )


def test_recording_gives_a_number_and_an_event(building, desk, guard):
    e = make_emergency(building, desk, responders=[desk, guard], outside_help="119")
    assert e.number.startswith("YJ-") and e.status == Emergency.Status.OPEN
    assert set(e.responders.all()) == {desk, guard}
    assert codes(e) == ["emergency.reported"]


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"description": " "}, "description"),
        ({"kind": "meteor"}, "kind"),
        ({"occurred_at": None}, "occurred_at"),
        ({"occurred_at": timezone.now() + dt.timedelta(hours=3)}, "occurred_at"),
    ],
)
def test_bad_input_is_refused_beside_the_field(building, desk, over, field):
    with pytest.raises(ValidationError) as exc:
        make_emergency(building, desk, **over)
    assert field in exc.value.message_dict
    assert not Emergency.objects.exists()


def test_a_floor_of_another_building_is_refused(building, desk):
    other = factories.FloorFactory(building=factories.BuildingFactory(code="B", name="B座"), number=3)
    with pytest.raises(ValidationError) as exc:
        make_emergency(building, desk, floor=other)
    assert "floor" in exc.value.message_dict


def test_the_response_is_updated_with_an_event(building, desk, guard, tenant_a):
    e = make_emergency(building, desk)
    services.emergency_update(
        obj=e, by=guard, responders=[desk, guard], outside_help="120", actions="送医", tenants=[tenant_a]
    )
    e.refresh_from_db()
    assert e.actions == "送医" and e.outside_help == "120" and list(e.tenants.all()) == [tenant_a]
    assert codes(e) == ["emergency.reported", "emergency.updated"]


def test_a_ticket_from_the_emergency_is_made_once_even_when_submitted_twice(building, desk):
    e = make_emergency(building, desk)
    category = water_category()
    first, created = services.emergency_create_ticket(obj=e, by=desk, category=category)
    again, created_again = services.emergency_create_ticket(obj=e, by=desk, category=category)
    assert created and not created_again and first == again
    ticket = RepairTicket.objects.get()
    assert ticket.source_id == e.pk and ticket.source_type.model == "emergency" and ticket.urgency == "emergency"
    assert EmergencyLink.objects.get().record == ticket
    assert codes(e).count("emergency.ticket_created") == 1


def test_an_existing_ticket_is_linked_by_its_number(building, desk, english):
    e = make_emergency(building, desk)
    ticket = repairs.report(by=desk, category=water_category(), reporter_name="王", phone="1", description="漏水")
    link = services.emergency_link(obj=e, by=desk, kind="repair", number=ticket.number.lower())
    assert link.record == ticket and link.label.startswith(ticket.number)
    with pytest.raises(ValidationError) as exc:
        services.emergency_link(obj=e, by=desk, kind="repair", number=ticket.number)
    assert exc.value.message_dict == {"number": ["This record is already linked."]}
    with pytest.raises(ValidationError) as exc:
        services.emergency_link(obj=e, by=desk, kind="repair", number="BX-1999-99999")
    assert "number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.emergency_link(obj=e, by=desk, kind="nonsense", number=ticket.number)
    assert "kind" in exc.value.message_dict
    assert "emergency.linked" in codes(e)


def test_the_supervisor_closes_with_a_summary_and_the_desk_may_not(building, desk, supervisor, engineer):
    e = make_emergency(building, desk)
    with pytest.raises(PermissionDenied):
        services.emergency_close(obj=e, by=desk, note="处理完毕")
    with pytest.raises(ValidationError):
        services.emergency_close(obj=e, by=supervisor, note=" ")
    services.emergency_close(obj=e, by=supervisor, note="阀门已更换，无人员受伤")
    e.refresh_from_db()
    assert e.status == Emergency.Status.CLOSED and e.summary and e.closed_at
    with pytest.raises(TransitionRefused):
        services.emergency_close(obj=e, by=supervisor, note="again")
    with pytest.raises(TransitionRefused):
        services.emergency_update(obj=e, by=desk, responders=[], outside_help="", actions="", tenants=[])
    with pytest.raises(TransitionRefused):
        services.emergency_add_item(obj=e, by=desk, text="x", owner=engineer, due_at=timezone.now())


def test_voiding_needs_a_supervisor_and_a_reason(building, desk, supervisor):
    e = make_emergency(building, desk)
    with pytest.raises(PermissionDenied):
        services.emergency_void(obj=e, by=desk, note="录重复")
    with pytest.raises(ValidationError):
        services.emergency_void(obj=e, by=supervisor, note="")
    services.emergency_void(obj=e, by=supervisor, note="录重复")
    e.refresh_from_db()
    assert e.status == Emergency.Status.VOIDED


def test_follow_up_items_of_an_emergency_show_on_its_timeline(building, desk, engineer):
    e = make_emergency(building, desk)
    make_item(e, desk, engineer)
    assert "emergency.item_added" in codes(e)


def test_emergency_events_belong_in_the_management_log():
    for code in ("emergency.reported", "emergency.updated", "emergency.closed", "emergency.ticket_created"):
        section = navigation.log_section(code)
        assert section is not None and section.app == "emergencies"


def test_voiding_cancels_the_open_follow_up_items(building, desk, supervisor, engineer):
    from frontdesk.models import ActionItem

    e = make_emergency(building, desk)
    item = make_item(e, desk, engineer)
    services.emergency_void(obj=e, by=supervisor, note="录重复")
    item.refresh_from_db()
    assert item.status == ActionItem.Status.CANCELLED


def test_no_item_is_added_to_an_emergency_closed_meanwhile(building, desk, supervisor, engineer):
    e = make_emergency(building, desk)
    stale = Emergency.objects.get(pk=e.pk)
    services.emergency_close(obj=e, by=supervisor, note="已处理完毕")
    due = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(TransitionRefused):
        services.emergency_add_item(obj=stale, by=desk, text="复查", owner=engineer, due_at=due)


def test_an_update_without_tenants_keeps_those_affected(building, desk, guard, tenant_a):
    e = make_emergency(building, desk)
    services.emergency_update(obj=e, by=guard, responders=[guard], outside_help="", actions="关阀", tenants=[tenant_a])
    services.emergency_update(obj=e, by=guard, responders=[guard], outside_help="", actions="已修复")
    assert list(e.tenants.all()) == [tenant_a]
    last = AuditEvent.objects.filter(object_id=e.pk, action="emergency.updated").order_by("-id").first()
    assert "tenants" not in last.data
