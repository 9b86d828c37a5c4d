"""The kernel every procedure uses: applications, audit events, numbers, notifications,
deadlines and the working calendar."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField

from . import labels

# Each choice field's labels by value, built once per field (the labels stay lazy).
_choice_labels: dict[models.Field, dict] = {}


class ChoiceLabels(models.Model):
    """``get_<field>_display()`` without re-hashing every choice: Django's builds a dict of
    all the field's choices on each call, and hashing a lazy label translates it, so a register
    row showing a state of twelve choices ran twelve gettext calls (0.9 ms a row on security's
    board). Here the labels are looked up by value and only the one shown is translated."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field):
        labels = _choice_labels.get(field)
        if labels is None:
            labels = _choice_labels[field] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (a list) is never a choice
            label = value
        return force_str(label, strings_only=True)


class Application(ChoiceLabels, ConcurrentTransitionMixin, models.Model):
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
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            # The day's events of the building management log (frontdesk): a range of ``at``.
            models.Index(fields=["at"], name="audit_event_at_idx"),
        ]

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
    """A message to one user: always in-app; by e-mail and SMS too where the sender allowed the
    channel (``channels``) and the recipient chose it in their profile. Each copy is sent once,
    claimed by ``emailed_at`` / ``texted_at``.

    The text is stored as an English msgid (``message``) with its arguments (``args``) and
    rendered in the reader's language when shown or sent: a reminder written by the night scan
    reads in Chinese to one clerk and in English to another. Arguments whose key ends in
    ``_label`` are msgids themselves and are translated too (a deadline kind, a state).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(_("message"), max_length=200)
    args = models.JSONField(_("arguments"), default=dict, blank=True)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # Sending the same reminder twice must be impossible, however often the scan runs.
    dedup_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    texted_at = models.DateTimeField(_("sent by SMS at"), null=True, blank=True)
    # Channels besides in-app the sender allowed; the recipient's profile decides which are used.
    channels = ArrayField(models.CharField(max_length=10), verbose_name=_("channels"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedup_key"], name="uniq_notification_dedup"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The message in the active language (activate the reader's language first)."""
        return render_message(self.message, self.args)


def render_message(message: str, args: dict | None) -> str:
    """Translate ``message`` and fill in ``args``; ``*_label`` arguments are msgids too.

    Never raises: with an argument missing the text shows unfilled.
    """
    if not args:
        return gettext(message)
    values = {k: gettext(v) if k.endswith("_label") and isinstance(v, str) else v for k, v in args.items()}
    text = gettext(message)
    try:
        return text % values
    except (KeyError, TypeError, ValueError):
        return text


def default_office_opens() -> datetime.time:
    return datetime.time.fromisoformat(settings.OFFICE_HOURS[0])


def default_office_closes() -> datetime.time:
    return datetime.time.fromisoformat(settings.OFFICE_HOURS[1])


class CalendarYear(models.Model):
    """One year of the working calendar: its office hours and whether a supervisor confirmed it.

    Dates that differ from "Monday to Friday work, weekends off" are ``CalendarDay`` rows. A
    year the ``chinese-calendar`` package knows is seeded from it; a later one is seeded as plain
    weekdays and stays unconfirmed (the supervisor's home says so) until someone enters the
    State Council's holidays for it and ticks ``confirmed``.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    office_opens = models.TimeField(_("office opens"), default=default_office_opens)
    office_closes = models.TimeField(_("office closes"), default=default_office_closes)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    seeded_from = models.CharField(_("seeded from"), max_length=60, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(office_opens__lt=models.F("office_closes")), name="office_hours_order"
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A date that is not what its weekday says: a public holiday on a weekday, or a make-up
    working day (调休) on a weekend."""

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".strip()


class Deadline(models.Model):
    """One run of a declared deadline on one record (``jinyuan.workflow.deadlines``).

    At most one live (running or paused) row per record and kind; a stop is final and a later
    start opens a new row, so every run keeps its ``met`` for on-time statistics. The scan reads
    ``WHERE state = 'running' AND next_step_at <= now`` through the partial index below.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        PAUSED = "paused", _("paused")
        STOPPED = "stopped", _("stopped")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.BigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=30)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.RUNNING)
    working_hours = models.BooleanField(_("in working hours"), default=False)
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    # Time left when paused (working time for a working-hours deadline); due_at is recomputed
    # from it on resume.
    remaining = models.DurationField(_("remaining"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    met = models.BooleanField(_("met"), null=True, blank=True)
    # When the next unsent reminder step falls due; NULL once every step is sent.
    next_step_at = models.DateTimeField(null=True, blank=True)
    next_step = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=~models.Q(state="stopped"),
                name="uniq_live_deadline",
            ),
        ]
        indexes = [
            models.Index(fields=["next_step_at"], condition=models.Q(state="running"), name="deadline_scan_idx"),
            models.Index(fields=["content_type", "object_id", "kind"], name="deadline_record_idx"),
            # On-time statistics (selectors.deadline_outcomes): runs met, by when they stopped,
            # and runs not met (late, or still running or paused), by their due time.
            models.Index(fields=["content_type", "stopped_at"], condition=models.Q(met=True), name="deadline_met_idx"),
            models.Index(
                fields=["content_type", "due_at"],
                condition=models.Q(met=False) | models.Q(met__isnull=True),
                name="deadline_not_met_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.content_type_id}/{self.object_id} {self.state}"


class DeadlineStepSent(models.Model):
    """Marks a reminder step of a deadline as sent. The unique pair is the database's guarantee
    that a step goes out once, however many scans run and however often."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="sent_steps")
    step = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["deadline", "step"], name="uniq_deadline_step_sent")]

    def __str__(self) -> str:
        return f"{self.deadline_id}#{self.step}"
