"""投诉 complaints (issue 12): a complaint, suggestion or inquiry from a tenant, a visitor or an
anonymous caller; acknowledged, assigned to a department and a person, answered with a reply
the supervisor approves, followed by a return visit."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import GET_STATE, ConcurrentTransitionMixin, FSMField, transition

from jinyuan.accounts.roles import SUPERVISOR_ROLES, Role
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step
from jinyuan.workflow.models import Application, ChoiceLabels
from jinyuan.workflow.permissions import DESK, SUPERVISOR

# The portal area of complaints (tenants.grants): a company's staff follow its complaints with it.
COMPLAINTS_AREA = "complaints"
# Deadline step recipients "complaint_handlers": the assignee, or the desk while nobody has it
# (a resolver registered in ComplaintsConfig.ready, see complaints.selectors).
HANDLERS_TO_REMIND = "complaint_handlers"


def hours_setting(name: str, default: int) -> timedelta:
    """A deadline's length in working hours, from the Django settings (read when a deadline
    starts, so a changed setting applies to complaints recorded after it)."""
    return timedelta(hours=int(getattr(settings, name, default)))


def acknowledge_within(complaint: "Complaint") -> timedelta:
    return hours_setting("COMPLAINT_ACKNOWLEDGE_HOURS", 2)


def reply_within(complaint: "Complaint") -> timedelta:
    if complaint.urgent:
        return hours_setting("COMPLAINT_URGENT_REPLY_HOURS", 24)
    return hours_setting("COMPLAINT_REPLY_HOURS", 48)


def _in_working_hours(length):
    """``allowed`` of a deadline: ``length(complaint)`` of working time from now (the calendar)."""

    def due(complaint: "Complaint", now):
        from jinyuan.workflow.calendar import load_calendar

        return load_calendar().add(now, length(complaint))

    return due


class Department(models.TextChoices):
    ENGINEERING = "engineering", _("Engineering")
    SECURITY = "security", _("Security")
    CLEANING = "cleaning", _("Cleaning")
    DESK = "desk", _("Service desk")


# The staff role that works for each department. Cleaning is an outside contractor: the desk
# relays its answers, so the desk's clerks act for it.
DEPARTMENT_ROLE = {
    Department.ENGINEERING: Role.ENGINEERING,
    Department.SECURITY: Role.SECURITY,
    Department.CLEANING: Role.FRONT_DESK,
    Department.DESK: Role.FRONT_DESK,
}


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def handler(instance: "Complaint", user) -> bool:
    """Who works on an assigned complaint: the assignee, the staff of its department, or a
    supervisor."""
    if not _signed_in(user):
        return False
    if instance.assignee_id == user.pk or user.has_role(*SUPERVISOR_ROLES):
        return True
    role = DEPARTMENT_ROLE.get(instance.department)
    return bool(role and user.has_role(role))


def desk_or_handler(instance: "Complaint", user) -> bool:
    """The desk (it talks to the complainant) or whoever works on the complaint."""
    return DESK(instance, user) or (bool(instance.assignee_id) and handler(instance, user))


def complainant_self(instance: "Complaint", user) -> bool:
    """The tenant user who filed it in the portal (never staff): they may withdraw it."""
    return _signed_in(user) and instance.applicant_id == user.pk and not user.is_desk_staff


def _back_from_waiting(instance: "Complaint", by=None) -> str:
    """The complainant answered: back to whoever had it (assigned) or to the desk (acknowledged)."""
    return "assigned" if instance.assignee_id else "acknowledged"


class ComplaintCategory(models.Model):
    """What a complaint is about (noise, cleaning, parking, service attitude ...), set up in the admin."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# Acknowledgement runs until the desk confirms it; the reply until the approved reply is sent,
# paused while waiting for the complainant. Both start at the record; a reopened complaint
# gets a new reply run (a stopped run stays as it ended, for the on-time figures).
ACKNOWLEDGE_STATES = ("recorded",)
REPLY_STATES = ("recorded", "acknowledged", "assigned", "proposed", "approved")
WAITING = "waiting"
TO_SUPERVISOR = (f"role:{Role.SUPERVISOR}",)


class Complaint(DeadlineLinks, Application):
    """投诉单: one complaint, suggestion or inquiry.

    ``tenant`` is empty for a visitor. An ``anonymous`` complaint may still carry the contact the
    desk noted (to call back for the return visit); it is shown to nobody but the user who
    recorded it (``complaints.selectors.complainant_for``).
    """

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ASSIGNED = "assigned", _("Assigned")
        PROPOSED = "proposed", _("Reply proposed")
        APPROVED = "approved", _("Reply approved")
        WAITING = "waiting", _("Waiting for the complainant")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        DESK = "desk", _("At the desk")
        PHONE = "phone", _("Phone")
        PORTAL = "portal", _("Portal")
        LETTER = "letter", _("Letter")
        EMAIL = "email", _("E-mail")

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        SUGGESTION = "suggestion", _("Suggestion")
        INQUIRY = "inquiry", _("Inquiry")

    class Validity(models.TextChoices):
        UNDECIDED = "undecided", _("Undecided")
        VALID = "valid", _("Valid")
        INVALID = "invalid", _("Invalid")

    class ReplyVia(models.TextChoices):
        PORTAL = "portal", _("Portal")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")
        LETTER = "letter", _("Letter")
        IN_PERSON = "in_person", _("In person")

    OPEN = (
        Status.RECORDED,
        Status.ACKNOWLEDGED,
        Status.ASSIGNED,
        Status.PROPOSED,
        Status.APPROVED,
        Status.WAITING,
    )

    audit_prefix = "complaint"
    ACKNOWLEDGE_KINDS = ("acknowledgement",)
    REPLY_KINDS = ("reply",)
    deadlines = (
        DeadlineSpec(
            kind="acknowledgement",
            states=ACKNOWLEDGE_STATES,
            allowed=_in_working_hours(acknowledge_within),
            working_hours=True,
            steps=(
                Step(offset=-timedelta(minutes=30), to=(f"role:{Role.FRONT_DESK}",)),
                Step(to=TO_SUPERVISOR, escalation=True),
                # Still unconfirmed two working hours later: the supervisor hears again, once.
                Step(offset=timedelta(hours=2), to=TO_SUPERVISOR, escalation=True),
            ),
        ),
        DeadlineSpec(
            kind="reply",
            states=REPLY_STATES,
            allowed=_in_working_hours(reply_within),
            working_hours=True,
            pause_in=(WAITING,),
            steps=(
                Step(offset=-timedelta(hours=4), to=(HANDLERS_TO_REMIND,)),
                Step(to=TO_SUPERVISOR, escalation=True),
                # A working day later without a reply: the supervisor hears again, once.
                Step(offset=timedelta(hours=9), to=TO_SUPERVISOR, escalation=True),
            ),
        ),
    )
    # Reminders, notifications and the follow-up worklist link these pages (DeadlineLinks).
    desk_detail = "desk:complaints:complaint_detail"
    portal_detail = "portal:complaints:complaint_detail"
    event_labels = {
        "recorded": _("Complaint recorded"),
        "validity_marked": _("Marked valid or invalid"),
        "reply_emailed": _("Reply e-mailed to the complainant"),
    }

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.RECORDED, db_index=True)
    number = models.CharField(_("number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    kind = models.CharField(_("type"), max_length=12, choices=Kind, default=Kind.COMPLAINT)
    category = models.ForeignKey(
        ComplaintCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="complaints"
    )
    tenant = models.ForeignKey(
        "tenants.Tenant",
        verbose_name=_("tenant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    complainant_name = models.CharField(_("complainant"), max_length=40, blank=True)
    complainant_phone = models.CharField(_("complainant's phone"), max_length=20, blank=True)
    complainant_email = models.EmailField(_("complainant's e-mail"), blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    content = models.TextField(_("content"), max_length=2000)
    urgent = models.BooleanField(_("urgent"), default=False)
    department = models.CharField(_("department"), max_length=12, choices=Department, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reply_draft = models.TextField(_("proposed reply"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reply proposed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_reply = models.TextField(_("approved reply"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reply approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("reply approved at"), null=True, blank=True)
    reply_sent_at = models.DateTimeField(_("reply sent at"), null=True, blank=True)
    reply_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reply sent by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reply_via = models.CharField(_("reply sent"), max_length=10, choices=ReplyVia, blank=True)
    # Claimed by the e-mail task (complaints.tasks) so a reply is e-mailed once per sending.
    reply_emailed_at = models.DateTimeField(_("reply e-mailed at"), null=True, blank=True)
    validity = models.CharField(_("validity"), max_length=10, choices=Validity, default=Validity.UNDECIDED)
    validity_reason = models.CharField(_("reason for the validity"), max_length=200, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # A dissatisfied return visit (or the desk) reopens a closed complaint: how often.
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # The record the complaint came from (a visitor inquiry at the front desk), as a repair
    # ticket's ``source``: the complaint's page links back to it.
    source_type = models.ForeignKey(
        ContentType, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.BigIntegerField(_("source record"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "-created_at", "-id"], name="complaint_tenant_idx"),
            models.Index(fields=["-created_at", "-id"], name="complaint_created_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="complaint_status_created_idx"),
            models.Index(fields=["assignee", "status"], name="complaint_assignee_idx"),
            models.Index(fields=["department", "status"], name="complaint_department_idx"),
            # The register's exact count of a filtered page (below EstimatedCountPaginator's
            # threshold): an index-only count instead of a scan of the wide table (11 ms → ~1 ms
            # on 30,000 complaints).
            models.Index(fields=["kind"], name="complaint_kind_idx"),
            models.Index(fields=["channel"], name="complaint_channel_idx"),
            models.Index(fields=["urgent"], condition=models.Q(urgent=True), name="complaint_urgent_idx"),
            models.Index(fields=["source_type", "source_id"], name="complaint_source_idx"),
            # The register's search of the content (``icontains``: UPPER(content) LIKE ...).
            GinIndex(OpClass(Upper("content"), name="gin_trgm_ops"), name="complaint_content_trgm_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(validity="invalid") | ~models.Q(validity_reason=""),
                name="complaint_invalid_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def source_url(self) -> str:
        """The desk page of the record the complaint came from ("" for none)."""
        if not self.source_type_id or self.source_id is None:
            return ""
        model = ContentType.objects.get_for_id(self.source_type_id).model_class()
        name = getattr(model, "desk_detail", "")
        return reverse(name, args=[self.source_id]) if name else ""

    @property
    def followup_contact(self) -> str:
        """What the follow-up worklist shows (it loads ``tenant`` with the record). Never an
        anonymous complainant: the worklist is every clerk's, not the recording one's."""
        company = self.tenant.name if self.tenant_id else ""
        if self.anonymous:
            return " · ".join(part for part in (company, str(_("Anonymous complainant"))) if part)
        return " · ".join(part for part in (company, self.complainant_name, self.complainant_phone) if part)

    @transition(
        field="status",
        source=Status.RECORDED,
        target=Status.ACKNOWLEDGED,
        permission=DESK,
        custom={"label": _("Acknowledge"), "event": "acknowledged", "event_label": _("Acknowledged by the desk")},
    )
    def acknowledge(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ACKNOWLEDGED,
        target=Status.ASSIGNED,
        permission=DESK,
        custom={"label": _("Assign"), "event": "assigned", "event_label": _("Assigned to a department")},
    )
    def assign(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ASSIGNED,
        target=Status.ASSIGNED,
        permission=DESK,
        custom={
            "label": _("Hand over"),
            "event": "handed_over",
            "event_label": _("Handed over to another person"),
            "needs_note": True,
        },
    )
    def hand_over(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ASSIGNED,
        target=Status.PROPOSED,
        permission=handler,
        custom={"label": _("Propose a reply"), "event": "reply_proposed", "event_label": _("Reply proposed")},
    )
    def propose_reply(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.PROPOSED,
        target=Status.APPROVED,
        permission=SUPERVISOR,
        custom={"label": _("Approve the reply"), "event": "reply_approved", "event_label": _("Reply approved")},
    )
    def approve_reply(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.PROPOSED,
        target=Status.ASSIGNED,
        permission=SUPERVISOR,
        custom={
            "label": _("Send back"),
            "event": "sent_back",
            "event_label": _("Reply sent back for revision"),
            "needs_note": True,
            "style": "warning",
        },
    )
    def send_back(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.APPROVED,
        target=Status.CLOSED,
        permission=DESK,
        custom={"label": _("Send the reply"), "event": "replied", "event_label": _("Reply sent: closed")},
    )
    def send_reply(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.ACKNOWLEDGED, Status.ASSIGNED],
        target=Status.WAITING,
        permission=desk_or_handler,
        custom={
            "label": _("Wait for the complainant"),
            "event": "waiting",
            "event_label": _("Waiting for the complainant"),
            "needs_note": True,
        },
    )
    def wait_for_complainant(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.WAITING,
        target=GET_STATE(_back_from_waiting, states=[Status.ASSIGNED, Status.ACKNOWLEDGED]),
        permission=desk_or_handler,
        custom={"label": _("Resume"), "event": "resumed", "event_label": _("The complainant answered: resumed")},
    )
    def resume(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.CLOSED,
        target=Status.ASSIGNED,
        permission=DESK,
        custom={
            "label": _("Reopen"),
            "event": "reopened",
            "event_label": _("Reopened: the complainant is not satisfied"),
            "needs_note": True,
        },
    )
    def reopen(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.RECORDED, Status.ACKNOWLEDGED, Status.ASSIGNED, Status.WAITING],
        target=Status.CANCELLED,
        permission=DESK,
        custom={"label": _("Cancel"), "event": "cancelled", "event_label": _("Cancelled"), "needs_note": True},
    )
    def cancel(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.RECORDED, Status.ACKNOWLEDGED, Status.ASSIGNED, Status.WAITING],
        target=Status.CANCELLED,
        permission=complainant_self,
        custom={
            "label": _("Withdraw"),
            "event": "withdrawn",
            "event_label": _("Withdrawn by the complainant"),
            "needs_note": True,
            "confirm": _("Withdraw this complaint?"),
        },
    )
    def withdraw(self, by=None):
        pass


# --- the monthly service report (complaints.reports, complaints.statistics) ---------------------

# Deadline step recipients "superusers": the system's administrators (the center's manager in
# practice), told when a monthly report is still unsigned after the 5th (complaints.hooks).
MANAGERS_TO_ESCALATE = "superusers"


def _sign_off_due(report: "ServiceReport", now) -> datetime:
    """The end of the 5th of the month after the report's month (reviewed by the 5th)."""
    after = (report.month.replace(day=28) + timedelta(days=4)).replace(day=1)
    day = after.replace(day=ServiceReport.SIGN_OFF_BY_DAY) + timedelta(days=1)
    return datetime.combine(day, time.min, timezone.get_current_timezone())


class ServiceReport(DeadlineLinks, ChoiceLabels, ConcurrentTransitionMixin, models.Model):
    """月度服务统计报告: a month's statistics of repairs and complaints, drafted on the 1st of the
    next month (figures frozen, PDF rendered in the background) and signed off by a supervisor
    with remarks; reminded on the 3rd, escalated after the 5th (deadline ``report_sign_off``)."""

    class Status(models.TextChoices):
        DRAFTED = "drafted", _("Awaiting sign-off")
        SIGNED = "signed", _("Signed off")

    SIGN_OFF_BY_DAY = 5
    audit_prefix = "service_report"
    # Due at the end of the 5th: the supervisor is reminded on the 3rd at 09:00; unsigned after
    # the 5th, supervisors and the administrators hear on the 6th at 09:00. Calendar days: the
    # report is due by a date, not after so many working hours.
    deadlines = (
        DeadlineSpec(
            kind="report_sign_off",
            states=("drafted",),
            allowed=_sign_off_due,
            steps=(
                Step(offset=-timedelta(days=2, hours=15), to=TO_SUPERVISOR),
                Step(offset=timedelta(hours=9), to=(*TO_SUPERVISOR, MANAGERS_TO_ESCALATE), escalation=True),
            ),
        ),
    )
    event_labels = {"drafted": _("Monthly report drafted")}

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month reported on."))
    status = FSMField(_("status"), max_length=10, choices=Status, default=Status.DRAFTED)
    # The figures as drafted (complaints.statistics.to_data): the PDF and the signature stand
    # for these numbers, whatever is recorded late afterwards.
    figures = models.JSONField(_("figures"), default=dict)
    pdf = models.FileField(_("PDF"), upload_to="reports/", blank=True, max_length=200)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    remarks = models.TextField(_("supervisor's remarks"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("monthly service report")
        verbose_name_plural = _("monthly service reports")
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(condition=models.Q(month__day=1), name="service_report_first_of_month"),
        ]

    def __str__(self) -> str:
        return _("Service report %(month)s") % {"month": f"{self.month:%Y-%m}"}

    @property
    def deadline_url(self) -> str:
        return f"{reverse('desk:complaints:statistics')}?month={self.month:%Y-%m}"

    @transition(
        field="status",
        source=Status.DRAFTED,
        target=Status.SIGNED,
        permission=SUPERVISOR,
        custom={
            "label": pgettext_lazy("report", "Sign off"),
            "event": "signed",
            "event_label": _("Signed off by the supervisor"),
        },
    )
    def sign(self, by=None):
        pass
