"""值班记录 and 交接班: the front desk's duty log by shift, and the handover between shifts.

A ``Shift`` is one date and one of the desk's shifts (``settings.FRONTDESK_SHIFTS``: 白班 and
夜班 by default), opened by the first clerk on duty. Its ``DutyEntry`` rows are what happened
(a visitor, a call, a parcel ...), each possibly linked to any record (an inquiry, a repair)
and possibly "open": still to act on, carried over to the following shifts until closed.

The leaving clerk writes the handover naming the arriving clerk (``handed_over``); the arriving
clerk, logged in as themselves, signs it (``accepted``). A shift whose end passes without that
signature is a deadline step to the supervisor (``deadlines``).
"""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import Role
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step
from jinyuan.workflow.models import Application, ChoiceLabels
from jinyuan.workflow.permissions import DESK

# The shift labels of the default setting, for the catalogue (the setting holds msgids).
SHIFT_LABELS = (gettext_noop("Day shift"), gettext_noop("Night shift"))


def shift_label(code: str) -> str:
    for shift in settings.FRONTDESK_SHIFTS:
        if shift["code"] == code:
            return gettext(shift["label"])
    return code


def shift_end(shift: "Shift", now: dt.datetime) -> dt.datetime:
    """``allowed`` of the handover deadline: due when the shift ends."""
    return shift.ends_at


def is_arriving_clerk(shift: "Shift", user) -> bool:
    """Only the clerk the handover names signs it, logged in as themselves."""
    return bool(
        user
        and user.is_authenticated
        and shift.arriving_id == user.pk
        and user.has_role(Role.FRONT_DESK, Role.SUPERVISOR)
    )


TO_SUPERVISOR = (f"role:{Role.SUPERVISOR}",)


class Shift(DeadlineLinks, Application):
    """One shift of the desk on one date; ``applicant`` is the clerk who opened it."""

    class Status(models.TextChoices):
        OPEN = "open", _("On duty")
        HANDED_OVER = "handed_over", _("Handover written")
        ACCEPTED = "accepted", _("Handover signed")

    audit_prefix = "shift"
    event_labels = {"opened": _("Shift opened"), "joined": _("Clerk came on duty")}
    deadlines = (
        DeadlineSpec(
            kind="handover",
            states=(Status.OPEN, Status.HANDED_OVER),
            allowed=shift_end,
            steps=(
                Step(offset=-dt.timedelta(minutes=30), to=(f"role:{Role.FRONT_DESK}",)),
                # The shift ended without a signed handover: the supervisor hears it, once.
                Step(offset=dt.timedelta(minutes=15), to=TO_SUPERVISOR, escalation=True),
            ),
        ),
    )
    desk_detail = "desk:frontdesk:shift_detail"

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.OPEN, db_index=True)
    date = models.DateField(_("date"))
    code = models.CharField(_("shift"), max_length=10)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    clerks = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("clerks on duty"), related_name="+")
    handover_notes = models.TextField(_("handover notes"), max_length=2000, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leaving clerk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handed_over_at = models.DateTimeField(_("handover written at"), null=True, blank=True)
    arriving = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("arriving clerk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("handover signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["date", "code"], name="uniq_shift_per_date"),
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="shift_starts_before_end"),
        ]
        indexes = [models.Index(fields=["-starts_at", "-id"], name="shift_starts_idx")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.label}"

    @property
    def label(self) -> str:
        return shift_label(self.code)

    @transition(
        field="status",
        source=Status.OPEN,
        target=Status.HANDED_OVER,
        permission=DESK,
        custom={"event": "handed_over", "event_label": _("Handover written and signed by the leaving clerk")},
    )
    def hand_over(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.HANDED_OVER,
        target=Status.ACCEPTED,
        permission=is_arriving_clerk,
        custom={
            "label": _("Accept and sign the handover"),
            "event": "accepted",
            "event_label": _("Handover accepted and signed by the arriving clerk"),
            "style": "success",
        },
    )
    def accept(self, by=None):
        pass


class DutyEntry(ChoiceLabels, models.Model):
    """One line of the duty log. ``is_open``: still to act on (carried over until closed)."""

    class Kind(models.TextChoices):
        VISITOR = "visitor", _("Visitor")
        PHONE = "phone", _("Phone call")
        PARCEL = "parcel", _("Delivery / parcel")
        REQUEST = "request", _("Tenant request")
        INCIDENT = "incident", _("Incident")
        NOTICE = "notice", _("Notice")
        INSPECTION = "inspection", _("Inspection")
        OTHER = "other", _("Other")

    audit_prefix = "duty_entry"
    event_labels = {"logged": _("Entry logged"), "closed": _("Open item closed")}

    shift = models.ForeignKey(Shift, verbose_name=_("shift"), on_delete=models.PROTECT, related_name="entries")
    at = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.OTHER)
    text = models.TextField(_("text"), max_length=1000)
    # Any record the entry is about (an inquiry, a repair ticket, a complaint): the kernel's
    # generic link (jinyuan.records), here optional.
    record_type = models.ForeignKey(
        ContentType, verbose_name=_("linked record"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record_id = models.BigIntegerField(_("linked record id"), null=True, blank=True)
    # The record's name when it was linked (its number): the log shows it without loading it.
    record_label = models.CharField(_("linked record"), max_length=100, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("clerk"), on_delete=models.PROTECT, related_name="+"
    )
    # An item to act on; open until ``closed_at`` is set.
    is_open = models.BooleanField(_("open item"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closing_note = models.CharField(_("how it was closed"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("duty log entry")
        verbose_name_plural = _("duty log entries")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="duty_entry_text"),
            # Only an item to act on is closed.
            models.CheckConstraint(
                condition=Q(is_open=True) | Q(closed_at__isnull=True), name="duty_entry_closed_item"
            ),
        ]
        indexes = [
            models.Index(fields=["shift", "at", "id"], name="duty_entry_shift_idx"),
            models.Index(fields=["-at", "-id"], name="duty_entry_at_idx"),
            # Open items of every shift, for the carry-over: a handful among a year of entries.
            models.Index(
                fields=["at", "id"], condition=Q(is_open=True, closed_at__isnull=True), name="duty_entry_open_idx"
            ),
            models.Index(fields=["record_type", "record_id"], name="duty_entry_record_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def still_open(self) -> bool:
        return self.is_open and self.closed_at is None

    @property
    def record_url(self) -> str:
        """The linked record's desk page (its model's ``desk_detail``); content types are cached."""
        if not self.record_type_id:
            return ""
        from django.urls import reverse

        model = ContentType.objects.get_for_id(self.record_type_id).model_class()
        name = getattr(model, "desk_detail", "")
        return reverse(name, args=[self.record_id]) if name else ""
