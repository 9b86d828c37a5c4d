"""报修 repair tickets (issue 11): categories set by the admin, tickets from the desk or portal."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django_fsm import GET_STATE, FSMField, transition

from jinyuan.accounts.roles import DESK_ROLES, SUPERVISOR_ROLES, Role
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import DESK, SUPERVISOR, roles

# The portal area of repairs (tenants.grants): a company's staff see its repairs with the grant.
REPAIRS_AREA = "repairs"
ENGINEERS = roles(Role.ENGINEERING, *SUPERVISOR_ROLES)
DISPATCHERS = roles(*DESK_ROLES, *SUPERVISOR_ROLES)


def the_assignee(instance: "RepairTicket", user) -> bool:
    """The engineer the ticket is assigned to (a supervisor may act for them)."""
    if not (user and user.is_authenticated):
        return False
    return instance.assignee_id == user.pk or SUPERVISOR(instance, user)


def pooled_by(instance: "RepairTicket", user) -> bool:
    """The desk puts a ticket in the pool; a pool-mode category's ticket goes there as it is
    reported, so its reporter (a tenant in the portal) may take that one step too."""
    if DISPATCHERS(instance, user):
        return True
    return bool(
        user
        and user.is_authenticated
        and instance.applicant_id == user.pk
        and instance.category.dispatch == RepairCategory.Dispatch.POOL
    )


def quote_proposer(instance: "RepairTicket", user) -> bool:
    """Who may propose or revise a paid repair's quote: the assigned engineer, or the desk."""
    return the_assignee(instance, user) or DISPATCHERS(instance, user)


def tenant_or_desk(instance: "RepairTicket", user) -> bool:
    """A user of the ticket's company who may open its repairs (admins, staff with the grant),
    or the desk acting for the tenant, who reads it on the desk's screen: who answers a quote
    and signs off the work. Other staff never (and at no query's cost)."""
    if not (user and user.is_authenticated):
        return False
    if DISPATCHERS(instance, user):
        return True
    if user.is_desk_staff:
        return False
    from tenants.grants import member_may_open

    return member_may_open(user, instance.tenant_id, REPAIRS_AREA)


def system_only(instance: "RepairTicket", user) -> bool:
    """No person: the auto-close task runs it as ``by=None``."""
    return user is None


def _reopen_target(instance: "RepairTicket", by=None) -> str:
    """Back to the engineer who did the work; without one, to the desk or the pool as the
    category dispatches."""
    if instance.assignee_id:
        return "dispatched"
    return "pooled" if instance.category.dispatch == RepairCategory.Dispatch.POOL else "reported"


class RepairCategory(models.Model):
    """A kind of repair (water, power, lock, air conditioning ...), set up in the admin."""

    class Dispatch(models.TextChoices):
        ASSIGN = "assign", _("Assigned by the desk")
        POOL = "pool", _("Taken by engineers from the pool")

    name = models.CharField(_("name"), max_length=40, unique=True)
    response_minutes = models.PositiveIntegerField(_("response time (minutes)"), default=30)
    completion_hours = models.PositiveIntegerField(_("completion time (hours)"), default=24)
    working_hours_only = models.BooleanField(_("counted in working hours"), default=False)
    emergency = models.BooleanField(_("emergency (on site in 15 minutes)"), default=False)
    paid = models.BooleanField(_("paid service"), default=False)
    price_range = models.CharField(_("price range shown to the tenant"), max_length=60, blank=True)
    dispatch = models.CharField(_("dispatch mode"), max_length=10, choices=Dispatch, default=Dispatch.ASSIGN)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("repair category")
        verbose_name_plural = _("repair categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.emergency:
            self.response_minutes = min(self.response_minutes or 15, 15)
        super().save(*args, **kwargs)


def _allowed(field: str, unit: timedelta, working: bool):
    """``allowed`` of a deadline the category sets: its time from the report, counted in
    calendar time or in working hours as the category says (the other spec of the pair gives
    None and so does not start)."""

    def due(ticket: "RepairTicket", now):
        category = ticket.category
        if category.working_hours_only != working:
            return None
        amount = unit * getattr(category, field)
        if not working:
            return now + amount
        from jinyuan.workflow.calendar import load_calendar

        return load_calendar().add(now, amount)

    return due


# Response runs until the engineer is on site; completion until the work is done, paused while
# waiting for parts or for the tenant. Both start at the report.
RESPONSE_STATES = ("reported", "dispatched", "pooled", "accepted")
COMPLETION_STATES = (*RESPONSE_STATES, "on_site")
# "repair_engineers": the assignee, or every engineer while the ticket waits in the pool with
# nobody on it (a resolver registered in RepairsConfig.ready, see repairs.selectors).
ENGINEERS_TO_REMIND = "repair_engineers"
REMIND_ENGINEER = Step(offset=-timedelta(minutes=5), to=(ENGINEERS_TO_REMIND,))
ESCALATE = Step(to=(f"role:{Role.SUPERVISOR}",), escalation=True)
# Still late half an hour after the escalation: the supervisor hears again ("overdue"), once.
ESCALATE_AGAIN = Step(offset=timedelta(minutes=30), to=(f"role:{Role.SUPERVISOR}",), escalation=True)


def _specs(kind: str, states: tuple[str, ...], field: str, unit: timedelta, remind: Step, **extra):
    return tuple(
        DeadlineSpec(
            kind=kind + ("_wh" if working else ""),
            states=states,
            allowed=_allowed(field, unit, working),
            working_hours=working,
            steps=(remind, ESCALATE, ESCALATE_AGAIN),
            **extra,
        )
        for working in (False, True)
    )


class RepairTicket(DeadlineLinks, Application):
    """报修单: one fault reported by a tenant (portal), by phone to the desk, or for a public area.

    ``tenant`` is empty for a public area (lobby, stairs ...); ``place`` then says where. A
    ticket may come from another record (a patrol finding, an inquiry): ``source``. Quotes, bills
    and the tenant's sign-off come in a later part; ``closed`` is the state they end in.
    """

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        DISPATCHED = "dispatched", _("Assigned")
        POOLED = "pooled", _("Waiting in the pool")
        ACCEPTED = "accepted", _("Accepted")
        ON_SITE = "on_site", _("On site")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")
        EMERGENCY = "emergency", _("Emergency")

    class PauseReason(models.TextChoices):
        PARTS = "parts", _("Waiting for parts")
        TENANT = "tenant", _("Waiting for the tenant")

    OPEN = (Status.REPORTED, Status.DISPATCHED, Status.POOLED, Status.ACCEPTED, Status.ON_SITE, Status.PAUSED)

    audit_prefix = "repair"
    RESPONSE_KINDS = ("response", "response_wh")
    COMPLETION_KINDS = ("completion", "completion_wh")
    deadlines = (
        *_specs("response", RESPONSE_STATES, "response_minutes", timedelta(minutes=1), REMIND_ENGINEER),
        *_specs(
            "completion",
            COMPLETION_STATES,
            "completion_hours",
            timedelta(hours=1),
            Step(offset=-timedelta(hours=1), to=(ENGINEERS_TO_REMIND,)),
            pause_in=("paused",),
        ),
    )
    # Reminders link here; an engineer opening the desk page is sent on to their phone page.
    desk_detail = "desk:repairs:ticket_detail"
    portal_detail = "portal:repairs:ticket_detail"
    deadline_select_related = ("category",)
    event_labels = {"reported": _("Repair reported"), "visit_chosen": _("Chosen for a return visit")}

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.REPORTED, db_index=True)
    number = models.CharField(_("number"), max_length=20, unique=True)
    tenant = models.ForeignKey(
        "tenants.Tenant",
        verbose_name=_("tenant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repairtickets",
    )
    unit = models.ForeignKey(
        "tenants.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField(_("place"), max_length=100, blank=True)
    reporter_name = models.CharField(_("reporter"), max_length=40)
    phone = models.CharField(_("phone"), max_length=20)
    category = models.ForeignKey(
        RepairCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="tickets"
    )
    description = models.TextField(_("description"), max_length=1000)
    preferred_time = models.CharField(_("preferred time"), max_length=60, blank=True)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency, default=Urgency.NORMAL)
    source_type = models.ForeignKey(
        ContentType, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.BigIntegerField(_("source record"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("engineer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pause_reason = models.CharField(_("pause reason"), max_length=10, choices=PauseReason, blank=True)
    materials = models.TextField(_("materials used"), blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Feedback part: how often the tenant (or a return visit) found the work not done.
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    class Meta:
        verbose_name = _("repair ticket")
        verbose_name_plural = _("repair tickets")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "-created_at", "-id"], name="repair_tenant_idx"),
            models.Index(fields=["-created_at", "-id"], name="repair_created_idx"),
            models.Index(fields=["assignee", "status"], name="repair_assignee_idx"),
            models.Index(fields=["source_type", "source_id"], name="repair_source_idx"),
            # The desk register: a status filter in report order; the search by phone (a
            # prefix) and by caller or place (contains: trigrams on what icontains compares).
            models.Index(fields=["status", "-created_at", "-id"], name="repair_status_created_idx"),
            models.Index(fields=["phone"], opclasses=["varchar_pattern_ops"], name="repair_phone_prefix_idx"),
            GinIndex(OpClass(Upper("reporter_name"), name="gin_trgm_ops"), name="repair_reporter_trgm_idx"),
            GinIndex(OpClass(Upper("place"), name="gin_trgm_ops"), name="repair_place_trgm_idx"),
            # The monthly statistics (complaints.statistics): tickets completed in a month.
            models.Index(
                fields=["completed_at"], condition=models.Q(completed_at__isnull=False), name="repair_completed_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def where(self) -> str:
        return str(self.unit) if self.unit_id else self.place

    @property
    def followup_contact(self) -> str:
        """Who the desk calls back for a return visit: company, reporter and phone (the
        follow-up worklist loads ``tenant`` with the record)."""
        company = self.tenant.name if self.tenant_id else ""
        return " · ".join(part for part in (company, self.reporter_name, self.phone) if part)

    @transition(
        field="status",
        source=Status.REPORTED,
        target=Status.DISPATCHED,
        permission=DISPATCHERS,
        custom={"label": _("Assign"), "event": "dispatched", "event_label": _("Assigned to an engineer")},
    )
    def dispatch(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.REPORTED,
        target=Status.POOLED,
        permission=pooled_by,
        custom={"label": _("Put in the pool"), "event": "pooled", "event_label": _("Put in the pool")},
    )
    def pool(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.DISPATCHED, Status.ACCEPTED],
        target=Status.DISPATCHED,
        permission=DISPATCHERS,
        custom={
            "label": _("Hand over"),
            "event": "handed_over",
            "event_label": _("Handed over to another engineer"),
            "needs_note": True,
        },
    )
    def hand_over(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.POOLED,
        target=Status.ACCEPTED,
        permission=ENGINEERS,
        custom={"label": _("Take"), "event": "taken", "event_label": _("Taken from the pool")},
    )
    def take(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.DISPATCHED,
        target=Status.ACCEPTED,
        permission=the_assignee,
        custom={"label": _("Accept"), "event": "accepted", "event_label": _("Accepted by the engineer")},
    )
    def accept(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ACCEPTED,
        target=Status.ON_SITE,
        permission=the_assignee,
        custom={"label": _("Arrived"), "event": "arrived", "event_label": _("Engineer on site")},
    )
    def arrive(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ON_SITE,
        target=Status.PAUSED,
        permission=the_assignee,
        custom={"label": _("Pause"), "event": "paused", "event_label": _("Paused")},
    )
    def pause(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.PAUSED,
        target=Status.ON_SITE,
        permission=the_assignee,
        custom={"label": _("Resume"), "event": "resumed", "event_label": _("Resumed")},
    )
    def resume(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ON_SITE,
        target=Status.COMPLETED,
        permission=the_assignee,
        custom={"label": _("Complete"), "event": "completed", "event_label": _("Repair completed")},
    )
    def complete(self, by=None):
        pass

    # Paid repairs (quotes: repairs.quotes). Proposing on site pauses the work for the tenant's
    # answer (completion pauses with it); accepting resumes it; declining ends the ticket.
    @transition(
        field="status",
        source=Status.ON_SITE,
        target=Status.PAUSED,
        permission=quote_proposer,
        custom={
            "label": _("Propose a quote"),
            "event": "quote_proposed",
            "event_label": _("Quote proposed: waiting for the tenant"),
        },
    )
    def await_quote(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.PAUSED,
        target=Status.ON_SITE,
        permission=tenant_or_desk,
        custom={"label": _("Accept the quote"), "event": "quote_accepted", "event_label": _("Quote accepted")},
    )
    def accept_quote(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.ACCEPTED, Status.ON_SITE, Status.PAUSED],
        target=Status.CANCELLED,
        permission=tenant_or_desk,
        custom={
            "label": _("Decline the quote"),
            "event": "quote_declined",
            "event_label": _("Quote declined: the repair ends"),
        },
    )
    def decline_quote(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.COMPLETED,
        target=Status.CLOSED,
        permission=DESK,
        custom={"label": _("Close"), "event": "closed", "event_label": _("Closed")},
    )
    def close(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.REPORTED, Status.DISPATCHED, Status.POOLED],
        target=Status.CANCELLED,
        permission=DISPATCHERS,
        custom={"label": _("Cancel"), "event": "cancelled", "event_label": _("Cancelled"), "needs_note": True},
    )
    def cancel(self, by=None):
        pass

    # --- feedback part: sign-off, reopen, auto-close ------------------------------------------

    @transition(
        field="status",
        source=Status.COMPLETED,
        target=Status.CLOSED,
        permission=tenant_or_desk,
        custom={
            "label": _("Sign off"),
            "event": "signed_off",
            "event_label": _("Signed off by the tenant"),
            # Run by the sign-off form (ratings), never as a bare button.
            "form": "sign_off",
        },
    )
    def sign_off(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.COMPLETED, Status.CLOSED],
        target=GET_STATE(_reopen_target, states=[Status.DISPATCHED, Status.REPORTED, Status.POOLED]),
        permission=tenant_or_desk,
        custom={
            "label": _("Reopen"),
            "event": "reopened",
            "event_label": _("Reopened: the tenant is not satisfied"),
            "needs_note": True,
            "form": "sign_off",
        },
    )
    def reopen(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.COMPLETED,
        target=Status.CLOSED,
        permission=system_only,
        custom={
            "label": _("Close automatically"),
            "event": "auto_closed",
            "event_label": _("Closed: no feedback in 7 days"),
        },
    )
    def auto_close(self, by=None):
        pass


# --- paid repairs: quotes (repairs.quotes) -------------------------------------------------------


def _money(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class RepairQuote(models.Model):
    """报价: what a paid repair will cost, from the price list in force on ``quoted_on`` (labour
    lines) plus materials. The tenant accepts it (portal, or at the desk) before work starts;
    on completion the accepted quote is billed (``bill``)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        SUPERSEDED = "superseded", _("Superseded")

    class Via(models.TextChoices):
        PORTAL = "portal", _("In the portal")
        DESK = "desk", _("At the desk")

    LIVE = (Status.PROPOSED, Status.ACCEPTED)

    ticket = models.ForeignKey(
        RepairTicket, verbose_name=_("repair ticket"), on_delete=models.PROTECT, related_name="quotes"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PROPOSED)
    quoted_on = models.DateField(_("priced on"))
    total = _money(verbose_name=_("total"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_via = models.CharField(_("decided"), max_length=10, choices=Via, blank=True)
    bill = models.OneToOneField(
        "billing.Bill", verbose_name=_("bill"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("repair quote")
        verbose_name_plural = _("repair quotes")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            # One live quote a ticket: a new proposal supersedes the open one in its transaction.
            models.UniqueConstraint(
                fields=["ticket"], condition=models.Q(status__in=["proposed", "accepted"]), name="one_live_quote"
            ),
            models.CheckConstraint(condition=models.Q(total__gte=0), name="quote_total_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} · {self.total}"


class RepairQuoteLine(models.Model):
    """Labour (or another service) from the price list × quantity, at the price quoted."""

    quote = models.ForeignKey(RepairQuote, on_delete=models.PROTECT, related_name="lines")
    fee_item = models.ForeignKey("billing.FeeItem", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=4)
    unit_price = _money(verbose_name=_("unit price"))
    reason = models.CharField(_("reason for another price"), max_length=200, blank=True)
    amount = _money(verbose_name=_("amount"))

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gt=0), name="quote_line_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.fee_item_id} × {self.quantity}"


class RepairQuoteMaterial(models.Model):
    """Materials charged at cost on top of an item marked "materials extra"."""

    quote = models.ForeignKey(RepairQuote, on_delete=models.PROTECT, related_name="materials")
    description = models.CharField(_("material"), max_length=120)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=4)
    unit_price = _money(verbose_name=_("unit price"))
    amount = _money(verbose_name=_("amount"))

    class Meta:
        verbose_name = _("quote material")
        verbose_name_plural = _("quote materials")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="quote_material_quantity_positive")
        ]

    def __str__(self) -> str:
        return self.description


class RepairRating(models.Model):
    """The tenant's sign-off of one completion: three ratings 1-5 and satisfied or not.

    One row per completion (``round`` = the ticket's reopen count when it was signed off): a
    reopened ticket is rated again after the next completion. ``engineer`` and ``category``
    are copied from the ticket at sign-off so statistics average per engineer and category
    without following later hand-overs.
    """

    SCORES = [(n, str(n)) for n in range(1, 6)]

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Portal")
        DESK = "desk", _("At the desk")

    ticket = models.ForeignKey(
        RepairTicket, verbose_name=_("repair ticket"), on_delete=models.PROTECT, related_name="ratings"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=0)
    overall = models.PositiveSmallIntegerField(_("overall"), choices=SCORES)
    speed = models.PositiveSmallIntegerField(_("speed"), choices=SCORES)
    service = models.PositiveSmallIntegerField(_("service"), choices=SCORES)
    satisfied = models.BooleanField(_("satisfied"))
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("engineer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.ForeignKey(RepairCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("signed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("repair rating")
        verbose_name_plural = _("repair ratings")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A second sign-off of the same completion cannot add a row (transition() refuses
            # it first; this is the database's word on it).
            models.UniqueConstraint(fields=["ticket", "round"], name="repair_rating_once_per_round"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{f}__gte": 1, f"{f}__lte": 5}), name=f"repair_rating_{f}_1_5"
                )
                for f in ("overall", "speed", "service")
            ),
        ]
        indexes = [
            models.Index(fields=["engineer", "created_at"], name="repair_rating_engineer_idx"),
            models.Index(fields=["category", "created_at"], name="repair_rating_category_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}/{self.round}: {self.overall}/{self.speed}/{self.service}"
