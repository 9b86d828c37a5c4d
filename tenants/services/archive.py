"""The customer archive: uploads with checked content and random names; voided, never deleted."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.uploads import DOCUMENT_TYPES, validate_upload
from jinyuan.workflow.services import TransitionRefused, record_event

from ..models import ArchiveFile, Tenant
from .readiness import movein_note_readiness_of


def archive_upload(*, tenant: Tenant, kind: str, upload: UploadedFile, by: Any, title: str = "") -> ArchiveFile:
    try:
        file_type = validate_upload(upload, DOCUMENT_TYPES)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    if kind not in ArchiveFile.Kind.values:
        raise ValidationError({"kind": _("Choose what kind of document this is.")})
    with transaction.atomic():
        item = ArchiveFile(
            tenant=tenant,
            kind=kind,
            title=title,
            size=upload.size,
            original_name=(upload.name or "")[:200],
            uploaded_by=by,
        )
        # upload_to picks the random name; only the sniffed extension is passed on.
        item.file.save(f"upload.{file_type.extension}", upload, save=False)
        item.save()
        record_event(
            tenant,
            "tenant.archive_uploaded",
            by=by,
            data={"file": item.pk, "kind": kind, "title": title or item.get_kind_display()},
        )
        # The documents on file are an item of an open move-in's checklist.
        movein_note_readiness_of(tenant=tenant, by=by)
    return item


def archive_void(*, item: ArchiveFile, by: Any, reason: str) -> ArchiveFile:
    if not reason.strip():
        raise ValidationError({"note": _("Please give a reason.")})
    with transaction.atomic():
        changed = ArchiveFile.objects.filter(pk=item.pk, voided_at__isnull=True).update(
            voided_at=timezone.now(), void_reason=reason
        )
        if not changed:
            raise TransitionRefused(_("This file is already voided."))
        record_event(item.tenant, "tenant.archive_voided", by=by, note=reason, data={"file": item.pk})
    item.refresh_from_db()
    return item
