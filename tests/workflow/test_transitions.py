"""transition(): only its own fields are written, compare-and-swap holds, event codes and labels
come from the declarations, and a transition without a service runs from the detail page."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from jinyuan.workflow import labels
from jinyuan.workflow.models import Application, AuditEvent
from jinyuan.workflow.services import TransitionRefused, event_code, transition
from permits.models import PremisesCertificate

pytestmark = pytest.mark.django_db

migration = importlib.import_module("jinyuan.workflow.migrations.0002_event_codes_past_participle")


def last_action(obj) -> str:
    return AuditEvent.objects.filter(object_id=obj.pk).order_by("-id").values_list("action", flat=True).first()


def test_a_transition_does_not_undo_another_requests_write(make_certificate, desk):
    stale = make_certificate("submitted")
    # Another request changes a field the transition does not touch, after `stale` was read.
    PremisesCertificate.objects.filter(pk=stale.pk).update(purpose_detail="新公司设立", copies=3)
    transition(stale, "send_back", by=desk, note="请补充材料")
    cert = PremisesCertificate.objects.get(pk=stale.pk)
    assert cert.status == "returned"
    assert (cert.purpose_detail, cert.copies) == ("新公司设立", 3)


def test_changes_are_saved_with_the_state(make_certificate, desk):
    cert = make_certificate("submitted")
    transition(cert, "send_back", by=desk, note="请补充材料", changes={"purpose_detail": "银行开户"})
    cert.refresh_from_db()
    assert (cert.status, cert.purpose_detail) == ("returned", "银行开户")


def test_of_two_stale_copies_exactly_one_wins(make_certificate, desk):
    cert = make_certificate("submitted")
    first = PremisesCertificate.objects.get(pk=cert.pk)
    second = PremisesCertificate.objects.get(pk=cert.pk)
    transition(first, "send_back", by=desk, note="请补充材料")
    with pytest.raises(TransitionRefused):
        transition(second, "pass_check", by=desk)
    cert.refresh_from_db()
    assert cert.status == "returned"
    assert (
        AuditEvent.objects.filter(object_id=cert.pk, action__in=["certificate.returned", "certificate.checked"]).count()
        == 1
    )


def test_event_code_is_the_declared_past_participle(make_certificate, desk):
    cert = make_certificate("submitted")
    transition(cert, "pass_check", by=desk)
    assert last_action(cert) == "certificate.checked"


def test_every_declared_transition_names_an_event_with_a_label():
    for model in apps.get_models():
        if not issubclass(model, Application):
            continue
        for t in model._meta.get_field("status").get_all_transitions(model):
            code = event_code(model, t.name)
            assert labels.action_label(code) != code, code


def test_labels_come_from_the_declarations_in_both_languages():
    with translation.override("en"):
        assert labels.action_label("certificate.approved") == "Approved and issued"
        assert labels.action_label("tenant.contact_added") == "Contact added"
        assert labels.state_label("certificate.approved", "issued") == "Issued"
        assert labels.action_label("signboard.rejected") == "Signboard rejected"
    with translation.override("zh-hans"):
        assert labels.action_label("certificate.approved") == "已批准并出具"
        assert labels.action_label("tenant.contact_added") == "已添加联系人"
        assert labels.state_label("certificate.approved", "issued") == "已出具"
        assert labels.action_label("signboard.rejected") == "水牌申请已驳回"


def test_old_event_codes_are_migrated_both_ways(make_certificate):
    cert = make_certificate("submitted")
    event = AuditEvent.objects.filter(object_id=cert.pk).first()
    AuditEvent.objects.filter(pk=event.pk).update(action="certificate.approve")
    migration.forwards(apps, None)
    event.refresh_from_db()
    assert event.action == "certificate.approved"
    migration.backwards(apps, None)
    event.refresh_from_db()
    assert event.action == "certificate.approve"


def test_every_new_code_has_a_label():
    for new in migration.RENAMED.values():
        assert labels.action_label(new) != new, new


def test_a_transition_without_a_service_runs_from_the_detail_page(client_for, tenant_a_admin, make_certificate):
    cert = make_certificate("submitted")
    response = client_for(tenant_a_admin).post(
        reverse("portal:permits:certificate_detail", args=[cert.pk]), {"action": "withdraw"}
    )
    assert response.status_code == 302
    cert.refresh_from_db()
    # The state changes (its review deadline stops with it) and the event is written.
    assert cert.status == "withdrawn"
    assert last_action(cert) == "certificate.withdrawn"


def test_a_declared_callable_change_is_evaluated_at_the_time(tenant_a, desk, client_for):
    from tests.lifecycle.helpers import installed_board

    board = installed_board(tenant_a, desk)
    response = client_for(desk).post(reverse("desk:tenants:signboard_detail", args=[board.pk]), {"action": "remove"})
    assert response.status_code == 302
    board.refresh_from_db()
    assert (board.status, board.removed_on) == ("removed", timezone.localdate())
    assert last_action(board) == "signboard.removed"
