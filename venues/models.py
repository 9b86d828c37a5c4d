"""Venues 场地: the center's meeting rooms 会议室, its public space 公共场地 (lobby, plaza,
corridors, poster boards) and the commercial or cultural events 商业文化活动 held in them.

- ``Space``: one bookable place with its rules and rates, kept by supervisors in the admin. A
  poster board with N places is N spaces (each place is booked on its own).
- ``Booking``: one use of one space over ``[start, end)``, setup and teardown included. Every
  use of a space is a booking, whatever asked for it (a meeting-room booking, or one space of a
  public-space application or an event), so one exclusion constraint per space holds them all:
  live bookings (pending, booked, checked in, no-show, done) never overlap; a cancelled or
  rejected booking frees its slot, a pending one (its application still being decided) holds it.
- ``VenueApplication``: a public-space application or an event, approved by security (when a
  space or the crowd asks for it) and the supervisor, billed (fees and a facilities deposit),
  checked on site and closed with the deposit settled. It holds one booking per space it uses.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from billing.models import ZERO
from billing.payers import customer_key
from jinyuan.accounts.roles import DESK_ROLES, SUPERVISOR_ROLES, Role
from jinyuan.ranges import DateTimeRange, no_overlap
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import roles
from tenants.models import Tenant

# The portal area a company's admin opens to the staff who book meeting rooms and apply for space.
VENUES_AREA = "venues"


# The deadline steps' recipients of an application's first decision: security when it must
# approve, else the supervisors (venues.application_selectors.approvers_to_remind).
APPROVERS_TO_REMIND = "venue_approvers"

# Who checks a booking in or marks a no-show: the desk, and security at the door.
CHECK_IN_ROLES = (*DESK_ROLES, Role.SECURITY)
# Who changes the bookings of an application with it (approve, refuse, close): the desk,
# supervisors and security. These transitions are marked "internal": a booking's page shows no
# button for them (the application's page has the actions).
APPROVER_ROLES = (*DESK_ROLES, Role.SECURITY)


def desk_or_member(instance: "Booking", user) -> bool:
    """The desk, or a member of the booking's company who may open its venue bookings."""
    from tenants import grants

    if user and user.is_authenticated and user.has_role(*DESK_ROLES):
        return True
    return bool(instance.tenant_id) and grants.member_may_open(user, instance.tenant_id, VENUES_AREA)


def may_check_in(instance: "Booking", user) -> bool:
    """The desk and security, or a member of the booking's company (the QR at the room's door)."""
    if user and user.is_authenticated and user.has_role(*CHECK_IN_ROLES):
        return True
    return desk_or_member(instance, user)


def system_or_check_in_roles(instance: "Booking", user) -> bool:
    """The periodic no-show scan (no user), or the desk and security."""
    if user is None:
        return True
    return bool(user.is_authenticated and user.has_role(*CHECK_IN_ROLES))


def new_code() -> str:
    """The random code of a booking's door QR (check-in) and an event notice's gate QR."""
    return secrets.token_urlsafe(12)


class Space(models.Model):
    """A meeting room, or a piece of public space, with its rules and rates."""

    class Kind(models.TextChoices):
        MEETING_ROOM = "meeting_room", _("Meeting room")
        LOBBY = "lobby", _("Lobby")
        PLAZA = "plaza", _("Plaza")
        CORRIDOR = "corridor", _("Corridor")
        POSTER_BOARD = "poster_board", _("Poster board")
        OTHER = "other", _("Other public space")

    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.MEETING_ROOM, db_index=True)
    building = models.ForeignKey(
        "tenants.Building", verbose_name=_("building"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(_("where"), max_length=60, blank=True, help_text=_("e.g. 18F, next to the lifts"))
    capacity = models.PositiveIntegerField(_("capacity (people)"), default=0)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True)
    equipment = ArrayField(
        models.CharField(max_length=30),
        verbose_name=_("equipment"),
        default=list,
        blank=True,
        help_text=_("Comma-separated, e.g. projector,whiteboard,video conference"),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    opens = models.TimeField(_("open from"), default=dt.time(8, 0))
    closes = models.TimeField(_("open until"), default=dt.time(22, 0))
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=_("Meeting-room bookings start and end on multiples of this."),
    )
    max_hours = models.PositiveSmallIntegerField(_("longest meeting-room booking (hours)"), default=4)
    advance_days = models.PositiveSmallIntegerField(_("bookable days ahead"), default=60)
    # Meeting rooms: per started hour; a tenant's free hours per month come first.
    tenant_rate = models.DecimalField(
        _("hourly rate for tenants (CNY)"),
        max_digits=10,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    visitor_rate = models.DecimalField(
        _("hourly rate for non-tenants (CNY)"),
        max_digits=10,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    free_hours_per_month = models.DecimalField(
        _("free hours per tenant and month"),
        max_digits=5,
        decimal_places=1,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        help_text=_("Over all of a company's bookings of this room in one month; 0: none."),
    )
    # Public space: per day of use (items such as posters are priced by their own fee items).
    daily_rate = models.DecimalField(
        _("rate per day (CNY)"),
        max_digits=10,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    deposit = models.DecimalField(
        _("facilities deposit (CNY)"),
        max_digits=10,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
    )
    needs_security = models.BooleanField(
        _("security must approve"), default=False, help_text=_("Uses of this space also need security's approval.")
    )
    door_code = models.CharField(_("door QR code"), max_length=24, unique=True, default=new_code, editable=False)
    fee_item = models.ForeignKey(
        "billing.FeeItem",
        verbose_name=_("fee item billed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The bill line's fee item (e.g. venue fee); the price comes from the rates above."),
    )

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["building__code", "kind", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="space_opening_hours_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_meeting_room(self) -> bool:
        return self.kind == self.Kind.MEETING_ROOM


def _customer_key():
    return customer_key(_("customer"), "+")


class Booking(DeadlineLinks, Application):
    """One use of one space, ``[start, end)`` with setup and teardown included.

    A meeting-room booking (``application`` empty) is confirmed at once; a booking of an
    application follows it: pending while it is decided, booked once approved, cancelled when it
    is rejected or withdrawn, done when it closes. Whose it is: a tenant, a customer (a non-tenant
    payer), or neither (the property's own use)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        BOOKED = "booked", _("Booked")
        CHECKED_IN = "checked_in", _("Checked in")
        NO_SHOW = "no_show", _("No-show")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")
        REJECTED = "rejected", _("Rejected")

    LIVE = (Status.PENDING, Status.BOOKED, Status.CHECKED_IN, Status.NO_SHOW, Status.DONE)

    audit_prefix = "booking"
    desk_detail = "desk:venues:booking_detail"
    portal_detail = "portal:venues:booking_detail"
    event_labels = {
        "booked": _("Meeting room booked"),
        "billed": _("Fee billed"),
        "fee_voided": _("Fee bill voided"),
        "fee_kept": _("Fee kept (cancelled after the cut-off)"),
        "fee_paid_kept": _("Fee already paid: refund left to the desk"),
        "reminded": _("Reminder sent"),
    }

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.BOOKED, db_index=True)
    space = models.ForeignKey(Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="bookings")
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    tenant = models.ForeignKey(
        Tenant, verbose_name=_("company"), null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    customer = _customer_key()
    application = models.ForeignKey(
        "venues.VenueApplication",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    title = models.CharField(_("subject"), max_length=100, blank=True)
    attendees = models.PositiveIntegerField(_("attendees"), default=0)
    equipment = ArrayField(models.CharField(max_length=30), verbose_name=_("equipment"), default=list, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    billed_minutes = models.PositiveIntegerField(_("billed minutes"), default=0)
    free_minutes = models.PositiveIntegerField(_("free minutes (quota)"), default=0)
    fee = models.DecimalField(_("fee (CNY)"), max_digits=10, decimal_places=2, default=ZERO)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    code = models.CharField(_("door code"), max_length=24, unique=True, default=new_code, editable=False)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-start", "-id"]
        indexes = [
            models.Index(fields=["space", "start"], name="booking_space_start_idx"),
            models.Index(fields=["tenant", "-start", "-id"], name="booking_tenant_idx"),
            models.Index(fields=["start", "end"], name="booking_day_idx"),
            models.Index(fields=["start"], condition=Q(status="booked"), name="booking_booked_idx"),
        ]
        constraints = [
            *no_overlap(
                "booking",
                resource="space",
                message=_("This space is already in use at that time."),
                code="space_taken",
                range_function=DateTimeRange,
                condition=Q(status__in=["pending", "booked", "checked_in", "no_show", "done"]),
            ),
            models.CheckConstraint(
                condition=Q(tenant__isnull=True) | Q(customer__isnull=True), name="booking_at_most_one_payer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.space_id and self.space} {self.hours_text}"

    @property
    def hours_text(self) -> str:
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        if start.date() == end.date():
            return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
        return f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    # The meeting-room flow. A booking of an application changes with its application
    # (confirm, reject, cancel, complete), through the application's services.
    @transition(
        field="status",
        source=[Status.BOOKED, Status.PENDING],
        target=Status.CANCELLED,
        permission=desk_or_member,
        custom={
            "label": _("Cancel the booking"),
            "event": "cancelled",
            "event_label": _("Booking cancelled"),
            "confirm": _("Cancel this booking? The slot becomes free for others."),
            "style": "outline-danger",
        },
    )
    def cancel(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.BOOKED,
        target=Status.CHECKED_IN,
        permission=may_check_in,
        custom={"label": _("Check in"), "event": "checked_in", "event_label": _("Checked in"), "style": "success"},
    )
    def check_in(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.BOOKED,
        target=Status.NO_SHOW,
        permission=system_or_check_in_roles,
        custom={
            "label": _("No-show"),
            "event": "no_show",
            "event_label": _("Nobody came"),
            "style": "outline-secondary",
        },
    )
    def no_show(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.PENDING,
        target=Status.BOOKED,
        permission=roles(*APPROVER_ROLES),
        custom={"event": "confirmed", "event_label": _("Use approved"), "internal": True},
    )
    def confirm(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.PENDING,
        target=Status.REJECTED,
        permission=roles(*APPROVER_ROLES),
        custom={"event": "rejected", "event_label": _("Use refused"), "internal": True},
    )
    def reject(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.BOOKED, Status.CHECKED_IN],
        target=Status.DONE,
        permission=roles(*APPROVER_ROLES),
        custom={"event": "done", "event_label": _("Use finished"), "internal": True},
    )
    def complete(self, by=None):
        pass


# --- public-space applications and events -----------------------------------------------------

# Who takes part in an application's check on site: the desk, supervisors and security.
ON_SITE_ROLES = (*DESK_ROLES, Role.SECURITY)


def may_apply_for(instance: "VenueApplication", user) -> bool:
    """The desk, or a member of the application's company who may open venues: they may
    withdraw it."""
    return desk_or_member(instance, user)


def may_refuse(instance: "VenueApplication", user) -> bool:
    """Supervisors refuse at either step; security refuses only its own step (an application
    waiting for security's approval)."""
    if not (user and user.is_authenticated):
        return False
    if user.has_role(*SUPERVISOR_ROLES):
        return True
    return (
        user.has_role(Role.SECURITY)
        and instance.needs_security
        and instance.status == VenueApplication.Status.SUBMITTED
    )


def security_done(instance: "VenueApplication") -> bool:
    """The supervisor approves once security has (or when security need not)."""
    return instance.status == VenueApplication.Status.SECURITY_APPROVED or not instance.needs_security


def waits_for_security(instance: "VenueApplication") -> bool:
    return instance.needs_security


def approval_due(app: "VenueApplication", now: dt.datetime) -> dt.datetime:
    """A day to decide, and never after the setup begins."""
    return min(now + APPROVAL_TIME, app.booked_from)


def closing_due(app: "VenueApplication", now: dt.datetime) -> dt.datetime:
    """The closing check is due two hours after the teardown ends."""
    return app.booked_until + CLOSING_AFTER


CLOSING_AFTER = dt.timedelta(hours=2)
# How long each approval may take (calendar time: applications often come a few days ahead).
APPROVAL_TIME = dt.timedelta(days=1)


class VenueApplication(DeadlineLinks, Application):
    """A public-space application 公共场地使用申请 or an event 商业文化活动 (``kind``).

    Submitted → approved by security (when any space it uses says so, and for every event) →
    approved by the supervisor → billed (fees and deposit) → checked on site → closed with the
    deposit refunded less damage. Rejected or withdrawn frees its bookings."""

    class Kind(models.TextChoices):
        PUBLIC_SPACE = "public_space", _("Public space")
        EVENT = "event", _("Event")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SECURITY_APPROVED = "security_approved", _("Approved by security")
        APPROVED = "approved", _("Approved")
        IN_PROGRESS = "in_progress", _("Under way")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Withdrawn")

    OPEN = (Status.SUBMITTED, Status.SECURITY_APPROVED, Status.APPROVED, Status.IN_PROGRESS)

    audit_prefix = "venue_application"
    desk_detail = "desk:venues:application_detail"
    portal_detail = "portal:venues:application_detail"
    deadline_select_related = ("tenant", "customer")
    event_labels = {
        "submitted": _("Applied for"),
        "created": _("Applied for by the desk"),
        "billed": _("Fee and deposit billed"),
        "checked": _("Checked on site"),
        "deposit_settled": _("Deposit settled"),
        "damage_billed": _("Damage beyond the deposit billed"),
        "bill_voided": _("Unpaid bill voided"),
        "bill_kept": _("Paid bill left to the desk"),
        "licence_added": _("Licence attached"),
    }
    deadlines = (
        # The first decision: security's when it must approve, else the supervisor's.
        DeadlineSpec(
            kind="review",
            states=("submitted",),
            allowed=approval_due,
            steps=(
                Step(offset=-dt.timedelta(hours=4), to=(APPROVERS_TO_REMIND,)),
                Step(to=(APPROVERS_TO_REMIND,)),
                Step(offset=dt.timedelta(hours=4), to=(f"role:{Role.SUPERVISOR}",), escalation=True),
            ),
        ),
        # The supervisor's approval after security's.
        DeadlineSpec(
            kind="approval",
            states=("security_approved",),
            allowed=approval_due,
            steps=(
                Step(offset=-dt.timedelta(hours=4), to=(f"role:{Role.SUPERVISOR}",)),
                Step(to=(f"role:{Role.SUPERVISOR}",)),
            ),
        ),
        # The closing check (and the deposit's settlement) once the teardown is over.
        DeadlineSpec(
            kind="completion",
            states=("approved", "in_progress"),
            allowed=closing_due,
            steps=(
                Step(to=(f"role:{Role.FRONT_DESK}", f"role:{Role.SECURITY}")),
                Step(offset=dt.timedelta(days=1), to=(f"role:{Role.SUPERVISOR}",), escalation=True),
            ),
        ),
    )

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.SUBMITTED, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, db_index=True)
    number = models.CharField(_("number"), max_length=30, blank=True, db_index=True)
    tenant = models.ForeignKey(
        Tenant,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="venue_applications",
    )
    customer = _customer_key()
    title = models.CharField(_("title"), max_length=100)
    purpose = models.TextField(_("purpose"), max_length=2000)
    plan = models.TextField(_("plan"), max_length=4000, blank=True)
    area_m2 = models.DecimalField(_("area used (m²)"), max_digits=8, decimal_places=2, null=True, blank=True)
    # The use itself; each booking adds the setup before and the teardown after.
    use_start = models.DateTimeField(_("use from"))
    use_end = models.DateTimeField(_("use until"))
    setup_minutes = models.PositiveIntegerField(_("setup (minutes)"), default=0)
    teardown_minutes = models.PositiveIntegerField(_("teardown (minutes)"), default=0)
    # Events.
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)
    person_in_charge = models.CharField(_("person in charge"), max_length=40, blank=True)
    person_id_number = models.CharField(_("ID number of the person in charge"), max_length=18, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    expected_attendance = models.PositiveIntegerField(_("expected attendance"), default=0)
    safety_measures = models.TextField(_("safety measures"), max_length=4000, blank=True)
    emergency_plan = models.TextField(_("emergency plan"), max_length=4000, blank=True)
    needs_security = models.BooleanField(_("needs security's approval"), default=False)
    fee = models.DecimalField(_("fee (CNY)"), max_digits=12, decimal_places=2, default=ZERO)
    deposit = models.DecimalField(_("deposit (CNY)"), max_digits=12, decimal_places=2, default=ZERO)
    damage = models.DecimalField(_("damage deducted (CNY)"), max_digits=12, decimal_places=2, default=ZERO)
    code = models.CharField(_("notice code"), max_length=24, unique=True, default=new_code, editable=False)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True)
    # The event notice 活动通知 shown to the guards (kernel document, valid over the use).
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("event notice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("venue application")
        verbose_name_plural = _("venue applications")
        ordering = ["-use_start", "-id"]
        indexes = [
            models.Index(fields=["tenant", "-use_start", "-id"], name="venueapp_tenant_idx"),
            models.Index(fields=["-use_start", "-id"], name="venueapp_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(tenant__isnull=True) | Q(customer__isnull=True), name="venueapp_at_most_one_payer"
            ),
            models.CheckConstraint(condition=Q(use_end__gt=F("use_start")), name="venueapp_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.number or self.title

    @property
    def is_event(self) -> bool:
        return self.kind == self.Kind.EVENT

    @property
    def setup(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.setup_minutes)

    @property
    def teardown(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.teardown_minutes)

    @property
    def booked_from(self) -> dt.datetime:
        """The spaces are held from the setup on."""
        return self.use_start - self.setup

    @property
    def booked_until(self) -> dt.datetime:
        return self.use_end + self.teardown

    @property
    def window_text(self) -> str:
        start, end = timezone.localtime(self.use_start), timezone.localtime(self.use_end)
        if start.date() == end.date():
            return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"
        return f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"

    @property
    def payer_name(self) -> str:
        """The company or the customer who pays (read from what the page joined)."""
        if self.tenant_id:
            return self.tenant.name
        if self.customer_id:
            return self.customer.name
        return ""

    @property
    def payer(self):
        return self.tenant if self.tenant_id else self.customer

    @property
    def deadline_label(self) -> str:
        return f"{self.number or self.title} · {self.payer_name}"

    # Declared transitions; their side effects (bookings, bills, the notice) are in
    # venues.applications.
    @transition(
        field="status",
        source=Status.SUBMITTED,
        target=Status.SECURITY_APPROVED,
        permission=roles(Role.SECURITY),
        conditions=[waits_for_security],
        custom={
            "label": _("Security: approve"),
            "event": "security_approved",
            "event_label": _("Approved by security"),
            "style": "success",
        },
    )
    def security_approve(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.SUBMITTED, Status.SECURITY_APPROVED],
        target=Status.APPROVED,
        permission=roles(*SUPERVISOR_ROLES),
        conditions=[security_done],
        custom={
            "label": _("Supervisor: approve"),
            "event": "approved",
            "event_label": _("Approved by the supervisor: bookings confirmed and billed"),
            "style": "success",
        },
    )
    def approve(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.SUBMITTED, Status.SECURITY_APPROVED],
        target=Status.REJECTED,
        permission=may_refuse,
        custom={
            "label": _("Refuse"),
            "event": "rejected",
            "event_label": _("Refused"),
            "style": "danger",
            "needs_note": True,
        },
    )
    def reject(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.SUBMITTED, Status.SECURITY_APPROVED, Status.APPROVED],
        target=Status.CANCELLED,
        permission=may_apply_for,
        custom={
            "label": _("Withdraw"),
            "event": "withdrawn",
            "event_label": _("Withdrawn"),
            "confirm": _("Withdraw this application? Its spaces become free for others."),
            "style": "outline-secondary",
        },
    )
    def withdraw(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.APPROVED,
        target=Status.IN_PROGRESS,
        permission=roles(*ON_SITE_ROLES),
        custom={"event": "started", "event_label": _("Under way: first check on site"), "internal": True},
    )
    def start(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.APPROVED, Status.IN_PROGRESS],
        target=Status.CLOSED,
        permission=roles(*ON_SITE_ROLES),
        custom={"event": "closed", "event_label": _("Closing check done: closed"), "internal": True},
    )
    def close(self, by=None):
        pass


class ApplicationItem(models.Model):
    """A priced item of a public-space application: posters per sheet per day (at most 15
    days), banners per piece per day, stalls per day."""

    application = models.ForeignKey(
        VenueApplication, verbose_name=_("application"), on_delete=models.PROTECT, related_name="items"
    )
    fee_item = models.ForeignKey("billing.FeeItem", verbose_name=_("item"), on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    days = models.PositiveIntegerField(_("days"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price (CNY)"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("application item")
        verbose_name_plural = _("application items")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.fee_item_id and self.fee_item.name} × {self.quantity} × {self.days}"

    @property
    def amount(self):
        return self.unit_price * self.quantity * self.days


class SiteCheck(models.Model):
    """An on-site check of an application or event: during the use, or the closing check after
    it (which states the damage deducted from the deposit)."""

    class Kind(models.TextChoices):
        DURING = "during", _("During the use")
        CLOSING = "closing", _("Closing check")

    application = models.ForeignKey(
        VenueApplication, verbose_name=_("application"), on_delete=models.PROTECT, related_name="checks"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("checked at"), default=timezone.now)
    in_order = models.BooleanField(_("in order"), default=True)
    note = models.TextField(_("findings"), max_length=2000, blank=True)
    damage = models.DecimalField(
        _("damage (CNY)"), max_digits=12, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )

    class Meta:
        verbose_name = _("site check")
        verbose_name_plural = _("site checks")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
