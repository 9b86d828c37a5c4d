"""Two clicks or twenty workers at once: one approval, one number; many approvals: no gap."""

import pytest
from django.db import transaction
from django.utils import timezone

from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent, NumberSequence
from jinyuan.workflow.services import TransitionRefused
from permits import services
from permits.models import PremisesCertificate
from tests import factories
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_simultaneous_approvals_of_one_certificate_issue_it_once(make_certificate, supervisor):
    cert = make_certificate("checked")

    def load(i):
        return PremisesCertificate.objects.get(pk=cert.pk)

    def approve(i, own):
        services.certificate_approve(obj=own, by=supervisor)
        return "issued"

    results = run_at_once(20, load, approve)

    assert results.count("issued") == 1, results
    assert all(isinstance(r, TransitionRefused) for r in results if r != "issued"), results
    cert.refresh_from_db()
    assert cert.status == "issued"
    assert AuditEvent.objects.filter(object_id=cert.pk, action="certificate.approved").count() == 1
    assert Document.objects.count() == 1
    assert cert.document.number == f"CM-{timezone.localdate().year}-00001"
    assert NumberSequence.objects.get(prefix="CM").last == 1


def test_fifty_simultaneous_approvals_number_one_to_fifty_without_gap(desk, supervisor, monkeypatch):
    # Numbers are the subject here; fifty PDF renders after commit would only add 10 s of CPU.
    from jinyuan.documents.tasks import render_document_pdf

    monkeypatch.setattr(render_document_pdf, "delay_on_commit", lambda *args, **kwargs: None)
    with transaction.atomic():  # one commit instead of thousands
        certs = [factories.make_certificate("checked", desk=desk, supervisor=supervisor) for _ in range(50)]

    def load(i):
        return PremisesCertificate.objects.get(pk=certs[i].pk)

    def approve(i, own):
        return services.certificate_approve(obj=own, by=supervisor).document.number

    results = run_at_once(50, load, approve)

    assert not [r for r in results if isinstance(r, BaseException)], results
    year = timezone.localdate().year
    assert sorted(results) == [f"CM-{year}-{n:05d}" for n in range(1, 51)]
    assert sorted(Document.objects.values_list("number", flat=True)) == sorted(results)
    assert set(PremisesCertificate.objects.values_list("status", flat=True)) == {"issued"}
    assert NumberSequence.objects.get(prefix="CM", year=year).last == 50
