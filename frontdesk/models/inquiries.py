"""访客咨询: visitor inquiries and walk-in requests at the desk.

The desk answers a visitor asking for a company with its unit number and nothing else (the
manual's confidentiality rule: never a tenant's staff, contacts or phones). Every inquiry is
logged here and in the shift's duty log. One can become a repair ticket or a complaint
(``converted``, the ticket's source is the inquiry); what the desk cannot solve goes to the
supervisor with a deadline (``escalated``), who closes it with a note.

open → answered / converted / escalated → closed
"""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import Role
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import DESK, SUPERVISOR


class Inquiry(DeadlineLinks, Application):
    """One inquiry or walk-in request; ``applicant`` is the clerk who logged it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        CONVERTED = "converted", _("Turned into a ticket")
        ESCALATED = "escalated", _("Escalated to the supervisor")
        CLOSED = "closed", _("Closed")

    class Channel(models.TextChoices):
        WALK_IN = "walk_in", _("Walk-in")
        PHONE = "phone", _("Phone")

    class Kind(models.TextChoices):
        VISITOR = "visitor", _("Visitor asking for a company")
        REQUEST = "request", _("Walk-in request")
        PHONE = "phone", _("Phone inquiry")
        OTHER = "other", _("Other")

    RESOLVED = (Status.ANSWERED, Status.CONVERTED, Status.CLOSED)

    audit_prefix = "inquiry"
    event_labels = {"logged": _("Inquiry logged")}
    deadlines = (
        DeadlineSpec(
            kind="inquiry_answer",
            states=(Status.ESCALATED,),
            allowed=dt.timedelta(hours=4),
            working_hours=True,
            steps=(
                Step(offset=-dt.timedelta(hours=1), to=(f"role:{Role.SUPERVISOR}",)),
                Step(to=(f"role:{Role.SUPERVISOR}", "applicant"), escalation=True),
                # A working day later still unanswered: the supervisors hear it again, once.
                Step(offset=dt.timedelta(hours=9), to=(f"role:{Role.SUPERVISOR}",), escalation=True),
            ),
        ),
    )
    desk_detail = "desk:frontdesk:inquiry_detail"

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.OPEN, db_index=True)
    received_at = models.DateTimeField(_("time"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.WALK_IN)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.VISITOR)
    tenant = models.ForeignKey(
        "tenants.Tenant", verbose_name=_("company"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "tenants.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The visitor's own name and phone, if they give them (for a call back).
    visitor_name = models.CharField(_("visitor's name"), max_length=40, blank=True)
    visitor_phone = models.CharField(_("visitor's phone"), max_length=20, blank=True)
    question = models.TextField(_("what was asked"), max_length=1000)
    answer = models.TextField(_("answer"), max_length=1000, blank=True)
    shift = models.ForeignKey(
        "frontdesk.Shift", verbose_name=_("shift"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    repair = models.OneToOneField(
        "repairs.RepairTicket",
        verbose_name=_("repair ticket"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    complaint = models.OneToOneField(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supervisor_note = models.TextField(_("supervisor's answer"), max_length=1000, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(question=""), name="inquiry_question"),
            # A converted inquiry has exactly its one ticket or complaint.
            models.CheckConstraint(
                condition=~Q(status="converted") | Q(repair__isnull=False) | Q(complaint__isnull=False),
                name="inquiry_converted_has_ticket",
            ),
        ]
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="inquiry_received_idx"),
            models.Index(fields=["status", "-received_at", "-id"], name="inquiry_status_idx"),
            models.Index(fields=["tenant", "-received_at"], name="inquiry_tenant_idx"),
        ]

    def __str__(self) -> str:
        # No translated word: the name is kept in reminders and the duty log as it was written.
        received = timezone.localtime(self.received_at) if self.received_at else None
        return f"{received:%m-%d %H:%M} {self.question[:20]}" if received else self.question[:20]

    @property
    def ticket(self):
        return self.repair or self.complaint

    @transition(
        field="status",
        source=Status.OPEN,
        target=Status.ANSWERED,
        permission=DESK,
        custom={"event": "answered", "event_label": _("Answered at the desk")},
    )
    def answer_it(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.OPEN,
        target=Status.CONVERTED,
        permission=DESK,
        custom={"event": "converted", "event_label": _("Turned into a ticket")},
    )
    def convert(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.OPEN,
        target=Status.ESCALATED,
        permission=DESK,
        custom={
            "label": _("Escalate to the supervisor"),
            "event": "escalated",
            "event_label": _("Escalated to the supervisor"),
            "needs_note": True,
            "style": "outline-secondary",
        },
    )
    def escalate(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ESCALATED,
        target=Status.CLOSED,
        permission=SUPERVISOR,
        custom={
            "label": _("Answer and close"),
            "event": "closed",
            "event_label": _("Answered by the supervisor and closed"),
            "needs_note": True,
        },
    )
    def close(self, by=None):
        pass
