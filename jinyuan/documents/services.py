"""Issuing, revoking, suspending and using documents, and the guards' checks at the gate.
Each runs inside the caller's transaction; revoking and using go through the source record's
workflow (the kind's hooks), never around it."""

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from jinyuan.workflow.services import TransitionRefused, next_number, next_numbers, record_event, record_events

from . import registry
from .models import Document, GateCheck
from .pdf import qr_svg, render_pdf

PRINT_LANGUAGE = "zh-hans"


def document_issue(
    *,
    kind: str,
    source: Any,
    by: Any,
    valid_until: datetime | None = None,
    valid_from: datetime | None = None,
    single_use: bool | None = None,
) -> Document:
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
            valid_from=valid_from,
            valid_until=valid_until,
            single_use=spec.single_use if single_use is None else single_use,
        )
        record_event(doc, "document.issued", by=by, to_state=doc.status, data={"number": doc.number})
        render_document_pdf.delay_on_commit(doc.pk)
    return doc


def documents_issue(
    *, kind: str, sources: Sequence[Any], by: Any, build: Callable[[Any], dict] | None = None, render: bool = True
) -> list[Document]:
    """``document_issue`` for many sources at once (a building's notices): one range of numbers
    taken under the sequence lock, one insert of the documents and one of their audit events,
    in the order of ``sources``. ``build`` replaces the kind's ``build_data`` (a caller that read
    every source's data in one go); it runs in the print language. ``render=False`` queues no
    PDF per document: the caller prints them together, and ``pdf_response`` renders one on
    demand when it is downloaded alone."""
    from .tasks import render_document_pdf

    spec = registry.get(kind)
    build = build or spec.build_data
    sources = list(sources)
    with transaction.atomic():
        numbers = next_numbers(spec.prefix, len(sources))
        types = ContentType.objects.get_for_models(*{type(s) for s in sources}, for_concrete_models=False)
        docs = Document.objects.bulk_create(
            Document(
                kind=kind,
                number=number,
                content_type=types[type(source)],
                object_id=source.pk,
                data=_printed(build, source),
                issued_by=by,
                single_use=spec.single_use,
            )
            for number, source in zip(numbers, sources, strict=True)
        )
        record_events(
            docs, "document.issued", by=by, to_state=Document.Status.VALID, data=lambda d: {"number": d.number}
        )
        if render:
            for doc in docs:
                render_document_pdf.delay_on_commit(doc.pk)
    return docs


def _printed(build, *args):
    # Paper is printed in Chinese whatever language the issuing clerk's screen shows.
    with translation.override(PRINT_LANGUAGE):
        return build(*args)


def document_revoke(*, document: Document, by: Any, reason: str) -> Document:
    """Called by a record's own revoke service, inside its transition's transaction; nothing
    else revokes a document (the admin calls the kind's ``revoke`` hook, i.e. that service)."""
    return _change_status(
        document,
        by=by,
        sources=(Document.Status.VALID, Document.Status.SUSPENDED),
        target=Document.Status.REVOKED,
        action="document.revoked",
        note=reason,
        refused=_("Only a valid or suspended document can be revoked."),
        revoked_at=timezone.now(),
        revoked_by=by,
        revoke_reason=reason,
    )


def document_suspend(*, document: Document, by: Any, reason: str) -> Document:
    """A stop on the record (a renovation's stop-work order) suspends its papers until resumed."""
    return _change_status(
        document,
        by=by,
        sources=(Document.Status.VALID,),
        target=Document.Status.SUSPENDED,
        action="document.suspended",
        note=reason,
        refused=_("Only a valid document can be suspended."),
    )


def document_resume(*, document: Document, by: Any, note: str = "") -> Document:
    return _change_status(
        document,
        by=by,
        sources=(Document.Status.SUSPENDED,),
        target=Document.Status.VALID,
        action="document.resumed",
        note=note,
        refused=_("Only a suspended document can be resumed."),
    )


def _change_status(
    document: Document,
    *,
    by: Any,
    sources: tuple[str, ...],
    target: str,
    action: str,
    note: str,
    refused: str,
    **fields,
) -> Document:
    """Compare-and-swap on the status, with the audit event in the same transaction."""
    with transaction.atomic():
        current = Document.objects.filter(pk=document.pk).values_list("status", flat=True).first()
        changed = Document.objects.filter(pk=document.pk, status__in=sources).update(status=target, **fields)
        if not changed:
            raise TransitionRefused(refused)
        record_event(document, action, by=by, from_state=current or "", to_state=target, note=note)
    document.refresh_from_db()
    return document


def document_use(*, document: Document, by: Any, now: datetime | None = None, data: dict | None = None) -> Document:
    """Record a passage on the paper, through the record's ``on_use`` hook in the same
    transaction. A single-use document is used compare-and-swap: of any number of guards
    pressing at once exactly one wins, the others are refused with the reason."""
    now = now or timezone.now()
    spec = registry.get(document.kind)
    with transaction.atomic():
        if document.single_use:
            changed = (
                Document.objects.filter(pk=document.pk, status=Document.Status.VALID)
                .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=now))
                .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now))
                .update(status=Document.Status.USED, used_at=now, used_by=by)
            )
            if not changed:
                document.refresh_from_db()
                raise TransitionRefused(refusal_message(document, now))
            record_event(document, "document.used", by=by, from_state="valid", to_state="used", data=data)
        else:
            document.refresh_from_db()
            if document.verdict_at(now) != Document.Verdict.VALID:
                raise TransitionRefused(refusal_message(document, now))
        on_use = spec.hook("on_use")
        if on_use:
            on_use(document, by, data or {})
    document.refresh_from_db()
    return document


def refusal_message(document: Document, now: datetime) -> str:
    """Why a guard may not let this paper through, in words that can be read out."""
    verdict = document.verdict_at(now)
    when = {
        Document.Verdict.USED: document.used_at,
        Document.Verdict.NOT_YET_VALID: document.valid_from,
        Document.Verdict.EXPIRED: document.valid_until,
    }.get(verdict)
    at = formats.date_format(timezone.localtime(when), "Y-m-d H:i") if when else ""
    messages = {
        Document.Verdict.USED: _("Refused: this document was already used (%(at)s)."),
        Document.Verdict.REVOKED: _("Refused: this document has been revoked."),
        Document.Verdict.SUSPENDED: _("Refused: this document is suspended."),
        Document.Verdict.NOT_YET_VALID: _("Refused: this document is valid only from %(at)s."),
        Document.Verdict.EXPIRED: _("Refused: this document expired at %(at)s."),
    }
    return messages.get(verdict, _("This document is no longer valid.")) % {"at": at}


def gate_check(
    *,
    document: Document,
    action: str,
    by: Any,
    reason: str = "",
    ticked: Collection[int] = (),
    now: datetime | None = None,
    photo: UploadedFile | None = None,
) -> GateCheck:
    """A guard's action on a presented document (one of its kind's ``gate_actions``). Every
    try is logged as a GateCheck, a refused one too (a second use, an expired paper), so the
    gate's log says who was turned away and why. Raises ValidationError for a missing reason
    or unticked items (or a photo that is no image), TransitionRefused when the paper does
    not allow the action now. A photo (actions that take one) is attached to the paper's
    source record in the same transaction: a bad file leaves nothing recorded."""
    spec = registry.get(document.kind)
    declared = spec.gate_action(action)
    if declared is None:
        raise TransitionRefused(_("This action is not possible for this document."))
    reason = (reason or "").strip()
    if declared.needs_reason and not reason:
        raise ValidationError({"reason": _("Please give a reason.")})
    if declared.ticks_items and set(ticked) != set(range(len(document.data.get("items") or []))):
        raise ValidationError({"items": _("Tick every item on the paper once you have seen it.")})
    now = now or timezone.now()
    document.refresh_from_db()
    verdict = document.verdict_at(now)
    try:
        with transaction.atomic():
            if declared.on_valid_only and verdict != Document.Verdict.VALID:
                raise TransitionRefused(refusal_message(document, now))
            if declared.uses:
                document_use(document=document, by=by, now=now, data={"action": action})
            on_refuse = spec.hook("on_refuse") if declared.needs_reason else None
            if on_refuse:
                on_refuse(document, by, reason)
            if declared.takes_photo and photo is not None:
                _attach_gate_photo(document, photo, by)
            result = GateCheck.Result.REFUSED if declared.needs_reason else GateCheck.Result.DONE
            return GateCheck.objects.create(
                document=document, by=by, at=now, action=action, result=result, verdict=verdict, note=reason
            )
    except TransitionRefused as exc:
        # Logged outside the rolled-back transaction: the refusal itself is a fact of the day.
        GateCheck.objects.create(
            document=document,
            by=by,
            at=now,
            action=action,
            result=GateCheck.Result.REFUSED,
            verdict=document.verdict_at(now),
            note=exc.message,
        )
        raise


GATE_PHOTO = "gate_photo"


def _attach_gate_photo(document: Document, photo: UploadedFile, by: Any) -> None:
    """The guard's photo, on the record the paper was issued for (its app decides who sees it)."""
    from jinyuan.attachments.services import attachment_add
    from jinyuan.uploads import IMAGE_TYPES

    source = document.content_type.get_object_for_this_type(pk=document.object_id)
    label = _("Photo at the gate, %(number)s") % {"number": document.number}
    try:
        attachment_add(record=source, upload=photo, by=by, kind=GATE_PHOTO, label=label, allowed=IMAGE_TYPES)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.message_dict.get("file", exc.messages)}) from exc


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
        extra = spec.hook("pdf_context")
        if extra:
            context |= extra(locked)
        pdf = _printed(render_pdf, spec.template, context)
        path = pdf_path(locked)
        if default_storage.exists(path):
            default_storage.delete(path)
        stored = default_storage.save(path, ContentFile(pdf))
        Document.objects.filter(pk=locked.pk).update(pdf=stored, rendered_at=timezone.now())
    return True
