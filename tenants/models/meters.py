"""Meters (水电表) of the units, their readings and the monthly reading round (抄表).

A unit has at most one live meter of each kind. Its rate is not kept here (tenants knows no
billing): billing's fee item with the same ``meter_kind`` gives it, at the price dated on the
reading day. A reading's consumption is its value less the previous reading of the same meter;
a reading marked ``replacement`` (the meter was swapped) starts a new series and carries no
consumption from the old one. Consumption is stored with the reading when it is entered, so
billing and the pages read it without walking the series.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import Role
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step, on_date
from jinyuan.workflow.models import Application, ChoiceLabels
from jinyuan.workflow.permissions import SUPERVISOR

from .premises import Building, Unit


def meter_value(verbose_name) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])


class MeterKind(models.TextChoices):
    ELECTRICITY = "electricity", _("Electricity")
    WATER = "water", _("Water")


class Meter(ChoiceLabels, models.Model):
    Kind = MeterKind

    audit_prefix = "meter"
    event_labels = {
        "reading_entered": _("Meter reading entered"),
        "reading_confirmed": _("Meter reading confirmed"),
        "replaced": _("Meter replaced"),
        "installed": _("Meter installed"),
    }

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="meters")
    kind = models.CharField(_("kind"), max_length=12, choices=MeterKind)
    number = models.CharField(_("meter number"), max_length=40)
    multiplier = models.DecimalField(
        _("multiplier"),
        max_digits=8,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("倍率: the consumption billed is the meter's difference times this."),
    )
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    replaced_on = models.DateField(_("replaced on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["unit_id", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind"],
                condition=Q(is_active=True),
                name="uniq_live_meter_per_unit_and_kind",
                violation_error_message=_("This unit already has a live meter of this kind."),
            ),
            models.CheckConstraint(condition=Q(multiplier__gt=0), name="meter_multiplier_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


def _no_held_readings(instance) -> bool:
    """A round is confirmed only when no reading waits for the supervisor's decision."""
    return not instance.readings.filter(status=MeterReading.Status.HELD).exists()


class ReadingRound(DeadlineLinks, Application):
    """One building's readings of one month, entered floor by floor or imported; billed only
    after the supervisor confirms the round."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONFIRMED = "confirmed", _("Confirmed")

    audit_prefix = "reading_round"
    event_labels = {
        "opened": _("Reading round opened"),
        "readings_entered": _("Meter readings entered"),
        "imported": _("Meter readings imported"),
        "billed": _("Utilities billed"),
    }

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.OPEN, db_index=True)
    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="reading_rounds"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month read"))
    # Confirmed by the supervisor by this day (the 5th of the next month): a kernel deadline.
    confirm_by = models.DateField(_("confirm by"))
    billed_at = models.DateTimeField(_("billed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reading round")
        verbose_name_plural = _("reading rounds")
        ordering = ["-month", "building_id"]
        constraints = [models.UniqueConstraint(fields=["building", "month"], name="uniq_reading_round_per_month")]

    deadlines = (
        DeadlineSpec(
            kind="confirmation",
            states=("open",),
            allowed=on_date("confirm_by"),
            steps=(
                Step(offset=-timedelta(days=1), to=(f"role:{Role.SUPERVISOR}",)),
                Step(offset=timedelta(days=1), to=(f"role:{Role.SUPERVISOR}",), escalation=True),
            ),
        ),
    )
    desk_detail = "desk:tenants:round_detail"
    deadline_select_related = ("building",)

    def __str__(self) -> str:
        return f"{self.building} {self.month:%Y-%m}"

    @transition(
        field="status",
        source=Status.OPEN,
        target=Status.CONFIRMED,
        permission=SUPERVISOR,
        conditions=[_no_held_readings],
        custom={
            "label": _("Confirm round"),
            "event": "confirmed",
            "event_label": _("Reading round confirmed"),
            "confirm": _("Confirm the round? Its readings are then billed."),
            "style": "success",
        },
    )
    def confirm(self, by=None):
        pass


class MeterReading(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        ENTERED = "entered", _("Entered")
        HELD = "held", _("Held for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")

    class Source(models.TextChoices):
        ROUND = "round", _("Reading round")
        MOVE_IN = "move_in", _("Move-in handover")
        MOVE_OUT = "move_out", _("Move-out inspection")
        REPLACEMENT = "replacement", _("Meter replacement")

    meter = models.ForeignKey(Meter, verbose_name=_("meter"), on_delete=models.PROTECT, related_name="readings")
    reading_round = models.ForeignKey(
        ReadingRound,
        verbose_name=_("reading round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="readings",
    )
    source = models.CharField(_("source"), max_length=12, choices=Source, default=Source.ROUND)
    read_on = models.DateField(_("read on"))
    value = meter_value(_("reading"))
    replacement = models.BooleanField(
        _("meter replaced"), default=False, help_text=_("A new meter: its reading starts a new series.")
    )
    # The reading this one is counted from (none: the first of its series).
    previous = models.ForeignKey(
        "self", verbose_name=_("previous reading"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consumption = models.DecimalField(_("consumption"), max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ENTERED, db_index=True)
    hold_reason = models.CharField(_("reason held"), max_length=200, blank=True)
    photo = models.ForeignKey(
        "attachments.Attachment",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("read by"), on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("meter reading")
        verbose_name_plural = _("meter readings")
        ordering = ["meter_id", "-read_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meter", "reading_round"],
                condition=Q(reading_round__isnull=False),
                name="uniq_reading_per_meter_and_round",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="meter_reading_not_negative"),
            # Negative consumption is never stored: a lower value is a replaced meter or a typo.
            models.CheckConstraint(
                condition=Q(consumption__isnull=True) | Q(consumption__gte=0) | Q(status="held"),
                name="meter_consumption_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["meter", "-read_on", "-id"], name="meter_reading_series_idx"),
            models.Index(fields=["reading_round", "status"], name="meter_reading_round_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.meter} {self.read_on}: {self.value}"

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD
