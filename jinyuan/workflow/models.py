"""The kernel every procedure uses: applications, audit events, numbers, notifications."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from . import labels


class Application(ConcurrentTransitionMixin, models.Model):
    """Abstract base of every procedure record (certificate request, renovation, permit ...).

    Subclasses declare ``status = FSMField(choices=..., default=...)`` themselves and their
    transitions with ``django_fsm.transition`` (with ``permission=roles(...)``); they change
    state only through ``workflow.services.transition``, which makes the change
    compare-and-swap (the save is an UPDATE ... WHERE status = <the state read>) and writes
    the audit event.

    The status field is not declared here on purpose: django-fsm collects transitions per
    field object when a class is prepared, and a field on the abstract base would collect
    (and claim) every subclass's transitions first, leaving the subclass's own field with none.
    """

    status: FSMField
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)

    # The action-code prefix of audit events, e.g. "certificate" -> "certificate.approved".
    audit_prefix: str = ""

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One row per state change or notable action on any record. Never updated or deleted."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.BigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("action"), max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.action} @ {self.at:%Y-%m-%d %H:%M}"

    @property
    def action_label(self) -> str:
        return labels.action_label(self.action)

    @property
    def details(self) -> list[tuple[str, str]]:
        return labels.details(self.data)

    @property
    def from_state_label(self) -> str:
        return labels.state_label(self.action, self.from_state)

    @property
    def to_state_label(self) -> str:
        return labels.state_label(self.action, self.to_state)


class NumberSequence(models.Model):
    """The last number issued per prefix and year. Incremented under the row lock of the
    issuing transaction, so a rollback gives the number back and numbers stay gapless."""

    prefix = models.CharField(_("prefix"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="uniq_number_sequence")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class Notification(models.Model):
    """An in-app message; the e-mail copy is sent once, marked by ``emailed_at``."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # Sending the same reminder twice must be impossible, however often the scan runs.
    dedup_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedup_key"], name="uniq_notification_dedup"),
        ]

    def __str__(self) -> str:
        return self.title
