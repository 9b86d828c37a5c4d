"""Part 2 during works: inspections, rectification orders and their re-inspection."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jinyuan.attachments.selectors import attachments_of
from jinyuan.workflow.models import AuditEvent, Deadline, Notification
from jinyuan.workflow.scan import scan
from jinyuan.workflow.services import TransitionRefused
from renovation.models import Inspection, RectificationOrder
from tests.factories import tiny_image

pytestmark = pytest.mark.django_db


def actions(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=obj.pk, action__startswith=obj.audit_prefix).values_list(
            "action", flat=True
        )
    )


def test_an_inspection_without_violation_is_recorded_with_photos(in_works, inspect):
    photo = SimpleUploadedFile("现场.jpg", tiny_image(), content_type="image/jpeg")
    inspection = inspect(in_works, photos=[photo])
    assert not inspection.violation
    assert RectificationOrder.objects.count() == 0
    assert [a.kind for a in attachments_of(inspection)] == ["photo"]
    assert "renovation.inspected" in actions(in_works)


def test_a_violation_issues_a_numbered_order_with_a_running_deadline(in_works, inspect, tenant_a_admin):
    inspection = inspect(in_works, violation=True)
    order = inspection.order
    assert order.status == "open"
    assert order.document.number.startswith(f"ZG-{timezone.localdate().year}-")
    assert order.document.data["requirement"] == "配电箱加盖，线路穿管"
    deadline = Deadline.objects.get(object_id=order.pk, kind="rectification")
    assert deadline.state == "running"
    assert timezone.localtime(deadline.due_at).date() == order.due_on
    assert Notification.objects.filter(recipient=tenant_a_admin, args__number=order.document.number).exists()
    assert {"renovation.inspected", "renovation.order_issued"} <= set(actions(in_works))
    assert actions(order) == ["rectification.issued"]


def test_an_overdue_order_is_escalated_to_the_supervisor_by_the_scan(in_works, inspect, supervisor):
    order = inspect(in_works, violation=True).order
    with time_machine.travel(timezone.now() + timedelta(days=6), tick=False):
        scan()
    sent = Notification.objects.filter(recipient=supervisor, dedup_key__startswith="deadline-")
    assert [n.args["record"] for n in sent] == [
        f"{order.tenant.name} · {in_works.unit.number} · {order.document.number}"
    ]


def test_a_passing_reinspection_closes_the_order_and_stops_its_deadline(in_works, inspect, guard):
    order = inspect(in_works, violation=True).order
    inspect(in_works, by=guard, department="security", reinspects=order, findings="已整改")
    order.refresh_from_db()
    assert order.status == "closed" and order.closed_at
    deadline = Deadline.objects.get(object_id=order.pk, kind="rectification")
    assert (deadline.state, deadline.met) == ("stopped", True)
    assert "renovation.order_closed" in actions(in_works)


def test_a_failed_reinspection_escalates_and_a_later_pass_still_closes(in_works, inspect, supervisor):
    order = inspect(in_works, violation=True).order
    inspect(in_works, violation=True, reinspects=order, findings="仍未加盖")
    order.refresh_from_db()
    assert order.status == "escalated"
    assert Notification.objects.filter(recipient=supervisor, url__contains=f"/renovations/{in_works.pk}/").exists()
    assert RectificationOrder.objects.count() == 1  # a re-inspection issues no second order
    inspect(in_works, reinspects=order, findings="已整改")
    order.refresh_from_db()
    assert order.status == "closed"
    with pytest.raises(TransitionRefused):
        inspect(in_works, reinspects=order, findings="再查")


def test_inspections_are_refused_by_the_wrong_department_or_state(make_renovation, in_works, inspect, guard, desk):
    with pytest.raises(PermissionDenied):
        inspect(in_works, by=guard)  # engineering's inspection
    with pytest.raises(PermissionDenied):
        inspect(in_works, by=desk, department="security")
    assert Inspection.objects.count() == 0


def test_an_inspection_before_works_is_refused(make_renovation, inspect):
    r = make_renovation("approved")
    with pytest.raises(TransitionRefused):
        inspect(r)
    assert Inspection.objects.count() == 0


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"findings": "  "}, "findings"),
        ({"requirement": ""}, "requirement"),
        ({"due_on": None}, "due_on"),
        ({"due_on": timezone.localdate() - timedelta(days=1)}, "due_on"),
        ({"inspected_at": timezone.now() + timedelta(hours=2)}, "inspected_at"),
    ],
)
def test_bad_input_is_refused_beside_its_field(in_works, inspect, over, field):
    with pytest.raises(ValidationError) as exc:
        inspect(in_works, violation=True, **over)
    assert field in exc.value.message_dict
    assert Inspection.objects.count() == 0


def test_a_reinspection_of_another_renovations_order_is_refused(in_works, inspect):
    order = inspect(in_works, violation=True).order
    other = RectificationOrder(pk=order.pk + 1000, renovation_id=in_works.pk + 1000)
    with pytest.raises(ValidationError) as exc:
        inspect(in_works, reinspects=other)
    assert "reinspects" in exc.value.message_dict


# --- stop-work 停工 ----------------------------------------------------------------------------------


def test_stop_work_suspends_permit_and_passes_and_lifting_restores_them(
    in_works, supervisor, passes_provider, tenant_a_admin, inspect
):
    from jinyuan.documents.models import Document
    from renovation import services

    passes_provider.issue(in_works, "张三")
    passes_provider.issue(in_works, "李四")
    services.renovation_stop_works(obj=in_works, by=supervisor, note="未按整改通知书整改，私拉电线")
    in_works.refresh_from_db()
    assert in_works.status == "stopped"
    assert Document.objects.get(pk=in_works.permit_id).status == "suspended"
    assert [p["state"] for p in passes_provider.passes[in_works.pk]] == ["suspended", "suspended"]
    event = AuditEvent.objects.get(object_id=in_works.pk, action="renovation.works_stopped")
    assert event.data["passes"] == 2 and event.note == "未按整改通知书整改，私拉电线"
    assert Notification.objects.filter(recipient=tenant_a_admin, args__reason="未按整改通知书整改，私拉电线").exists()
    inspect(in_works, findings="停工期间检查：已拆除私拉电线")  # inspected while stopped

    services.renovation_lift_stop(obj=in_works, by=supervisor)
    in_works.refresh_from_db()
    assert in_works.status == "in_works"
    assert Document.objects.get(pk=in_works.permit_id).status == "valid"
    assert [p["state"] for p in passes_provider.passes[in_works.pk]] == ["active", "active"]
    assert "renovation.stop_lifted" in actions(in_works)


def test_stop_work_is_the_supervisors_needs_a_reason_and_only_during_works(
    make_renovation, in_works, engineer, desk, supervisor
):
    from renovation import services

    for who in (engineer, desk):
        with pytest.raises(PermissionDenied):
            services.renovation_stop_works(obj=in_works, by=who, note="x")
    with pytest.raises(ValidationError):
        services.renovation_stop_works(obj=in_works, by=supervisor, note=" ")
    with pytest.raises(TransitionRefused):
        services.renovation_lift_stop(obj=in_works, by=supervisor)
    in_works.refresh_from_db()
    assert in_works.status == "in_works"
    assert in_works.permit.status == "valid"


def test_stop_work_refused_before_works(make_renovation, supervisor):
    from renovation import services

    r = make_renovation("approved")
    with pytest.raises(TransitionRefused):
        services.renovation_stop_works(obj=r, by=supervisor, note="x")


# --- deductions ---------------------------------------------------------------------------------


def test_a_deduction_is_proposed_itemised_and_approved_by_the_supervisor(in_works, guard, supervisor, tenant_a_admin):
    from decimal import Decimal

    from renovation import services

    d = services.deduction_propose(
        renovation=in_works,
        by=guard,
        department="security",
        items=[("消防通道堆放材料", Decimal("500")), ("损坏走廊地砖 2 块", Decimal("360.50")), ("", None)],
    )
    assert d.status == "proposed" and d.total == Decimal("860.50")
    assert [(i.reason, i.amount) for i in d.items.all()] == [
        ("消防通道堆放材料", Decimal("500.00")),
        ("损坏走廊地砖 2 块", Decimal("360.50")),
    ]
    assert Notification.objects.filter(recipient=supervisor, dedup_key=f"deduction-{d.pk}-proposed").exists()
    with pytest.raises(PermissionDenied):
        services.deduction_approve(obj=d, by=guard)
    services.deduction_approve(obj=d, by=supervisor)
    d.refresh_from_db()
    assert (d.status, d.decided_by) == ("approved", supervisor)
    assert actions(d) == ["deduction.proposed", "deduction.approved"]
    assert {"renovation.deduction_proposed", "renovation.deduction_approved"} <= set(actions(in_works))
    with pytest.raises(TransitionRefused):
        services.deduction_reject(obj=d, by=supervisor, note="重复")


def test_a_rejected_deduction_needs_a_reason(in_works, engineer, supervisor):
    from decimal import Decimal

    from renovation import services

    d = services.deduction_propose(
        renovation=in_works, by=engineer, department="engineering", items=[("私改线路", Decimal("1000"))]
    )
    with pytest.raises(ValidationError):
        services.deduction_reject(obj=d, by=supervisor, note="")
    services.deduction_reject(obj=d, by=supervisor, note="已当场整改，不扣款")
    d.refresh_from_db()
    assert d.status == "rejected"


@pytest.mark.parametrize(
    "items",
    [[], [("", None)], [("私改线路", None)], [("", "100")], [("私改线路", "0")], [("私改线路", "-5")]],
)
def test_bad_deduction_items_are_refused(in_works, engineer, items):
    from decimal import Decimal

    from renovation import services
    from renovation.models import Deduction

    items = [(reason, Decimal(amount) if amount else None) for reason, amount in items]
    with pytest.raises(ValidationError) as exc:
        services.deduction_propose(renovation=in_works, by=engineer, department="engineering", items=items)
    assert "items" in exc.value.message_dict
    assert Deduction.objects.count() == 0


def test_deductions_by_the_wrong_department_or_before_works_are_refused(make_renovation, engineer, desk):
    from decimal import Decimal

    from renovation import services

    r = make_renovation("approved")
    with pytest.raises(PermissionDenied):
        services.deduction_propose(renovation=r, by=desk, department="engineering", items=[("x", Decimal("1"))])
    with pytest.raises(PermissionDenied):
        services.deduction_propose(renovation=r, by=engineer, department="security", items=[("x", Decimal("1"))])
    with pytest.raises(TransitionRefused):
        services.deduction_propose(renovation=r, by=engineer, department="engineering", items=[("x", Decimal("1"))])


# --- acceptance -----------------------------------------------------------------------------------


def test_acceptance_both_departments_pass_in_either_order_and_the_defect_period_runs(
    in_works, tenant_a_admin, engineer, guard, passes_provider
):
    from renovation import services

    passes_provider.issue(in_works, "张三")
    services.renovation_request_acceptance(obj=in_works, by=tenant_a_admin)
    assert in_works.status == "acceptance_requested"
    services.renovation_pass_acceptance_security(obj=in_works, by=guard)
    assert in_works.status == "acceptance_sec_passed"
    services.renovation_pass_acceptance_engineering(obj=in_works, by=engineer)
    in_works.refresh_from_db()
    assert in_works.status == "accepted"
    assert in_works.accepted_on == timezone.localdate()
    assert in_works.defect_period_ends == timezone.localdate() + timedelta(days=90)
    deadline = Deadline.objects.get(object_id=in_works.pk, kind="defect_period")
    assert deadline.state == "running"
    assert timezone.localtime(deadline.due_at).date() == in_works.defect_period_ends
    assert [p["state"] for p in passes_provider.passes[in_works.pk]] == ["void"]
    assert "renovation.accepted" in actions(in_works)
    for kind in ("acceptance_engineering", "acceptance_security"):
        assert Deadline.objects.get(object_id=in_works.pk, kind=kind).state == "stopped"


def test_a_failed_acceptance_returns_to_works_with_the_items(in_works, tenant_a_admin, engineer, guard):
    from renovation import services

    services.renovation_request_acceptance(obj=in_works, by=tenant_a_admin)
    services.renovation_pass_acceptance_engineering(obj=in_works, by=engineer)
    with pytest.raises(ValidationError):
        services.renovation_fail_acceptance_security(obj=in_works, by=guard, note="")
    services.renovation_fail_acceptance_security(obj=in_works, by=guard, note="1. 喷淋头被吊顶遮挡；2. 疏散指示灯未亮")
    in_works.refresh_from_db()
    assert in_works.status == "in_works"
    assert Notification.objects.filter(recipient=tenant_a_admin, args__reason__startswith="1. 喷淋头").exists()
    services.renovation_request_acceptance(obj=in_works, by=tenant_a_admin)  # asked again once put right
    assert in_works.status == "acceptance_requested"


def test_acceptance_transitions_refused_by_role_and_state(in_works, tenant_a_admin, tenant_a_staff, engineer, desk):
    from renovation import services

    for who in (desk, engineer, tenant_a_staff):
        with pytest.raises(PermissionDenied):
            services.renovation_request_acceptance(obj=in_works, by=who)
    with pytest.raises(TransitionRefused):
        services.renovation_pass_acceptance_engineering(obj=in_works, by=engineer)  # not requested
    services.renovation_request_acceptance(obj=in_works, by=tenant_a_admin)
    with pytest.raises(PermissionDenied):
        services.renovation_pass_acceptance_security(obj=in_works, by=engineer)
    with pytest.raises(PermissionDenied):
        services.renovation_pass_acceptance_engineering(obj=in_works, by=desk)
    services.renovation_pass_acceptance_engineering(obj=in_works, by=engineer)
    with pytest.raises(TransitionRefused):
        services.renovation_pass_acceptance_engineering(obj=in_works, by=engineer)  # counted once


# --- move-out checklist ---------------------------------------------------------------------------


def test_move_out_checklist_waits_for_a_live_renovation_of_a_leaving_unit(in_works, tenant_a, desk, tenant_a_admin):
    from renovation import services
    from tenants import checklists
    from tests import factories

    move_out = factories.make_moveout(tenant_a, desk)

    def row():
        rows = {r.item.code: r.state for r in checklists.evaluate(checklists.MOVE_OUT, move_out)}
        return rows["no_live_renovation"]

    state = row()
    assert not state.done and in_works.unit.number in state.detail
    assert state.action_url.endswith(f"/renovations/{in_works.pk}/")
    in_works.status = "accepted"  # as the acceptance leaves it (the services are tested above)
    type(in_works).objects.filter(pk=in_works.pk).update(status="accepted")
    assert row().done
    assert services.live_renovation(in_works.unit) is None
