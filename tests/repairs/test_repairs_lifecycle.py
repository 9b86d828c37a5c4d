"""A repair ticket's life: reported, assigned or pooled, accepted, on site, paused and resumed,
completed, closed; every step on the timeline; wrong people and wrong states refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from repairs import services
from repairs.models import RepairCategory, RepairTicket
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def water():
    return RepairCategory.objects.create(name="水电", response_minutes=30, completion_hours=4)


@pytest.fixture
def pooled_category():
    return RepairCategory.objects.create(name="空调", dispatch=RepairCategory.Dispatch.POOL)


def report(by, category, **over):
    fields = {"reporter_name": "王建国", "phone": "13877110001", "description": "卫生间漏水", **over}
    return services.report(by=by, category=category, **fields)


def test_a_ticket_runs_from_report_to_close_with_every_step_recorded(desk, engineer, tenant_a, water):
    ticket = report(desk, water, tenant=tenant_a)
    assert ticket.number.startswith("BX-") and ticket.status == "reported"
    services.assign(ticket, engineer=engineer, by=desk)
    services.accept(ticket, by=engineer)
    services.arrive(ticket, by=engineer)
    services.pause(ticket, by=engineer, reason="parts")
    assert ticket.pause_reason == "parts"
    services.resume(ticket, by=engineer)
    services.complete(ticket, by=engineer, materials="水龙头 1 个")
    services.close(ticket, by=desk)
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    assert ticket.accepted_at and ticket.arrived_at and ticket.completed_at and ticket.closed_at
    assert ticket.materials == "水龙头 1 个"
    actions = list(AuditEvent.objects.filter(object_id=ticket.pk).values_list("action", flat=True))
    assert actions == [
        "repair.reported",
        "repair.dispatched",
        "repair.accepted",
        "repair.arrived",
        "repair.paused",
        "repair.resumed",
        "repair.completed",
        "repair.closed",
        # The month's first other closure is in the 30 % sample of return visits.
        "repair.followup_scheduled",
        "repair.visit_chosen",
    ]


def test_a_public_area_ticket_has_no_tenant(desk, water):
    ticket = report(desk, water, place="一楼大堂")
    assert ticket.tenant is None and ticket.where == "一楼大堂"


def test_a_pool_category_puts_the_ticket_in_the_pool_and_an_engineer_takes_it(desk, engineer, pooled_category):
    ticket = report(desk, pooled_category)
    assert ticket.status == "pooled"
    services.take(ticket, by=engineer)
    ticket.refresh_from_db()
    assert ticket.status == "accepted" and ticket.assignee == engineer


def test_only_an_engineer_can_be_assigned(desk, water):
    ticket = report(desk, water)
    with pytest.raises(ValidationError):
        services.assign(ticket, engineer=desk, by=desk)


def test_another_engineer_cannot_accept_someone_elses_ticket(desk, engineer, water):
    ticket = report(desk, water)
    services.assign(ticket, engineer=engineer, by=desk)
    other = factories.UserFactory(username="engineer2", roles=["engineering"])
    with pytest.raises(PermissionDenied):
        services.accept(ticket, by=other)


def test_hand_over_needs_a_reason_and_changes_the_engineer(desk, engineer, water):
    ticket = report(desk, water)
    services.assign(ticket, engineer=engineer, by=desk)
    other = factories.UserFactory(username="engineer2", roles=["engineering"])
    with pytest.raises(ValidationError):
        services.hand_over(ticket, engineer=other, by=desk, reason="")
    services.hand_over(ticket, engineer=other, by=desk, reason="请假")
    ticket.refresh_from_db()
    assert ticket.assignee == other and ticket.status == "dispatched"


def test_completing_before_arrival_is_refused(desk, engineer, water):
    ticket = report(desk, water)
    services.assign(ticket, engineer=engineer, by=desk)
    with pytest.raises(TransitionRefused):
        services.complete(ticket, by=engineer)


def test_an_emergency_category_answers_within_fifteen_minutes(desk):
    category = RepairCategory.objects.create(name="紧急", emergency=True, response_minutes=60)
    assert category.response_minutes == 15
    assert report(desk, category).urgency == RepairTicket.Urgency.EMERGENCY


def test_a_ticket_remembers_the_record_it_came_from(desk, water, tenant_a):
    ticket = report(desk, water, source=tenant_a)
    assert ticket.source_id == tenant_a.pk and ticket.source_type.model == "tenant"
