"""A tenant's life in the building: move-in (迁入), move-out (迁出), directory signboards (水牌)."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import Role
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step, on_date
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import DESK, SUPERVISOR

from .premises import Building, LateFeeTerms, TenantOwned, Unit, late_fee_constraints


def reading(verbose_name) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )


def count(verbose_name) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose_name, null=True, blank=True, validators=[MaxValueValidator(500)])


def checklist_complete(process: str):
    def condition(instance) -> bool:
        from ..checklists import CHECKLISTS

        return CHECKLISTS[process].complete(instance)

    return condition


class TenantLinks(DeadlineLinks):
    """A tenant's process in reminders: the scan loads the tenant with the records."""

    deadline_select_related = ("tenant",)


class MoveIn(LateFeeTerms, TenantLinks, TenantOwned, Application):
    """A move-in; the agreement's late-fee terms recorded at signing pass to its occupancies."""

    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    audit_prefix = "movein"
    event_labels = {
        "opened": _("Move-in opened"),
        "agreement_signed": _("Agreement signed"),
        "keys_handed": _("Keys handed over"),
        "unit_inspected": _("Unit inspected"),
        "signboard_waived": _("No signboard wanted"),
        "portal_invited": _("Portal invitation sent"),
        "ready": _("Ready to confirm"),
    }
    status = FSMField(_("status"), max_length=30, choices=Status, default=Status.OPEN, db_index=True)
    start_date = models.DateField(_("lease start"))
    # The last day of the lease, inclusive (the occupancy's exclusive end is the day after).
    lease_end = models.DateField(_("lease end"), null=True, blank=True)
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    agreement_signer = models.CharField(_("signed by (tenant side)"), max_length=40, blank=True)
    signboard_not_needed = models.BooleanField(_("no signboard wanted"), default=False)
    note = models.TextField(_("note"), blank=True)
    # When every checklist item was done (services.readiness): what the supervisor's panel counts.
    ready_at = models.DateTimeField(_("ready to confirm since"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("move-in")
        verbose_name_plural = _("move-ins")
        ordering = ["-created_at", "-id"]
        constraints = late_fee_constraints("movein")

    # Confirmed by the end of the lease-start day: the desk reminded the day before, the
    # supervisor when due and a day late.
    deadlines = (
        DeadlineSpec(
            kind="confirmation",
            states=("open",),
            allowed=on_date("start_date"),
            steps=(
                Step(offset=-timedelta(days=1), to=(f"role:{Role.FRONT_DESK}",)),
                Step(to=(f"role:{Role.SUPERVISOR}",)),
                Step(offset=timedelta(days=1), to=(f"role:{Role.SUPERVISOR}",), escalation=True),
            ),
        ),
    )
    desk_detail = "desk:tenants:movein_detail"
    portal_detail = "portal:tenants:movein_detail"

    def __str__(self) -> str:
        return f"{self.tenant} · {self.start_date:%Y-%m-%d}"

    @transition(
        field="status",
        source=Status.OPEN,
        target=Status.CONFIRMED,
        permission=SUPERVISOR,
        conditions=[checklist_complete("move_in")],
        custom={
            "label": _("Confirm move-in"),
            "event": "confirmed",
            "event_label": _("Move-in confirmed"),
            "style": "success",
        },
    )
    def confirm(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.OPEN,
        target=Status.CANCELLED,
        permission=SUPERVISOR,
        custom={
            "label": _("Cancel move-in"),
            "event": "cancelled",
            "event_label": _("Move-in cancelled"),
            "confirm": _("Cancel this move-in? Its checklist stops here."),
            "style": "outline-danger",
            "needs_note": True,
        },
    )
    def cancel(self, by=None):
        pass


class MoveInUnit(models.Model):
    """One unit of a move-in: handover of the keys, and the handover inspection. Access cards
    are access passes of their own (permits), each opening the floors it lists."""

    move_in = models.ForeignKey(MoveIn, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    keys_handed = count(_("keys handed over"))
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handed_over_at = models.DateTimeField(null=True, blank=True)
    water_reading = reading(_("water meter (m³)"))
    electricity_reading = reading(_("electricity meter (kWh)"))
    condition = models.TextField(_("condition"), blank=True)
    photo = models.ForeignKey(
        "attachments.Attachment",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inspected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("unit handed over")
        verbose_name_plural = _("units handed over")
        ordering = ["unit__number"]
        constraints = [models.UniqueConstraint(fields=["move_in", "unit"], name="uniq_unit_per_move_in")]

    def __str__(self) -> str:
        return str(self.unit)


class MoveOut(TenantLinks, TenantOwned, Application):
    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    audit_prefix = "moveout"
    event_labels = {
        "opened": _("Move-out opened"),
        "keys_returned": _("Keys returned"),
        "unit_inspected": _("Final inspection"),
    }
    status = FSMField(_("status"), max_length=30, choices=Status, default=Status.OPEN, db_index=True)
    planned_date = models.DateField(_("planned move-out date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("move-out")
        verbose_name_plural = _("move-outs")
        ordering = ["-created_at", "-id"]

    # Completed by the end of the planned day: the desk and the tenant's admins reminded two
    # days before (keys, access cards, final readings), the supervisor when due and a day late.
    deadlines = (
        DeadlineSpec(
            kind="completion",
            states=("open",),
            allowed=on_date("planned_date"),
            steps=(
                Step(offset=-timedelta(days=2), to=(f"role:{Role.FRONT_DESK}", "tenant_admins")),
                Step(to=(f"role:{Role.SUPERVISOR}",)),
                Step(offset=timedelta(days=1), to=(f"role:{Role.SUPERVISOR}",), escalation=True),
            ),
        ),
    )
    desk_detail = "desk:tenants:moveout_detail"
    portal_detail = "portal:tenants:moveout_detail"

    def __str__(self) -> str:
        return f"{self.tenant} · {self.planned_date:%Y-%m-%d}"

    @transition(
        field="status",
        source=Status.OPEN,
        target=Status.COMPLETED,
        permission=SUPERVISOR,
        conditions=[checklist_complete("move_out")],
        custom={
            "label": _("Complete move-out"),
            "event": "completed",
            "event_label": _("Move-out completed"),
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
            "label": _("Cancel move-out"),
            "event": "cancelled",
            "event_label": _("Move-out cancelled"),
            "confirm": _("Cancel this move-out? The company stays in its units."),
            "style": "outline-danger",
            "needs_note": True,
        },
    )
    def cancel(self, by=None):
        pass


class MoveOutUnit(models.Model):
    """One unit of a move-out: keys back, final inspection and meter readings (access cards are
    passes of their own: a checklist item of permits)."""

    move_out = models.ForeignKey(MoveOut, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    occupancy = models.ForeignKey("tenants.Occupancy", on_delete=models.PROTECT, related_name="+")
    keys_returned = count(_("keys returned"))
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    water_reading = reading(_("final water meter (m³)"))
    electricity_reading = reading(_("final electricity meter (kWh)"))
    damage = models.TextField(_("damage found"), blank=True)
    damage_charge = models.DecimalField(
        _("damage charge (CNY)"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inspected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("unit handed back")
        verbose_name_plural = _("units handed back")
        ordering = ["unit__number"]
        constraints = [models.UniqueConstraint(fields=["move_out", "unit"], name="uniq_unit_per_move_out")]

    def __str__(self) -> str:
        return str(self.unit)


class Signboard(TenantOwned, Application):
    """A company's line on a directory board (水牌) in the lobby or on a floor."""

    class Status(models.TextChoices):
        ORDERED = "ordered", _("Ordered")
        APPROVED = "approved", _("Text approved")
        PRODUCED = "produced", _("Produced")
        INSTALLED = "installed", _("Installed")
        REJECTED = "rejected", _("Rejected")
        REMOVED = "removed", _("Removed")

    class Position(models.TextChoices):
        LOBBY = "lobby", _("Lobby directory")
        FLOOR = "floor", _("Floor directory")

    audit_prefix = "signboard"
    event_labels = {"ordered": _("Signboard ordered")}
    status = FSMField(_("status"), max_length=30, choices=Status, default=Status.ORDERED, db_index=True)
    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("board position"), max_length=10, choices=Position, default=Position.LOBBY)
    floor_number = models.SmallIntegerField(_("floor"), null=True, blank=True)
    text = models.CharField(_("text"), max_length=60)
    text_en = models.CharField(_("English text"), max_length=100, blank=True)
    # A supervisor may allow a text other than the registered company name (e.g. a brand).
    name_mismatch_allowed = models.BooleanField(_("text other than the registered name allowed"), default=False)
    replaces = models.ForeignKey(
        "self", verbose_name=_("replaces"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    removed_on = models.DateField(_("removed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("signboard")
        verbose_name_plural = _("signboards")
        ordering = ["building__code", "position", "floor_number", "text"]
        indexes = [models.Index(fields=["building", "status"])]

    def __str__(self) -> str:
        return self.text

    @property
    def text_matches_name(self) -> bool:
        return self.text.strip() == self.tenant.name.strip()

    @property
    def location(self) -> str:
        if self.position == self.Position.FLOOR and self.floor_number is not None:
            return f"{self.building.name} {self.floor_number}F"
        return f"{self.building.name} {self.get_position_display()}"

    @transition(
        field="status",
        source=Status.ORDERED,
        target=Status.APPROVED,
        permission=DESK,
        conditions=[lambda s: s.text_matches_name or s.name_mismatch_allowed],
        custom={
            "label": _("Approve the text"),
            "event": "approved",
            "event_label": _("Text approved"),
            "style": "primary",
        },
    )
    def approve(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ORDERED,
        target=Status.ORDERED,
        permission=SUPERVISOR,
        conditions=[lambda s: not s.text_matches_name and not s.name_mismatch_allowed],
        custom={
            "label": _("Allow text other than the registered name"),
            "event": "mismatch_allowed",
            "event_label": _("Text other than the registered name allowed"),
            "changes": {"name_mismatch_allowed": True},
            "style": "outline-primary",
            "needs_note": True,
        },
    )
    def allow_mismatch(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ORDERED,
        target=Status.REJECTED,
        permission=DESK,
        custom={
            "label": _("Reject"),
            "event": "rejected",
            "event_label": _("Signboard rejected"),
            "style": "outline-danger",
            "needs_note": True,
        },
    )
    def reject(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.APPROVED,
        target=Status.PRODUCED,
        permission=DESK,
        custom={"label": _("Mark produced"), "event": "produced", "event_label": _("Produced"), "style": "primary"},
    )
    def produce(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.PRODUCED,
        target=Status.INSTALLED,
        permission=DESK,
        custom={"label": _("Mark installed"), "event": "installed", "event_label": _("Installed"), "style": "success"},
    )
    def install(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.INSTALLED,
        target=Status.REMOVED,
        permission=DESK,
        custom={
            "label": _("Mark removed"),
            "event": "removed",
            "changes": {"removed_on": timezone.localdate},
            "event_label": _("Removed"),
            "style": "outline-secondary",
        },
    )
    def remove(self, by=None):
        pass
