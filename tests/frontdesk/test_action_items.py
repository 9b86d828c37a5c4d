"""Follow-up items 跟进事项: added to any record with an owner and a due time (errors beside
the fields), closed by the owner or the desk with what was done; the deadline reminds the owner
before and the supervisors after, each once however often the scan runs."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from frontdesk import action_services
from frontdesk.models import ActionItem
from jinyuan.workflow.models import AuditEvent, Deadline, Notification
from jinyuan.workflow.scan import scan
from jinyuan.workflow.services import TransitionRefused
from tests import factories
from tests.frontdesk.liaison_data import later, make_emergency, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def emergency(building, desk):
    return make_emergency(building, desk)


def test_an_item_has_an_owner_a_due_time_and_a_running_deadline(emergency, desk, engineer):
    item = make_item(emergency, desk, engineer, hours=8)
    assert item.status == ActionItem.Status.OPEN and item.owner == engineer and item.record == emergency
    deadline = Deadline.objects.get(object_id=item.pk, kind="action_item")
    assert deadline.state == "running" and deadline.due_at == item.due_at
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"action_item.created", "emergency.item_added"} <= codes


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": "  "}, "text"),
        ({"text": "很" * 301}, "text"),
        ({"due_at": timezone.now() - dt.timedelta(hours=1)}, "due_at"),
        ({"due_at": None}, "due_at"),
        ({"owner": None}, "owner"),
    ],
)
def test_bad_items_are_refused_beside_their_field(emergency, desk, fields, field):
    data = {"text": "复查", "owner": desk, "due_at": later(), **fields}
    with pytest.raises(ValidationError) as exc:
        action_services.action_item_add(record=emergency, by=desk, **data)
    assert field in exc.value.message_dict
    assert not ActionItem.objects.exists()


def test_an_owner_who_is_not_staff_is_refused(emergency, desk, tenant_a_admin, english):
    with pytest.raises(ValidationError) as exc:
        action_services.action_item_add(record=emergency, by=desk, text="复查", owner=tenant_a_admin, due_at=later())
    assert exc.value.message_dict == {"owner": ["The owner must be a member of staff."]}


def test_an_inactive_staff_owner_is_refused(emergency, desk):
    gone = factories.UserFactory(username="gone", roles=["front_desk"], is_active=False)
    with pytest.raises(ValidationError):
        action_services.action_item_add(record=emergency, by=desk, text="复查", owner=gone, due_at=later())


def test_the_owner_marks_it_done_with_what_was_done_and_the_deadline_stops_met(emergency, desk, engineer):
    item = make_item(emergency, desk, engineer)
    action_services.action_item_complete(obj=item, by=engineer, note="已更换阀门")
    item.refresh_from_db()
    assert item.status == "done" and item.outcome == "已更换阀门" and item.closed_by == engineer and item.closed_at
    deadline = Deadline.objects.get(object_id=item.pk, kind="action_item")
    assert deadline.state == "stopped" and deadline.met is True
    assert AuditEvent.objects.filter(action="emergency.item_done", object_id=emergency.pk).exists()


def test_done_needs_a_note(emergency, desk, engineer):
    item = make_item(emergency, desk, engineer)
    with pytest.raises(ValidationError):
        action_services.action_item_complete(obj=item, by=engineer, note=" ")
    item.refresh_from_db()
    assert item.status == "open"


def test_another_engineer_may_not_close_someone_elses_item(emergency, desk, engineer):
    other = factories.UserFactory(username="eng2", roles=["engineering"])
    item = make_item(emergency, desk, engineer)
    with pytest.raises(PermissionDenied):
        action_services.action_item_complete(obj=item, by=other, note="x")


def test_only_the_desk_cancels_and_a_closed_item_cannot_close_again(emergency, desk, engineer):
    item = make_item(emergency, desk, engineer)
    with pytest.raises(PermissionDenied):
        action_services.action_item_cancel(obj=item, by=engineer, note="不需要")
    action_services.action_item_cancel(obj=item, by=desk, note="租户已自行处理")
    item.refresh_from_db()
    assert item.status == "cancelled"
    with pytest.raises(TransitionRefused):
        action_services.action_item_complete(obj=item, by=desk, note="再次")
    assert Deadline.objects.get(object_id=item.pk, kind="action_item").state == "stopped"


def test_the_deadline_reminds_the_owner_before_and_escalates_after_once_each(emergency, desk, engineer, supervisor):
    item = make_item(emergency, desk, engineer, hours=10)
    scan(now=item.due_at - dt.timedelta(hours=5))
    assert not Notification.objects.exists()
    for _ in range(2):
        scan(now=item.due_at - dt.timedelta(hours=3))
    assert list(Notification.objects.values_list("recipient", flat=True)) == [engineer.pk]
    for _ in range(2):
        scan(now=item.due_at + dt.timedelta(hours=2))
    assert Notification.objects.filter(recipient=engineer).count() == 1
    assert Notification.objects.filter(recipient=supervisor).count() == 1
    assert Notification.objects.count() == 2


def test_a_closed_item_is_not_escalated(emergency, desk, engineer, supervisor):
    item = make_item(emergency, desk, engineer, hours=10)
    action_services.action_item_complete(obj=item, by=engineer, note="已处理")
    scan(now=item.due_at + dt.timedelta(hours=2))
    assert not Notification.objects.filter(recipient=supervisor).exists()
