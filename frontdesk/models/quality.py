"""Quality checks 品质检查: the customer-service department's supervision of the security
(秩序部), engineering (工程部) and cleaning (保洁) services.

- ``CheckSheet``: a department's check sheet 检查表, kept by supervisors in the admin, with its
  ``CheckItem`` rows (a standard, a weight, a score range and a pass mark). Once a check used a
  sheet its items are frozen (the admin shows them read-only and offers "copy as a new
  version"); and each check copies what it scored against anyway (``CheckScore``), so no edit
  of a sheet ever changes a past check's scores or total.
- ``QualityCheck``: one check of a sheet at a time and place by an inspector, its scores and
  its weighted total (0–100), computed and stored at submit.
- ``NonConformity`` 不合格项: an item below its pass mark (or marked so) with a responsible
  department and person and a rectification deadline (the kernel's, declared here); the
  rectification is re-checked: passed closes it, failed opens it again with a new deadline.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import DESK_ROLES, Role
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step
from jinyuan.workflow.models import Application, ChoiceLabels
from jinyuan.workflow.permissions import DESK, SUPERVISOR

RECTIFICATION_DEADLINE = "rectification"
# The responsible person is reminded this long before the rectification is due; the
# supervisors are told this long after it is missed (once each: the kernel's scan).
RECTIFY_REMINDER_BEFORE = dt.timedelta(hours=8)
RECTIFY_ESCALATION_AFTER = dt.timedelta(hours=1)
# Who a rectification reminder goes to: the responsible person, else the staff of the
# department's role (frontdesk.quality_menus registers the resolver).
RESPONSIBLE_RECIPIENTS = "nonconformity_responsible"
SCORE_MAX_DIGITS = 4  # scores up to 999.9
TOTAL_PLACES = Decimal("0.01")


class Department(models.TextChoices):
    SECURITY = "security", _("Security")
    ENGINEERING = "engineering", _("Engineering")
    CLEANING = "cleaning", _("Cleaning")


# The staff role whose members answer for a department's non-conformities (cleaning is a
# contractor's: the desk and supervisors follow its rectification).
DEPARTMENT_ROLES: dict[str, Role] = {
    Department.SECURITY: Role.SECURITY,
    Department.ENGINEERING: Role.ENGINEERING,
}


class CheckSheet(models.Model):
    """检查表: a department's scored items; a check copies them when it is scored."""

    name = models.CharField(_("name"), max_length=80)
    department = models.CharField(_("department"), max_length=12, choices=Department.choices, db_index=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    rectify_days = models.PositiveSmallIntegerField(
        _("days to rectify"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("The default rectification deadline of a non-conformity found with this sheet."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("check sheet")
        verbose_name_plural = _("check sheets")
        ordering = ["department", "name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="quality_sheet_name_version"),
            models.CheckConstraint(condition=Q(rectify_days__gte=1), name="quality_sheet_rectify_days"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_used(self) -> bool:
        return QualityCheck.objects.filter(sheet=self).exists()


class CheckItem(models.Model):
    """One scored item of a sheet: the standard, its weight and its score range."""

    sheet = models.ForeignKey(CheckSheet, verbose_name=_("check sheet"), on_delete=models.PROTECT, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("standard"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1, validators=[MinValueValidator(1)])
    min_score = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=10)
    pass_score = models.PositiveSmallIntegerField(
        _("pass mark"), default=6, help_text=_("A score below this is a non-conformity.")
    )

    class Meta:
        verbose_name = _("check item")
        verbose_name_plural = _("check items")
        ordering = ["sheet", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1), name="quality_item_weight"),
            models.CheckConstraint(
                condition=Q(max_score__gt=F("min_score")),
                name="quality_item_range",
                violation_error_message=_("The highest score must be above the lowest."),
            ),
            models.CheckConstraint(
                condition=Q(pass_score__gte=F("min_score"), pass_score__lte=F("max_score")),
                name="quality_item_pass_in_range",
                violation_error_message=_("The pass mark must lie between the lowest and the highest score."),
            ),
        ]

    def __str__(self) -> str:
        return self.text


class QualityCheck(ChoiceLabels, models.Model):
    """品质检查: one check of a sheet; its total is the weighted score (0–100), stored."""

    audit_prefix = "quality_check"
    event_labels = {"submitted": _("Quality check submitted")}

    number = models.CharField(_("number"), max_length=20, unique=True)
    sheet = models.ForeignKey(CheckSheet, verbose_name=_("check sheet"), on_delete=models.PROTECT, related_name="+")
    department = models.CharField(_("department"), max_length=12, choices=Department.choices)
    checked_at = models.DateTimeField(_("checked at"))
    location = models.CharField(_("area / location"), max_length=100)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    total = models.DecimalField(
        _("total score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    failed_items = models.PositiveSmallIntegerField(_("non-conforming items"), default=0)
    # The form's own key: a second submit of the same form (a phone on a poor network, a
    # double tap) finds this check instead of recording it twice.
    submit_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quality check")
        verbose_name_plural = _("quality checks")
        ordering = ["-checked_at", "-id"]
        indexes = [
            models.Index(fields=["checked_at", "id"], name="quality_check_at_idx"),
            models.Index(fields=["department", "checked_at"], name="quality_check_dept_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0, total__lte=100), name="quality_check_total_range"),
        ]

    def __str__(self) -> str:
        return self.number


class CheckScore(models.Model):
    """A check's score of one item, with the item as it stood then (text, weight, range)."""

    check_record = models.ForeignKey(
        QualityCheck, verbose_name=_("quality check"), on_delete=models.PROTECT, related_name="scores"
    )
    item = models.ForeignKey(CheckItem, verbose_name=_("check item"), on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("standard"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight"))
    min_score = models.PositiveSmallIntegerField(_("lowest score"))
    max_score = models.PositiveSmallIntegerField(_("highest score"))
    pass_score = models.PositiveSmallIntegerField(_("pass mark"))
    score = models.DecimalField(_("score"), max_digits=SCORE_MAX_DIGITS, decimal_places=1)
    nonconforming = models.BooleanField(_("non-conforming"), default=False)
    remark = models.CharField(_("remark"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("check score")
        verbose_name_plural = _("check scores")
        ordering = ["check_record", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["check_record", "item"], name="quality_score_once_per_item"),
            models.CheckConstraint(
                condition=Q(score__gte=F("min_score"), score__lte=F("max_score")), name="quality_score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text}: {self.score}"

    @property
    def percent(self) -> Decimal:
        span = self.max_score - self.min_score
        return ((self.score - self.min_score) * 100 / span).quantize(TOTAL_PLACES)


def may_rectify(instance: "NonConformity", user: Any) -> bool:
    """The responsible person, the department's staff, or the desk and supervisors."""
    if not (user and user.is_authenticated):
        return False
    if user.pk == instance.responsible_id or user.has_role(*DESK_ROLES):
        return True
    role = DEPARTMENT_ROLES.get(instance.department)
    return role is not None and user.has_role(role)


def rectification_due(obj: "NonConformity", now: dt.datetime) -> dt.datetime:
    return obj.due_at


class NonConformity(DeadlineLinks, Application):
    """不合格项: rectified by the responsible department by its deadline, then re-checked."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("non-conformity", "Open")
        RECTIFIED = "rectified", _("Rectified, awaiting re-check")
        CLOSED = "closed", pgettext_lazy("non-conformity", "Closed")
        VOID = "void", _("Void")

    audit_prefix = "nonconformity"
    desk_detail = "desk:frontdesk:nonconformity_detail"
    deadline_select_related = ("score",)
    event_labels = {"opened": _("Non-conformity opened")}
    deadlines = (
        DeadlineSpec(
            kind=RECTIFICATION_DEADLINE,
            states=("open",),
            allowed=rectification_due,
            steps=(
                Step(offset=-RECTIFY_REMINDER_BEFORE, to=(RESPONSIBLE_RECIPIENTS,)),
                Step(to=(RESPONSIBLE_RECIPIENTS, "role:supervisor")),
                Step(offset=RECTIFY_ESCALATION_AFTER, to=("role:supervisor",), escalation=True),
            ),
        ),
    )

    number = models.CharField(_("number"), max_length=20, unique=True)
    status = FSMField(_("status"), max_length=10, choices=Status, default=Status.OPEN, db_index=True)
    check_record = models.ForeignKey(
        QualityCheck, verbose_name=_("quality check"), on_delete=models.PROTECT, related_name="nonconformities"
    )
    score = models.OneToOneField(
        CheckScore, verbose_name=_("item"), on_delete=models.PROTECT, related_name="nonconformity"
    )
    department = models.CharField(_("responsible department"), max_length=12, choices=Department.choices)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("what is wrong"), max_length=300)
    due_at = models.DateTimeField(_("rectify by"))
    rectification = models.TextField(_("rectification"), max_length=1000, blank=True)
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    rechecks = models.PositiveSmallIntegerField(_("re-checks"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("non-conformity")
        verbose_name_plural = _("non-conformities")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status"], name="quality_nc_dept_status_idx"),
            models.Index(fields=["due_at", "id"], condition=Q(status="open"), name="quality_nc_open_due_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def deadline_label(self) -> str:
        return f"{self.number} {self.score.text[:40]}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_at < timezone.now()

    @transition(
        field="status",
        source=Status.OPEN,
        target=Status.RECTIFIED,
        permission=may_rectify,
        custom={
            "label": _("Record the rectification"),
            "event": "rectified",
            "event_label": _("Non-conformity rectified"),
            "needs_note": True,
            "style": "success",
        },
    )
    def rectify(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.RECTIFIED,
        target=Status.CLOSED,
        permission=DESK,
        custom={
            "label": _("Re-check passed"),
            "event": "closed",
            "event_label": _("Re-check passed, non-conformity closed"),
            "style": "success",
        },
    )
    def recheck_pass(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.RECTIFIED,
        target=Status.OPEN,
        permission=DESK,
        custom={
            "label": _("Re-check failed"),
            "event": "reopened",
            "event_label": _("Re-check failed, rectification again"),
            "needs_note": True,
            "style": "outline-danger",
        },
    )
    def recheck_fail(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.OPEN, Status.RECTIFIED],
        target=Status.VOID,
        permission=SUPERVISOR,
        custom={
            "label": _("Void the non-conformity"),
            "event": "voided",
            "event_label": _("Non-conformity voided"),
            "needs_note": True,
            "style": "outline-danger",
            "confirm": _("Void this non-conformity?"),
        },
    )
    def void(self, by=None):
        pass
