"""The admin's document action goes through the record's workflow, never around it."""

import pytest
from django.urls import reverse

from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from permits.services import certificate_revoke

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def boss(db):
    """A supervisor in the admin (as in tests/permits: a superuser holding the supervisor role)."""
    from tests.factories import UserFactory

    return UserFactory(username="boss", is_staff=True, is_superuser=True, roles=["supervisor"])


def revoke_in_admin(client, *docs):
    return client.post(
        reverse("admin:documents_document_changelist"),
        {"action": "revoke_selected", "_selected_action": [d.pk for d in docs]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_revoking_a_certificate_in_the_admin_revokes_the_certificate_too(
    client_for, boss, supervisor, make_certificate, tenant_a_admin
):
    cert = make_certificate("issued")
    response = revoke_in_admin(client_for(boss), cert.document)
    assert response.status_code == 200
    cert.refresh_from_db()
    cert.document.refresh_from_db()
    assert (cert.status, cert.document.status) == ("revoked", "revoked")
    assert cert.document.revoke_reason == "Revoked in admin"
    assert AuditEvent.objects.filter(action="certificate.revoked", object_id=cert.pk).count() == 1
    # The tenant can no longer download the paper ...
    pdf = client_for(tenant_a_admin).get(reverse("portal:permits:certificate_pdf", args=[cert.pk]))
    assert pdf.status_code == 302
    # ... and the certificate cannot be revoked twice, in the admin or on the desk.
    again = revoke_in_admin(client_for(boss), cert.document)
    assert "not possible in the current state" in again.content.decode()
    with pytest.raises(TransitionRefused):
        certificate_revoke(obj=cert, by=supervisor, note="again")
    assert AuditEvent.objects.filter(action="certificate.revoked", object_id=cert.pk).count() == 1


def test_a_certificate_whose_paper_was_revoked_around_the_workflow_can_still_be_revoked(make_certificate, supervisor):
    cert = make_certificate("issued")
    Document.objects.filter(pk=cert.document_id).update(status="revoked")  # the old admin action's doing
    certificate_revoke(obj=cert, by=supervisor, note="租户已迁出")
    cert.refresh_from_db()
    assert cert.status == "revoked"


def test_a_kind_without_a_revoke_hook_is_not_revoked_in_the_admin(client_for, boss, issue_pass):
    doc = issue_pass()
    response = revoke_in_admin(client_for(boss), doc)
    assert "cannot be revoked here" in response.content.decode()
    doc.refresh_from_db()
    assert doc.status == "valid"


def test_documents_stay_read_only_in_the_admin(client_for, boss, make_certificate):
    doc = make_certificate("issued").document
    url = reverse("admin:documents_document_change", args=[doc.pk])
    client_for(boss).post(url, {"status": "revoked", "number": "X"})
    doc.refresh_from_db()
    assert doc.status == "valid"
    assert client_for(boss).get(reverse("admin:documents_document_add")).status_code == 403
