"""Renovation (二次装修), part 1: application, engineering and security review, supervisor
approval, fees, works start with the permit 装修许可证.

The two reviews run side by side. Their progress is part of the status (``applied``: both
pending; ``engineering_passed`` / ``security_passed``: one passed, the other pending;
``reviewed``: both passed), so each review's kernel deadline runs exactly while that review is
pending, and the compare-and-swap of ``transition()`` keeps two reviewers acting at once from
losing each other's decision.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import Role
from jinyuan.documents.models import Document
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step, TenantUnitLinks, on_date
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import DESK, SUPERVISOR, roles
from jinyuan.workflow.steps import Steps
from tenants.models import TenantOwned, Unit

ENGINEERING = roles(Role.ENGINEERING)
SECURITY = roles(Role.SECURITY)
INSPECTORS = roles(Role.ENGINEERING, Role.SECURITY, Role.SUPERVISOR)
MONEY = roles(Role.FRONT_DESK, Role.FINANCE, Role.SUPERVISOR)


def defect_period_over(instance: "Renovation") -> bool:
    return bool(instance.defect_period_ends and instance.defect_period_ends <= timezone.localdate())


# What must be done before works start (``start_works`` has it as its condition); the items
# are registered in renovation.checklist.
WORKS_START = Steps()


def tenant_admin_of(instance: "Renovation", user) -> bool:
    """The company's portal administrator."""
    from tenants.selectors import membership_for

    membership = membership_for(user)
    return bool(membership and membership.is_admin and membership.tenant_id == instance.tenant_id)


def tenant_admin_or_desk(instance: "Renovation", user) -> bool:
    """The company's portal administrator, or the desk correcting it for the company."""
    return DESK(instance, user) or tenant_admin_of(instance, user)


def review_deadline(kind: str, states: tuple[str, ...], role: Role) -> DeadlineSpec:
    """Two working days (2 × 9 office hours) while ``role``'s decision is pending: reminded
    4 working hours before and when due; the supervisor is told 4 working hours late."""
    return DeadlineSpec(
        kind=kind,
        states=states,
        allowed=timedelta(hours=18),
        working_hours=True,
        steps=(
            Step(offset=-timedelta(hours=4), to=(f"role:{role}",)),
            Step(to=(f"role:{role}",)),
            Step(offset=timedelta(hours=4), to=(f"role:{Role.SUPERVISOR}",), escalation=True),
        ),
    )


class Use(models.TextChoices):
    """What the unit is fitted out for: decides whether the fire authority's approval is needed."""

    OFFICE = "office", _("Office")
    RETAIL = "retail", _("Shop or market")
    CATERING = "catering", _("Restaurant, café or tea house")
    ENTERTAINMENT = "entertainment", _("Entertainment (KTV, bar, game hall, internet café)")
    FITNESS = "fitness", _("Fitness or leisure")
    TRAINING = "training", _("Education or training")
    CHILDCARE = "childcare", _("Childcare or children's activities")
    MEDICAL = "medical", _("Clinic or medical")
    HOTEL = "hotel", _("Hotel or serviced rooms")
    OTHER = "other", _("Other")


class FireApprovalRule(models.Model):
    """A row of the table the supervisors keep: a fit-out for ``use`` of a unit larger than
    ``area_above`` m² needs ``document`` from the fire authority before works start."""

    use = models.CharField(_("use"), max_length=20, choices=Use)
    area_above = models.DecimalField(
        _("area above (m²)"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("0: whatever the area."),
    )
    document = models.CharField(_("document required"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("fire approval rule")
        verbose_name_plural = _("fire approval rules")
        ordering = ["use", "area_above", "id"]

    def __str__(self) -> str:
        return f"{self.get_use_display()} > {self.area_above} m²: {self.document}"


class DepositTier(models.Model):
    """Renovation deposit by the unit's area: the first tier whose ``area_up_to`` covers it
    (empty: any area above the other tiers)."""

    area_up_to = models.DecimalField(
        _("area up to (m²)"), max_digits=9, decimal_places=2, null=True, blank=True, unique=True
    )
    amount = models.DecimalField(
        _("deposit (CNY)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = _("renovation deposit tier")
        verbose_name_plural = _("renovation deposit tiers")
        ordering = [models.F("area_up_to").asc(nulls_last=True)]

    def __str__(self) -> str:
        if self.area_up_to is None:
            return _("above the other tiers: CNY %(amount)s") % {"amount": self.amount}
        return _("up to %(area)s m²: CNY %(amount)s") % {"area": self.area_up_to, "amount": self.amount}


class FeeSchedule(models.Model):
    """The renovation fees besides the deposit (one row, kept by the supervisors)."""

    class Basis(models.TextChoices):
        PER_M2_MONTH = "per_m2_month", _("Per m² per month of the granted period")
        FLAT = "flat", _("Flat amount per renovation")

    management_basis = models.CharField(
        _("management fee basis"), max_length=20, choices=Basis, default=Basis.PER_M2_MONTH
    )
    management_rate = models.DecimalField(
        _("management fee (CNY)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Per m² per month (part months count as whole months), or the flat amount."),
    )
    waste_removal_fee = models.DecimalField(
        _("waste removal (CNY)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    defect_period_days = models.PositiveIntegerField(
        _("defect period (days)"),
        default=90,
        help_text=_("After acceptance the deposit is held this long, then refunded less approved deductions."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("renovation fee schedule")
        verbose_name_plural = _("renovation fee schedule")

    def __str__(self) -> str:
        return str(_("Renovation fee schedule"))

    @classmethod
    def current(cls) -> "FeeSchedule":
        return cls.objects.order_by("pk").first() or cls(management_rate=Decimal("0"), waste_removal_fee=Decimal("0"))


class Renovation(TenantUnitLinks, TenantOwned, Application):
    """二次装修: a tenant's fit-out of one unit."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Under review")
        ENGINEERING_PASSED = "engineering_passed", _("Engineering passed, security reviewing")
        SECURITY_PASSED = "security_passed", _("Security passed, engineering reviewing")
        REVIEWED = "reviewed", _("Waiting for approval")
        RETURNED = "returned", _("Returned to tenant")
        APPROVED = "approved", _("Approved, fees due")
        IN_WORKS = "in_works", _("Works in progress")
        STOPPED = "stopped", _("Works stopped (stop-work order)")
        ACCEPTANCE_REQUESTED = "acceptance_requested", _("Acceptance requested")
        ACCEPTANCE_ENG_PASSED = "acceptance_eng_passed", _("Acceptance: engineering passed, security to inspect")
        ACCEPTANCE_SEC_PASSED = "acceptance_sec_passed", _("Acceptance: security passed, engineering to inspect")
        ACCEPTED = "accepted", _("Accepted, deposit held for the defect period")
        REFUNDED = "refunded", _("Deposit refunded, closed")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # At most one of these per unit (a partial unique index too). A returned application is
    # live: the tenant corrects it or withdraws it before applying again.
    LIVE = (
        Status.APPLIED,
        Status.ENGINEERING_PASSED,
        Status.SECURITY_PASSED,
        Status.REVIEWED,
        Status.RETURNED,
        Status.APPROVED,
        Status.IN_WORKS,
        Status.STOPPED,
        Status.ACCEPTANCE_REQUESTED,
        Status.ACCEPTANCE_ENG_PASSED,
        Status.ACCEPTANCE_SEC_PASSED,
    )
    ACCEPTANCE = (Status.ACCEPTANCE_REQUESTED, Status.ACCEPTANCE_ENG_PASSED, Status.ACCEPTANCE_SEC_PASSED)
    UNDER_REVIEW = (Status.APPLIED, Status.ENGINEERING_PASSED, Status.SECURITY_PASSED, Status.REVIEWED)

    class FileKind(models.TextChoices):
        LICENCE = "licence", _("Contractor's business licence")
        PLAN = "drawing_plan", _("Floor plan drawing")
        ELECTRICAL = "drawing_electrical", _("Electrical drawing")
        FIRE = "drawing_fire", _("Fire protection drawing")
        UNDERTAKING = "undertaking", _("Signed fire-safety undertaking")
        AGREEMENT = "agreement", _("Signed renovation management agreement")
        FIRE_APPROVAL = "fire_approval", _("Fire authority's approval")

    REQUIRED_FILES = (
        FileKind.LICENCE,
        FileKind.PLAN,
        FileKind.ELECTRICAL,
        FileKind.FIRE,
        FileKind.UNDERTAKING,
        FileKind.AGREEMENT,
    )

    audit_prefix = "renovation"
    event_labels = {
        "applied": _("Renovation applied for"),
        "fees_billed": _("Renovation fees billed"),
        "permit_issued": _("Renovation permit issued"),
        "inspected": _("Inspected"),
        "order_issued": _("Rectification order issued"),
        "order_closed": _("Rectification order closed (rectified)"),
        "order_escalated": _("Rectification order escalated to the supervisor"),
        "deduction_proposed": _("Deposit deduction proposed"),
        "deduction_approved": _("Deposit deduction approved"),
        "deduction_rejected": _("Deposit deduction rejected"),
        "accepted": _("Accepted: works complete, defect period running"),
        "extension_applied": _("Extension of the period applied for"),
        "extended": _("Period extended (fee billed, permit issued again)"),
        "extension_rejected": _("Extension of the period rejected"),
        "extension_withdrawn": _("Extension of the period withdrawn"),
    }

    deadlines = (
        review_deadline("engineering_review", ("applied", "security_passed"), Role.ENGINEERING),
        review_deadline("security_review", ("applied", "engineering_passed"), Role.SECURITY),
        review_deadline("approval", ("reviewed",), Role.SUPERVISOR),
        review_deadline("acceptance_engineering", ("acceptance_requested", "acceptance_sec_passed"), Role.ENGINEERING),
        review_deadline("acceptance_security", ("acceptance_requested", "acceptance_eng_passed"), Role.SECURITY),
        # The deposit is refunded when the defect period after acceptance ends.
        DeadlineSpec(
            kind="defect_period",
            states=("accepted",),
            allowed=on_date("defect_period_ends"),
            steps=(Step(to=(f"role:{Role.FRONT_DESK}", f"role:{Role.FINANCE}")),),
        ),
    )

    status = FSMField(_("status"), max_length=30, choices=Status, default=Status.APPLIED, db_index=True)

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField(_("contact"), max_length=40)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    contractor_name = models.CharField(_("contractor company"), max_length=100)
    contractor_person = models.CharField(_("contractor's person in charge"), max_length=40)
    contractor_phone = models.CharField(_("phone of the person in charge"), max_length=30)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    work_items = ArrayField(models.CharField(max_length=100), verbose_name=_("work items"), default=list)
    electrical_load_kw = models.DecimalField(
        _("expected electrical load (kW)"),
        max_digits=7,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0"))],
    )
    fire_safety_person = models.CharField(_("fire-safety responsible person"), max_length=40)
    fire_safety_phone = models.CharField(_("phone of the fire-safety responsible person"), max_length=30)
    intended_use = models.CharField(_("use after the works"), max_length=20, choices=Use, default=Use.OFFICE)
    # What the rule table asked for when the application was made or last corrected ("" = none).
    fire_approval_required = models.CharField(_("fire authority's approval required"), max_length=400, blank=True)

    engineering_remarks = models.TextField(_("engineering remarks"), blank=True)
    security_remarks = models.TextField(_("security remarks"), blank=True)
    # The period the supervisor granted (the planned one at approval); the permit's validity.
    granted_start = models.DateField(_("granted from"), null=True, blank=True)
    granted_end = models.DateField(_("granted until"), null=True, blank=True)
    # How much of a renovation deposit paid at move-in this renovation counted toward its tier.
    deposit_from_move_in = models.DecimalField(
        _("deposit paid at move-in counted"), max_digits=12, decimal_places=2, default=Decimal("0")
    )
    fees_bill = models.OneToOneField(
        "billing.Bill", verbose_name=_("fees bill"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    permit = models.OneToOneField(
        Document, verbose_name=_("permit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    works_started_on = models.DateField(_("works started on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    defect_period_ends = models.DateField(_("defect period ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("renovation")
        verbose_name_plural = _("renovations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "-created_at"]), models.Index(fields=["-created_at", "-id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(
                    status__in=[
                        "applied",
                        "engineering_passed",
                        "security_passed",
                        "reviewed",
                        "returned",
                        "approved",
                        "in_works",
                        "stopped",
                        "acceptance_requested",
                        "acceptance_eng_passed",
                        "acceptance_sec_passed",
                    ]
                ),
                name="uniq_live_renovation_per_unit",
                violation_error_message=_("This unit already has a renovation in progress."),
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("planned_start")), name="renovation_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.permit.number if self.permit_id and self.permit else _("Renovation #%(pk)s") % {"pk": self.pk}

    desk_detail = "desk:renovation:renovation_detail"
    portal_detail = "portal:renovation:renovation_detail"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def engineering_passed(self) -> bool:
        return self.status in (self.Status.ENGINEERING_PASSED, self.Status.REVIEWED) or self._after_review

    @property
    def security_passed(self) -> bool:
        return self.status in (self.Status.SECURITY_PASSED, self.Status.REVIEWED) or self._after_review

    @property
    def _after_review(self) -> bool:
        return self.status in (
            self.Status.APPROVED,
            self.Status.IN_WORKS,
            self.Status.STOPPED,
            *self.ACCEPTANCE,
            self.Status.ACCEPTED,
            self.Status.REFUNDED,
        )

    # --- declared transitions (bodies stay empty: side effects belong to services) ---------------

    @transition(
        field="status",
        source=Status.APPLIED,
        target=Status.ENGINEERING_PASSED,
        permission=ENGINEERING,
        custom={
            "label": _("Engineering review: pass"),
            "event": "engineering_passed",
            "event_label": _("Passed by engineering"),
            "style": "success",
        },
    )
    @transition(field="status", source=Status.SECURITY_PASSED, target=Status.REVIEWED, permission=ENGINEERING)
    def pass_engineering(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.APPLIED,
        target=Status.SECURITY_PASSED,
        permission=SECURITY,
        custom={
            "label": _("Security review: pass"),
            "event": "security_passed",
            "event_label": _("Passed by security"),
            "style": "success",
        },
    )
    @transition(field="status", source=Status.ENGINEERING_PASSED, target=Status.REVIEWED, permission=SECURITY)
    def pass_security(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.APPLIED, Status.SECURITY_PASSED],
        target=Status.RETURNED,
        permission=ENGINEERING,
        custom={
            "label": _("Engineering review: return to tenant"),
            "event": "returned_by_engineering",
            "event_label": _("Returned by engineering"),
            "style": "warning",
            "needs_note": True,
        },
    )
    def return_engineering(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.APPLIED, Status.ENGINEERING_PASSED],
        target=Status.RETURNED,
        permission=SECURITY,
        custom={
            "label": _("Security review: return to tenant"),
            "event": "returned_by_security",
            "event_label": _("Returned by security"),
            "style": "warning",
            "needs_note": True,
        },
    )
    def return_security(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.RETURNED,
        target=Status.APPLIED,
        permission=tenant_admin_or_desk,
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
        source=[Status.APPLIED, Status.RETURNED],
        target=Status.WITHDRAWN,
        permission=tenant_admin_of,
        custom={
            "label": _("Withdraw"),
            "event": "withdrawn",
            "event_label": _("Withdrawn by tenant"),
            "confirm": _("Withdraw this application? It cannot be sent again afterwards."),
            "style": "outline-secondary",
        },
    )
    def withdraw(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.REVIEWED,
        target=Status.APPROVED,
        permission=SUPERVISOR,
        custom={
            "label": _("Approve (bill the fees)"),
            "event": "approved",
            "event_label": _("Approved"),
            "style": "success",
        },
    )
    def approve(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.REVIEWED,
        target=Status.REJECTED,
        permission=SUPERVISOR,
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
        source=Status.APPROVED,
        target=Status.IN_WORKS,
        permission=DESK,
        conditions=[WORKS_START.complete],
        custom={
            "label": _("Start works (issue the permit)"),
            "event": "works_started",
            "event_label": _("Works started"),
            "style": "primary",
        },
    )
    def start_works(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.IN_WORKS,
        target=Status.STOPPED,
        permission=SUPERVISOR,
        custom={
            "label": _("Stop the works (停工)"),
            "event": "works_stopped",
            "event_label": _("Works stopped"),
            "style": "danger",
            "needs_note": True,
            "confirm": _("Stop the works? The permit and the worker passes are suspended until the stop is lifted."),
        },
    )
    def stop_works(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.STOPPED,
        target=Status.IN_WORKS,
        permission=SUPERVISOR,
        custom={
            "label": _("Lift the stop-work order"),
            "event": "stop_lifted",
            "event_label": _("Stop-work order lifted"),
            "style": "success",
        },
    )
    def lift_stop(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.IN_WORKS,
        target=Status.ACCEPTANCE_REQUESTED,
        permission=tenant_admin_of,
        custom={
            "label": _("Works finished: request acceptance"),
            "event": "acceptance_requested",
            "event_label": _("Acceptance requested"),
            "style": "primary",
        },
    )
    def request_acceptance(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ACCEPTANCE_REQUESTED,
        target=Status.ACCEPTANCE_ENG_PASSED,
        permission=ENGINEERING,
        custom={
            "label": _("Acceptance (engineering): pass"),
            "event": "acceptance_engineering_passed",
            "event_label": _("Acceptance passed by engineering"),
            "style": "success",
        },
    )
    @transition(field="status", source=Status.ACCEPTANCE_SEC_PASSED, target=Status.ACCEPTED, permission=ENGINEERING)
    def pass_acceptance_engineering(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ACCEPTANCE_REQUESTED,
        target=Status.ACCEPTANCE_SEC_PASSED,
        permission=SECURITY,
        custom={
            "label": _("Acceptance (security): pass"),
            "event": "acceptance_security_passed",
            "event_label": _("Acceptance passed by security"),
            "style": "success",
        },
    )
    @transition(field="status", source=Status.ACCEPTANCE_ENG_PASSED, target=Status.ACCEPTED, permission=SECURITY)
    def pass_acceptance_security(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.ACCEPTANCE_REQUESTED, Status.ACCEPTANCE_SEC_PASSED],
        target=Status.IN_WORKS,
        permission=ENGINEERING,
        custom={
            "label": _("Acceptance (engineering): fail, back to works"),
            "event": "acceptance_failed_engineering",
            "event_label": _("Acceptance failed (engineering)"),
            "style": "warning",
            "needs_note": True,
        },
    )
    def fail_acceptance_engineering(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.ACCEPTANCE_REQUESTED, Status.ACCEPTANCE_ENG_PASSED],
        target=Status.IN_WORKS,
        permission=SECURITY,
        custom={
            "label": _("Acceptance (security): fail, back to works"),
            "event": "acceptance_failed_security",
            "event_label": _("Acceptance failed (security)"),
            "style": "warning",
            "needs_note": True,
        },
    )
    def fail_acceptance_security(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ACCEPTED,
        target=Status.REFUNDED,
        permission=MONEY,
        conditions=[defect_period_over],
        custom={
            "label": _("Refund the deposit (less approved deductions)"),
            "event": "deposit_refunded",
            "event_label": _("Deposit refunded"),
            "style": "primary",
            "confirm": _("Refund the deposit now? Unreturned worker passes forfeit their pass deposits."),
        },
    )
    def refund(self, by=None):
        pass


# --- part 2: works -------------------------------------------------------------------------


class Department(models.TextChoices):
    """Who inspects during works."""

    ENGINEERING = "engineering", _("Engineering")
    SECURITY = "security", _("Security")


DEPARTMENT_ROLE = {Department.ENGINEERING: Role.ENGINEERING, Department.SECURITY: Role.SECURITY}


class Inspection(models.Model):
    """An engineering or security visit to a unit under works: when, what was found (photos are
    attachments of the inspection), and whether it is a violation. A violation issues a
    rectification order; a re-inspection (``reinspects``) closes an order or escalates it."""

    renovation = models.ForeignKey(
        Renovation, verbose_name=_("renovation"), on_delete=models.PROTECT, related_name="inspections"
    )
    department = models.CharField(_("department"), max_length=20, choices=Department)
    inspected_at = models.DateTimeField(_("inspected at"))
    inspector = models.ForeignKey(
        "accounts.User", verbose_name=_("inspector"), on_delete=models.PROTECT, related_name="+"
    )
    findings = models.TextField(_("findings"))
    violation = models.BooleanField(_("violation"), default=False)
    reinspects = models.ForeignKey(
        "RectificationOrder",
        verbose_name=_("re-inspection of order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reinspections",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("renovation inspection")
        verbose_name_plural = _("renovation inspections")
        ordering = ["-inspected_at", "-id"]
        indexes = [models.Index(fields=["-inspected_at", "-id"])]

    def __str__(self) -> str:
        return _("Inspection of %(unit)s on %(date)s") % {
            "unit": self.renovation.unit.number,
            "date": timezone.localtime(self.inspected_at).date().isoformat(),
        }


def order_deadline() -> DeadlineSpec:
    """Due at the order's deadline day's closing time: the tenant's admins are reminded the
    day before and when due, the inspecting department when due, the supervisor one day late."""
    return DeadlineSpec(
        kind="rectification",
        states=("open",),
        allowed=on_date("due_on"),
        steps=(
            Step(offset=-timedelta(days=1), to=("tenant_admins",)),
            Step(to=("tenant_admins", "field:applicant")),
            Step(offset=timedelta(days=1), to=(f"role:{Role.SUPERVISOR}",), escalation=True),
        ),
    )


class PartOfRenovation(DeadlineLinks, models.Model):
    """A record that belongs to one renovation (an order, an extension): how its deadlines
    name it and where a tenant's reminder leads (the renovation's portal page)."""

    deadline_select_related = ("tenant", "renovation__unit")

    class Meta:
        abstract = True

    @property
    def deadline_label(self) -> str:
        return f"{self.tenant.name} · {self.renovation.unit.number} · {self}"

    @property
    def deadline_portal_url(self) -> str:
        return reverse("portal:renovation:renovation_detail", args=[self.renovation_id])


class RectificationOrder(PartOfRenovation, TenantOwned, Application):
    """整改通知书: issued by an inspection that found a violation; numbered paper with a QR code.
    A re-inspection without a violation closes it; one that still finds it escalates it to the
    supervisor (stop-work or a deduction are the supervisor's next steps)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open, to be rectified")
        ESCALATED = "escalated", _("Escalated to the supervisor")
        CLOSED = "closed", _("Rectified")

    audit_prefix = "rectification"
    event_labels = {"issued": _("Rectification order issued")}
    deadlines = (order_deadline(),)

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.OPEN, db_index=True)
    renovation = models.ForeignKey(
        Renovation, verbose_name=_("renovation"), on_delete=models.PROTECT, related_name="orders"
    )
    inspection = models.OneToOneField(
        Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT, related_name="order"
    )
    requirement = models.TextField(_("what must be rectified"))
    due_on = models.DateField(_("rectify by"))
    document = models.OneToOneField(
        Document, verbose_name=_("order"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification order")
        verbose_name_plural = _("rectification orders")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"])]

    def __str__(self) -> str:
        return self.document.number if self.document_id and self.document else _("Order #%(pk)s") % {"pk": self.pk}

    @property
    def deadline_url(self) -> str:
        return reverse("desk:renovation:renovation_detail", args=[self.renovation_id])

    @transition(
        field="status",
        source=[Status.OPEN, Status.ESCALATED],
        target=Status.CLOSED,
        permission=INSPECTORS,
        custom={"event": "closed", "event_label": _("Rectified (re-inspection passed)")},
    )
    def close(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.OPEN,
        target=Status.ESCALATED,
        permission=INSPECTORS,
        custom={"event": "escalated", "event_label": _("Not rectified: escalated to the supervisor")},
    )
    def escalate(self, by=None):
        pass


class DecidedBySupervisor(models.Model):
    """Who decided a proposal (a deduction, an extension) and when."""

    decided_by = models.ForeignKey(
        "accounts.User", verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        abstract = True


class Deduction(DecidedBySupervisor, TenantOwned, Application):
    """An itemised deduction from the renovation deposit, proposed by engineering or security
    (the ``applicant``) and approved or rejected by the supervisor. Approved ones are taken
    from the deposit at the refund."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed, waiting for the supervisor")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    audit_prefix = "deduction"
    event_labels = {"proposed": _("Deduction proposed")}

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.PROPOSED, db_index=True)
    renovation = models.ForeignKey(
        Renovation, verbose_name=_("renovation"), on_delete=models.PROTECT, related_name="deductions"
    )
    department = models.CharField(_("department"), max_length=20, choices=Department)
    total = models.DecimalField(_("total (CNY)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("deposit deduction")
        verbose_name_plural = _("deposit deductions")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(total__gt=0), name="deduction_total_positive")]

    def __str__(self) -> str:
        return _("Deduction of CNY %(total)s") % {"total": self.total}

    @transition(
        field="status",
        source=Status.PROPOSED,
        target=Status.APPROVED,
        permission=SUPERVISOR,
        custom={"label": _("Approve the deduction"), "event": "approved", "event_label": _("Deduction approved")},
    )
    def approve(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.PROPOSED,
        target=Status.REJECTED,
        permission=SUPERVISOR,
        custom={
            "label": _("Reject the deduction"),
            "event": "rejected",
            "event_label": _("Deduction rejected"),
            "needs_note": True,
        },
    )
    def reject(self, by=None):
        pass


class DeductionItem(models.Model):
    deduction = models.ForeignKey(
        Deduction, verbose_name=_("deduction"), on_delete=models.PROTECT, related_name="items"
    )
    reason = models.CharField(_("reason"), max_length=200)
    amount = models.DecimalField(
        _("amount (CNY)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        verbose_name = _("deduction item")
        verbose_name_plural = _("deduction items")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="deduction_item_positive")]

    def __str__(self) -> str:
        return f"{self.reason}: {self.amount}"


# --- extension of the period 延期 ------------------------------------------------------------


class Extension(PartOfRenovation, DecidedBySupervisor, TenantOwned, Application):
    """延期: an application of its own to work past the granted end. The supervisor approves it
    (the works were reviewed already; only the period changes): the management fee for the
    added months is billed, the renovation's ``granted_end`` moves and the permit is issued
    again for the longer period (the earlier one revoked). One pending per renovation."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Waiting for the supervisor")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Works that run (or are stopped: a stop often costs the time asked for) may be extended.
    EXTENDABLE = (Renovation.Status.IN_WORKS, Renovation.Status.STOPPED)

    audit_prefix = "extension"
    event_labels = {"applied": _("Extension applied for")}
    deadlines = (review_deadline("extension_approval", ("applied",), Role.SUPERVISOR),)

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.APPLIED, db_index=True)
    renovation = models.ForeignKey(
        Renovation, verbose_name=_("renovation"), on_delete=models.PROTECT, related_name="extensions"
    )
    previous_end = models.DateField(_("granted until (before)"))
    new_end = models.DateField(_("extend until"))
    reason = models.TextField(_("reason"))
    fees_bill = models.OneToOneField(
        "billing.Bill", verbose_name=_("fees bill"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    permit = models.OneToOneField(
        Document, verbose_name=_("permit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("renovation extension")
        verbose_name_plural = _("renovation extensions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["renovation"],
                condition=Q(status="applied"),
                name="uniq_pending_extension_per_renovation",
                violation_error_message=_("This renovation already has an extension waiting for the supervisor."),
            ),
            models.CheckConstraint(condition=Q(new_end__gt=models.F("previous_end")), name="extension_end_later"),
        ]

    def __str__(self) -> str:
        return _("Extension to %(date)s") % {"date": self.new_end.isoformat()}

    desk_detail = "desk:renovation:extension_detail"

    @transition(
        field="status",
        source=Status.APPLIED,
        target=Status.APPROVED,
        permission=SUPERVISOR,
        custom={
            "label": _("Approve the extension (bill the fee, issue the permit again)"),
            "event": "approved",
            "event_label": _("Extension approved"),
            "style": "success",
        },
    )
    def approve(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.APPLIED,
        target=Status.REJECTED,
        permission=SUPERVISOR,
        custom={
            "label": _("Reject the extension"),
            "event": "rejected",
            "event_label": _("Extension rejected"),
            "style": "danger",
            "needs_note": True,
        },
    )
    def reject(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.APPLIED,
        target=Status.WITHDRAWN,
        permission=tenant_admin_or_desk,
        custom={
            "label": _("Withdraw the extension"),
            "event": "withdrawn",
            "event_label": _("Extension withdrawn"),
            "style": "outline-secondary",
        },
    )
    def withdraw(self, by=None):
        pass
