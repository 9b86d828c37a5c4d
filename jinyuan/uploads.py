"""Uploads (licences, leases, ID scans, photos, drawings): size limit, type from the content,
random stored names. Files are served only through views that check access, never inline HTML."""

import mimetypes
import secrets
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    magic: tuple[bytes, ...]


PDF = FileType("pdf", "application/pdf", (b"%PDF-",))
JPEG = FileType("jpg", "image/jpeg", (b"\xff\xd8\xff",))
PNG = FileType("png", "image/png", (b"\x89PNG\r\n\x1a\n",))
DOCUMENT_TYPES = (PDF, JPEG, PNG)
IMAGE_TYPES = (JPEG, PNG)


def sniff(head: bytes, allowed: tuple[FileType, ...]) -> FileType | None:
    """The type the bytes really are, whatever the file is called."""
    for kind in allowed:
        if any(head.startswith(m) for m in kind.magic):
            return kind
    return None


def random_name(folder: str, extension: str) -> str:
    # The uploader's file name never reaches the disk: no path tricks, no guessable URLs.
    return f"{folder}/{secrets.token_hex(16)}.{extension}"


def validate_upload(upload: UploadedFile, allowed: tuple[FileType, ...] = DOCUMENT_TYPES) -> FileType:
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s MB); at most %(limit)s MB."),
            code="too_large",
            params={"size": round(upload.size / 1048576, 1), "limit": settings.UPLOAD_MAX_BYTES // 1048576},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head, allowed)
    if kind is None:
        names = "、".join(k.extension.upper() for k in allowed)
        raise ValidationError(
            _("This file is not a real %(types)s file (its content was checked, not only its name)."),
            code="bad_type",
            params={"types": names},
        )
    return kind


class CheckedFileField(forms.FileField):
    """A form file field that refuses oversize files and files whose content is not allowed."""

    def __init__(self, *args, allowed: tuple[FileType, ...] = DOCUMENT_TYPES, **kwargs):
        self.allowed = allowed
        kwargs.setdefault(
            "help_text",
            _("%(types)s, at most %(limit)s MB")
            % {"types": "/".join(k.extension.upper() for k in allowed), "limit": settings.UPLOAD_MAX_BYTES // 1048576},
        )
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ",".join(f".{k.extension}" for k in allowed))

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and isinstance(upload, UploadedFile):
            upload.checked_type = validate_upload(upload, self.allowed)
        return upload


def file_response(field_file, download_name: str) -> FileResponse:
    """Serve a stored upload. Never as HTML: the type comes from our sniffed extension and
    the browser is told not to guess."""
    ext = PurePath(field_file.name).suffix.lower()
    content_type = mimetypes.types_map.get(ext, "application/octet-stream")
    response = FileResponse(field_file.open("rb"), content_type=content_type, filename=download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response
