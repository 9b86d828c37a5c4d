"""A render delivered twice at once (Redis redelivery, or a download rendering on demand while
the worker renders) must leave one file, at the document's path."""

import contextlib
import threading

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.utils import translation

from jinyuan.documents.models import Document, GateCheck
from jinyuan.documents.services import document_render
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_renders_store_one_file(make_certificate, media_root, monkeypatch):
    from jinyuan.documents.tasks import render_document_pdf

    monkeypatch.setattr(render_document_pdf, "delay_on_commit", lambda *args, **kwargs: None)
    with transaction.atomic():
        doc = make_certificate("issued").document

    # Force the unlucky interleaving every time: both renders look for the file before either saves.
    # (A render that locks out the other just waits a moment here and goes on alone.)
    both_looked = threading.Barrier(2, timeout=3)
    first_look = threading.local()
    exists = FileSystemStorage.exists

    def exists_then_wait(self, name):
        found = exists(self, name)
        if name.endswith(".pdf") and not getattr(first_look, "done", False):
            first_look.done = True
            with contextlib.suppress(threading.BrokenBarrierError):
                both_looked.wait()
        return found

    monkeypatch.setattr(FileSystemStorage, "exists", exists_then_wait)
    results = run_at_once(2, lambda i: Document.objects.get(pk=doc.pk), lambda i, own: document_render(document=own))

    assert not [r for r in results if isinstance(r, BaseException)], results
    files = sorted(p.relative_to(media_root).as_posix() for p in media_root.rglob("*") if p.is_file())
    doc.refresh_from_db()
    assert doc.pdf.name.endswith(f"/{doc.number}.pdf")
    assert files == [doc.pdf.name]


def test_twenty_simultaneous_uses_of_a_single_use_pass_one_use_nineteen_refusals(issue_pass, guard, monkeypatch):
    from jinyuan.documents.services import gate_check
    from jinyuan.documents.tasks import render_document_pdf
    from jinyuan.workflow.models import AuditEvent
    from jinyuan.workflow.services import TransitionRefused

    monkeypatch.setattr(render_document_pdf, "delay_on_commit", lambda *args, **kwargs: None)
    doc = issue_pass()

    def use(i, own):
        with translation.override("en"):  # each thread has its own active language
            return gate_check(document=own, action="use", by=guard)

    results = run_at_once(20, lambda i: Document.objects.get(pk=doc.pk), use)

    done = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, TransitionRefused)]
    assert (len(done), len(refused)) == (1, 19), results
    assert all("already used" in r.message for r in refused)
    doc.refresh_from_db()
    assert doc.status == "used"
    assert AuditEvent.objects.filter(action="document.used", object_id=doc.pk).count() == 1
    assert AuditEvent.objects.filter(action="testpass.used").count() == 1  # the record's hook: once
    checks = GateCheck.objects.filter(document=doc)
    assert (checks.filter(result="done").count(), checks.filter(result="refused").count()) == (1, 19)
