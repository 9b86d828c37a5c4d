"""Writes of attachments: add (content checked, photos shrunk) and void. Each writes an audit
event on the record the file belongs to, so the record's timeline shows it."""

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.uploads import DOCUMENT_TYPES, IMAGE_TYPES, FileType, prepare_photo, validate_upload
from jinyuan.workflow.services import TransitionRefused, event_prefix, record_event

from .models import Attachment


def _sha256(data: bytes | UploadedFile) -> str:
    if isinstance(data, bytes):
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    data.seek(0)
    for chunk in data.chunks():
        digest.update(chunk)
    data.seek(0)
    return digest.hexdigest()


def attachment_add(
    *,
    record: models.Model,
    upload: UploadedFile,
    by: Any,
    kind: str = "",
    label: str = "",
    allowed: tuple[FileType, ...] = DOCUMENT_TYPES,
) -> Attachment:
    """Attach ``upload`` to ``record``. Bad files raise ValidationError on ``file``."""
    try:
        file_type = validate_upload(upload, allowed)
        photo = prepare_photo(upload, file_type) if file_type in IMAGE_TYPES else None
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    content = photo.content if photo else upload
    attachment = Attachment(
        kind=kind,
        label=label[:100],
        original_name=(upload.name or "")[:200],
        content_type_sniffed=file_type.content_type,
        size=len(photo.content) if photo else upload.size,
        sha256=_sha256(content),
        uploaded_by=by,
    )
    attachment.set_record(record)
    with transaction.atomic():
        # The storage write happens first: if the transaction then rolls back, an unreferenced
        # file is left behind (harmless, random name), never a row pointing at no file.
        attachment.file.save(
            f"upload.{file_type.extension}", ContentFile(photo.content) if photo else upload, save=False
        )
        if photo:
            attachment.thumbnail.save("thumb.jpg", ContentFile(photo.thumbnail), save=False)
        attachment.save()
        record_event(
            record,
            f"{event_prefix(record)}.attachment_added",
            by=by,
            data={
                "attachment": attachment.pk,
                "kind": kind,
                # What was filed, in words: the label, else the kind's name (the timeline's text).
                "label": attachment.label or attachment.kind_label,
                "file_name": attachment.original_name,
            },
        )
    return attachment


def attachment_void(*, attachment: Attachment, by: Any, reason: str) -> Attachment:
    """Take a file out of use. The row and the file stay (the timeline refers to them)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Please give a reason.")})
    with transaction.atomic():
        changed = Attachment.objects.filter(pk=attachment.pk, voided_at__isnull=True).update(
            voided_at=timezone.now(), voided_by=by, void_reason=reason.strip()[:200]
        )
        if not changed:
            raise TransitionRefused(_("This file is already voided."))
        record = attachment.record
        record_event(
            record,
            f"{event_prefix(record)}.attachment_voided",
            by=by,
            note=reason,
            data={"attachment": attachment.pk, "file_name": attachment.original_name},
        )
    attachment.refresh_from_db()
    return attachment
