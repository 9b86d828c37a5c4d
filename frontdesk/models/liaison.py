"""Tenant liaison 业户走访, follow-up items 跟进事项 and emergency records 应急事件.

- ``ActionItem``: a thing to do, with an owner (a staff user) and a due time, attached to any
  record (a need raised on a visit, an emergency's follow-up). A kernel deadline runs while it
  is open: the owner is reminded before, the supervisors are told once it is overdue. Not to be
  confused with the kernel's return visits (``jinyuan.followups``, 回访 with satisfaction).
- ``VisitPlan``: "every tenant (of a building) once every N months", with the clerk responsible.
- ``Visit``: one liaison visit to a company: when, by whom, whom they met (staff-only), the
  channel, the topics and the impression; each need raised becomes an ``ActionItem``.
- ``Emergency``: an emergency on the premises, who responded and what was done, closed with a
  summary by the supervisor; ``EmergencyLink`` ties it to any other record (a repair ticket,
  an announcement), by content type and id.
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import DESK_ROLES, Role
from jinyuan.records import OnAnyRecord
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import DESK, SUPERVISOR

# The follow-up item's deadline: its owner is reminded this long before the due time, the
# supervisors are told this long after it (once each: the kernel's scan).
ITEM_REMINDER_BEFORE = dt.timedelta(hours=4)
ITEM_ESCALATION_AFTER = dt.timedelta(hours=1)
ITEM_DEADLINE = "action_item"
# The longest text of a follow-up item (a need in a sentence or two).
ITEM_TEXT_MAX = 300


def owner_or_desk(instance: "ActionItem", user: Any) -> bool:
    """The item's owner (whatever their role), or the desk and supervisors."""
    if not (user and user.is_authenticated):
        return False
    return user.pk == instance.owner_id or user.has_role(*DESK_ROLES)


def item_due(item: "ActionItem", now: dt.datetime) -> dt.datetime:
    return item.due_at


class ActionItem(DeadlineLinks, OnAnyRecord, Application):
    """跟进事项: one thing to do for a record, by its owner, before its due time."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("follow-up item", "Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    audit_prefix = "action_item"
    desk_detail = "desk:frontdesk:action_item_detail"
    event_labels = {"created": _("Follow-up item created")}
    deadlines = (
        DeadlineSpec(
            kind=ITEM_DEADLINE,
            states=("open",),
            allowed=item_due,
            steps=(
                Step(offset=-ITEM_REMINDER_BEFORE, to=("field:owner",)),
                Step(offset=ITEM_ESCALATION_AFTER, to=("role:supervisor",), escalation=True),
            ),
        ),
    )

    status = FSMField(_("status"), max_length=10, choices=Status, default=Status.OPEN, db_index=True)
    text = models.CharField(_("what is to be done"), max_length=ITEM_TEXT_MAX)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_at = models.DateTimeField(_("due by"))
    # The company that raised it (a visit's need): its portal shows the item's status.
    tenant = models.ForeignKey(
        "tenants.Tenant",
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    outcome = models.TextField(_("what was done"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="action_item_record_idx"),
            # The worklists: open items by due time, an owner's own.
            models.Index(fields=["owner", "due_at"], condition=Q(status="open"), name="action_item_owner_open_idx"),
            models.Index(fields=["due_at", "id"], condition=Q(status="open"), name="action_item_open_idx"),
            models.Index(fields=["tenant", "due_at"], name="action_item_tenant_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_at__isnull=False), name="action_item_closed_has_time"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_at < timezone.now()

    @transition(
        field="status",
        source=Status.OPEN,
        target=Status.DONE,
        permission=owner_or_desk,
        custom={
            "label": _("Mark done"),
            "event": "done",
            "event_label": _("Follow-up item done"),
            "needs_note": True,
            "style": "success",
        },
    )
    def complete(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.OPEN,
        target=Status.CANCELLED,
        permission=DESK,
        custom={
            "label": _("Cancel the item"),
            "event": "cancelled",
            "event_label": _("Follow-up item cancelled"),
            "needs_note": True,
            "style": "outline-danger",
        },
    )
    def cancel(self, by=None):
        pass


class VisitPlan(models.Model):
    """A visit plan: every occupying tenant (of one building, or all) once every
    ``period_months`` months, periods counted from the month the plan starts."""

    name = models.CharField(_("name"), max_length=60)
    period_months = models.PositiveSmallIntegerField(
        _("period (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Each tenant is visited once in every period: 3 for once a quarter."),
    )
    building = models.ForeignKey(
        "tenants.Building",
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the tenants of every building."),
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("clerk responsible"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("starts on"), help_text=_("Periods run from the first day of this month."))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        ordering = ["-is_active", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_months__gte=1, period_months__lte=12), name="visit_plan_period_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def period_of(self, day: dt.date) -> tuple[dt.date, dt.date]:
        """The period ``[start, end)`` that ``day`` falls in (the first one before the plan starts)."""
        first = self.starts_on.replace(day=1)
        months = max((day.year - first.year) * 12 + day.month - first.month, 0)
        start = add_months(first, months - months % self.period_months)
        return start, add_months(start, self.period_months)


def add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


class Visit(Application):
    """业户走访: one liaison visit (or call) to a company."""

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        VOIDED = "voided", _("Voided")

    class Channel(models.TextChoices):
        ON_SITE = "on_site", _("On site at the company")
        AT_DESK = "at_desk", _("At the service desk")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video call")
        OTHER = "other", _("Other")

    class Impression(models.TextChoices):
        VERY_SATISFIED = "very_satisfied", _("Very satisfied")
        SATISFIED = "satisfied", _("Satisfied")
        NEUTRAL = "neutral", _("Neutral")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    audit_prefix = "liaison_visit"
    event_labels = {"recorded": _("Visit recorded")}

    status = FSMField(_("status"), max_length=10, choices=Status, default=Status.RECORDED, db_index=True)
    tenant = models.ForeignKey(
        "tenants.Tenant", verbose_name=_("company"), on_delete=models.PROTECT, related_name="liaison_visits"
    )
    plan = models.ForeignKey(
        VisitPlan, verbose_name=_("visit plan"), null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    visited_at = models.DateTimeField(_("visited at"))
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("visited by"), related_name="+")
    # Whom they met: staff-only (the portal never shows it).
    met_name = models.CharField(_("met (name)"), max_length=40)
    met_title = models.CharField(_("met (title)"), max_length=40, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.ON_SITE)
    topics = models.TextField(_("topics discussed"), max_length=2000)
    impression = models.CharField(_("overall impression"), max_length=20, choices=Impression, blank=True)

    class Meta:
        verbose_name = _("liaison visit")
        verbose_name_plural = _("liaison visits")
        ordering = ["-visited_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "-visited_at"], name="visit_tenant_idx"),
            models.Index(fields=["-visited_at", "-id"], name="visit_when_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.tenant_id and self.tenant} {timezone.localtime(self.visited_at):%Y-%m-%d}"

    @transition(
        field="status",
        source=Status.RECORDED,
        target=Status.VOIDED,
        permission=DESK,
        custom={
            "label": _("Void the visit"),
            "event": "voided",
            "event_label": _("Visit voided"),
            "needs_note": True,
            "style": "outline-danger",
            "confirm": _("Void this visit? It stays on file, marked void."),
        },
    )
    def void(self, by=None):
        pass


class Emergency(Application):
    """应急事件: an emergency on the premises and what was done about it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being handled")
        CLOSED = "closed", _("Closed")
        VOIDED = "voided", _("Voided")

    class Kind(models.TextChoices):
        FIRE_ALARM = "fire_alarm", _("Fire alarm")
        WATER_LEAK = "water_leak", _("Water leak")
        POWER_OUTAGE = "power_outage", _("Power outage")
        ELEVATOR = "elevator", _("Elevator entrapment")
        INJURY = "injury", _("Injury or illness")
        SECURITY = "security", _("Security incident")
        GAS = "gas", _("Gas or smell")
        OTHER = "other", _("Other")

    audit_prefix = "emergency"
    desk_detail = "desk:frontdesk:emergency_detail"  # its link in the management log
    event_labels = {
        "reported": _("Emergency recorded"),
        "updated": _("Response updated"),
        "ticket_created": _("Repair ticket created"),
        "linked": _("Record linked"),
    }

    status = FSMField(_("status"), max_length=10, choices=Status, default=Status.OPEN, db_index=True)
    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, db_index=True)
    occurred_at = models.DateTimeField(_("happened at"))
    building = models.ForeignKey(
        "tenants.Building", verbose_name=_("building"), on_delete=models.PROTECT, related_name="+"
    )
    floor = models.ForeignKey(
        "tenants.Floor", verbose_name=_("floor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=100, blank=True, help_text=_("e.g. men's toilet, 12F east"))
    description = models.TextField(_("what happened"), max_length=2000)
    responders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff who responded"), related_name="+", blank=True
    )
    outside_help = models.CharField(
        _("outside help"), max_length=200, blank=True, help_text=_("e.g. 119 fire brigade, 120 ambulance, 110 police")
    )
    actions = models.TextField(_("actions taken"), max_length=4000, blank=True)
    tenants = models.ManyToManyField("tenants.Tenant", verbose_name=_("tenants affected"), related_name="+", blank=True)
    summary = models.TextField(_("closing summary"), max_length=2000, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("emergency record")
        verbose_name_plural = _("emergency records")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["-occurred_at", "-id"], name="emergency_when_idx"),
            models.Index(fields=["building", "-occurred_at"], name="emergency_building_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_at__isnull=False) & ~Q(summary="")),
                name="emergency_closed_has_summary",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def place_text(self) -> str:
        parts = [self.building.name if self.building_id else ""]
        if self.floor_id:
            parts.append(self.floor.label or f"{self.floor.number}F")
        parts.append(self.place)
        return " · ".join(p for p in parts if p)

    @transition(
        field="status",
        source=Status.OPEN,
        target=Status.CLOSED,
        permission=SUPERVISOR,
        custom={
            "label": _("Close with a summary"),
            "event": "closed",
            "event_label": _("Emergency closed"),
            "needs_note": True,
        },
    )
    def close(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.OPEN,
        target=Status.VOIDED,
        permission=SUPERVISOR,
        custom={
            "label": _("Void (recorded by mistake)"),
            "event": "voided",
            "event_label": _("Emergency record voided"),
            "needs_note": True,
            "style": "outline-danger",
            "confirm": _("Void this emergency record? It stays on file, marked void."),
        },
    )
    def void(self, by=None):
        pass


class EmergencyLink(OnAnyRecord):
    """A record linked to an emergency (a repair ticket made for it, an announcement sent about
    it): any model, by content type and id; its kind is registered in
    ``frontdesk.emergency_links``."""

    emergency = models.ForeignKey(
        Emergency, verbose_name=_("emergency"), on_delete=models.PROTECT, related_name="links"
    )
    kind = models.CharField(_("kind"), max_length=30)
    label = models.CharField(_("record"), max_length=120)
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("linked record")
        verbose_name_plural = _("linked records")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["emergency", "content_type", "object_id"], name="uniq_emergency_link"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="emergency_link_record_idx")]

    def __str__(self) -> str:
        return self.label


# Who records emergencies and visits: the desk and supervisors; security records emergencies too.
EMERGENCY_ROLES = (*DESK_ROLES, Role.SECURITY)
