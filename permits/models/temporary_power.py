"""临时用电: temporary-power permits."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import DESK_ROLES, SUPERVISOR_ROLES, Role
from jinyuan.documents.models import Document
from jinyuan.phones import validate_phone
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import roles
from tenants.models import TenantOwned

# Temporary power belongs to a company's works: the portal area renovation registers.
POWER_AREA = "renovation"
# Engineering runs the permit; supervisors may do whatever engineering does.
ENGINEERING = roles(Role.ENGINEERING, *SUPERVISOR_ROLES)
ENGINEERING_OR_DESK = roles(Role.ENGINEERING, *DESK_ROLES)
# Overdue switch-off: engineering is told at the period's end and an hour later; the
# supervisor four hours after the end.
OVERDUE_REMIND_AFTER = dt.timedelta(hours=1)
OVERDUE_ESCALATE_AFTER = dt.timedelta(hours=4)


def member_or_desk(instance: "TemporaryPower", user) -> bool:
    """The company's members who may open its works (admins always), or the desk for it."""
    from tenants import grants

    if user and user.is_authenticated and user.has_role(*DESK_ROLES):
        return True
    return grants.member_may_open(user, instance.tenant_id, POWER_AREA)


def period_end(permit: "TemporaryPower", now: dt.datetime) -> dt.datetime:
    return permit.ends_at


class TemporaryPower(DeadlineLinks, TenantOwned, Application):
    """临时用电: a temporary connection from a unit's (or a public place's) distribution board
    for a period, by a certified electrician.

    Engineering approves it (the numbered paper with QR, posted at the board, is issued then),
    inspects the wiring, switches on (meter start reading, or no meter) and off (end reading);
    the fee is billed at switch-off: metered kWh × rate, or without a meter load × started
    hours × rate. Still switched on after the period's end: the ``switch_off`` deadline tells
    engineering, then the supervisor.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for engineering")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved, wiring to inspect")
        INSPECTED = "inspected", _("Wiring inspected, to switch on")
        SWITCHED_ON = "switched_on", _("Switched on")
        SWITCHED_OFF = "switched_off", _("Switched off, fee billed")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Voltage(models.IntegerChoices):
        V220 = 220, "220 V"
        V380 = 380, "380 V"

    class Phases(models.IntegerChoices):
        SINGLE = 1, _("Single phase")
        THREE = 3, _("Three phase")

    # What the wiring inspection ticks (each must be ticked to pass).
    CHECKLIST = (
        ("board", _("Temporary board with residual-current breaker (≤ 30 mA)")),
        ("cables", _("Cables rated for the load, undamaged, off the floor and away from water")),
        ("earthing", _("Earthing connected and tested")),
        ("tap_point", _("Connected at the tap point engineering named, breaker sized to the load")),
        ("signs", _("Warning signs posted; the permit posted at the board")),
    )
    OPEN = (Status.SUBMITTED, Status.RETURNED)
    LIVE = (Status.APPROVED, Status.INSPECTED, Status.SWITCHED_ON)

    audit_prefix = "temporary_power"
    event_labels = {
        "submitted": _("Temporary power applied for"),
        "billed": _("Temporary power fee billed"),
    }

    deadlines = (
        DeadlineSpec(
            kind="switch_off",
            states=("switched_on",),
            allowed=period_end,
            steps=(
                Step(to=(f"role:{Role.ENGINEERING}",)),
                Step(offset=OVERDUE_REMIND_AFTER, to=(f"role:{Role.ENGINEERING}",)),
                Step(offset=OVERDUE_ESCALATE_AFTER, to=(f"role:{Role.SUPERVISOR}",), escalation=True),
            ),
        ),
    )
    # The label reads the place (the unit's number).
    deadline_select_related = ("tenant", "unit")
    desk_detail = "desk:permits:power_detail"
    portal_detail = "portal:permits:power_detail"

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.SUBMITTED, db_index=True)
    unit = models.ForeignKey(
        "tenants.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: a public location, described below."),
    )
    location = models.CharField(_("public location"), max_length=100, blank=True)
    renovation = models.ForeignKey(
        "renovation.Renovation",
        verbose_name=_("renovation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    load_kw = models.DecimalField(_("load (kW)"), max_digits=7, decimal_places=1)
    voltage = models.PositiveSmallIntegerField(_("voltage"), choices=Voltage)
    phases = models.PositiveSmallIntegerField(_("phases"), choices=Phases)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    electrician_name = models.CharField(_("electrician"), max_length=40)
    certificate_number = models.CharField(_("electrician's certificate number"), max_length=40)
    certificate_expiry = models.DateField(_("certificate valid until"))
    phone = models.CharField(_("phone"), max_length=20, validators=[validate_phone])
    document = models.OneToOneField(
        Document, verbose_name=_("permit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checklist = models.JSONField(_("wiring checklist"), default=list, blank=True)
    inspection_note = models.CharField(_("inspection note"), max_length=500, blank=True)
    has_meter = models.BooleanField(_("metered"), default=True)
    meter_start = models.DecimalField(_("meter start reading (kWh)"), max_digits=12, decimal_places=1, null=True)
    meter_end = models.DecimalField(_("meter end reading (kWh)"), max_digits=12, decimal_places=1, null=True)
    switched_on_at = models.DateTimeField(_("switched on at"), null=True, blank=True)
    switched_off_at = models.DateTimeField(_("switched off at"), null=True, blank=True)
    fee = models.DecimalField(_("fee (CNY)"), max_digits=10, decimal_places=2, null=True, blank=True)
    bill = models.ForeignKey(
        "billing.Bill", verbose_name=_("bill"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("engineer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("temporary-power permit")
        verbose_name_plural = _("temporary-power permits")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "-created_at", "-id"], name="power_tenant_idx"),
            models.Index(fields=["-created_at", "-id"], name="power_created_idx"),
            models.Index(
                fields=["starts_at"],
                condition=Q(status__in=["approved", "inspected", "switched_on"]),
                name="power_live_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="power_period_order"),
            models.CheckConstraint(condition=Q(load_kw__gt=0), name="power_load_positive"),
            models.CheckConstraint(condition=Q(unit__isnull=False) | ~Q(location=""), name="power_unit_or_location"),
        ]

    def __str__(self) -> str:
        return self.document.number if self.document_id and self.document else f"#{self.pk}"

    @property
    def place(self) -> str:
        if self.unit_id:
            return f"{self.unit.number} {self.location}".strip()
        return self.location

    @property
    def is_overdue(self) -> bool:
        """Still switched on after the period's end."""
        return self.status == self.Status.SWITCHED_ON and self.ends_at <= timezone.now()

    @property
    def consumed_kwh(self):
        if self.has_meter and self.meter_start is not None and self.meter_end is not None:
            return self.meter_end - self.meter_start
        return None

    @property
    def checklist_labels(self) -> list[str]:
        labels = dict(self.CHECKLIST)
        return [str(labels.get(code, code)) for code in self.checklist or []]

    @property
    def deadline_label(self) -> str:
        return f"{_('Temporary power')} {self.place or self.pk} · {self.tenant.name}"

    # Declared transitions; side effects (paper, bill, notices) are in permits.temporary_power.
    @transition(
        field="status",
        source=Status.SUBMITTED,
        target=Status.APPROVED,
        permission=ENGINEERING,
        custom={
            "label": _("Approve"),
            "event": "approved",
            "event_label": _("Approved by engineering"),
            "style": "success",
        },
    )
    def approve(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.SUBMITTED,
        target=Status.RETURNED,
        permission=ENGINEERING,
        custom={
            "label": _("Return for correction"),
            "event": "returned",
            "event_label": _("Returned for correction"),
            "style": "warning",
            "needs_note": True,
        },
    )
    def send_back(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.RETURNED,
        target=Status.SUBMITTED,
        permission=member_or_desk,
        custom={"event": "resubmitted", "event_label": _("Corrected and submitted again")},
    )
    def resubmit(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.SUBMITTED, Status.RETURNED],
        target=Status.REJECTED,
        permission=ENGINEERING,
        custom={
            "label": _("Reject"),
            "event": "rejected",
            "event_label": _("Rejected by engineering"),
            "style": "danger",
            "needs_note": True,
        },
    )
    def reject(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.INSPECTED],
        target=Status.WITHDRAWN,
        permission=member_or_desk,
        custom={
            "label": _("Withdraw"),
            "event": "withdrawn",
            "event_label": _("Withdrawn"),
            "confirm": _("Withdraw this temporary-power application? The permit stops at once."),
            "style": "outline-secondary",
        },
    )
    def withdraw(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.APPROVED,
        target=Status.INSPECTED,
        permission=ENGINEERING,
        custom={"event": "inspected", "event_label": _("Wiring inspected")},
    )
    def inspect(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.INSPECTED,
        target=Status.SWITCHED_ON,
        permission=ENGINEERING,
        custom={"event": "switched_on", "event_label": _("Switched on")},
    )
    def switch_on(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.SWITCHED_ON,
        target=Status.SWITCHED_OFF,
        permission=ENGINEERING,
        custom={"event": "switched_off", "event_label": _("Switched off")},
    )
    def switch_off(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.SWITCHED_OFF,
        target=Status.CLOSED,
        permission=ENGINEERING_OR_DESK,
        custom={"label": _("Close"), "event": "closed", "event_label": _("Closed"), "style": "secondary"},
    )
    def close(self, by=None):
        pass
