"""Issuing, revoking and using documents. Each runs inside the caller's transaction."""

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jinyuan.workflow.services import TransitionRefused, next_number, record_event

from . import registry
from .models import Document
from .pdf import qr_svg, render_pdf

PRINT_LANGUAGE = "zh-hans"


def document_issue(*, kind: str, source: Any, by: Any, valid_until: datetime | None = None) -> Document:
    """Number the document under the sequence lock, copy the printed data, render after commit."""
    from .tasks import render_document_pdf

    spec = registry.get(kind)
    with transaction.atomic():
        doc = Document.objects.create(
            kind=kind,
            number=next_number(spec.prefix),
            content_type=ContentType.objects.get_for_model(source, for_concrete_model=False),
            object_id=source.pk,
            data=_printed(spec.build_data, source),
            issued_by=by,
            valid_until=valid_until,
        )
        record_event(doc, "document.issued", by=by, to_state=doc.status, data={"number": doc.number})
        render_document_pdf.delay_on_commit(doc.pk)
    return doc


def _printed(build, *args):
    # Paper is printed in Chinese whatever language the issuing clerk's screen shows.
    with translation.override(PRINT_LANGUAGE):
        return build(*args)


def document_revoke(*, document: Document, by: Any, reason: str) -> Document:
    with transaction.atomic():
        changed = Document.objects.filter(pk=document.pk, status=Document.Status.VALID).update(
            status=Document.Status.REVOKED, revoked_at=timezone.now(), revoked_by=by, revoke_reason=reason
        )
        if not changed:
            raise TransitionRefused(_("Only a valid document can be revoked."))
        record_event(document, "document.revoked", by=by, from_state="valid", to_state="revoked", note=reason)
    document.refresh_from_db()
    return document


def document_mark_used(*, document: Document, by: Any) -> Document:
    """Single-use documents (release notes): the first scan wins, a second is refused."""
    with transaction.atomic():
        changed = Document.objects.filter(pk=document.pk, status=Document.Status.VALID).update(
            status=Document.Status.USED, used_at=timezone.now()
        )
        if not changed:
            raise TransitionRefused(_("This document is no longer valid."))
        record_event(document, "document.used", by=by, from_state="valid", to_state="used")
    document.refresh_from_db()
    return document


def pdf_path(document: Document) -> str:
    # The year of the number (PREFIX-YEAR-SEQ), not of a UTC timestamp around New Year.
    year = document.number.split("-")[1]
    return f"documents/{document.kind}/{year}/{document.number}.pdf"


def document_render(*, document: Document) -> bool:
    """Render and store the PDF. Safe to run twice, also at the same moment: the row lock makes
    the second wait and find the PDF there; the file always sits at the one fixed path."""
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.rendered_at and locked.pdf:
            return False
        spec = registry.get(locked.kind)
        context = {"doc": locked, "data": locked.data, "title": spec.title, "qr": qr_svg(locked.verify_url)}
        pdf = _printed(render_pdf, spec.template, context)
        path = pdf_path(locked)
        if default_storage.exists(path):
            default_storage.delete(path)
        stored = default_storage.save(path, ContentFile(pdf))
        Document.objects.filter(pk=locked.pk).update(pdf=stored, rendered_at=timezone.now())
    return True
