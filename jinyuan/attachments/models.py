"""Files attached to any record (a repair's photos, a complaint's evidence, a lease scan).

Stored through Django's storage API under random names; served only by the access-checked
views of this app; voided, never deleted.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from jinyuan.records import OnAnyRecord
from jinyuan.uploads import random_name


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Only the extension survives, and the service sets it from the sniffed content.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return random_name(f"attachments/{instance.content_type_id}", extension)


def thumbnail_path(instance: "Attachment", filename: str) -> str:
    return random_name(f"attachments/{instance.content_type_id}/thumbs", "jpg")


# What each record's app calls the kinds of its files, per record model ("tenants.tenant":
# {"licence": 营业执照}); two apps may give one code different names. Registered in AppConfig.ready().
_kind_labels: dict[str, dict[str, Any]] = {}


def register_kinds(model: type[models.Model], choices: Iterable[tuple[str, Any]]) -> None:
    _kind_labels.setdefault(model._meta.label_lower, {}).update(choices)


class Attachment(OnAnyRecord):
    kind = models.CharField(_("kind"), max_length=30, blank=True)  # the record's app names its kinds
    label = models.CharField(_("label"), max_length=100, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=thumbnail_path, max_length=200, blank=True)
    original_name = models.CharField(_("original file name"), max_length=200, blank=True)
    content_type_sniffed = models.CharField(_("file type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)
    # Personal data (ID scans, photos of people) past its retention: the stored file is deleted
    # (jinyuan.privacy), the row stays with when and why.
    purged_at = models.DateTimeField(_("personal data deleted at"), null=True, blank=True)
    purge_note = models.CharField(_("deletion note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "uploaded_at"])]

    def __str__(self) -> str:
        return self.label or self.original_name or f"#{self.pk}"

    @property
    def kind_label(self) -> str:
        """The kind's name as the record's app registered it, else its code."""
        record_type = ContentType.objects.get_for_id(self.content_type_id)  # cached after the first
        names = _kind_labels.get(f"{record_type.app_label}.{record_type.model}", {})
        return str(names.get(self.kind, self.kind))

    @property
    def is_image(self) -> bool:
        return self.content_type_sniffed.startswith("image/")

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None
