"""Meeting-room bookings through the services: the rules (each refusal beside its field), the
overlap (adjacent allowed, cancelled frees, pending holds), the monthly quota and the fee,
cancellation at the cut-off boundary, check-in (desk and door), no-shows and reminders."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from billing.models import Bill
from jinyuan.workflow.models import AuditEvent, Notification
from jinyuan.workflow.services import TransitionRefused
from tests.venues.room_data import MONDAY, at, book, room_fixture  # noqa: F401 (the fixture)
from venues import rooms as services
from venues.models import Booking

pytestmark = pytest.mark.django_db
TUESDAY = MONDAY + dt.timedelta(days=1)
BEFORE = at(MONDAY, "09:00")


def errors_of(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


# --- the overlap --------------------------------------------------------------------------------


def test_adjacent_bookings_are_allowed(room, tenant_a, tenant_a_admin, tenant_b, tenant_b_admin):
    first = book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00")
    second = book(room, tenant_b_admin, tenant_b, TUESDAY, "10:00", "11:00")
    assert first.end == second.start


def test_an_overlap_is_refused_beside_the_start_naming_the_time_not_the_company(
    room, tenant_a, tenant_a_admin, tenant_b, tenant_b_admin, english
):
    book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00")
    with pytest.raises(ValidationError) as exc:
        book(room, tenant_b_admin, tenant_b, TUESDAY, "09:30", "10:30")
    [message] = errors_of(exc)["start"]
    assert "09:00–10:00" in message and "another company" in message
    assert tenant_a.name not in message


def test_the_desk_is_told_whose_booking_is_in_the_way(room, tenant_a, tenant_a_admin, desk, english):
    book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00")
    with pytest.raises(ValidationError) as exc:
        book(room, desk, None, TUESDAY, "09:00", "09:30")
    assert errors_of(exc) == {"start": [f"Already booked {TUESDAY:%Y-%m-%d} 09:00–10:00 by {tenant_a.name}."]}


def test_a_cancelled_booking_frees_the_slot(room, tenant_a, tenant_a_admin, tenant_b, tenant_b_admin):
    first = book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00")
    services.room_cancel(obj=first, by=tenant_a_admin, now=BEFORE)
    again = book(room, tenant_b_admin, tenant_b, TUESDAY, "09:00", "10:00")
    assert again.status == Booking.Status.BOOKED


def test_a_pending_booking_holds_the_slot(room, tenant_a, tenant_b, tenant_b_admin, desk):
    # A booking of a public-space application, made directly as the other half makes it.
    Booking.objects.create(
        space=room,
        start=at(TUESDAY, "09:00"),
        end=at(TUESDAY, "12:00"),
        status=Booking.Status.PENDING,
        tenant=tenant_a,
        applicant=desk,
    )
    with pytest.raises(ValidationError) as exc:
        book(room, tenant_b_admin, tenant_b, TUESDAY, "11:00", "12:00")
    assert "start" in errors_of(exc)


# --- the rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        ("07:00", "08:00", "start", "open from 08:00 to 22:00"),
        ("21:00", "22:30", "end", "open from 08:00 to 22:00"),
        ("09:10", "10:00", "start", "steps of 30 minutes"),
        ("09:00", "14:00", "end", "At most 4 hours"),
        ("10:00", "09:00", "end", "after the start"),
    ],
)
def test_a_slot_outside_the_rules_is_refused_beside_its_field(
    room, tenant_a, tenant_a_admin, english, start, end, field, words
):
    with pytest.raises(ValidationError) as exc:
        book(room, tenant_a_admin, tenant_a, TUESDAY, start, end)
    assert any(words in m for m in errors_of(exc)[field]), errors_of(exc)
    assert not Booking.objects.exists()


def test_a_past_slot_is_refused(room, tenant_a, tenant_a_admin, english):
    with pytest.raises(ValidationError) as exc:
        book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00", now=at(TUESDAY, "09:10"))
    assert errors_of(exc)["start"] == ["This time is already past."]


def test_too_many_days_ahead_is_refused(building, tenant_a, tenant_a_admin, english):
    from tests.venues.room_data import make_room

    room = make_room(building, advance_days=7)
    with pytest.raises(ValidationError) as exc:
        book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00", now=at(MONDAY - dt.timedelta(days=14), "09:00"))
    assert "at most 7 days ahead" in errors_of(exc)["start"][0]


def test_over_capacity_and_unknown_equipment_are_refused(room, tenant_a, tenant_a_admin, english):
    with pytest.raises(ValidationError) as exc:
        book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00", attendees=11, equipment=["音响"])
    assert errors_of(exc)["attendees"] == ["The room seats at most 10 people."]
    assert "音响" in errors_of(exc)["equipment"][0]


def test_a_tenant_cannot_book_for_the_property(room, tenant_a_admin):
    with pytest.raises(PermissionDenied):
        book(room, tenant_a_admin, None, TUESDAY, "09:00", "10:00")


# --- quota and fee --------------------------------------------------------------------------------


def test_over_the_quota_the_fee_must_be_accepted(room, tenant_a, tenant_a_admin, english):
    with pytest.raises(ValidationError) as exc:
        book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "12:00", accept_fee=False)
    assert "¥100.00" in errors_of(exc)["accept_fee"][0]
    assert not Booking.objects.exists() and not Bill.objects.exists()


def test_within_the_quota_nothing_is_billed_and_no_acceptance_is_needed(room, tenant_a, tenant_a_admin):
    booking = book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "11:00", accept_fee=False)
    assert (booking.free_minutes, booking.billed_minutes, booking.fee) == (120, 0, Decimal("0.00"))
    assert not Bill.objects.exists()


def test_quota_arithmetic_over_a_month(room, tenant_a, tenant_a_admin, tenant_b, tenant_b_admin):
    """2 free hours per company and month at CNY 100/h, billed per started half hour."""
    march = [MONDAY + dt.timedelta(days=i) for i in range(1, 6)]
    a = book(room, tenant_a_admin, tenant_a, march[0], "09:00", "10:30")  # 90 free
    b = book(room, tenant_a_admin, tenant_a, march[1], "09:00", "10:00")  # 30 free, 30 billed
    c = book(room, tenant_a_admin, tenant_a, march[2], "09:00", "10:00")  # quota gone: 60 billed
    other = book(room, tenant_b_admin, tenant_b, march[0], "14:00", "16:00")  # its own 2 free hours
    april = book(room, tenant_a_admin, tenant_a, dt.date(2031, 4, 1), "09:00", "10:00")  # a new month
    got = [(x.free_minutes, x.billed_minutes, x.fee) for x in (a, b, c, other, april)]
    assert got == [
        (90, 0, Decimal("0.00")),
        (30, 30, Decimal("50.00")),
        (0, 60, Decimal("100.00")),
        (120, 0, Decimal("0.00")),
        (60, 0, Decimal("0.00")),
    ]
    assert services.quota_used(room, tenant_a, at(march[0], "12:00")) == 120
    assert sorted(Bill.objects.values_list("total", flat=True)) == [Decimal("50.00"), Decimal("100.00")]


def test_a_partial_slot_of_quota_is_kept_for_later(building, tenant_a, tenant_a_admin):
    from tests.venues.room_data import make_room

    room = make_room(building, free_hours_per_month=Decimal("1.25"), advance_days=3650)  # 75 minutes
    booking = book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "11:00")
    # 45 minutes unfree round up to a started slot: 60 billed, 60 free used, 15 left.
    assert (booking.free_minutes, booking.billed_minutes, booking.fee) == (60, 60, Decimal("100.00"))


def test_a_customer_pays_the_non_tenant_rate_and_the_property_nothing(room, desk):
    from tests.billing.payer_helpers import make_customer

    customer = make_customer(desk)
    paid = book(room, desk, None, TUESDAY, "09:00", "10:30", customer=customer)
    own = book(room, desk, None, TUESDAY, "11:00", "12:00")
    assert (paid.fee, paid.free_minutes) == (Decimal("225.00"), 0)
    [bill] = Bill.objects.all()
    assert bill.customer_id == customer.pk and bill.total == Decimal("225.00")
    assert own.fee == 0 and own.tenant_id is None and own.customer_id is None


# --- cancellation at the cut-off ------------------------------------------------------------------


def _billed(room, tenant_a, tenant_a_admin):
    return book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "12:00")  # 2 h free, 1 h billed


@override_settings(VENUES_CANCEL_CUTOFF_HOURS=24)
def test_cancelled_exactly_at_the_cut_off_is_free(room, tenant_a, tenant_a_admin):
    booking = _billed(room, tenant_a, tenant_a_admin)
    services.room_cancel(obj=booking, by=tenant_a_admin, now=at(MONDAY, "09:00"))  # exactly 24 h before
    [bill] = Bill.objects.all()
    assert bill.status == Bill.Status.VOID
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.free_minutes == 0
    assert services.quota_used(room, tenant_a, booking.start) == 0  # the free hours returned


@override_settings(VENUES_CANCEL_CUTOFF_HOURS=24)
def test_cancelled_a_second_after_the_cut_off_keeps_the_fee_and_the_quota(room, tenant_a, tenant_a_admin):
    booking = _billed(room, tenant_a, tenant_a_admin)
    services.room_cancel(obj=booking, by=tenant_a_admin, now=at(MONDAY, "09:00") + dt.timedelta(seconds=1))
    [bill] = Bill.objects.all()
    assert bill.status != Bill.Status.VOID and bill.total == Decimal("100.00")
    booking.refresh_from_db()
    assert booking.free_minutes == 120
    assert AuditEvent.objects.filter(action="booking.fee_kept").count() == 1


def test_a_begun_booking_cannot_be_cancelled(room, tenant_a, tenant_a_admin):
    booking = book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00")
    with pytest.raises(TransitionRefused):
        services.room_cancel(obj=booking, by=tenant_a_admin, now=at(TUESDAY, "09:05"))


# --- check-in, door, no-shows, reminders ----------------------------------------------------------


def test_the_desk_checks_in_from_a_quarter_hour_before(room, tenant_a, tenant_a_admin, desk):
    booking = book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00")
    with pytest.raises(TransitionRefused):
        services.room_check_in(obj=booking, by=desk, now=at(TUESDAY, "08:44"))
    services.room_check_in(obj=booking, by=desk, now=at(TUESDAY, "08:45"))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN and booking.checked_in_at == at(TUESDAY, "08:45")


def test_the_door_qr_checks_in_the_bookers_company_only(room, tenant_a, tenant_a_admin, tenant_b_admin):
    booking = book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00")
    with pytest.raises(TransitionRefused):
        services.door_check_in(space=room, by=tenant_b_admin, now=at(TUESDAY, "09:05"))
    services.door_check_in(space=room, by=tenant_a_admin, now=at(TUESDAY, "09:05"))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


def test_no_show_scan_run_twice_marks_once(room, tenant_a, tenant_a_admin):
    late = book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00")
    come = book(room, tenant_a_admin, tenant_a, TUESDAY, "10:00", "11:00")
    later = book(room, tenant_a_admin, tenant_a, TUESDAY, "11:00", "12:00")
    services.room_check_in(obj=come, by=tenant_a_admin, now=at(TUESDAY, "10:00"))
    assert services.mark_no_shows(now=at(TUESDAY, "10:31")) == 1
    assert services.mark_no_shows(now=at(TUESDAY, "10:31")) == 0
    statuses = {b.pk: b.status for b in Booking.objects.all()}
    assert statuses == {late.pk: "no_show", come.pk: "checked_in", later.pk: "booked"}
    assert AuditEvent.objects.filter(action="booking.no_show").count() == 1


def test_reminder_run_twice_sends_once(room, tenant_a, tenant_a_admin):
    booking = book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00")
    assert services.send_reminders(now=at(TUESDAY, "07:30")) == 0  # too early
    assert services.send_reminders(now=at(TUESDAY, "08:10")) == 1
    assert services.send_reminders(now=at(TUESDAY, "08:20")) == 0
    assert Notification.objects.filter(dedup_key=f"booking-{booking.pk}-reminder").count() == 1
    booking.refresh_from_db()
    assert booking.reminded_at == at(TUESDAY, "08:10")


def test_the_tasks_call_the_services(room, tenant_a, tenant_a_admin):
    from venues import tasks

    assert tasks.mark_no_shows() == 0
    assert tasks.send_reminders() == 0


def test_the_ics_file_holds_the_slot(room, tenant_a, tenant_a_admin):
    from icalendar import Calendar

    from venues.room_selectors import booking_ics

    booking = book(room, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00")
    cal = Calendar.from_ical(booking_ics(booking, "https://example.test/b/1/"))
    [event] = cal.walk("VEVENT")
    assert event.decoded("dtstart") == at(TUESDAY, "09:00")
    assert "周例会" in str(event.get("summary"))
