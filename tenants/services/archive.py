"""The customer archive (客户档案): the tenant's attachments of the archive's kinds. Checked,
stored, thumbnailed, voided and purged by jinyuan.attachments like any other file."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from jinyuan.attachments.models import Attachment
from jinyuan.attachments.services import attachment_add
from jinyuan.uploads import DOCUMENT_TYPES, FileType

from ..models import ArchiveKind, Tenant
from .readiness import movein_note_readiness_of


def archive_upload(
    *,
    tenant: Tenant,
    kind: str,
    upload: UploadedFile,
    by: Any,
    title: str = "",
    allowed: tuple[FileType, ...] = DOCUMENT_TYPES,
) -> Attachment:
    if kind not in ArchiveKind.values:
        raise ValidationError({"kind": _("Choose what kind of document this is.")})
    with transaction.atomic():
        item = attachment_add(record=tenant, upload=upload, by=by, kind=kind, label=title, allowed=allowed)
        # The documents on file are an item of an open move-in's checklist.
        movein_note_readiness_of(tenant=tenant, by=by)
    return item
