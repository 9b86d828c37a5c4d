"""Requests a tenant makes of the front desk (issue 16):

- recyclables collection 废品收购: ``Recycler`` (approved, kept by supervisors in the admin),
  ``RecyclePrice`` (price per kg per category, dated), ``RecycleRequest`` with its weighed
  ``RecycleLine``s, settled in cash (a payout voucher) or by a credit note on the tenant's account;
- material distribution 代派资料: ``MaterialDistribution``, its content approved by the
  supervisor, billed at completion for what was distributed.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from billing.models import ZERO
from jinyuan.accounts.roles import DESK_ROLES, SUPERVISOR_ROLES, VOID_ROLES, Role
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import roles
from tenants.models import Tenant

from . import FRONTDESK_AREA

CENT = Decimal("0.01")


def member_may_open(instance, user) -> bool:
    """A member of the record's company who may open the front desk's area."""
    from tenants import grants

    return bool(instance.tenant_id) and grants.member_may_open(user, instance.tenant_id, FRONTDESK_AREA)


def desk_or_member(instance, user) -> bool:
    if user and user.is_authenticated and user.has_role(*DESK_ROLES):
        return True
    return member_may_open(instance, user)


class Category(models.TextChoices):
    PAPER = "paper", _("Paper and cardboard")
    METAL = "metal", _("Metal")
    PLASTIC = "plastic", _("Plastic")
    ELECTRONICS = "electronics", _("Electronics")
    GLASS = "glass", _("Glass")
    OTHER = "other", _("Other recyclables")


class Recycler(models.Model):
    """An approved recycler 废品回收商, kept by supervisors in the admin."""

    name = models.CharField(_("name"), max_length=100)
    licence_number = models.CharField(_("licence number"), max_length=40)
    contact_name = models.CharField(_("contact"), max_length=40)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("recycler")
        verbose_name_plural = _("recyclers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RecyclePrice(models.Model):
    """The price per kg the center pays for a category, from a day on (until the next row)."""

    category = models.CharField(_("category"), max_length=20, choices=Category)
    effective_from = models.DateField(_("effective from"))
    price_per_kg = models.DecimalField(
        _("price per kg (CNY)"), max_digits=8, decimal_places=2, validators=[MinValueValidator(CENT)]
    )

    class Meta:
        verbose_name = _("recyclables price")
        verbose_name_plural = _("recyclables prices")
        ordering = ["category", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["category", "effective_from"], name="uniq_recycle_price_per_day"),
            models.CheckConstraint(condition=Q(price_per_kg__gt=0), name="recycle_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.effective_from}: {self.price_per_kg}"


def before_pickup(instance: "RecycleRequest") -> bool:
    """The tenant withdraws only before the pickup time."""
    return instance.pickup_at is None or instance.pickup_at > timezone.now()


def pickup_due(obj: "RecycleRequest", now: dt.datetime) -> dt.datetime | None:
    return obj.pickup_at


class RecycleRequest(DeadlineLinks, Application):
    """废品收购: requested → scheduled (a recycler and a time) → collected (weighed, the goods
    leave on a release note) → settled (cash with a payout voucher, or a credit note);
    cancelled by the tenant before the pickup, or by the desk with a reason."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SCHEDULED = "scheduled", _("Pickup scheduled")
        COLLECTED = "collected", _("Collected and weighed")
        SETTLED = "settled", _("Settled")
        CANCELLED = "cancelled", _("Cancelled")

    class Settlement(models.TextChoices):
        CREDIT = "credit", _("Credit to the company's account")
        CASH = "cash", _("Paid in cash")

    OPEN = (Status.REQUESTED, Status.SCHEDULED, Status.COLLECTED)

    audit_prefix = "recycle_request"
    desk_detail = "desk:frontdesk:recycle_detail"
    portal_detail = "portal:frontdesk:recycle_detail"
    deadline_select_related = ("tenant",)
    event_labels = {
        "created": _("Requested by the desk"),
        "requested": _("Requested"),
        "price_changed": _("Price per kg changed by the supervisor"),
    }
    deadlines = (
        # The pickup itself: the desk is reminded two hours before, the supervisor a day after.
        DeadlineSpec(
            kind="pickup",
            states=("scheduled",),
            allowed=pickup_due,
            steps=(
                Step(offset=-dt.timedelta(hours=2), to=(f"role:{Role.FRONT_DESK}",)),
                Step(offset=dt.timedelta(days=1), to=(f"role:{Role.SUPERVISOR}",), escalation=True),
            ),
        ),
    )

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.REQUESTED, db_index=True)
    number = models.CharField(_("number"), max_length=30, unique=True)
    tenant = models.ForeignKey(
        Tenant, verbose_name=_("company"), on_delete=models.PROTECT, related_name="recycle_requests"
    )
    unit = models.ForeignKey(
        "tenants.Unit", verbose_name=_("pickup at unit"), on_delete=models.PROTECT, related_name="+"
    )
    categories = ArrayField(
        models.CharField(max_length=20, choices=Category), verbose_name=_("categories"), default=list
    )
    estimated_kg = models.DecimalField(
        _("estimated weight (kg)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(CENT)]
    )
    preferred_time = models.DateTimeField(_("preferred time"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    settlement = models.CharField(_("settlement"), max_length=10, choices=Settlement, default=Settlement.CREDIT)
    recycler = models.ForeignKey(
        Recycler, verbose_name=_("recycler"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pickup_at = models.DateTimeField(_("pickup at"), null=True, blank=True)
    collected_at = models.DateTimeField(_("collected at"), null=True, blank=True)
    total = models.DecimalField(_("total (CNY)"), max_digits=12, decimal_places=2, default=ZERO)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    received_by = models.CharField(_("received by (tenant's person)"), max_length=40, blank=True)
    release_note = models.ForeignKey(
        "permits.ReleaseNote",
        verbose_name=_("release note"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    credit_note = models.OneToOneField(
        "billing.CreditNote",
        verbose_name=_("credit note"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recycle_request",
    )
    voucher = models.OneToOneField(
        "documents.Document",
        verbose_name=_("payout voucher"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("recyclables request")
        verbose_name_plural = _("recyclables requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "-created_at", "-id"], name="recycle_tenant_idx"),
            models.Index(fields=["-created_at", "-id"], name="recycle_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(estimated_kg__gt=0), name="recycle_estimate_positive"),
            models.CheckConstraint(condition=Q(total__gte=0), name="recycle_total_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def deadline_label(self) -> str:
        return f"{self.number} · {self.tenant.name}"

    @property
    def category_labels(self) -> str:
        labels = dict(Category.choices)
        return "、".join(str(labels.get(c, c)) for c in self.categories)

    @transition(
        field="status",
        source=Status.REQUESTED,
        target=Status.SCHEDULED,
        permission=roles(*DESK_ROLES),
        custom={"event": "scheduled", "event_label": _("Pickup scheduled"), "internal": True},
    )
    def schedule(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.SCHEDULED,
        target=Status.COLLECTED,
        permission=roles(*DESK_ROLES),
        custom={"event": "collected", "event_label": _("Collected and weighed"), "internal": True},
    )
    def collect(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.COLLECTED,
        target=Status.SETTLED,
        permission=roles(*DESK_ROLES),
        custom={"event": "settled", "event_label": _("Settled"), "internal": True},
    )
    def settle(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.SETTLED,
        target=Status.COLLECTED,
        permission=roles(*VOID_ROLES),
        custom={
            "event": "credit_voided",
            "event_label": _("Credit note voided: to be settled again"),
            "internal": True,
        },
    )
    def reopen_settlement(self, by=None):
        """Finance or a supervisor voids the credit note (a wrong weight, a wrong price): the
        company is still owed the money, so the request goes back to be settled again."""

    @transition(
        field="status",
        source=[Status.REQUESTED, Status.SCHEDULED],
        target=Status.CANCELLED,
        permission=member_may_open,
        conditions=[before_pickup],
        custom={
            "label": _("Withdraw"),
            "event": "withdrawn",
            "event_label": _("Withdrawn by the company"),
            "confirm": _("Withdraw this request?"),
            "style": "outline-secondary",
        },
    )
    def withdraw(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.REQUESTED, Status.SCHEDULED],
        target=Status.CANCELLED,
        permission=roles(*DESK_ROLES),
        custom={
            "label": _("Cancel"),
            "event": "cancelled",
            "event_label": _("Cancelled by the desk"),
            "style": "outline-danger",
            "needs_note": True,
        },
    )
    def cancel(self, by=None):
        pass


class RecycleLine(models.Model):
    """One category weighed at the pickup: weight × the price per kg in force (a supervisor may
    change the price with a reason) = the amount."""

    request = models.ForeignKey(
        RecycleRequest, verbose_name=_("request"), on_delete=models.PROTECT, related_name="lines"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category)
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=9, decimal_places=2)
    list_price = models.DecimalField(_("price in force (CNY/kg)"), max_digits=8, decimal_places=2)
    price_per_kg = models.DecimalField(_("price per kg (CNY)"), max_digits=8, decimal_places=2)
    amount = models.DecimalField(_("amount (CNY)"), max_digits=12, decimal_places=2)
    price_reason = models.CharField(_("reason for the price"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("weighed line")
        verbose_name_plural = _("weighed lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight_kg__gt=0), name="recycle_line_weight_positive"),
            models.CheckConstraint(condition=Q(price_per_kg__gt=0), name="recycle_line_price_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="recycle_line_amount_not_negative"),
            models.UniqueConstraint(fields=["request", "category"], name="uniq_recycle_line_category"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.weight_kg} kg"


class MaterialDistribution(DeadlineLinks, Application):
    """代派资料: a tenant's material handed to other tenants by the desk. Submitted → approved
    by the supervisor (content checked; rejected with a reason) → completed with the count
    actually distributed, billed then (per copy for the count, or per batch); withdrawn by the
    company or the desk before completion."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for the supervisor")
        APPROVED = "approved", _("Approved: to distribute")
        COMPLETED = "completed", _("Distributed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Withdrawn")

    class Targets(models.TextChoices):
        ALL = "all", _("All tenants")
        FLOORS = "floors", _("Floors of a building")
        TENANTS = "tenants", _("Chosen tenants")

    class Charge(models.TextChoices):
        PER_COPY = "per_copy", _("Per copy")
        PER_BATCH = "per_batch", _("Per batch")

    OPEN = (Status.SUBMITTED, Status.APPROVED)

    audit_prefix = "distribution"
    desk_detail = "desk:frontdesk:distribution_detail"
    portal_detail = "portal:frontdesk:distribution_detail"
    deadline_select_related = ("tenant",)
    event_labels = {"created": _("Requested by the desk"), "requested": _("Requested")}

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.SUBMITTED, db_index=True)
    number = models.CharField(_("number"), max_length=30, unique=True)
    tenant = models.ForeignKey(
        Tenant, verbose_name=_("company"), on_delete=models.PROTECT, related_name="material_distributions"
    )
    title = models.CharField(_("title"), max_length=100)
    quantity = models.PositiveIntegerField(_("copies"), validators=[MinValueValidator(1)])
    targets = models.CharField(_("to"), max_length=10, choices=Targets, default=Targets.ALL)
    building = models.ForeignKey(
        "tenants.Building",
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    floors = models.ManyToManyField("tenants.Floor", verbose_name=_("floors"), blank=True, related_name="+")
    target_tenants = models.ManyToManyField(Tenant, verbose_name=_("companies"), blank=True, related_name="+")
    charge = models.CharField(_("charged"), max_length=10, choices=Charge, default=Charge.PER_COPY)
    fee_item = models.ForeignKey(
        "billing.FeeItem", verbose_name=_("fee item"), on_delete=models.PROTECT, related_name="+"
    )
    unit_price = models.DecimalField(_("price (CNY)"), max_digits=10, decimal_places=2)
    preferred_date = models.DateField(_("preferred date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True)
    distributed_count = models.PositiveIntegerField(_("copies distributed"), null=True, blank=True)
    distributed_by = models.CharField(_("distributed by"), max_length=60, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    bill = models.OneToOneField(
        "billing.Bill", verbose_name=_("bill"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("material distribution")
        verbose_name_plural = _("material distributions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "-created_at", "-id"], name="distribution_tenant_idx"),
            models.Index(fields=["-created_at", "-id"], name="distribution_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="distribution_quantity_positive"),
            models.CheckConstraint(
                condition=Q(distributed_count__isnull=True) | Q(distributed_count__lte=F("quantity")),
                name="distribution_count_within_quantity",
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="distribution_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def deadline_label(self) -> str:
        return f"{self.number} · {self.tenant.name}"

    @transition(
        field="status",
        source=Status.SUBMITTED,
        target=Status.APPROVED,
        permission=roles(*SUPERVISOR_ROLES),
        custom={
            "label": _("Approve the content"),
            "event": "approved",
            "event_label": _("Content approved"),
            "style": "success",
        },
    )
    def approve(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.SUBMITTED,
        target=Status.REJECTED,
        permission=roles(*SUPERVISOR_ROLES),
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
        target=Status.COMPLETED,
        permission=roles(*DESK_ROLES),
        custom={"event": "completed", "event_label": _("Distributed and billed"), "internal": True},
    )
    def complete(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.SUBMITTED, Status.APPROVED],
        target=Status.CANCELLED,
        permission=desk_or_member,
        custom={
            "label": _("Withdraw"),
            "event": "withdrawn",
            "event_label": _("Withdrawn"),
            "confirm": _("Withdraw this request?"),
            "style": "outline-secondary",
        },
    )
    def withdraw(self, by=None):
        pass
