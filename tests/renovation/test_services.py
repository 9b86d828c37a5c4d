"""Renovations through the services: every allowed and refused step, bad input beside its
field, one live renovation per unit, deadlines, fees and the permit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from billing.models import Bill, DepositEntry, FeeItem
from billing.services import LineSpec, bill_create, payment_record
from jinyuan.attachments.selectors import attachments_of
from jinyuan.workflow.models import AuditEvent, Deadline, Notification
from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.services import TransitionRefused, transition
from renovation import services
from renovation.fees import fees_for, months_in
from renovation.models import DepositTier, FeeSchedule, FireApprovalRule, Renovation
from tests.renovation.data import fields, files, pdf

pytestmark = pytest.mark.django_db

S = Renovation.Status
TODAY = timezone.localdate


def actions(obj) -> list[str]:
    return [e.action for e in timeline(obj)]


def running(obj) -> set[str]:
    return set(
        Deadline.objects.filter(object_id=obj.pk, content_type__model="renovation", state="running").values_list(
            "kind", flat=True
        )
    )


# --- application ---------------------------------------------------------------------------------


def test_apply_files_the_application_and_starts_both_reviews(apply, tenant_a_admin, engineer, guard):
    r = apply()
    assert r.status == S.APPLIED
    assert r.work_items == ["轻钢龙骨隔墙", "吊顶", "照明线路"]
    assert sorted(a.kind for a in attachments_of(r)) == sorted(
        ["licence", "drawing_plan", "drawing_electrical", "drawing_fire", "undertaking", "agreement"]
    )
    assert "renovation.applied" in actions(r)
    assert running(r) == {"engineering_review", "security_review"}
    assert Notification.objects.filter(recipient=engineer).exists()
    assert Notification.objects.filter(recipient=guard).exists()


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"planned_start": TODAY() - timedelta(days=1)}, "planned_start"),
        ({"planned_end": TODAY() + timedelta(days=3)}, "planned_end"),
        ({"work_items": [" "]}, "work_items"),
    ],
)
def test_bad_input_is_refused_beside_its_field(apply, over, field):
    with pytest.raises(ValidationError) as exc:
        apply(**over)
    assert field in exc.value.message_dict
    assert not Renovation.objects.exists()


def test_load_above_the_units_supply_is_refused(apply, unit_a, english):
    unit_a.power_supply_kw = Decimal("30.0")
    unit_a.save()
    assert apply(electrical_load_kw=Decimal("30.0")).status == S.APPLIED
    Renovation.objects.all().update(status=S.WITHDRAWN)
    with pytest.raises(ValidationError) as exc:
        apply(electrical_load_kw=Decimal("30.5"))
    assert exc.value.message_dict["electrical_load_kw"] == ["30.5 kW is more than the unit's supply of 30.0 kW."]


def test_a_unit_without_a_recorded_supply_takes_any_load(apply):
    assert apply(electrical_load_kw=Decimal("500")).status == S.APPLIED


def test_missing_files_and_files_lying_about_their_type_are_refused_beside_their_fields(apply):
    upload = files(drawing_fire=None)
    with pytest.raises(ValidationError) as exc:
        apply(files=upload)
    assert list(exc.value.message_dict) == ["drawing_fire"]
    lying = files(drawing_plan=SimpleUploadedFile("plan.pdf", b"<html><script>alert(1)</script>", "application/pdf"))
    with pytest.raises(ValidationError) as exc:
        apply(files=lying)
    assert list(exc.value.message_dict) == ["drawing_plan"]
    assert not Renovation.objects.exists()


def test_a_unit_the_tenant_does_not_occupy_is_refused(tenant_a, unit_b, tenant_a_admin):
    with pytest.raises(ValidationError) as exc:
        services.renovation_apply(tenant=tenant_a, unit=unit_b, by=tenant_a_admin, files=files(), **fields())
    assert list(exc.value.message_dict) == ["unit"]


def test_fire_approval_is_required_by_the_rule_table(apply, unit_a):
    # Unit A is 186.40 m²: a shop needs the art.15 inspection whatever its area.
    with pytest.raises(ValidationError) as exc:
        apply(intended_use="retail")
    assert list(exc.value.message_dict) == ["fire_approval"]
    r = apply(intended_use="retail", files=files(fire_approval=pdf("消防.pdf")))
    assert "消防安全检查" in r.fire_approval_required
    assert "fire_approval" in {a.kind for a in attachments_of(r)}


def test_fire_approval_thresholds_and_inactive_rules(unit_a):
    assert services.fire_approval_needed(unit_a, "office") == ""
    assert services.fire_approval_needed(unit_a, "training") == ""  # 186.40 m² is not above 1,000
    FireApprovalRule.objects.create(use="office", area_above=Decimal("150"), document="测试文件", is_active=False)
    assert services.fire_approval_needed(unit_a, "office") == ""
    FireApprovalRule.objects.filter(use="office").update(is_active=True)
    assert services.fire_approval_needed(unit_a, "office") == "测试文件"


# --- one live renovation per unit ----------------------------------------------------------------


def test_a_second_live_renovation_of_the_unit_is_refused_naming_the_first(apply, english):
    first = apply()
    with pytest.raises(ValidationError) as exc:
        apply()
    message = exc.value.message_dict["unit"][0]
    assert f"Renovation #{first.pk}" in message and "Under review" in message


def test_the_database_refuses_a_second_live_renovation_too(make_renovation):
    first = make_renovation("applied")
    with pytest.raises(IntegrityError), transaction.atomic():
        Renovation.objects.create(
            **{k: getattr(first, k) for k in ("tenant", "unit", "applicant")}, **fields(), status=S.APPROVED
        )


def test_after_a_rejection_the_unit_may_be_applied_for_again(make_renovation, apply):
    make_renovation("rejected")
    assert apply().status == S.APPLIED


# --- reviews -------------------------------------------------------------------------------------


def test_reviews_in_either_order_reach_reviewed_and_stop_their_deadlines(apply, engineer, guard, supervisor):
    r = apply()
    services.renovation_pass_security(obj=r, by=guard, note="通道畅通")
    assert r.status == S.SECURITY_PASSED
    assert running(r) == {"engineering_review"}
    services.renovation_pass_engineering(obj=r, by=engineer, note="")
    assert r.status == S.REVIEWED
    assert running(r) == {"approval"}
    assert r.security_remarks == "通道畅通"
    assert Notification.objects.filter(recipient=supervisor).exists()
    stopped = Deadline.objects.filter(object_id=r.pk, kind__in=["engineering_review", "security_review"])
    assert {d.state for d in stopped} == {"stopped"} and all(d.met for d in stopped)


def test_each_review_belongs_to_its_department(apply, engineer, guard, desk, supervisor):
    r = apply()
    with pytest.raises(PermissionDenied):
        services.renovation_pass_engineering(obj=r, by=guard)
    with pytest.raises(PermissionDenied):
        services.renovation_pass_security(obj=r, by=engineer)
    for user in (desk, supervisor):
        with pytest.raises(PermissionDenied):
            services.renovation_pass_engineering(obj=r, by=user)
    services.renovation_pass_engineering(obj=r, by=engineer)
    with pytest.raises(TransitionRefused):
        services.renovation_pass_engineering(obj=r, by=engineer)
    with pytest.raises(TransitionRefused):
        services.renovation_return_engineering(obj=r, by=engineer, note="已通过后不能退回")
    r.refresh_from_db()
    assert r.status == S.ENGINEERING_PASSED


def test_a_return_needs_remarks_and_tells_the_tenant(apply, guard, tenant_a_admin):
    r = apply()
    with pytest.raises(ValidationError):
        services.renovation_return_security(obj=r, by=guard, note=" ")
    services.renovation_return_security(obj=r, by=guard, note="缺少疏散示意")
    assert r.status == S.RETURNED
    assert r.security_remarks == "缺少疏散示意"
    assert running(r) == set()
    assert Notification.objects.filter(recipient=tenant_a_admin, args__reason="缺少疏散示意").exists()


def test_the_tenant_corrects_and_resubmits_to_both_reviews(make_renovation, tenant_a_admin, tenant_a_staff, engineer):
    r = make_renovation("returned")
    with pytest.raises(PermissionDenied):
        services.renovation_resubmit(obj=r, by=tenant_a_staff)
    with pytest.raises(ValidationError) as exc:
        services.renovation_resubmit(obj=r, by=tenant_a_admin, planned_start=TODAY() - timedelta(days=2))
    assert "planned_start" in exc.value.message_dict
    old_drawing = next(a for a in attachments_of(r) if a.kind == "drawing_electrical")
    services.renovation_resubmit(
        obj=r, by=tenant_a_admin, contractor_phone="13977139999", files={"drawing_electrical": pdf("电气图v2.pdf")}
    )
    r.refresh_from_db()
    assert r.status == S.APPLIED
    assert r.contractor_phone == "13977139999"
    assert r.engineering_remarks == ""
    drawings = [a for a in attachments_of(r) if a.kind == "drawing_electrical"]
    assert [a.original_name for a in drawings] == ["电气图v2.pdf"]
    assert old_drawing.pk not in {a.pk for a in drawings}
    assert running(r) == {"engineering_review", "security_review"}
    assert actions(r)[-1] == "renovation.resubmitted"


def test_the_desk_corrects_and_resubmits_for_the_tenant_and_the_timeline_says_so(
    make_renovation, desk, engineer, guard, tenant_a_admin
):
    r = make_renovation("returned")
    with pytest.raises(PermissionDenied):
        services.renovation_resubmit(obj=r, by=engineer)
    services.renovation_resubmit(obj=r, by=desk, contractor_phone="13977139999", note="业户到前台补交电气图")
    r.refresh_from_db()
    assert r.status == S.APPLIED and r.contractor_phone == "13977139999"
    event = AuditEvent.objects.filter(object_id=r.pk, action="renovation.resubmitted").get()
    assert event.actor == desk
    assert event.data["corrected_by"] == "desk" and event.data["fields"] == ["contractor_phone"]
    assert running(r) == {"engineering_review", "security_review"}
    assert Notification.objects.filter(recipient=tenant_a_admin, args__unit=r.unit.number).exists()


def test_the_tenants_own_correction_is_recorded_as_the_companys(make_renovation, tenant_a_admin):
    r = make_renovation("returned")
    services.renovation_resubmit(obj=r, by=tenant_a_admin)
    event = AuditEvent.objects.filter(object_id=r.pk, action="renovation.resubmitted").get()
    assert (event.actor, event.data["corrected_by"]) == (tenant_a_admin, "tenant")


def test_withdraw_by_the_tenant_admin_only(make_renovation, tenant_a_admin, desk):
    r = make_renovation("returned")
    with pytest.raises(PermissionDenied):
        transition(r, "withdraw", by=desk)
    transition(r, "withdraw", by=tenant_a_admin)
    assert r.status == S.WITHDRAWN


# --- approval and fees ---------------------------------------------------------------------------


def test_only_the_supervisor_approves_a_reviewed_renovation(make_renovation, desk, supervisor, engineer):
    r = make_renovation("engineering_passed")
    with pytest.raises(TransitionRefused):
        services.renovation_approve(obj=r, by=supervisor)
    r = Renovation.objects.get(pk=r.pk)
    Renovation.objects.filter(pk=r.pk).update(status=S.REVIEWED)
    r.refresh_from_db()
    for user in (desk, engineer):
        with pytest.raises(PermissionDenied):
            services.renovation_approve(obj=r, by=user)
    with pytest.raises(ValidationError):
        services.renovation_reject(obj=r, by=supervisor, note="")
    assert not Bill.objects.exists()


def test_approval_bills_tier_management_and_waste(make_renovation, tenant_a_admin):
    # Unit A: 186.40 m² → the 10,000 tier; 3 days from now for 37 days is 2 months (part month whole).
    r = make_renovation("approved")
    r.refresh_from_db()
    assert r.status == S.APPROVED
    assert (r.granted_start, r.granted_end) == (r.planned_start, r.planned_end)
    bill = r.fees_bill
    amounts = list(bill.lines.order_by("id").values_list("fee_item__code", "amount"))
    months = months_in(r.planned_start, r.planned_end)
    assert amounts == [
        ("renovation_deposit", Decimal("10000.00")),
        ("renovation_management", (Decimal("186.40") * 3 * months).quantize(Decimal("0.01"))),
        ("renovation_waste", Decimal("500.00")),
    ]
    assert bill.source_key == f"renovation:{r.pk}"
    assert running(r) == set()
    assert {"renovation.approved", "renovation.fees_billed"} <= set(actions(r))


def test_deposit_entries_name_the_renovation_they_secure(make_renovation, desk):
    r = make_renovation("approved")
    r.refresh_from_db()
    payment_record(tenant=r.tenant, amount=r.fees_bill.total, method="cash", by=desk, bills=[r.fees_bill])
    entry = DepositEntry.objects.get(tenant=r.tenant)
    assert (entry.source_key, entry.amount, entry.fee_item.code) == (
        f"renovation:{r.pk}",
        Decimal("10000.00"),
        "renovation_deposit",
    )


def _move_in_deposit(tenant, amount, desk):
    item = FeeItem.objects.get(code="renovation_deposit")
    bill = bill_create(
        tenant=tenant,
        title="入驻",
        lines=[LineSpec(item, item.name, Decimal(1), Decimal(amount))],
        by=desk,
        source_key="movein:99",
    )
    payment_record(tenant=tenant, amount=bill.total, method="cash", by=desk, bills=[bill])


@pytest.mark.parametrize(
    ("paid_at_move_in", "tier_area", "billed"),
    [("10000", None, None), ("5000", None, "5000.00"), ("3000", "200", "2000.00"), ("8000", "200", None)],
)
def test_a_deposit_paid_at_move_in_counts_toward_the_tier(
    make_renovation, tenant_a, desk, paid_at_move_in, tier_area, billed
):
    if tier_area:
        # Unit A (186.40 m²) falls in a 5,000 tier up to 200 m².
        DepositTier.objects.create(area_up_to=Decimal(tier_area), amount=Decimal("5000.00"))
    _move_in_deposit(tenant_a, paid_at_move_in, desk)
    r = make_renovation("approved")
    r.refresh_from_db()
    deposit = r.fees_bill.lines.filter(fee_item__code="renovation_deposit").first()
    assert (str(deposit.amount) if deposit else None) == billed
    tier = Decimal("5000") if tier_area else Decimal("10000")
    assert r.deposit_from_move_in == min(Decimal(paid_at_move_in), tier)


def test_move_in_deposit_counts_once_across_renovations(tenant_a, unit_a, desk, make_renovation):
    _move_in_deposit(tenant_a, "10000", desk)
    first = make_renovation("approved")
    assert first.deposit_from_move_in == Decimal("10000")
    second = Renovation(tenant=tenant_a, unit=unit_a)
    assert fees_for(second, TODAY(), TODAY() + timedelta(days=10)).from_move_in == Decimal("0")


def test_flat_management_fee_and_zero_lines_left_off(make_renovation):
    FeeSchedule.objects.update(management_basis="flat", management_rate=Decimal("800"), waste_removal_fee=Decimal("0"))
    r = make_renovation("approved")
    r.refresh_from_db()
    assert list(r.fees_bill.lines.values_list("fee_item__code", "amount")) == [
        ("renovation_deposit", Decimal("10000.00")),
        ("renovation_management", Decimal("800.00")),
    ]


def test_months_count_part_months_whole():
    from datetime import date

    assert months_in(date(2026, 3, 10), date(2026, 4, 9)) == 1
    assert months_in(date(2026, 3, 10), date(2026, 4, 10)) == 2
    assert months_in(date(2026, 3, 1), date(2026, 3, 2)) == 1
    assert months_in(date(2026, 12, 20), date(2027, 2, 19)) == 2


# --- works start and the permit ------------------------------------------------------------------


def test_works_start_only_when_the_fees_are_paid(make_renovation, desk, engineer):
    r = make_renovation("approved", planned_start=TODAY())
    r = Renovation.objects.get(pk=r.pk)
    with pytest.raises(TransitionRefused):
        services.renovation_start_works(obj=r, by=desk)
    payment_record(tenant=r.tenant, amount=r.fees_bill.total - 1, method="cash", by=desk, bills=[r.fees_bill])
    r = Renovation.objects.get(pk=r.pk)
    with pytest.raises(TransitionRefused):
        services.renovation_start_works(obj=r, by=desk)
    payment_record(tenant=r.tenant, amount=Decimal(1), method="cash", by=desk, bills=[r.fees_bill])
    r = Renovation.objects.get(pk=r.pk)
    with pytest.raises(PermissionDenied):
        services.renovation_start_works(obj=r, by=engineer)
    services.renovation_start_works(obj=r, by=desk)
    assert r.status == S.IN_WORKS
    assert r.permit.number.startswith(f"ZX-{TODAY().year}-")


def test_works_do_not_start_before_the_granted_period(make_renovation, desk):
    r = make_renovation("approved")
    r = Renovation.objects.get(pk=r.pk)
    payment_record(tenant=r.tenant, amount=r.fees_bill.total, method="cash", by=desk, bills=[r.fees_bill])
    r = Renovation.objects.get(pk=r.pk)
    with pytest.raises(TransitionRefused):
        services.renovation_start_works(obj=r, by=desk)


def test_the_permit_is_numbered_valid_for_the_granted_period_and_rendered(
    make_renovation, tenant_a_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        r = make_renovation("in_works", planned_start=TODAY())
    permit = r.permit
    permit.refresh_from_db()
    assert timezone.localtime(permit.valid_from).date() == r.granted_start
    assert timezone.localtime(permit.valid_until).date() == r.granted_end
    assert permit.data["contractor"] == "南宁精工装饰工程有限公司"
    assert permit.pdf  # rendered by the (eager) task after commit
    assert {"renovation.works_started", "renovation.permit_issued"} <= set(actions(r))
    assert Notification.objects.filter(recipient=tenant_a_admin, args__number=permit.number).exists()
