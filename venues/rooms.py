"""Meeting rooms 会议室: every write and state change of a meeting-room booking.

A tenant (portal, or the desk for it), a customer (a non-tenant payer, at the non-tenant rate)
or the property itself (free) books ``[start, end)`` of one room. The rules are fields of the
room (``Space``), kept by supervisors in the admin:

- within the room's opening hours on one day, on its slot grid, at most ``max_hours`` long,
  at most ``advance_days`` ahead and not in the past; attendees at most the capacity; the
  equipment a subset of the room's;
- fee: a tenant's free hours per room and month (``free_hours_per_month``, over all its bookings
  of the room in the month of the start) come first; the rest is billed at the hourly rate
  (tenants' or non-tenants'), **rounded up to the room's slot grid** (a started slot counts
  whole: with a 30-minute grid and 45 free minutes left, a 2-hour booking bills 1 h 30 min and
  uses 30 free minutes; the 15 minutes left stay for later); the amount is rate × minutes / 60,
  to the fen (half up). Over the quota, the booker must accept the fee first;
- confirmed at once: the service locks the room's row (so a company's quota and the slot are
  read and taken by one writer at a time), and the exclusion constraint refuses an overlap
  whoever writes. The refusal names the conflict: its time, and "another company" to a tenant,
  the company to the desk.

Cancelled at least ``VENUES_CANCEL_CUTOFF_HOURS`` before the start (the boundary itself
included), the unpaid fee bill is voided and the free minutes return to the quota; later, the
fee stays due and the quota stays used. Check-in from ``VENUES_CHECK_IN_EARLY_MINUTES`` before
the start until the end, by the desk or by the QR at the room's door; not checked in
``VENUES_NO_SHOW_AFTER_MINUTES`` after the start, the periodic scan marks a no-show.
"""

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from billing.customer_models import Customer
from billing.models import ZERO, Bill
from billing.services import LineSpec, bill_create, bill_void
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.ranges import insert_without_overlap
from jinyuan.slots import slot_errors
from jinyuan.workflow.services import TransitionRefused, notify, record_event, transition
from tenants.models import Tenant
from tenants.services import notify_tenant

from .models import CHECK_IN_ROLES, Booking, Space, desk_or_member

FEE_ITEM_CODE = "meeting_room_hour"
CENT = Decimal("0.01")


def bill_key(booking: Booking) -> str:
    return f"booking:{booking.pk}"


def local_at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, timezone.get_current_timezone())


def month_bounds(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The local calendar month of ``moment``, ``[first, next first)``."""
    day = timezone.localtime(moment).date().replace(day=1)
    following = (day + dt.timedelta(days=32)).replace(day=1)
    return local_at(day, dt.time(0)), local_at(following, dt.time(0))


def is_desk(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_role(*DESK_ROLES))


# --- fees and the monthly quota ------------------------------------------------------------------


def hourly_rate(space: Space, *, tenant: Tenant | None, customer: Customer | None) -> Decimal:
    if tenant is not None:
        return space.tenant_rate
    if customer is not None:
        return space.visitor_rate
    return ZERO  # the property's own use


def quota_minutes(space: Space) -> int:
    return int(space.free_hours_per_month * 60)


def quota_used(space: Space, tenant: Tenant, start: dt.datetime, *, exclude_pk: int | None = None) -> int:
    """Free minutes the company already took of this room in ``start``'s month. A booking
    cancelled before the cut-off gave its minutes back (its ``free_minutes`` is 0); a late
    cancellation and a no-show keep them."""
    first, following = month_bounds(start)
    qs = Booking.objects.filter(
        space=space, tenant=tenant, application__isnull=True, start__gte=first, start__lt=following
    ).exclude(status=Booking.Status.REJECTED)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return int(qs.aggregate(total=Sum("free_minutes"))["total"] or 0)


def fee_of(space: Space, minutes: int, *, rate: Decimal, free_left: int) -> tuple[int, int, Decimal]:
    """(free minutes used, billed minutes, fee) of a booking ``minutes`` long with ``free_left``
    free minutes of the quota left. Billed minutes are rounded up to the slot grid (a started
    slot counts whole); the free minutes used are what that leaves."""
    if rate <= ZERO:
        return min(free_left, minutes), 0, ZERO
    step = max(space.slot_minutes, 1)
    unfree = max(minutes - max(free_left, 0), 0)
    billed = min(math.ceil(unfree / step) * step, minutes)
    free = minutes - billed
    fee = (rate * billed / 60).quantize(CENT, rounding=ROUND_HALF_UP)
    return free, billed, fee


def quote(
    space: Space,
    start: dt.datetime,
    end: dt.datetime,
    *,
    tenant: Tenant | None,
    customer: Customer | None,
    exclude_pk: int | None = None,
) -> tuple[int, int, Decimal]:
    """(free minutes, billed minutes, fee) the booking would get now."""
    minutes = int((end - start).total_seconds() // 60)
    rate = hourly_rate(space, tenant=tenant, customer=customer)
    free_left = 0
    if tenant is not None and quota_minutes(space):
        free_left = max(quota_minutes(space) - quota_used(space, tenant, start, exclude_pk=exclude_pk), 0)
    if tenant is None and customer is None:
        return 0, 0, ZERO
    return fee_of(space, minutes, rate=rate, free_left=free_left)


# --- the rules -----------------------------------------------------------------------------------


def check_slot(space: Space, start: dt.datetime | None, end: dt.datetime | None, *, now: dt.datetime) -> None:
    """Every rule of the room on ``[start, end)``, each message beside its field."""
    if not space.is_active or not space.is_meeting_room:
        raise ValidationError({"start": _("This meeting room cannot be booked; choose another.")})
    errors = slot_errors(
        start,
        end,
        now=now,
        opens=space.opens,
        closes=space.closes,
        step_minutes=space.slot_minutes,
        max_hours=space.max_hours,
        hours_message=_("The room is open from %(opens)s to %(closes)s."),
    )
    if errors:
        raise ValidationError(errors)
    assert start is not None
    start = timezone.localtime(start)
    last_day = timezone.localdate(now) + dt.timedelta(days=space.advance_days)
    if start.date() > last_day:
        message = _("Book at most %(n)d days ahead (until %(day)s).") % {"n": space.advance_days, "day": last_day}
        raise ValidationError({"start": [message]})


def check_details(space: Space, *, attendees: int | None, equipment: list[str]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if attendees is None or attendees < 1:
        errors["attendees"] = [_("Say how many people come.")]
    elif space.capacity and attendees > space.capacity:
        errors["attendees"] = [_("The room seats at most %(n)d people.") % {"n": space.capacity}]
    unknown = [e for e in equipment if e not in space.equipment]
    if unknown:
        errors["equipment"] = [_("This room has no %(items)s.") % {"items": "、".join(unknown)}]
    return errors


def conflict_message(
    space: Space, start: dt.datetime, end: dt.datetime, *, viewer_tenant_id: int | None, desk: bool
) -> str:
    """Names the live booking in the way: its time, and whose it is as far as the reader may know
    (the desk: the company; a tenant: "your company" or only "another company")."""
    from .room_selectors import live_overlapping

    other = (
        live_overlapping(start, end, Booking.objects.filter(space=space))
        .select_related("tenant", "customer")
        .order_by("start")
        .first()
    )
    if other is None:
        return _("This room is already in use at that time.")
    if desk:
        return _("Already booked %(time)s by %(company)s.") % {"time": other.hours_text, "company": booker_name(other)}
    if viewer_tenant_id and other.tenant_id == viewer_tenant_id:
        return _("Your company already booked this room %(time)s.") % {"time": other.hours_text}
    return _("Busy %(time)s: booked by another company.") % {"time": other.hours_text}


def booker_name(booking: Booking) -> str:
    """Whose booking it is, for the desk: the company, the customer, or the property."""
    if booking.tenant_id:
        return booking.tenant.name
    if booking.customer_id:
        return booking.customer.name
    if booking.application_id:
        return str(booking.application)
    return _("the property")


# --- booking ---------------------------------------------------------------------------------------


def room_book(
    *,
    space: Space,
    by: Any,
    start: dt.datetime | None,
    end: dt.datetime | None,
    tenant: Tenant | None = None,
    customer: Customer | None = None,
    title: str = "",
    attendees: int | None = 1,
    equipment: list[str] | None = None,
    contact_phone: str = "",
    accept_fee: bool = False,
    now: dt.datetime | None = None,
) -> Booking:
    """Book a slot of a meeting room, confirmed at once, and bill its fee, in one transaction.

    No ``tenant`` nor ``customer``: the property's own use (only the desk). Of twenty bookings
    of one slot at once, one is saved; the others get the message beside the start naming it.
    Over the quota without ``accept_fee``: a message beside the checkbox, nothing saved."""
    if tenant is not None and customer is not None:
        raise ValueError("a booking has one payer")
    if (tenant is None or customer is not None) and not is_desk(by):
        raise PermissionDenied
    now = now or timezone.now()
    equipment = list(dict.fromkeys(equipment or []))
    errors: dict[str, list[str]] = {}
    try:
        check_slot(space, start, end, now=now)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Give the meeting a subject.")]
    errors.update(check_details(space, attendees=attendees, equipment=equipment))
    if errors:
        raise ValidationError(errors)
    booking = Booking(
        space=space,
        tenant=tenant,
        customer=customer,
        applicant=by,
        start=start,
        end=end,
        title=title[:100],
        attendees=attendees or 0,
        equipment=equipment,
        contact_phone=(contact_phone or "")[:30],
        status=Booking.Status.BOOKED,
    )
    desk = is_desk(by)

    def conflict() -> ValidationError:
        message = conflict_message(space, start, end, viewer_tenant_id=tenant.pk if tenant else None, desk=desk)
        return ValidationError({"start": message})

    with transaction.atomic():
        # The room's row first (only it: no join in the locking query): the quota below and the
        # slot are read by one writer at a time.
        list(Space.objects.filter(pk=space.pk).order_by("pk").select_for_update().values_list("pk", flat=True))
        # Taken already: refused at once (one indexed query) rather than after the row's
        # validation; the insert below still checks, and the constraint is the last guard.
        from .room_selectors import live_overlapping

        if live_overlapping(start, end, Booking.objects.filter(space=space)).exists():
            raise conflict()
        free, billed, fee = quote(space, start, end, tenant=tenant, customer=customer)
        if fee > ZERO and not accept_fee:
            raise ValidationError(
                {
                    "accept_fee": _(
                        "This booking costs %(fee)s (%(minutes)d minutes beyond the free hours): tick to accept it."
                    )
                    % {"fee": f"¥{fee}", "minutes": billed}
                }
            )
        if fee > ZERO and space.fee_item_id is None:
            raise ValidationError({"start": _("This room has no fee item to bill by; ask the desk.")})
        booking.free_minutes, booking.billed_minutes, booking.fee = free, billed, fee
        insert_without_overlap(booking, lock=Space.objects.filter(pk=space.pk), conflict=conflict)
        record_event(
            booking,
            "booking.booked",
            by=by,
            to_state=booking.status,
            data={"space": space.name, "slot": booking.hours_text, "free_minutes": free, "billed_minutes": billed},
        )
        if fee > ZERO:
            item = space.fee_item
            bill = bill_create(
                payer=tenant or customer,
                title=_("Meeting room %(room)s %(time)s") % {"room": space.name, "time": booking.hours_text},
                lines=[
                    LineSpec(
                        fee_item=item,
                        description=f"{item.name} · {space.name} {booking.hours_text}",
                        quantity=(Decimal(billed) / 60).quantize(Decimal("0.0001")),
                        unit_price=hourly_rate(space, tenant=tenant, customer=customer),
                        period_start=timezone.localdate(start),
                        period_end=timezone.localdate(start),
                        exact_amount=fee,
                    )
                ],
                by=by,
                source_key=bill_key(booking),
                # The booker accepted the fee on the form; a company the desk booked for is told
                # below, fee included: no second notification for the bill.
                notify_tenant=False,
            )
            record_event(booking, "booking.billed", by=by, data={"bill": bill.number, "total": str(bill.total)})
        if desk and tenant is not None:
            _tell_tenant(
                booking,
                gettext_noop("A meeting room is booked for you: %(room)s %(time)s, fee %(fee)s."),
                "booked",
            )
    return booking


def _tell_tenant(booking: Booking, message: str, event: str) -> None:
    if not booking.tenant_id:
        return
    notify_tenant(
        booking,
        message=message,
        args={"room": booking.space.name, "time": booking.hours_text, "fee": f"¥{booking.fee}"},
        event=event,
        url=reverse("portal:venues:booking_detail", args=[booking.pk]),
    )


# --- cancel, check in, no-show ---------------------------------------------------------------------


def cutoff_of(booking: Booking) -> dt.datetime:
    """Cancelled at or before this, the fee bill is voided and the quota returns."""
    return booking.start - dt.timedelta(hours=settings.VENUES_CANCEL_CUTOFF_HOURS)


def _fee_bill(booking: Booking) -> Bill | None:
    return (
        Bill.objects.filter(source_key=bill_key(booking), tenant_id=booking.tenant_id, customer_id=booking.customer_id)
        .exclude(status=Bill.Status.VOID)
        .first()
    )


def _room_booking(obj: Booking) -> None:
    if obj.application_id:
        raise TransitionRefused(_("This booking belongs to an application: act on the application instead."))


def room_cancel(*, obj: Booking, by: Any, note: str = "", now: dt.datetime | None = None) -> Booking:
    """Cancel before the start: the slot is free at once. At or before the cut-off an unpaid
    fee bill is voided and the free minutes return to the quota (a paid bill is left to the desk
    to refund, said on the timeline); after it, the fee stays due and the quota stays used."""
    _room_booking(obj)
    now = now or timezone.now()
    if obj.status == Booking.Status.BOOKED and obj.start <= now:
        raise TransitionRefused(_("The meeting has begun: check it in or mark a no-show instead."))
    in_time = now <= cutoff_of(obj)
    with transaction.atomic():
        changes = {"free_minutes": 0} if in_time else {}
        transition(obj, "cancel", by=by, note=note, data={"before_cutoff": in_time}, changes=changes)
        bill = _fee_bill(obj)
        if bill is not None:
            if not in_time:
                record_event(obj, "booking.fee_kept", by=by, data={"bill": bill.number, "total": str(bill.total)})
            elif bill.status == Bill.Status.OPEN and bill.paid == ZERO:
                bill_void(bill=bill, by=by, reason=_("Meeting room booking cancelled before the cut-off"))
                record_event(obj, "booking.fee_voided", by=by, data={"bill": bill.number})
            else:
                record_event(obj, "booking.fee_paid_kept", by=by, data={"bill": bill.number, "paid": str(bill.paid)})
        if is_desk(by):
            _tell_tenant(obj, gettext_noop("Your meeting room booking %(room)s %(time)s was cancelled."), "cancelled")
    return obj


def check_in_window(booking: Booking) -> tuple[dt.datetime, dt.datetime]:
    return booking.start - dt.timedelta(minutes=settings.VENUES_CHECK_IN_EARLY_MINUTES), booking.end


def room_check_in(*, obj: Booking, by: Any, note: str = "", now: dt.datetime | None = None) -> Booking:
    """Check in on arrival: from a few minutes before the start until the end."""
    _room_booking(obj)
    now = now or timezone.now()
    opens, closes = check_in_window(obj)
    if obj.status == Booking.Status.BOOKED and not (opens <= now < closes):
        if now < opens:
            raise TransitionRefused(
                _("Check-in opens at %(time)s.") % {"time": f"{timezone.localtime(opens):%Y-%m-%d %H:%M}"}
            )
        raise TransitionRefused(_("The booking has ended."))
    return transition(obj, "check_in", by=by, note=note, changes={"checked_in_at": now})


def room_no_show(*, obj: Booking, by: Any, note: str = "", now: dt.datetime | None = None) -> Booking:
    """Nobody came (the desk, after the start): the slot was held, the fee stays due."""
    _room_booking(obj)
    if obj.status == Booking.Status.BOOKED and obj.start > (now or timezone.now()):
        raise TransitionRefused(_("The meeting has not begun yet."))
    return transition(obj, "no_show", by=by, note=note)


def door_booking(space: Space, now: dt.datetime | None = None) -> Booking | None:
    """The room's booking one checks in at the door now: booked, running or starting within
    the check-in window (the earliest)."""
    now = now or timezone.now()
    early = dt.timedelta(minutes=settings.VENUES_CHECK_IN_EARLY_MINUTES)
    return (
        Booking.objects.filter(
            space=space, application__isnull=True, status=Booking.Status.BOOKED, start__lte=now + early, end__gt=now
        )
        .select_related("space", "tenant", "customer")
        .order_by("start")
        .first()
    )


def may_check_in_at_door(booking: Booking, user: Any) -> bool:
    """The desk and security, or a member of the booking's company with the venues grant."""
    if user is not None and user.is_authenticated and user.has_role(*CHECK_IN_ROLES):
        return True
    return bool(booking.tenant_id) and desk_or_member(booking, user)


def door_check_in(*, space: Space, by: Any, now: dt.datetime | None = None) -> Booking:
    """The QR at the room's door: checks in the booking running now or starting soon, when the
    scanner may (the booker's company or the desk). Nothing to check in: a clear refusal."""
    now = now or timezone.now()
    booking = door_booking(space, now)
    if booking is None or not may_check_in_at_door(booking, by):
        raise TransitionRefused(_("No booking of yours to check in in this room now."))
    return room_check_in(obj=booking, by=by, now=now)


# --- periodic work ---------------------------------------------------------------------------------

SCAN_BATCH = 500


def mark_no_shows(now: dt.datetime | None = None) -> int:
    """Bookings still not checked in ``VENUES_NO_SHOW_AFTER_MINUTES`` after their start become
    no-shows, one audit event each. Safe to run twice, also at once: rows are taken with SKIP
    LOCKED and the transition is compare-and-swap."""
    now = now or timezone.now()
    limit = now - dt.timedelta(minutes=settings.VENUES_NO_SHOW_AFTER_MINUTES)
    marked = 0
    while True:
        with transaction.atomic():
            batch = list(
                Booking.objects.select_for_update(skip_locked=True)
                .filter(status=Booking.Status.BOOKED, application__isnull=True, start__lte=limit)
                .order_by("start", "pk")[:SCAN_BATCH]
            )
            for booking in batch:
                transition(booking, "no_show", by=None, data={"after_minutes": settings.VENUES_NO_SHOW_AFTER_MINUTES})
            marked += len(batch)
        if len(batch) < SCAN_BATCH:
            return marked


def send_reminders(now: dt.datetime | None = None) -> int:
    """Remind the booker (and the company's portal admins) of a booking starting within
    ``VENUES_REMINDER_MINUTES``, once: ``reminded_at`` is set in the same transaction and the
    notification has a dedup key, so a second run (also at once) sends nothing twice."""
    now = now or timezone.now()
    until = now + dt.timedelta(minutes=settings.VENUES_REMINDER_MINUTES)
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(
                Booking.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    status=Booking.Status.BOOKED,
                    application__isnull=True,
                    reminded_at__isnull=True,
                    start__gt=now,
                    start__lte=until,
                )
                .select_related("space", "applicant")
                .order_by("start", "pk")[:SCAN_BATCH]
            )
            for booking in batch:
                _remind(booking)
                Booking.objects.filter(pk=booking.pk).update(reminded_at=now)
                record_event(booking, "booking.reminded", by=None, data={"slot": booking.hours_text})
            sent += len(batch)
        if len(batch) < SCAN_BATCH:
            return sent


def _remind(booking: Booking) -> None:
    message = gettext_noop("Reminder: your meeting room %(room)s is booked %(time)s.")
    args = {"room": booking.space.name, "time": booking.hours_text}
    if booking.tenant_id:
        notify_tenant(
            booking,
            message=message,
            args=args,
            event="reminder",
            url=reverse("portal:venues:booking_detail", args=[booking.pk]),
        )
    elif booking.applicant_id:
        notify(
            [booking.applicant],
            message=message,
            args=args,
            url=reverse("desk:venues:booking_detail", args=[booking.pk]),
            dedup_key=f"booking-{booking.pk}-reminder",
        )
