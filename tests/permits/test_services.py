"""Premises certificates through the services: every allowed and refused step."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent, Deadline, Notification
from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.services import TransitionRefused, transition
from jinyuan.workflow.tasks import scan_deadlines
from permits import selectors, services
from permits.models import PremisesCertificate
from tenants.models import Occupancy

pytestmark = pytest.mark.django_db

S = PremisesCertificate.Status
YEAR = timezone.localdate().year


def actions(cert) -> list[str]:
    return [e.action for e in timeline(cert)]


def due(cert) -> object:
    """When the certificate's running review or approval is due, as the desk pages show it."""
    return selectors.certificate_for_desk(cert.pk).due_at


def notified(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("dedup_key", flat=True))


# --- request -------------------------------------------------------------------------------------


def test_request_creates_a_submitted_certificate_and_tells_the_desk(tenant_a, unit_a, tenant_a_admin, desk, guard):
    cert = services.certificate_request(
        tenant=tenant_a, unit=unit_a, purpose="other", purpose_detail="银行开户", copies=2, by=tenant_a_admin
    )
    assert cert.status == S.SUBMITTED
    assert cert.applicant == tenant_a_admin
    assert due(cert) > timezone.now()
    assert cert.purpose_text.endswith("（银行开户）")
    assert actions(cert) == ["certificate.submitted"]
    assert notified(desk) == [f"certificate-{cert.pk}-submitted"]
    assert notified(guard) == []


def test_request_for_a_unit_the_tenant_does_not_occupy_is_refused_on_unit(tenant_a, unit_b, tenant_a_admin):
    with pytest.raises(ValidationError) as exc:
        services.certificate_request(tenant=tenant_a, unit=unit_b, purpose="tax", by=tenant_a_admin)
    assert list(exc.value.message_dict) == ["unit"]
    assert not PremisesCertificate.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="certificate.").exists()


def test_request_for_a_unit_left_yesterday_is_refused(tenant_a, unit_a, tenant_a_admin):
    Occupancy.objects.filter(tenant=tenant_a, unit=unit_a).update(end=timezone.localdate())
    with pytest.raises(ValidationError):
        services.certificate_request(tenant=tenant_a, unit=unit_a, purpose="tax", by=tenant_a_admin)


def test_request_with_an_unknown_purpose_is_refused(tenant_a, unit_a, tenant_a_admin):
    with pytest.raises(ValidationError) as exc:
        services.certificate_request(tenant=tenant_a, unit=unit_a, purpose="bribe", by=tenant_a_admin)
    assert "purpose" in exc.value.message_dict
    assert not PremisesCertificate.objects.exists()


# --- desk check ----------------------------------------------------------------------------------


def test_desk_passes_the_check_and_the_supervisor_is_told(make_certificate, desk, supervisor):
    cert = make_certificate("submitted")
    services.certificate_pass_check(obj=cert, by=desk)
    cert.refresh_from_db()
    assert cert.status == S.CHECKED
    assert actions(cert)[-1] == "certificate.checked"
    assert timeline(cert).last().data["occupancy_id"] == Occupancy.objects.get(unit=cert.unit).pk
    assert any(k.startswith(f"certificate-{cert.pk}-checked") for k in notified(supervisor))


@pytest.mark.parametrize("who", ["engineer", "guard", "finance", "tenant_a_admin"])
def test_only_desk_or_supervisor_may_pass_the_check(make_certificate, persona, who):
    cert = make_certificate("submitted")
    with pytest.raises(PermissionDenied):
        services.certificate_pass_check(obj=cert, by=persona(who))
    cert.refresh_from_db()
    assert cert.status == S.SUBMITTED
    assert actions(cert) == ["certificate.submitted"]


def test_check_is_refused_when_the_tenant_has_left_the_unit(make_certificate, desk):
    cert = make_certificate("submitted")
    Occupancy.objects.filter(unit=cert.unit).update(end=timezone.localdate())
    with pytest.raises(TransitionRefused):
        services.certificate_pass_check(obj=cert, by=desk)
    cert.refresh_from_db()
    assert cert.status == S.SUBMITTED


def test_send_back_with_a_reason_tells_the_tenant(make_certificate, desk, tenant_a_admin):
    cert = make_certificate("submitted")
    services.certificate_send_back(obj=cert, by=desk, note="请补充租赁合同")
    cert.refresh_from_db()
    assert cert.status == S.RETURNED
    assert due(cert) is None
    assert timeline(cert).last().note == "请补充租赁合同"
    note = Notification.objects.get(recipient=tenant_a_admin, dedup_key=f"certificate-{cert.pk}-returned")
    assert "请补充租赁合同" in note.title
    assert note.url == reverse("portal:permits:certificate_detail", args=[cert.pk])


# --- tenant: resubmit, withdraw ------------------------------------------------------------------


def test_tenant_admin_resubmits_with_changes(make_certificate, tenant_a_admin):
    cert = make_certificate("returned")
    services.certificate_resubmit(obj=cert, by=tenant_a_admin, purpose="bank", copies=3)
    cert.refresh_from_db()
    assert (cert.status, cert.purpose, cert.copies) == (S.SUBMITTED, "bank", 3)
    assert due(cert) is not None
    assert actions(cert)[-1] == "certificate.resubmitted"


def test_resubmit_with_invalid_changes_is_refused_and_changes_nothing(make_certificate, tenant_a_admin):
    cert = make_certificate("returned")
    with pytest.raises(ValidationError):
        services.certificate_resubmit(obj=cert, by=tenant_a_admin, purpose="nonsense")
    cert.refresh_from_db()
    assert (cert.status, cert.purpose) == (S.RETURNED, "business_registration")


@pytest.mark.parametrize("who", ["tenant_a_staff", "tenant_b_admin", "desk", "supervisor"])
def test_only_the_tenant_admin_may_resubmit(make_certificate, persona, who):
    cert = make_certificate("returned")
    with pytest.raises(PermissionDenied):
        services.certificate_resubmit(obj=cert, by=persona(who))
    cert.refresh_from_db()
    assert cert.status == S.RETURNED


@pytest.mark.parametrize("state", ["submitted", "returned"])
def test_tenant_admin_may_withdraw_before_the_check(make_certificate, tenant_a_admin, state):
    cert = make_certificate(state)
    transition(cert, "withdraw", by=tenant_a_admin)
    cert.refresh_from_db()
    assert cert.status == S.WITHDRAWN
    assert due(cert) is None


@pytest.mark.parametrize("who", ["tenant_a_staff", "tenant_b_admin", "desk", "supervisor"])
def test_only_the_tenant_admin_may_withdraw(make_certificate, persona, who):
    cert = make_certificate("submitted")
    with pytest.raises(PermissionDenied):
        transition(cert, "withdraw", by=persona(who))
    cert.refresh_from_db()
    assert cert.status == S.SUBMITTED


@pytest.mark.parametrize("state", ["checked", "issued", "rejected", "withdrawn", "revoked"])
def test_withdraw_after_the_check_is_refused(make_certificate, tenant_a_admin, state):
    cert = make_certificate(state)
    before = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused):
        transition(cert, "withdraw", by=tenant_a_admin)
    cert.refresh_from_db()
    assert cert.status == state
    assert AuditEvent.objects.count() == before


# --- supervisor: approve, reject, revoke ---------------------------------------------------------


def test_approval_issues_the_first_number_and_tells_the_tenant(
    make_certificate, supervisor, tenant_a_admin, django_capture_on_commit_callbacks
):
    cert = make_certificate("checked")
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_approve(obj=cert, by=supervisor)
    cert.refresh_from_db()
    assert cert.status == S.ISSUED
    assert due(cert) is None
    doc = cert.document
    assert doc.number == f"CM-{YEAR}-00001"
    assert (doc.kind, doc.status, doc.issued_by, doc.source) == ("premises_certificate", "valid", supervisor, cert)
    assert doc.pdf  # rendered after commit
    assert actions(cert)[-1] == "certificate.approved"
    assert AuditEvent.objects.filter(action="document.issued", object_id=doc.pk).count() == 1

    note = Notification.objects.get(recipient=tenant_a_admin, dedup_key=f"certificate-{cert.pk}-issued")
    assert doc.number in note.title
    assert [m.to for m in mail.outbox if doc.number in m.subject] == [[tenant_a_admin.email]]


def test_numbers_count_up_per_issue(make_certificate, supervisor):
    first = make_certificate("issued")
    second = make_certificate("issued")
    assert (first.document.number, second.document.number) == (f"CM-{YEAR}-00001", f"CM-{YEAR}-00002")


@pytest.mark.parametrize("who", ["desk", "engineer", "guard", "finance", "tenant_a_admin"])
def test_only_the_supervisor_may_approve(make_certificate, persona, who):
    cert = make_certificate("checked")
    with pytest.raises(PermissionDenied):
        services.certificate_approve(obj=cert, by=persona(who))
    cert.refresh_from_db()
    assert cert.status == S.CHECKED
    assert cert.document is None
    assert not Document.objects.exists()


def test_second_approval_changes_nothing(make_certificate, supervisor):
    cert = make_certificate("issued")
    number = cert.document.number
    events = AuditEvent.objects.count()
    with pytest.raises(TransitionRefused):
        services.certificate_approve(obj=cert, by=supervisor)
    with pytest.raises(TransitionRefused):
        services.certificate_approve(obj=PremisesCertificate.objects.get(pk=cert.pk), by=supervisor)
    cert.refresh_from_db()
    assert Document.objects.count() == 1
    assert cert.document.number == number
    assert AuditEvent.objects.count() == events


def test_approval_is_refused_after_the_tenant_left_and_no_number_is_used(make_certificate, supervisor):
    cert = make_certificate("checked")
    Occupancy.objects.filter(unit=cert.unit).update(end=timezone.localdate())
    with pytest.raises(TransitionRefused):
        services.certificate_approve(obj=cert, by=supervisor)
    cert.refresh_from_db()
    assert cert.status == S.CHECKED
    assert not Document.objects.exists()
    later = make_certificate("issued", tenant=None, unit=None, applicant=None)  # another tenant and unit
    assert later.document.number == f"CM-{YEAR}-00001"


def test_reject_with_a_reason_tells_the_tenant(make_certificate, supervisor, tenant_a_admin):
    cert = make_certificate("checked")
    services.certificate_reject(obj=cert, by=supervisor, note="租期即将到期")
    cert.refresh_from_db()
    assert cert.status == S.REJECTED
    assert cert.document is None
    assert timeline(cert).last().note == "租期即将到期"
    note = Notification.objects.get(recipient=tenant_a_admin, dedup_key=f"certificate-{cert.pk}-rejected")
    assert "租期即将到期" in note.title


def test_desk_may_not_reject(make_certificate, desk):
    cert = make_certificate("checked")
    with pytest.raises(PermissionDenied):
        services.certificate_reject(obj=cert, by=desk, note="x")
    cert.refresh_from_db()
    assert cert.status == S.CHECKED


def test_revoke_revokes_the_document_and_the_verify_page_says_so(make_certificate, supervisor, tenant_a_admin):
    cert = make_certificate("issued")
    services.certificate_revoke(obj=cert, by=supervisor, note="租户已迁出")
    cert.refresh_from_db()
    assert cert.status == S.REVOKED
    assert (cert.document.status, cert.document.revoke_reason) == ("revoked", "租户已迁出")
    assert actions(cert)[-2:] == ["certificate.approved", "certificate.revoked"]
    assert AuditEvent.objects.filter(action="document.revoked", object_id=cert.document.pk).count() == 1
    response = Client().get(reverse("verify", args=[cert.document.code]))
    assert response.context["verdict"] == "revoked"
    assert Notification.objects.filter(recipient=tenant_a_admin, dedup_key=f"certificate-{cert.pk}-revoked").exists()


def test_revoke_before_issue_is_refused(make_certificate, supervisor):
    cert = make_certificate("checked")
    with pytest.raises(TransitionRefused):
        services.certificate_revoke(obj=cert, by=supervisor, note="x")


def test_applicant_who_is_no_longer_admin_still_hears_of_the_outcome(make_certificate, tenant_a_admin, supervisor):
    cert = make_certificate("checked")
    tenant_a_admin.membership.role = "staff"
    tenant_a_admin.membership.save()
    services.certificate_reject(obj=cert, by=supervisor, note="x")
    assert notified(tenant_a_admin) == [f"certificate-{cert.pk}-rejected"]


def test_certificate_declares_its_transitions():
    names = {t.name for t in PremisesCertificate().get_all_status_transitions()}
    assert names == {"pass_check", "send_back", "resubmit", "withdraw", "approve", "reject", "revoke"}


# --- reminders -----------------------------------------------------------------------------------


def test_waiting_requests_are_reminded_once_however_often_the_scan_runs(make_certificate, desk, supervisor):
    """Review (desk) and approval (supervisor) run 8 working hours each; a month later every
    step has come due at once: each audience hears only the latest step (the desk that the
    waiting request is due, the supervisor that it and the checked one are late), once."""
    waiting = make_certificate("submitted")
    checked = make_certificate("checked")
    Notification.objects.all().delete()
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        fresh = make_certificate("submitted")
        assert scan_deadlines.delay().get() == 6
        assert scan_deadlines.delay().get() == 0
    review, approval = (
        Deadline.objects.get(object_id=c.pk, kind=k) for c, k in ((waiting, "review"), (checked, "approval"))
    )
    assert sorted(k for k in notified(desk) if k.startswith("deadline-")) == [f"deadline-{review.pk}-1"]
    assert sorted(k for k in notified(supervisor) if k.startswith("deadline-")) == sorted(
        [f"deadline-{review.pk}-2", f"deadline-{approval.pk}-2"]
    )
    assert Deadline.objects.get(object_id=fresh.pk, kind="review").next_step == 0


def test_certificate_prints_the_occupancy_as_the_lease_reads(make_certificate, tenant_a, unit_a):
    """``end`` is exclusive in the database; the paper shows the lease's last day."""
    from datetime import date

    occupancy = Occupancy.objects.get(tenant=tenant_a, unit=unit_a)
    Occupancy.objects.filter(pk=occupancy.pk).update(end=date(2099, 1, 1))
    data = make_certificate("issued").document.data
    assert data["since"] == occupancy.start.isoformat()
    assert data["until"] == "2098-12-31"
    assert (data["company"], data["unit"], data["area"], data["floor"]) == (tenant_a.name, "1201", "186.40", 12)


def test_certificate_of_an_open_ended_occupancy_has_no_end(make_certificate):
    assert make_certificate("issued").document.data["until"] == ""
