"""Uploads (licences, leases, ID scans, photos, drawings): size limit, type from the content,
random stored names. Files are served only through views that check access, never inline HTML."""

import mimetypes
import secrets
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError


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


TOO_MANY_FILES = _("At most %(n)s files.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFilesField(CheckedFileField):
    """Several files in one input (a phone's photos, a scanned letter), each checked by content
    and size; none is required; at most ``max_files`` (``too_many`` says so, with ``%(n)s``).
    ``capture`` opens a phone's camera directly."""

    def __init__(
        self,
        *args,
        allowed: tuple[FileType, ...] = DOCUMENT_TYPES,
        max_files: int = 6,
        too_many=TOO_MANY_FILES,
        capture: bool = False,
        **kwargs,
    ):
        self.max_files, self.too_many = max_files, too_many
        attrs = {"class": "form-control", "multiple": True}
        if allowed == IMAGE_TYPES:
            attrs["accept"] = "image/*"
        if capture:
            attrs["capture"] = "environment"
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(*args, allowed=allowed, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > self.max_files:
            raise ValidationError(self.too_many % {"n": self.max_files})
        checked = super().clean  # outside the comprehension: it has no zero-argument super()
        cleaned = [checked(f, initial) for f in files]
        return [f for f in cleaned if f]


def file_response(field_file, download_name: str, *, as_attachment: bool = False) -> FileResponse:
    """Serve a stored upload. Never as HTML: the type comes from our sniffed extension and
    the browser is told not to guess; a sandboxed CSP keeps even a disguised file from running
    script; private files stay out of shared caches."""
    ext = PurePath(field_file.name).suffix.lower()
    content_type = mimetypes.types_map.get(ext, "application/octet-stream")
    response = FileResponse(
        field_file.open("rb"), content_type=content_type, filename=download_name, as_attachment=as_attachment
    )
    response["X-Content-Type-Options"] = "nosniff"
    csp = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    # Browsers refuse to show a PDF inline under a sandbox; a PDF runs no page script anyway.
    response["Content-Security-Policy"] = csp if content_type == PDF.content_type else f"{csp}; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- photos: shrunk, EXIF stripped, thumbnailed ------------------------------------------------

PHOTO_MAX_SIDE = 2000  # a phone photo of a cracked tile needs no more; 12 MP files fill the disk
THUMBNAIL_SIDE = 320
# Decoded, a 40-megapixel image takes ~160 MB of memory: more is refused before decoding (a
# tiny PNG can claim 100000 x 100000 pixels, a "decompression bomb").
DEFAULT_MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class Photo:
    content: bytes  # re-encoded in the upload's own format, without EXIF (GPS position, camera)
    thumbnail: bytes  # always JPEG
    width: int
    height: int


def _bad_image() -> ValidationError:
    return ValidationError(_("This image cannot be read; it may be damaged."), code="bad_image")


def open_image(upload) -> Image.Image:
    """The decoded image, refusing damaged files and images too large to decode safely."""
    limit = getattr(settings, "UPLOAD_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice that: make every bomb an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)  # reads the header only
            width, height = image.size
            if width * height > limit:
                raise ValidationError(
                    _("The image is too large (%(width)s × %(height)s pixels); at most %(limit)s megapixels."),
                    code="image_too_large",
                    params={"width": width, "height": height, "limit": limit // 1_000_000},
                )
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The image is too large to open safely."),
            code="image_too_large",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise _bad_image() from exc
    finally:
        upload.seek(0)
    return image


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    else:
        image.save(out, format=fmt, optimize=True)
    return out.getvalue()


def prepare_photo(upload, kind: FileType) -> Photo:
    """Shrink a photo to PHOTO_MAX_SIDE, strip its metadata and make a thumbnail."""
    image = open_image(upload)
    try:
        return _shrink(image, "PNG" if kind == PNG else "JPEG")
    except (OSError, ValueError) as exc:
        # An odd mode Pillow cannot convert (16-bit greyscale, a broken palette): refused with
        # a message, never a 500.
        raise _bad_image() from exc


def _shrink(image: Image.Image, fmt: str) -> Photo:
    # Turn the pixels as the camera meant before the orientation tag goes with the EXIF.
    image = ImageOps.exif_transpose(image)
    image.info = {}  # no EXIF, XMP or text chunks are written from here on
    image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE), Image.Resampling.LANCZOS)
    small = image.copy()
    small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    if small.mode in ("RGBA", "LA", "P"):
        # Transparent PNGs get a white background in the JPEG thumbnail, not a black one.
        rgba = small.convert("RGBA")
        small = Image.new("RGB", rgba.size, "white")
        small.paste(rgba, mask=rgba.getchannel("A"))
    return Photo(content=_encode(image, fmt), thumbnail=_encode(small, "JPEG"), width=image.width, height=image.height)
