from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import registry


class Document(models.Model):
    """An issued, numbered document. The printed data is copied here at issue, so the paper
    and the verify page never change when the source record is edited later."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        USED = "used", _("Used")
        REVOKED = "revoked", _("Revoked")

    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    number = models.CharField(_("number"), max_length=30, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.BigIntegerField()
    source = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(_("printed data"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.VALID, db_index=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="documents/", blank=True)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return self.number

    @property
    def kind_spec(self) -> registry.DocumentKind:
        return registry.get(self.kind)

    @property
    def kind_title(self) -> str:
        return str(self.kind_spec.title)

    @property
    def verify_token(self) -> str:
        return signing.dumps({"d": self.pk, "n": self.number}, salt=settings.DOCUMENT_VERIFY_SALT, compress=True)

    @property
    def verify_url(self) -> str:
        return settings.SITE_URL + reverse("verify", args=[self.verify_token])

    @property
    def verdict(self) -> str:
        """What a guard needs to know: valid, expired, used or revoked."""
        if self.status == self.Status.REVOKED:
            return "revoked"
        if self.status == self.Status.USED:
            return "used"
        if self.valid_until and self.valid_until < timezone.now():
            return "expired"
        return "valid"
