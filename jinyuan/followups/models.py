"""Follow-up visits (回访): after a repair, a complaint or a paid service, the desk calls the
tenant back and records how satisfied they are. Any record can have follow-ups."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jinyuan.records import OnAnyRecord


class FollowUp(OnAnyRecord):
    class Status(models.TextChoices):
        # Its own context: a bill's "Open" is 待缴 (unpaid), a visit's is still to be made.
        OPEN = "open", pgettext_lazy("follow-up", "Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        PHONE = "phone", _("Phone")
        IN_PERSON = "in_person", _("In person")
        PORTAL = "portal", _("Portal")
        SMS = "sms", _("SMS")

    class Result(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        FAIRLY_SATISFIED = "fairly_satisfied", _("Fairly satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    due_on = models.DateField(_("due on"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # Empty when the system scheduled it (a repair closed automatically after 7 days).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("scheduled at"), auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    result = models.CharField(_("result"), max_length=20, choices=Result, blank=True)
    comments = models.TextField(_("comments"), blank=True)

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # The desk worklist: open ones by due date.
            models.Index(fields=["due_on"], condition=models.Q(status="open"), name="followup_open_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | (models.Q(done_at__isnull=False) & ~models.Q(result="")),
                name="followup_done_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.record} ({self.due_on:%Y-%m-%d})"
