"""Extension of the period 延期: its own application, the supervisor's decision, the fee for the
added months, the granted end moved, the permit issued again; refusals beside the field."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from billing.models import Bill
from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent, Deadline
from jinyuan.workflow.services import TransitionRefused
from renovation import extensions, services
from renovation.fees import months_in
from renovation.models import Extension, FeeSchedule, Renovation

pytestmark = pytest.mark.django_db


@pytest.fixture
def extend(in_works, tenant_a_admin):
    """``extend(days=30, by=None)``: tenant A's admin applies to work ``days`` past the granted end."""

    def make(days: int = 30, *, by=None, renovation=None, reason="吊顶材料到货延迟"):
        r = renovation or in_works
        r.refresh_from_db()
        return extensions.extension_apply(
            renovation=r, by=by or tenant_a_admin, new_end=r.granted_end + timedelta(days=days), reason=reason
        )

    return make


def _actions(obj) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


def test_the_tenant_applies_and_the_supervisor_is_given_a_deadline(extend, in_works, supervisor):
    ext = extend()
    assert ext.status == "applied" and ext.previous_end == in_works.granted_end
    assert "renovation.extension_applied" in _actions(in_works)
    deadline = Deadline.objects.get(object_id=ext.pk, kind="extension_approval")
    assert deadline.state == Deadline.State.RUNNING
    assert supervisor.notifications.filter(url=reverse("desk:renovation:extension_detail", args=[ext.pk])).exists()


def test_the_desk_applies_for_the_tenant(extend, desk):
    ext = extend(by=desk)
    assert ext.applicant == desk


@pytest.mark.parametrize(
    ("days_from", "expected"),
    [("granted_end", "必须晚于原核准完工日期"), ("yesterday", "不能早于今天")],
)
def test_a_new_end_not_after_the_granted_one_or_in_the_past_is_refused_beside_the_field(
    in_works, tenant_a_admin, days_from, expected
):
    in_works.refresh_from_db()
    new_end = in_works.granted_end if days_from == "granted_end" else timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        extensions.extension_apply(renovation=in_works, by=tenant_a_admin, new_end=new_end, reason="工期不足")
    assert expected in " ".join(exc.value.message_dict["new_end"])
    assert not Extension.objects.exists()


def test_a_second_pending_extension_is_refused_naming_the_pending_one(extend):
    first = extend(30)
    with pytest.raises(ValidationError) as exc:
        extend(60)
    message = " ".join(exc.value.message_dict["new_end"])
    assert first.new_end.isoformat() in message and "仍在等待主管审批" in message
    assert Extension.objects.count() == 1


def test_only_a_renovation_in_works_or_stopped_is_extended(make_renovation, tenant_a_admin):
    r = make_renovation("approved")
    with pytest.raises(TransitionRefused):
        extensions.extension_apply(
            renovation=r, by=tenant_a_admin, new_end=timezone.localdate() + timedelta(days=90), reason="x"
        )


def test_approval_bills_the_added_months_moves_the_end_and_issues_the_permit_again(extend, in_works, supervisor):
    in_works.refresh_from_db()
    old_permit, start, old_end = in_works.permit, in_works.granted_start, in_works.granted_end
    ext = extend(45)
    extensions.extension_approve(obj=ext, by=supervisor, note="同意延期")
    ext.refresh_from_db()
    in_works.refresh_from_db()
    assert ext.status == "approved" and ext.decided_by == supervisor
    assert in_works.granted_end == ext.new_end

    # The management fee of the months the new end adds, over the whole period (part months whole).
    months = months_in(start, ext.new_end) - months_in(start, old_end)
    bill = Bill.objects.get(source_key=f"renovation-extension:{ext.pk}")
    assert ext.fees_bill == bill
    (line,) = bill.lines.all()
    assert line.fee_item.code == "renovation_management"
    assert bill.total == (Decimal("186.40") * FeeSchedule.current().management_rate * months).quantize(Decimal("0.01"))

    # A new permit for the longer period; the earlier one is revoked, naming its successor.
    old_permit.refresh_from_db()
    assert in_works.permit != old_permit and ext.permit == in_works.permit
    assert old_permit.status == Document.Status.REVOKED and in_works.permit.number in old_permit.revoke_reason
    assert timezone.localdate(in_works.permit.valid_until) == ext.new_end
    assert in_works.permit.data["valid_until"] == ext.new_end.isoformat()

    # Both timelines; the supervisor's deadline stopped, met.
    assert {"renovation.extended", "renovation.permit_issued"} <= set(_actions(in_works))
    assert _actions(ext) == ["extension.applied", "extension.approved"]
    assert Deadline.objects.get(object_id=ext.pk, kind="extension_approval").state == Deadline.State.STOPPED


def test_a_flat_management_fee_adds_nothing_for_an_extension(extend, supervisor):
    FeeSchedule.objects.update(management_basis="flat", management_rate=Decimal("800"))
    ext = extensions.extension_approve(obj=extend(45), by=supervisor)
    assert ext.fees_bill is None
    assert ext.renovation.granted_end == ext.new_end


def test_a_stopped_renovation_is_extended_with_its_new_permit_suspended_until_the_stop_is_lifted(
    extend, in_works, supervisor
):
    services.renovation_stop_works(obj=in_works, by=supervisor, note="私拉电线")
    ext = extensions.extension_approve(obj=extend(30), by=supervisor)
    r = Renovation.objects.get(pk=in_works.pk)
    assert r.permit.status == Document.Status.SUSPENDED and ext.permit == r.permit
    services.renovation_lift_stop(obj=r, by=supervisor)
    r.permit.refresh_from_db()
    assert r.permit.status == Document.Status.VALID


def test_only_the_supervisor_decides_and_a_rejection_needs_a_reason(extend, desk, supervisor, tenant_a_admin):
    ext = extend()
    with pytest.raises(PermissionDenied):
        extensions.extension_approve(obj=ext, by=desk)
    with pytest.raises(ValidationError):
        extensions.extension_reject(obj=ext, by=supervisor, note="")
    extensions.extension_reject(obj=ext, by=supervisor, note="已多次延期，请按期完工")
    ext.refresh_from_db()
    assert ext.status == "rejected"
    assert ext.renovation.granted_end == ext.previous_end
    assert "renovation.extension_rejected" in _actions(ext.renovation)


def test_the_tenant_withdraws_a_pending_extension_and_may_apply_again(extend, tenant_a_admin, tenant_a_staff):
    ext = extend()
    with pytest.raises(PermissionDenied):
        extensions.extension_withdraw(obj=ext, by=tenant_a_staff)
    extensions.extension_withdraw(obj=ext, by=tenant_a_admin)
    assert Extension.objects.get(pk=ext.pk).status == "withdrawn"
    assert extend(60).status == "applied"


def test_an_approval_after_the_works_ended_is_refused(extend, in_works, tenant_a_admin, supervisor):
    ext = extend()
    services.renovation_request_acceptance(obj=in_works, by=tenant_a_admin)
    with pytest.raises(TransitionRefused):
        extensions.extension_approve(obj=ext, by=supervisor)
    assert Extension.objects.get(pk=ext.pk).status == "applied"
    assert not Bill.objects.filter(source_key=f"renovation-extension:{ext.pk}").exists()


def test_worker_passes_may_run_to_the_extended_end(extend, in_works, supervisor, desk):
    """Worker passes are capped at the renovation's end, extensions included."""
    from permits import passes
    from tests.permits.conftest import worker

    ext = extensions.extension_approve(obj=extend(30), by=supervisor)
    r = Renovation.objects.get(pk=in_works.pk)
    worker_pass = passes.worker_pass_issue(renovation=r, by=desk, **worker(7, valid_until=ext.new_end))
    assert worker_pass.valid_until == ext.new_end


# --- the pages -----------------------------------------------------------------------------------


def test_the_portal_form_sends_the_extension_and_bad_dates_stay_beside_the_field(client_for, tenant_a_admin, in_works):
    client = client_for(tenant_a_admin)
    url = reverse("portal:renovation:extension_new", args=[in_works.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"new_end": in_works.granted_end.isoformat(), "reason": "材料延迟"})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode() and not Extension.objects.exists()
    new_end = in_works.granted_end + timedelta(days=20)
    response = client.post(url, {"new_end": new_end.isoformat(), "reason": "材料延迟"})
    assert response.status_code == 302
    ext = Extension.objects.get()
    detail = client.get(reverse("portal:renovation:renovation_detail", args=[in_works.pk])).content.decode()
    assert reverse("portal:renovation:extension_detail", args=[ext.pk]) in detail


def test_the_supervisor_approves_on_the_extension_page(client_for, supervisor, extend, in_works):
    ext = extend()
    url = reverse("desk:renovation:extension_detail", args=[ext.pk])
    assert 'value="approve"' in client_for(supervisor).get(url).content.decode()
    response = client_for(supervisor).post(url, {"action": "approve"})
    assert response.status_code == 302
    assert Extension.objects.get(pk=ext.pk).status == "approved"
    page = client_for(supervisor).get(reverse("desk:renovation:renovation_detail", args=[in_works.pk]))
    assert ext.new_end.isoformat() in page.content.decode()


def test_the_desk_extends_from_the_renovation_page(client_for, desk, in_works):
    page = client_for(desk).get(reverse("desk:renovation:renovation_detail", args=[in_works.pk])).content.decode()
    url = reverse("desk:renovation:extension_new", args=[in_works.pk])
    assert url in page
    new_end = in_works.granted_end + timedelta(days=10)
    response = client_for(desk).post(url, {"new_end": new_end.isoformat(), "reason": "业户书面申请"})
    assert response.status_code == 302
    assert Extension.objects.get().applicant == desk


def test_the_extension_form_of_a_renovation_not_in_works_sends_back(client_for, desk, make_renovation):
    r = make_renovation("applied")
    response = client_for(desk).get(reverse("desk:renovation:extension_new", args=[r.pk]))
    assert response.status_code == 302


def test_the_timeline_names_every_extension_event(extend, supervisor, tenant_a_admin):
    from jinyuan.workflow import labels

    extensions.extension_withdraw(obj=extend(), by=tenant_a_admin)
    extensions.extension_reject(obj=extend(), by=supervisor, note="不同意")
    extensions.extension_approve(obj=extend(), by=supervisor)
    codes = {c for c in AuditEvent.objects.values_list("action", flat=True) if "exten" in c}
    assert codes >= {"renovation.extension_applied", "renovation.extended", "extension.withdrawn"}
    assert all(labels.action_label(code) != code for code in codes), codes


def test_the_supervisors_desk_home_counts_waiting_extensions_and_links_to_them(
    client_for, supervisor, desk, extend, in_works
):
    ext = extend()
    register = reverse("desk:renovation:renovation_list")
    home = client_for(supervisor).get(reverse("desk:home")).content.decode()
    assert f"{register}?extension=true" in home
    assert f"{register}?extension=true" not in client_for(desk).get(reverse("desk:home")).content.decode()

    listed = client_for(supervisor).get(register, {"extension": "true"}).context["object_list"]
    assert [r.pk for r in listed] == [in_works.pk]
    extensions.extension_approve(obj=ext, by=supervisor)
    assert not list(client_for(supervisor).get(register, {"extension": "true"}).context["object_list"])
    decided = client_for(supervisor).get(register, {"extension": "false"}).context["object_list"]
    assert in_works.pk in [r.pk for r in decided]
