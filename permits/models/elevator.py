"""专用货梯: freight elevators and their booked slots."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import DESK_ROLES, Role
from jinyuan.ranges import DateTimeRange, no_overlap
from jinyuan.workflow.deadlines import DeadlineLinks
from jinyuan.workflow.models import Application
from tenants.models import Tenant, TenantOwned

# The portal area a company's admin opens to the staff who book the freight elevator.
ELEVATOR_AREA = "elevator"
# Who runs the lift for a booking and marks it done or missed: the desk, engineering, security.
OPERATOR_ROLES = (*DESK_ROLES, Role.ENGINEERING, Role.SECURITY)


class FreightElevator(models.Model):
    """A freight elevator 专用货梯 and its booking rules, kept by supervisors in the admin.

    ``opens``–``closes`` are the hours it can be booked at all; ``office_opens``–``office_closes``
    (on working days of the kernel's working calendar) the hours it is free of charge, up to
    ``free_hours`` per company and day; every other started hour is billed at ``fee_item``'s price."""

    name = models.CharField(_("name"), max_length=40)
    building = models.ForeignKey(
        "tenants.Building", verbose_name=_("building"), on_delete=models.PROTECT, related_name="+"
    )
    is_active = models.BooleanField(_("in use"), default=True)
    opens = models.TimeField(_("bookable from"), default=dt.time(7, 0))
    closes = models.TimeField(_("bookable until"), default=dt.time(22, 0))
    office_opens = models.TimeField(_("office hours from"), default=dt.time(8, 30))
    office_closes = models.TimeField(_("office hours until"), default=dt.time(17, 30))
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=_("Bookings start and end on multiples of this."),
    )
    free_hours = models.DecimalField(
        _("free hours per company and day"),
        max_digits=4,
        decimal_places=1,
        default=2,
        help_text=_(
            "Within office hours, over all of a company's bookings of one day; beyond it every started hour is billed."
        ),
    )
    max_hours = models.PositiveSmallIntegerField(_("longest booking (hours)"), default=4)
    fee_item = models.ForeignKey(
        "billing.FeeItem",
        verbose_name=_("hourly fee outside office hours"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Per started hour, e.g. CNY 40/h. Empty: nothing is billed."),
    )
    notice_hours_office = models.PositiveSmallIntegerField(_("notice within office hours (hours)"), default=4)
    notice_hours_outside = models.PositiveSmallIntegerField(_("notice outside office hours (hours)"), default=24)
    cancel_cutoff_hours = models.PositiveSmallIntegerField(
        _("cancellation cut-off (hours before the start)"),
        default=24,
        help_text=_("Cancelled later than this, the fee stays due."),
    )

    class Meta:
        verbose_name = _("freight elevator")
        verbose_name_plural = _("freight elevators")
        ordering = ["building__code", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="elevator_opening_hours_order"),
            models.CheckConstraint(
                condition=Q(office_opens__lt=F("office_closes")), name="elevator_office_hours_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def operator_or_desk(instance, user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*OPERATOR_ROLES))


def desk_or_member(instance: "ElevatorBooking", user) -> bool:
    """The desk, or a member of the booking's company who may open its elevator bookings."""
    from tenants import grants

    if user and user.is_authenticated and user.has_role(*DESK_ROLES):
        return True
    return grants.member_may_open(user, instance.tenant_id, ELEVATOR_AREA)


class ElevatorBooking(DeadlineLinks, TenantOwned, Application):
    """A slot ``[start, end)`` on one freight elevator, booked by a company in the portal or by
    the desk (for a company, or for the property itself: no company).

    Live bookings (every state but cancelled) of one elevator never overlap: an exclusion
    constraint over ``tstzrange(start, end)``; writers lock the elevator's row first
    (``jinyuan.ranges.insert_without_overlap``), so of twenty at once one books and nineteen
    are told whose booking is in the way. A cancelled booking frees its slot.
    """

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        DONE = "done", _("Done")
        NO_SHOW = "no_show", _("No-show")

    LIVE = (Status.BOOKED, Status.DONE, Status.NO_SHOW)

    audit_prefix = "elevator_booking"
    desk_detail = "desk:permits:elevator_booking_detail"
    portal_detail = "portal:permits:elevator_booking_detail"
    event_labels = {
        "booked": _("Freight elevator booked"),
        "billed": _("Fee billed"),
        "operator_assigned": _("Operator assigned"),
        "fee_voided": _("Fee bill voided"),
        "fee_kept": _("Fee kept (cancelled after the cut-off)"),
        "fee_paid_kept": _("Fee already paid: refund left to the desk"),
    }

    tenant = models.ForeignKey(
        Tenant,
        verbose_name=_("company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="elevatorbookings",
        help_text=_("Empty: booked by the property."),
    )
    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.BOOKED, db_index=True)
    elevator = models.ForeignKey(
        FreightElevator, verbose_name=_("freight elevator"), on_delete=models.PROTECT, related_name="bookings"
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    purpose = models.CharField(_("purpose"), max_length=200)
    renovation = models.ForeignKey(
        "renovation.Renovation",
        verbose_name=_("renovation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    release_note = models.ForeignKey(
        "permits.ReleaseNote",
        verbose_name=_("release note"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fee_hours = models.PositiveSmallIntegerField(_("billed hours"), default=0)
    fee = models.DecimalField(_("fee (CNY)"), max_digits=10, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("freight elevator booking")
        verbose_name_plural = _("freight elevator bookings")
        ordering = ["-start", "-id"]
        indexes = [
            models.Index(fields=["elevator", "start"], name="elevbooking_elevator_idx"),
            models.Index(fields=["tenant", "-start", "-id"], name="elevbooking_tenant_idx"),
            models.Index(fields=["-start", "-id"], name="elevbooking_start_idx"),
            models.Index(fields=["start"], condition=Q(status="booked"), name="elevbooking_booked_idx"),
        ]
        constraints = no_overlap(
            "elevator_booking",
            resource="elevator",
            message=_("This slot of the freight elevator is already booked."),
            code="slot_taken",
            range_function=DateTimeRange,
            condition=Q(status__in=["booked", "done", "no_show"]),
        )

    def __str__(self) -> str:
        start = timezone.localtime(self.start)
        return f"{self.elevator_id and self.elevator} {start:%Y-%m-%d %H:%M}–{timezone.localtime(self.end):%H:%M}"

    @property
    def company(self) -> str:
        return self.tenant.name if self.tenant_id else str(_("the property"))

    @property
    def hours_text(self) -> str:
        start, end = timezone.localtime(self.start), timezone.localtime(self.end)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    @transition(
        field="status",
        source=Status.BOOKED,
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
        target=Status.DONE,
        permission=operator_or_desk,
        custom={"label": _("Mark done"), "event": "done", "event_label": _("Slot used"), "style": "success"},
    )
    def complete(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.BOOKED,
        target=Status.NO_SHOW,
        permission=operator_or_desk,
        custom={
            "label": _("No-show"),
            "event": "no_show",
            "event_label": _("Nobody came"),
            "style": "outline-secondary",
        },
    )
    def no_show(self, by=None):
        pass


__all__ = ["ELEVATOR_AREA", "OPERATOR_ROLES", "ElevatorBooking", "FreightElevator"]
