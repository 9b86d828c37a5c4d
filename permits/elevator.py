"""Freight-elevator slots 专用货梯: every write and state change.

A company (portal) or the desk books a slot ``[start, end)`` of one elevator; the rules are
fields of the elevator (``FreightElevator``), kept by supervisors in the admin:

- a slot lies within one day, within the elevator's bookable hours, on its slot grid (e.g.
  every 30 minutes), at most ``max_hours`` long, and not in the past;
- notice: ``notice_hours_office`` (4 h) ahead when the whole slot is within office hours,
  ``notice_hours_outside`` (a day) when any of it is outside (someone must be called in);
- fee: office time (the elevator's office hours on working days of the kernel's working
  calendar) is free up to ``free_hours`` per company and day, over all its bookings of that day
  (two back-to-back slots do not get the free hours twice); the rest (outside office hours, and office
  time beyond the free hours) is billed per started hour at ``fee_item``'s price, rounded up
  once over the whole booking: 16:30–19:15 with offices closing at 17:30 is 1 h free and 1 h 45
  min billed as 2 h. Billed at booking through billing (``source_key elevatorbooking:<pk>``);
  bookings by the property itself (no company) bill nothing.

A booking is confirmed at once (no approval step): the service checks the rules, locks the
elevator's row and inserts; the exclusion constraint refuses an overlap whoever writes. The
refusal names the booking in the way (its time and company, or "the property").
Cancelled before the cut-off: the unpaid fee bill is voided; after it: the fee stays due.
"""

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from billing.models import ZERO, Bill
from billing.services import LineSpec, bill_create, bill_void
from jinyuan.accounts.roles import DESK_ROLES, Role
from jinyuan.accounts.selectors import staff_with_role
from jinyuan.ranges import insert_without_overlap
from jinyuan.slots import slot_errors
from jinyuan.workflow.calendar import WorkingCalendar, load_calendar
from jinyuan.workflow.services import TransitionRefused, notify, record_event, transition
from renovation.models import Renovation
from tenants.models import Tenant
from tenants.services import notify_tenant

from . import elevator_selectors as selectors
from .elevator_selectors import local_at as _at
from .models import ElevatorBooking, FreightElevator, ReleaseNote
from .models.elevator import OPERATOR_ROLES

HOUR = dt.timedelta(hours=1)
# Release notes a booking may point at: the ones still going to be used.
LINKABLE_NOTES = (ReleaseNote.Status.SUBMITTED, ReleaseNote.Status.RETURNED, ReleaseNote.Status.ISSUED)


def bill_key(booking: ElevatorBooking) -> str:
    return f"elevatorbooking:{booking.pk}"


def office_window(
    elevator: FreightElevator, day: dt.date, calendar: WorkingCalendar
) -> tuple[dt.datetime, dt.datetime] | None:
    """The elevator's office hours on ``day``; none on a day off (weekend, public holiday)."""
    if not calendar.is_working_day(day):
        return None
    return _at(day, elevator.office_opens), _at(day, elevator.office_closes)


def office_minutes(elevator: FreightElevator, start: dt.datetime, end: dt.datetime, calendar: WorkingCalendar) -> int:
    """Minutes of ``[start, end)`` within the elevator's office hours."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    total = dt.timedelta(0)
    day = start.date()
    while day <= end.date():
        window = office_window(elevator, day, calendar)
        if window is not None:
            begin, finish = max(start, window[0]), min(end, window[1])
            if finish > begin:
                total += finish - begin
        day += dt.timedelta(days=1)
    return int(total.total_seconds() // 60)


def billed_hours(
    elevator: FreightElevator,
    start: dt.datetime,
    end: dt.datetime,
    calendar: WorkingCalendar,
    free_used: int = 0,
) -> int:
    """Started hours to bill: everything but the free office time left (``free_used`` minutes
    of the day's allowance already went to the company's other bookings), rounded up once."""
    minutes = int((end - start).total_seconds() // 60)
    allowance = max(int(elevator.free_hours * 60) - free_used, 0)
    free = min(office_minutes(elevator, start, end, calendar), allowance)
    return math.ceil((minutes - free) / 60) if minutes > free else 0


def free_minutes_used(tenant: Tenant, elevator: FreightElevator, start: dt.datetime, calendar: WorkingCalendar) -> int:
    """Office minutes of the company's other live bookings on ``start``'s day (any freight
    elevator), up to the free allowance: what of the day's free hours is already taken."""
    day = timezone.localdate(start)
    others = ElevatorBooking.objects.filter(
        tenant=tenant, status__in=ElevatorBooking.LIVE, start__date=day
    ).select_related("elevator")
    used = sum(office_minutes(b.elevator, b.start, b.end, calendar) for b in others)
    return min(used, int(elevator.free_hours * 60))


def hourly_rate(elevator: FreightElevator) -> Decimal:
    item = elevator.fee_item
    return item.price if item is not None and item.is_active else ZERO


def slot_fee(
    elevator: FreightElevator,
    start: dt.datetime,
    end: dt.datetime,
    calendar: WorkingCalendar | None = None,
    free_used: int = 0,
) -> tuple[int, Decimal]:
    """(billed hours, fee in CNY) of a slot."""
    hours = billed_hours(elevator, start, end, calendar or load_calendar(), free_used)
    rate = hourly_rate(elevator)
    return (hours, rate * hours) if rate > ZERO else (0, ZERO)


def within_office_hours(
    elevator: FreightElevator, start: dt.datetime, end: dt.datetime, calendar: WorkingCalendar
) -> bool:
    return office_minutes(elevator, start, end, calendar) * 60 == int((end - start).total_seconds())


def notice_needed(
    elevator: FreightElevator, start: dt.datetime, end: dt.datetime, calendar: WorkingCalendar
) -> dt.timedelta:
    hours = (
        elevator.notice_hours_office
        if within_office_hours(elevator, start, end, calendar)
        else elevator.notice_hours_outside
    )
    return dt.timedelta(hours=hours)


def check_slot(
    elevator: FreightElevator,
    start: dt.datetime | None,
    end: dt.datetime | None,
    *,
    now: dt.datetime,
    calendar: WorkingCalendar,
) -> None:
    """Every rule of the elevator on ``[start, end)``, each error beside its field."""
    if not elevator.is_active:
        raise ValidationError({"start": _("This freight elevator is not in use; choose another.")})
    errors = slot_errors(
        start,
        end,
        now=now,
        opens=elevator.opens,
        closes=elevator.closes,
        step_minutes=elevator.slot_minutes,
        max_hours=elevator.max_hours,
        hours_message=_("The freight elevator can be booked from %(opens)s to %(closes)s."),
    )
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None  # slot_errors refuses a missing time
    needed = notice_needed(elevator, start, end, calendar)
    if start - now < needed:
        if needed == dt.timedelta(hours=elevator.notice_hours_office):
            message = _("Within office hours, book at least %(n)d hours ahead.")
        else:
            message = _("Outside office hours, book at least %(n)d hours ahead (the operator must be called in).")
        raise ValidationError({"start": [message % {"n": int(needed.total_seconds() // 3600)}]})


def conflict_message(elevator: FreightElevator, start: dt.datetime, end: dt.datetime) -> str:
    """Names the live booking in the way: its time and company, or the property's own. Read as
    the calendar reads the week (``live_bookings_between``: no booking lasts more than a day, so
    the ``(elevator, start)`` index is walked from a day before): bounded only by ``end`` it
    walked every booking the lift ever had (24,000 rows, 8 ms, at the bench's ten years)."""
    other = next(iter(selectors.live_bookings_between(elevator, start, end)), None)
    if other is None:
        return _("This slot of the freight elevator is already booked.")
    return _("Already booked %(time)s by %(company)s.") % {"time": other.hours_text, "company": other.company}


def _check_links(
    tenant: Tenant | None, renovation: Renovation | None, release_note: ReleaseNote | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if renovation is not None and (
        tenant is None or renovation.tenant_id != tenant.pk or renovation.status not in Renovation.LIVE
    ):
        errors["renovation"] = [_("Choose a renovation of this company that is still going on.")]
    if release_note is not None and (
        tenant is None or release_note.tenant_id != tenant.pk or release_note.status not in LINKABLE_NOTES
    ):
        errors["release_note"] = [_("Choose a release note of this company that is still to be used.")]
    return errors


def elevator_book(
    *,
    elevator: FreightElevator,
    by: Any,
    tenant: Tenant | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
    purpose: str,
    renovation: Renovation | None = None,
    release_note: ReleaseNote | None = None,
    now: dt.datetime | None = None,
) -> ElevatorBooking:
    """Book a slot, confirmed at once, and bill its fee (a company's booking) in one transaction.

    ``tenant`` None is the property's own booking (only the desk). Of twenty bookings of one
    slot at once, one is saved; the others get the message beside the start naming it."""
    now = now or timezone.now()
    calendar = load_calendar()
    errors: dict[str, list[str]] = {}
    try:
        check_slot(elevator, start, end, now=now, calendar=calendar)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    purpose = (purpose or "").strip()
    if not purpose:
        errors["purpose"] = [_("Say what the elevator is booked for.")]
    errors.update(_check_links(tenant, renovation, release_note))
    if errors:
        raise ValidationError(errors)
    booking = ElevatorBooking(
        elevator=elevator,
        tenant=tenant,
        applicant=by,
        start=start,
        end=end,
        purpose=purpose[:200],
        renovation=renovation,
        release_note=release_note,
        status=ElevatorBooking.Status.BOOKED,
    )
    hours, fee = (
        slot_fee(elevator, start, end, calendar, free_minutes_used(tenant, elevator, start, calendar))
        if tenant is not None
        else (0, ZERO)
    )
    booking.fee_hours, booking.fee = hours, fee
    with transaction.atomic():
        insert_without_overlap(
            booking,
            lock=FreightElevator.objects.filter(pk=elevator.pk),
            conflict=lambda: ValidationError({"start": conflict_message(elevator, start, end)}),
        )
        record_event(
            booking,
            "elevator_booking.booked",
            by=by,
            to_state=booking.status,
            data={"elevator": elevator.name, "slot": booking.hours_text, "company": booking.company},
        )
        if fee > ZERO:
            item = elevator.fee_item
            bill = bill_create(
                tenant=tenant,
                title=_("Freight elevator %(time)s") % {"time": booking.hours_text},
                lines=[
                    LineSpec(
                        fee_item=item,
                        description=f"{item.name} · {elevator.name} {booking.hours_text}",
                        quantity=Decimal(hours),
                        unit_price=item.price,
                        period_start=timezone.localdate(start),
                        period_end=timezone.localdate(start),
                    )
                ],
                by=by,
                source_key=bill_key(booking),
            )
            record_event(
                booking,
                "elevator_booking.billed",
                by=by,
                data={"bill": bill.number, "billed_hours": hours, "total": str(bill.total)},
            )
        _tell_desk_or_tenant(booking, by)
    return booking


def _tell_desk_or_tenant(booking: ElevatorBooking, by: Any) -> None:
    """A company's booking: the desk is told (it assigns the operator). The desk's booking for a
    company: the company is told."""
    if by is not None and by.has_role(*DESK_ROLES):
        if booking.tenant_id:
            _tell(
                booking,
                gettext_noop("The freight elevator is booked for you: %(elevator)s %(time)s."),
                "booked",
            )
        return
    notify(
        staff_with_role(Role.FRONT_DESK),
        message=gettext_noop("Freight elevator booked by %(company)s: %(elevator)s %(time)s"),
        args={"company": booking.company, "elevator": booking.elevator.name, "time": booking.hours_text},
        url=reverse("desk:permits:elevator_booking_detail", args=[booking.pk]),
        dedup_key=f"elevator_booking-{booking.pk}-booked",
    )


def _tell(booking: ElevatorBooking, message: str, event: str, **args: Any) -> None:
    if not booking.tenant_id:
        return
    notify_tenant(
        booking,
        message=message,
        args={"elevator": booking.elevator.name, "time": booking.hours_text, **args},
        event=event,
        url=reverse("portal:permits:elevator_booking_detail", args=[booking.pk]),
    )


def cutoff_of(booking: ElevatorBooking) -> dt.datetime:
    """Cancelled before this, the fee bill is voided; later, the fee stays due."""
    return booking.start - dt.timedelta(hours=booking.elevator.cancel_cutoff_hours)


def elevator_cancel(
    *, obj: ElevatorBooking, by: Any, note: str = "", now: dt.datetime | None = None
) -> ElevatorBooking:
    """Cancel a booking before its start: the slot is free at once. Before the cut-off an unpaid
    fee bill is voided (a paid one is left to the desk to refund, said on the timeline); after the
    cut-off the fee stays due."""
    now = now or timezone.now()
    if obj.status == ElevatorBooking.Status.BOOKED and obj.start <= now:
        raise TransitionRefused(_("The slot has begun: mark it done or no-show instead."))
    in_time = now <= cutoff_of(obj)
    with transaction.atomic():
        transition(obj, "cancel", by=by, note=note, data={"before_cutoff": in_time})
        bill = (
            Bill.objects.filter(tenant_id=obj.tenant_id, source_key=bill_key(obj))
            .exclude(status=Bill.Status.VOID)
            .first()
        )
        if bill is not None:
            if not in_time:
                record_event(
                    obj, "elevator_booking.fee_kept", by=by, data={"bill": bill.number, "total": str(bill.total)}
                )
            elif bill.status == Bill.Status.OPEN and bill.paid == ZERO:
                bill_void(bill=bill, by=by, reason=_("Freight elevator booking cancelled before the cut-off"))
                record_event(obj, "elevator_booking.fee_voided", by=by, data={"bill": bill.number})
            else:
                record_event(
                    obj, "elevator_booking.fee_paid_kept", by=by, data={"bill": bill.number, "paid": str(bill.paid)}
                )
        if by is not None and by.has_role(*DESK_ROLES):
            _tell(obj, gettext_noop("Your freight elevator booking %(elevator)s %(time)s was cancelled."), "cancelled")
    return obj


def _after_start(obj: ElevatorBooking, now: dt.datetime | None) -> None:
    if obj.status == ElevatorBooking.Status.BOOKED and obj.start > (now or timezone.now()):
        raise TransitionRefused(_("The slot has not begun yet."))


def elevator_complete(
    *, obj: ElevatorBooking, by: Any, note: str = "", now: dt.datetime | None = None
) -> ElevatorBooking:
    _after_start(obj, now)
    return transition(obj, "complete", by=by, note=note)


def elevator_no_show(
    *, obj: ElevatorBooking, by: Any, note: str = "", now: dt.datetime | None = None
) -> ElevatorBooking:
    """Nobody came: the slot stays taken (it was held) and the fee stays due."""
    _after_start(obj, now)
    return transition(obj, "no_show", by=by, note=note)


def operators():
    """Staff who may run the lift: engineering and security (and the desk)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(groups__name__in=[Role.ENGINEERING, Role.SECURITY], is_active=True)
        .distinct()
        .order_by("username")
    )


def elevator_assign_operator(*, obj: ElevatorBooking, operator: Any, by: Any) -> ElevatorBooking:
    """The desk names who runs the lift for a booked slot (again to change it)."""
    if not (by is not None and by.is_authenticated and by.has_role(*DESK_ROLES)):
        raise PermissionDenied
    if operator is None or not operator.has_role(*OPERATOR_ROLES):
        raise ValidationError({"operator": _("Choose a member of engineering or security.")})
    with transaction.atomic():
        changed = ElevatorBooking.objects.filter(pk=obj.pk, status=ElevatorBooking.Status.BOOKED).update(
            operator=operator, updated_at=timezone.now()
        )
        if not changed:
            raise TransitionRefused(_("Only a booked slot gets an operator."))
        obj.operator = operator
        record_event(
            obj,
            "elevator_booking.operator_assigned",
            by=by,
            data={"operator": operator.get_full_name() or operator.username},
        )
        notify(
            [operator],
            message=gettext_noop("You run the freight elevator %(elevator)s %(time)s for %(company)s."),
            args={"elevator": obj.elevator.name, "time": obj.hours_text, "company": obj.company},
            url=reverse("desk:permits:elevator_booking_detail", args=[obj.pk]),
            dedup_key=f"elevator_booking-{obj.pk}-operator-{operator.pk}",
        )
    return obj
