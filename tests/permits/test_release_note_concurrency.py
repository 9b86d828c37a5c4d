"""Twenty guards press "release" on one note at the same instant: one release, one used
paper, nineteen refusals logged; twenty approvals of one note: one paper, one number; the
expiry scan run by two workers at once expires each note once (PostgreSQL, threads behind a
barrier)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from jinyuan.documents.models import Document, GateCheck
from jinyuan.documents.services import gate_check
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from permits import release_notes
from permits.models import ReleaseNote
from tests.concurrency import run_at_once
from tests.permits.release_data import make_note

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def note_in(tenant_a, tenant_a_admin, desk, guard):
    def make(state: str, **over) -> ReleaseNote:
        return make_note(state, tenant=tenant_a, applicant=tenant_a_admin, desk=desk, guard=guard, **over)

    return make


def test_twenty_simultaneous_releases_of_one_note_make_one(note_in, guard):
    note = note_in("issued")
    items = range(len(note.items))
    guard_id = guard.pk

    def prepare(i):
        return Document.objects.get(pk=note.document_id), get_user_model().objects.get(pk=guard_id)

    results = run_at_once(20, prepare, lambda i, p: gate_check(document=p[0], action="release", by=p[1], ticked=items))
    done = [r for r in results if isinstance(r, GateCheck)]
    refused = [r for r in results if isinstance(r, TransitionRefused)]
    assert len(done) == 1, results
    assert len(refused) == 19, [r for r in results if not isinstance(r, GateCheck | TransitionRefused)]
    note.refresh_from_db()
    assert note.status == "released"
    assert Document.objects.get(pk=note.document_id).status == "used"
    assert AuditEvent.objects.filter(action="release_note.released", object_id=note.pk).count() == 1
    assert GateCheck.objects.filter(document_id=note.document_id, result="done").count() == 1
    assert GateCheck.objects.filter(document_id=note.document_id, result="refused").count() == 19


def test_twenty_simultaneous_approvals_issue_one_paper(note_in, desk):
    note = note_in("submitted")
    results = run_at_once(
        20,
        lambda i: ReleaseNote.objects.select_related("tenant").get(pk=note.pk),
        lambda i, obj: release_notes.release_note_approve(obj=obj, by=desk),
    )
    assert sum(isinstance(r, ReleaseNote) for r in results) == 1, results
    assert all(isinstance(r, ReleaseNote | TransitionRefused) for r in results), results
    [doc] = Document.objects.filter(kind="release_note")
    assert doc.number.endswith("-00001")  # the losers' numbers rolled back


def test_two_expiry_scans_at_once_expire_each_note_once(note_in):
    with time_machine.travel(timezone.now() - timedelta(days=1), tick=False):
        for _ in range(3):
            note_in("issued")
    results = run_at_once(2, lambda i: None, lambda i, _: release_notes.release_notes_expire())
    assert sum(results) == 3, results
    assert ReleaseNote.objects.filter(status="expired").count() == 3
    assert AuditEvent.objects.filter(action="release_note.expired").count() == 3
