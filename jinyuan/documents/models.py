from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import codes, registry


class Document(models.Model):
    """An issued, numbered document. The printed data is copied here at issue, so the paper
    and the verify page never change when the source record is edited later."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUSPENDED = "suspended", _("Suspended")
        USED = "used", _("Used")
        REVOKED = "revoked", _("Revoked")

    class Verdict(models.TextChoices):
        """What the verify page tells a guard, computed at request time (nothing runs at midnight)."""

        VALID = "valid", _("Valid")
        NOT_YET_VALID = "not_yet_valid", _("Not yet valid")
        EXPIRED = "expired", _("Expired")
        SUSPENDED = "suspended", _("Suspended")
        USED = "used", _("Already used")
        REVOKED = "revoked", _("Revoked")

    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    number = models.CharField(_("number"), max_length=30, unique=True)
    # What the QR code holds: random, stored, so no key rotation voids the paper (codes.py).
    code = models.CharField(_("check code"), max_length=codes.LENGTH, unique=True, default=codes.new_code)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.BigIntegerField()
    source = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(_("printed data"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.VALID, db_index=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    single_use = models.BooleanField(_("single use"), default=False)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    # Who used a single-use paper (the guard who recorded the passage): the gate says so.
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("used by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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
    def display_code(self) -> str:
        return codes.display(self.code)

    @property
    def verify_path(self) -> str:
        return reverse("verify", args=[self.code])

    @property
    def verify_url(self) -> str:
        return settings.SITE_URL + self.verify_path

    def verdict_at(self, now: datetime) -> str:
        """The one place the verdict is decided; the order says which fact a guard hears first."""
        if self.status == self.Status.REVOKED:
            return self.Verdict.REVOKED
        if self.status == self.Status.USED:
            return self.Verdict.USED
        if self.status == self.Status.SUSPENDED:
            return self.Verdict.SUSPENDED
        if self.valid_from and now < self.valid_from:
            return self.Verdict.NOT_YET_VALID
        if self.valid_until and now >= self.valid_until:
            return self.Verdict.EXPIRED
        return self.Verdict.VALID

    @property
    def verdict(self) -> str:
        return self.verdict_at(timezone.now())


class GateCheck(models.Model):
    """One action of a guard on a presented document: a check, a passage, a refusal, also a
    refused attempt (a second use). The gate's log of the day and the document's last checks."""

    class Result(models.TextChoices):
        DONE = "done", _("Done")
        REFUSED = "refused", _("Refused")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="gate_checks"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("guard"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=20)
    result = models.CharField(_("result"), max_length=10, choices=Result)
    verdict = models.CharField(_("verdict then"), max_length=20, choices=Document.Verdict)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("gate check")
        verbose_name_plural = _("gate checks")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["document", "-at"])]

    def __str__(self) -> str:
        return f"{self.document_id} {self.action} {self.result} @ {self.at:%Y-%m-%d %H:%M}"

    @property
    def action_label(self) -> str:
        spec = registry.find(self.document.kind)
        action = spec.gate_action(self.action) if spec else None
        return str(action.label) if action else self.action
