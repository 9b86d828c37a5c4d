"""动火作业: hot-work permits (消防法 art.21; 公安部令61 art.20)."""

import datetime as dt
import math
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import SUPERVISOR_ROLES, Role
from jinyuan.documents.models import Document
from jinyuan.phones import validate_phone
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import roles
from tenants.models import TenantOwned

# The portal area a company's admin opens to the staff who apply for hot work.
HOT_WORK_AREA = "hot_work"
# What the deadline step at the window's end does (permits.hot_work.expire_due).
HOT_WORK_EXPIRE_ACTION = "permits.hot_work_expire"

MAX_WINDOW = dt.timedelta(hours=8)
FIRE_WATCH = dt.timedelta(minutes=30)
# One 2 kg extinguisher per started 50 m² of the area stated, at least one.
AREA_PER_EXTINGUISHER = Decimal("50")
# How long before the window's start the on-site check may be recorded.
CHECK_BEFORE_START = dt.timedelta(hours=2)


def extinguishers_needed(area) -> int:
    if area is None:
        return 1
    return max(1, math.ceil(Decimal(area) / AREA_PER_EXTINGUISHER))


class Measure(models.TextChoices):
    """The measures the company declares and the on-site check ticks (all required)."""

    COMBUSTIBLES_CLEARED = "combustibles_cleared", _("Combustibles cleared from the area")
    COVER = "cover", _("Non-combustible cover or fire blanket in place")
    DETECTORS_ISOLATED = "detectors_isolated", _("Smoke detectors isolated (restored afterwards)")


class SiteCheck(models.TextChoices):
    """What the on-site check before the start ticks item by item, on a phone."""

    COMBUSTIBLES_CLEARED = "combustibles_cleared", _("Combustibles cleared from the area")
    COVER = "cover", _("Non-combustible cover or fire blanket in place")
    DETECTORS_ISOLATED = "detectors_isolated", _("Smoke detectors isolated")
    EXTINGUISHERS = "extinguishers", _("Extinguishers in place, as many as the permit says")
    FIRE_WATCH_PRESENT = "fire_watch_present", _("Fire watch present with the permit")
    CERTIFICATE_SEEN = "certificate_seen", _("Operator's welder certificate seen and valid")


def staff_on_site(*extra: Role):
    return roles(Role.SECURITY, Role.ENGINEERING, *SUPERVISOR_ROLES, *extra)


ENGINEERING_REVIEW = roles(Role.ENGINEERING, *SUPERVISOR_ROLES)
SECURITY_REVIEW = roles(Role.SECURITY, *SUPERVISOR_ROLES)
REVIEWERS = roles(Role.ENGINEERING, Role.SECURITY, *SUPERVISOR_ROLES)
ON_SITE = staff_on_site()


def member_with_grant(instance: "HotWorkPermit", user) -> bool:
    """A portal member of the permit's company who may open hot work (admins always)."""
    from tenants import grants

    return grants.member_may_open(user, instance.tenant_id, HOT_WORK_AREA)


def member_or_desk(instance: "HotWorkPermit", user) -> bool:
    from jinyuan.accounts.roles import DESK_ROLES

    return bool(user and user.is_authenticated and user.has_role(*DESK_ROLES)) or member_with_grant(instance, user)


def nobody_but_the_scan(instance, user) -> bool:
    return user is None


def window_end(permit: "HotWorkPermit", now: dt.datetime) -> dt.datetime:
    return permit.ends_at


def recheck_due(permit: "HotWorkPermit", now: dt.datetime) -> dt.datetime | None:
    return permit.work_ended_at + FIRE_WATCH if permit.work_ended_at else None


class HotWorkPermit(DeadlineLinks, TenantOwned, Application):
    """动火作业许可: welding, cutting, grinding or a torch in one place, within one day's
    window of at most 8 hours.

    Engineering reviews, then security; security's approval issues the numbered paper (kernel
    document ``hot_work_permit``, valid over the window) posted at the place. Before the start
    security or engineering checks the site on a phone (every item ticked); the work runs; when
    it ends the fire watch stays at least 30 minutes and the site is rechecked before closing.
    Security may stop it on the spot. Not started by the window's end it expires (a deadline
    step's action, which also tells security).
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for engineering")
        SECURITY_REVIEW = "security_review", _("Engineering passed, security reviewing")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved: on-site check before the start")
        IN_PROGRESS = "in_progress", _("Hot work in progress")
        FIRE_WATCH = "fire_watch", _("Work ended: fire watch")
        CLOSED = "closed", _("Site rechecked, closed")
        STOPPED = "stopped", _("Stopped by security")
        EXPIRED = "expired", _("Expired: not started in its window")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Method(models.TextChoices):
        ELECTRIC_WELDING = "electric_welding", _("Electric welding")
        GAS_CUTTING = "gas_cutting", _("Gas cutting")
        GRINDING = "grinding", _("Grinding")
        TORCH = "torch", _("Torch (blowlamp)")

    OPEN = (Status.SUBMITTED, Status.SECURITY_REVIEW, Status.RETURNED)
    # On security's board: the permit is (or is about to be) burning, or its fire watch runs.
    LIVE = (Status.APPROVED, Status.IN_PROGRESS, Status.FIRE_WATCH)

    audit_prefix = "hot_work"
    event_labels = {
        "submitted": _("Hot work applied for"),
        "created": _("Hot work applied for by the desk"),
    }

    deadlines = (
        # At the window's end a permit never started expires; the step tells security too.
        DeadlineSpec(
            kind="expiry",
            states=("approved",),
            allowed=window_end,
            steps=(Step(to=(f"role:{Role.SECURITY}",), channels=(), action=HOT_WORK_EXPIRE_ACTION),),
        ),
        # 30 minutes after the work ended the site is to be rechecked: security is reminded.
        DeadlineSpec(
            kind="recheck",
            states=("fire_watch",),
            allowed=recheck_due,
            steps=(Step(to=(f"role:{Role.SECURITY}",)),),
        ),
    )
    deadline_select_related = ("tenant",)
    desk_detail = "desk:permits:hot_work_detail"
    portal_detail = "portal:permits:hot_work_detail"

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.SUBMITTED, db_index=True)
    renovation = models.ForeignKey(
        "renovation.Renovation",
        verbose_name=_("renovation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the company's own works."),
    )
    unit = models.ForeignKey("tenants.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    part = models.CharField(_("part of the unit"), max_length=60, help_text=_("E.g. kitchen, east wall"))
    work = models.CharField(_("work"), max_length=120)
    method = models.CharField(_("method"), max_length=20, choices=Method)
    starts_at = models.DateTimeField(_("window starts"))
    ends_at = models.DateTimeField(_("window ends"))
    operator_name = models.CharField(_("operator"), max_length=40)
    certificate_number = models.CharField(_("welder certificate number"), max_length=40)
    certificate_expiry = models.DateField(_("certificate valid until"))
    fire_watch_name = models.CharField(_("fire watch"), max_length=40)
    fire_watch_phone = models.CharField(_("fire watch's phone"), max_length=20, validators=[validate_phone])
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=8, decimal_places=1, validators=[MinValueValidator(Decimal("0.1"))]
    )
    extinguishers = models.PositiveSmallIntegerField(_("extinguishers (2 kg)"))
    measures = models.JSONField(_("measures"), default=list)
    # The on-site check before the start: {item code: True}, who and when.
    site_checks = models.JSONField(_("on-site check"), default=dict, blank=True)
    checked_at = models.DateTimeField(_("checked on site at"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked on site by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    work_ended_at = models.DateTimeField(_("work ended at"), null=True, blank=True)
    rechecked_at = models.DateTimeField(_("site rechecked at"), null=True, blank=True)
    rechecked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("site rechecked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    stop_reason = models.CharField(_("reason for stopping"), max_length=200, blank=True)
    document = models.OneToOneField(
        Document, verbose_name=_("permit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("hot-work permit")
        verbose_name_plural = _("hot-work permits")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "-created_at", "-id"], name="hotwork_tenant_idx"),
            models.Index(fields=["-created_at", "-id"], name="hotwork_created_idx"),
            # Security's board: the live permits by window.
            models.Index(
                fields=["starts_at"],
                condition=Q(status__in=["approved", "in_progress", "fire_watch"]),
                name="hotwork_live_idx",
            ),
            models.Index(fields=["starts_at", "id"], name="hotwork_window_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="hotwork_window_order"),
        ]

    def __str__(self) -> str:
        return self.document.number if self.document_id and self.document else f"#{self.pk}"

    @property
    def place(self) -> str:
        unit = self.unit
        return f"{unit.floor.building.name} {unit.floor} {unit.number} · {self.part}"

    @property
    def window_text(self) -> str:
        from django.utils import timezone

        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    @property
    def recheck_from(self) -> dt.datetime | None:
        return self.work_ended_at + FIRE_WATCH if self.work_ended_at else None

    @property
    def measures_text(self) -> str:
        labels = dict(Measure.choices)
        return "；".join(str(labels.get(m, m)) for m in self.measures or [])

    @property
    def checks_done(self) -> list[tuple[str, bool]]:
        """Every item of the on-site check with whether it was ticked."""
        ticked = self.site_checks or {}
        return [(str(label), bool(ticked.get(code))) for code, label in SiteCheck.choices]

    @property
    def deadline_label(self) -> str:
        return f"{_('Hot work')} {self}"

    # Declared transitions; side effects (the paper, notifications) are in permits.hot_work.
    @transition(
        field="status",
        source=Status.SUBMITTED,
        target=Status.SECURITY_REVIEW,
        permission=ENGINEERING_REVIEW,
        custom={
            "label": _("Engineering: pass"),
            "event": "engineering_passed",
            "event_label": _("Engineering review passed"),
            "style": "success",
        },
    )
    def engineering_approve(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.SECURITY_REVIEW,
        target=Status.APPROVED,
        permission=SECURITY_REVIEW,
        custom={
            "label": _("Security: approve and issue"),
            "event": "approved",
            "event_label": _("Security review passed: permit issued"),
            "style": "success",
        },
    )
    def security_approve(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.SUBMITTED, Status.SECURITY_REVIEW],
        target=Status.RETURNED,
        permission=REVIEWERS,
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
        source=[Status.SUBMITTED, Status.SECURITY_REVIEW],
        target=Status.REJECTED,
        permission=REVIEWERS,
        custom={
            "label": _("Reject"),
            "event": "rejected",
            "event_label": _("Rejected"),
            "style": "danger",
            "needs_note": True,
        },
    )
    def reject(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.RETURNED,
        target=Status.SUBMITTED,
        permission=member_or_desk,
        custom={
            "label": _("Submit again"),
            "event": "resubmitted",
            "event_label": _("Corrected and submitted again"),
            "style": "primary",
        },
    )
    def resubmit(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.SUBMITTED, Status.SECURITY_REVIEW, Status.RETURNED, Status.APPROVED],
        target=Status.WITHDRAWN,
        permission=member_with_grant,
        custom={
            "label": _("Withdraw"),
            "event": "withdrawn",
            "event_label": _("Withdrawn by the company"),
            "confirm": _("Withdraw this hot-work permit? It cannot be used afterwards."),
            "style": "outline-secondary",
        },
    )
    def withdraw(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.APPROVED,
        target=Status.IN_PROGRESS,
        permission=ON_SITE,
        custom={"event": "started", "event_label": _("On-site check passed: hot work started")},
    )
    def start(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.IN_PROGRESS,
        target=Status.FIRE_WATCH,
        permission=ON_SITE,
        custom={
            "label": _("Work ended: start the fire watch"),
            "event": "work_ended",
            "event_label": _("Work ended: fire watch of at least 30 minutes"),
            "style": "primary",
        },
    )
    def end_work(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.FIRE_WATCH,
        target=Status.CLOSED,
        permission=ON_SITE,
        custom={"event": "closed", "event_label": _("Site rechecked after the fire watch: closed")},
    )
    def close(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.APPROVED, Status.IN_PROGRESS],
        target=Status.STOPPED,
        permission=SECURITY_REVIEW,
        custom={
            "label": _("Stop on the spot"),
            "event": "stopped",
            "event_label": _("Stopped on the spot by security"),
            "confirm": _("Stop this hot work now? The permit stops working at once."),
            "style": "danger",
            "needs_note": True,
        },
    )
    def stop(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.APPROVED,
        target=Status.EXPIRED,
        permission=nobody_but_the_scan,
        custom={"event": "expired", "event_label": _("Expired: not started by the window's end")},
    )
    def expire(self, by=None):
        pass
