"""Patrols 巡视: points with a QR label, routes of ordered stops with their checklist, plans that
create the day's tasks, and each task's point checks.

- ``PatrolPoint``: a place a guard must pass (巡视点), with a random ``code`` printed as a QR
  label; the QR opens the point's scan page at the desk (a code typed by hand works too).
- ``PatrolRoute`` and ``PatrolStop``: the points of a route in order, each with its checklist
  items (消防通道畅通, 照明正常 ...), one item a line.
- ``PatrolPlan`` and ``PatrolWindow``: who walks a route, in which windows (08:40-10:30 ...),
  every day or on working days of the kernel's working calendar.
- ``PatrolTask``: one window of one plan on one day, created once (unique plan, day, window)
  by the beat task; its route's points are copied onto it (``points``), so a route changed
  later does not rewrite past tasks. A transfer keeps the first assignee and the reason.
- ``PatrolCheck``: one point checked on a task (unique task, point): each item normal or
  abnormal, a note, whether it came late or out of order; an abnormal check is a finding and
  may become one repair ticket (its ``source``).
"""

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import DESK_ROLES, Role
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step
from jinyuan.workflow.models import Application

# Who walks patrols and opens their own tasks; the desk and supervisors see every task.
PATROL_ROLES = (Role.SECURITY, Role.ENGINEERING)
PATROL_PAGE_ROLES = (*DESK_ROLES, *PATROL_ROLES)
CODE_LENGTH = 10


def new_point_code() -> str:
    """A random label code (not guessable from the id; printed labels never need re-issuing)."""
    return secrets.token_hex(CODE_LENGTH // 2).upper()


class PatrolPoint(models.Model):
    """巡视点: a place on a route, with its QR label."""

    name = models.CharField(_("name"), max_length=60)
    building = models.ForeignKey(
        "tenants.Building", verbose_name=_("building"), on_delete=models.PROTECT, related_name="+"
    )
    floor = models.ForeignKey(
        "tenants.Floor", verbose_name=_("floor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(_("location"), max_length=100, blank=True, help_text=_("e.g. east stairwell, B2"))
    code = models.CharField(_("label code"), max_length=20, unique=True, default=new_point_code, editable=False)
    repair_category = models.ForeignKey(
        "repairs.RepairCategory",
        verbose_name=_("repair category of its findings"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("patrol point")
        verbose_name_plural = _("patrol points")
        ordering = ["building_id", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def place_text(self) -> str:
        parts = [self.building.name]
        if self.floor_id:
            parts.append(self.floor.label or f"{self.floor.number}F")
        parts.append(self.location)
        return " · ".join(p for p in parts if p)


class PatrolRoute(models.Model):
    """巡视路线: points in order."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("patrol route")
        verbose_name_plural = _("patrol routes")
        ordering = ["-is_active", "name", "id"]

    def __str__(self) -> str:
        return self.name


class PatrolStop(models.Model):
    """A point on a route, its place in the order and what is checked there."""

    route = models.ForeignKey(PatrolRoute, verbose_name=_("route"), on_delete=models.PROTECT, related_name="stops")
    point = models.ForeignKey(PatrolPoint, verbose_name=_("point"), on_delete=models.PROTECT, related_name="stops")
    position = models.PositiveSmallIntegerField(_("order"))
    checklist = models.TextField(
        _("checklist items"), max_length=1000, help_text=_("One item a line, e.g. 消防通道畅通, 照明正常.")
    )

    class Meta:
        verbose_name = _("stop")
        verbose_name_plural = _("stops")
        ordering = ["route_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["route", "position"], name="patrol_stop_position_unique"),
            models.UniqueConstraint(fields=["route", "point"], name="patrol_stop_point_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.point_id and self.point}"

    @property
    def items(self) -> list[str]:
        return checklist_items(self.checklist)


def checklist_items(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PatrolPlan(models.Model):
    """巡视计划: a route walked by its assignee in the plan's windows, every day or on working days."""

    class Days(models.TextChoices):
        EVERY_DAY = "every_day", _("Every day")
        WORKING_DAYS = "working_days", _("Working days (working calendar)")

    name = models.CharField(_("name"), max_length=60)
    route = models.ForeignKey(PatrolRoute, verbose_name=_("route"), on_delete=models.PROTECT, related_name="plans")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="+"
    )
    days = models.CharField(_("days"), max_length=20, choices=Days, default=Days.WORKING_DAYS)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("patrol plan")
        verbose_name_plural = _("patrol plans")
        ordering = ["-is_active", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="patrol_plan_dates_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def runs_on(self, day: dt.date, calendar: Any) -> bool:
        if not self.is_active or day < self.starts_on or (self.ends_on and day > self.ends_on):
            return False
        return self.days == self.Days.EVERY_DAY or calendar.is_working_day(day)


class PatrolWindow(models.Model):
    """A time window of a plan (08:40-10:30): one task a day in it."""

    plan = models.ForeignKey(PatrolPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="windows")
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))

    class Meta:
        verbose_name = _("time window")
        verbose_name_plural = _("time windows")
        ordering = ["plan_id", "starts", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="patrol_window_order"),
            models.UniqueConstraint(fields=["plan", "starts"], name="patrol_window_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"


# A task's window is a kernel deadline: the assignee is reminded this long before it ends, the
# supervisors are told once it is over with the task still open (each once: the kernel's scan).
# Met when the task completes within its window (the dashboard's on-time rate).
WINDOW_DEADLINE = "patrol_window"
WINDOW_REMINDER_BEFORE = dt.timedelta(minutes=30)


def window_end(task: "PatrolTask", now: dt.datetime) -> dt.datetime:
    return task.ends_at


def assignee_only(instance: "PatrolTask", user: Any) -> bool:
    return bool(user and user.is_authenticated and user.pk == instance.assignee_id)


def assignee_or_desk(instance: "PatrolTask", user: Any) -> bool:
    return bool(user and user.is_authenticated and (user.pk == instance.assignee_id or user.has_role(*DESK_ROLES)))


class PatrolTask(DeadlineLinks, Application):
    """巡视任务: one window of one plan on one day. ``applicant`` is who created it (the
    scheduler's: the plan's assignee)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To patrol")
        STARTED = "started", _("Patrolling")
        COMPLETED = "completed", _("Completed")
        INCOMPLETE = "incomplete", _("Incomplete (points missed)")
        MISSED = "missed", _("Missed")

    OPEN = (Status.PENDING, Status.STARTED)

    audit_prefix = "patrol_task"
    desk_detail = "desk:frontdesk:patrol_task"
    deadline_select_related = ("route",)
    deadlines = (
        DeadlineSpec(
            kind=WINDOW_DEADLINE,
            states=("pending", "started"),
            allowed=window_end,
            steps=(
                Step(offset=-WINDOW_REMINDER_BEFORE, to=("field:assignee",)),
                Step(offset=dt.timedelta(0), to=("role:supervisor",), escalation=True),
            ),
        ),
    )
    event_labels = {
        "created": _("Patrol task created"),
        "point_checked": _("Point checked"),
        "finding_reported": _("Abnormal finding reported"),
        "ticket_created": _("Repair ticket created"),
        "transferred": _("Patrol task transferred"),
    }

    status = FSMField(_("status"), max_length=12, choices=Status, default=Status.PENDING, db_index=True)
    plan = models.ForeignKey(PatrolPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="tasks")
    window = models.ForeignKey(PatrolWindow, verbose_name=_("time window"), on_delete=models.PROTECT, related_name="+")
    route = models.ForeignKey(PatrolRoute, verbose_name=_("route"), on_delete=models.PROTECT, related_name="tasks")
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("window starts"))
    ends_at = models.DateTimeField(_("window ends"))
    # The route's points in order when the task was made.
    points = ArrayField(models.BigIntegerField(), verbose_name=_("points"))
    points_due = models.PositiveSmallIntegerField(_("points due"))
    points_checked = models.PositiveSmallIntegerField(_("points checked"), default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="+"
    )
    # The first assignee, kept when the task is transferred, and why it was.
    original_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("original assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transfer_reason = models.CharField(_("transfer reason"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("patrol task")
        verbose_name_plural = _("patrol tasks")
        ordering = ["-date", "-starts_at", "-id"]
        indexes = [
            models.Index(fields=["assignee", "date"], name="patrol_task_assignee_idx"),
            models.Index(fields=["-date", "-starts_at", "-id"], name="patrol_task_when_idx"),
            models.Index(
                fields=["ends_at"], condition=Q(status__in=["pending", "started"]), name="patrol_task_open_idx"
            ),
        ]
        constraints = [
            # The scheduler makes each plan's window once a day, however often it runs.
            models.UniqueConstraint(fields=["plan", "date", "window"], name="patrol_task_once"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="patrol_task_window_order"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {timezone.localtime(self.starts_at):%H:%M} {self.route_id and self.route}"

    @property
    def window_text(self) -> str:
        return f"{timezone.localtime(self.starts_at):%H:%M}–{timezone.localtime(self.ends_at):%H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def points_missed(self) -> int:
        """Points not checked once the window is over (none while it runs)."""
        if self.ends_at > timezone.now() and self.status in self.OPEN:
            return 0
        return self.points_due - self.points_checked

    @property
    def rate(self) -> int:
        return round(100 * self.points_checked / self.points_due) if self.points_due else 0

    @transition(
        field="status",
        source=Status.PENDING,
        target=Status.STARTED,
        permission=assignee_only,
        custom={"label": _("Start the patrol"), "event": "started", "event_label": _("Patrol started")},
    )
    def start(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.PENDING, Status.STARTED],
        target=Status.COMPLETED,
        custom={"event": "completed", "event_label": _("Patrol completed")},
    )
    def complete(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.PENDING, Status.STARTED],
        target=Status.INCOMPLETE,
        custom={"event": "incomplete", "event_label": _("Patrol closed with points missed")},
    )
    def close_incomplete(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.PENDING, Status.STARTED],
        target=Status.MISSED,
        custom={"event": "missed", "event_label": _("Patrol missed")},
    )
    def close_missed(self, by=None):
        pass


class PatrolCheck(models.Model):
    """One point checked on a task: each checklist item normal (true) or abnormal (false), a
    note, late or out of order. An abnormal one is a finding (巡视异常)."""

    task = models.ForeignKey(PatrolTask, verbose_name=_("patrol task"), on_delete=models.PROTECT, related_name="checks")
    point = models.ForeignKey(PatrolPoint, verbose_name=_("point"), on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("checked at"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    results = models.JSONField(_("items"), default=dict, blank=True)
    is_abnormal = models.BooleanField(_("abnormal"), default=False)
    note = models.TextField(_("note"), max_length=1000, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    is_out_of_order = models.BooleanField(_("out of order"), default=False)
    repair = models.OneToOneField(
        "repairs.RepairTicket",
        verbose_name=_("repair ticket"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("point check")
        verbose_name_plural = _("point checks")
        ordering = ["checked_at", "id"]
        indexes = [
            models.Index(fields=["-checked_at", "-id"], condition=Q(is_abnormal=True), name="patrol_finding_idx"),
            # The desk home's count of findings still without a ticket (every desk home view):
            # a few rows, not a scan of a year's 200,000 checks (42 ms).
            models.Index(
                fields=["id"], condition=Q(is_abnormal=True, repair__isnull=True), name="patrol_open_finding_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["task", "point"], name="patrol_check_once"),
            models.CheckConstraint(condition=Q(is_abnormal=False) | ~Q(note=""), name="patrol_finding_has_note"),
        ]

    def __str__(self) -> str:
        return f"{self.point_id and self.point} {timezone.localtime(self.checked_at):%Y-%m-%d %H:%M}"

    @property
    def abnormal_items(self) -> list[str]:
        return [item for item, ok in self.results.items() if not ok]
