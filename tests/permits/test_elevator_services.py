"""Freight-elevator bookings through the services: confirmed at once, overlaps refused naming
the booking in the way, a cancelled booking frees its slot, the fee billed and voided or kept by
the cut-off, done and no-show only after the start, the operator, the links, the timeline."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from billing.models import Bill
from billing.services import payment_record
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from permits import elevator as services
from permits import elevator_selectors as selectors
from permits.models import ElevatorBooking
from tests.permits.elevator_data import MONDAY, at, book, elevator_fixture  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
TUESDAY = MONDAY + dt.timedelta(days=1)
EARLY = at(MONDAY, "08:00")  # a day and more ahead of Tuesday's slots


def events(booking) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=booking.pk, action__startswith="elevator_booking.").values_list(
            "action", flat=True
        )
    )


def test_a_booking_within_office_hours_is_confirmed_free_of_charge(elevator, tenant_a, tenant_a_admin):
    b = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "09:00", "11:00", now=EARLY)
    assert b.status == "booked" and b.fee == 0
    assert not Bill.objects.filter(source_key=f"elevatorbooking:{b.pk}").exists()
    assert events(b) == ["elevator_booking.booked"]


def test_the_free_office_hours_are_per_company_and_day_not_per_booking(
    elevator, building, tenant_a, tenant_a_admin, tenant_b, tenant_b_admin
):
    """Two back-to-back slots (or a slot on the other lift) share the day's two free hours;
    another company, another day and a cancelled slot do not use them."""
    from tests.permits.elevator_data import make_elevator

    first = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:30", now=EARLY)
    second = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "10:30", "12:00", now=EARLY)
    assert (first.fee_hours, second.fee_hours) == (0, 1)  # 30 free minutes were left
    other_lift = make_elevator(building, name="2号货梯")
    third = book(other_lift, tenant_a_admin, tenant_a, TUESDAY, "14:00", "15:00", now=EARLY)
    assert third.fee_hours == 1  # the day's free hours are gone, whichever lift
    assert book(elevator, tenant_b_admin, tenant_b, TUESDAY, "14:00", "16:00", now=EARLY).fee_hours == 0
    wednesday = TUESDAY + dt.timedelta(days=1)
    assert book(elevator, tenant_a_admin, tenant_a, wednesday, "09:00", "11:00", now=EARLY).fee_hours == 0
    for cancelled in (second, third):  # 90 minutes of the first stay used: 30 are free again
        services.elevator_cancel(obj=cancelled, by=tenant_a_admin, now=EARLY)
    assert book(other_lift, tenant_a_admin, tenant_a, TUESDAY, "13:00", "13:30", now=EARLY).fee_hours == 0


def test_a_booking_outside_office_hours_is_billed_per_started_hour(elevator, tenant_a, tenant_a_admin):
    b = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "16:30", "19:30", now=EARLY)
    assert (b.fee_hours, b.fee) == (2, Decimal("80.00"))
    bill = Bill.objects.get(source_key=f"elevatorbooking:{b.pk}")
    assert bill.total == Decimal("80.00") and bill.tenant == tenant_a
    line = bill.lines.get()
    assert (line.quantity, line.unit_price) == (2, Decimal("40.00"))
    assert events(b) == ["elevator_booking.booked", "elevator_booking.billed"]


def test_the_propertys_own_booking_bills_nothing(elevator, desk):
    b = book(elevator, desk, None, TUESDAY, "19:00", "21:00", now=EARLY)
    assert b.tenant is None and b.fee == 0
    assert not Bill.objects.exists()


def test_an_overlap_is_refused_naming_the_time_and_company(
    elevator, tenant_a, tenant_a_admin, tenant_b, tenant_b_admin
):
    book(elevator, tenant_a_admin, tenant_a, TUESDAY, "09:00", "11:00", now=EARLY)
    with pytest.raises(ValidationError) as exc:
        book(elevator, tenant_b_admin, tenant_b, TUESDAY, "10:30", "12:00", now=EARLY)
    message = exc.value.message_dict["start"][0]
    assert f"{TUESDAY:%Y-%m-%d} 09:00–11:00" in message and tenant_a.name in message
    assert ElevatorBooking.objects.count() == 1


def test_an_overlap_with_the_propertys_booking_names_the_property(elevator, desk, tenant_a, tenant_a_admin, english):
    book(elevator, desk, None, TUESDAY, "09:00", "10:00", now=EARLY)
    with pytest.raises(ValidationError) as exc:
        book(elevator, tenant_a_admin, tenant_a, TUESDAY, "09:30", "10:30", now=EARLY)
    assert "by the property" in exc.value.message_dict["start"][0]


def test_back_to_back_slots_do_not_clash_and_other_elevators_are_free(elevator, building, tenant_a, tenant_a_admin):
    from tests.permits.elevator_data import make_elevator

    book(elevator, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00", now=EARLY)
    book(elevator, tenant_a_admin, tenant_a, TUESDAY, "10:00", "11:00", now=EARLY)
    book(make_elevator(building, "2号货梯"), tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00", now=EARLY)
    assert ElevatorBooking.objects.count() == 3


def test_a_cancelled_booking_frees_the_slot(elevator, tenant_a, tenant_a_admin, tenant_b, tenant_b_admin):
    b = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "09:00", "11:00", now=EARLY)
    services.elevator_cancel(obj=b, by=tenant_a_admin, now=EARLY)
    other = book(elevator, tenant_b_admin, tenant_b, TUESDAY, "09:00", "11:00", now=EARLY)
    assert other.status == "booked"


def test_cancelled_before_the_cut_off_the_unpaid_fee_bill_is_voided(elevator, tenant_a, tenant_a_admin):
    b = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "18:00", "20:00", now=EARLY)
    services.elevator_cancel(obj=b, by=tenant_a_admin, now=at(MONDAY, "17:59"))
    assert Bill.objects.get(source_key=f"elevatorbooking:{b.pk}").status == "void"
    assert "elevator_booking.fee_voided" in events(b)


def test_cancelled_after_the_cut_off_the_fee_stays_due(elevator, tenant_a, tenant_a_admin):
    b = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "18:00", "20:00", now=EARLY)
    services.elevator_cancel(obj=b, by=tenant_a_admin, now=at(MONDAY, "18:01"))
    assert Bill.objects.get(source_key=f"elevatorbooking:{b.pk}").status == "open"
    assert "elevator_booking.fee_kept" in events(b)


def test_a_paid_fee_is_left_to_the_desk_when_cancelled_in_time(elevator, tenant_a, tenant_a_admin, desk):
    b = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "18:00", "20:00", now=EARLY)
    payment_record(tenant=tenant_a, amount=Decimal("80.00"), method="cash", by=desk)
    services.elevator_cancel(obj=b, by=desk, now=EARLY)
    assert Bill.objects.get(source_key=f"elevatorbooking:{b.pk}").status == "paid"
    assert "elevator_booking.fee_paid_kept" in events(b)


def test_a_started_slot_cannot_be_cancelled_and_a_future_one_not_marked_done(elevator, tenant_a, tenant_a_admin, desk):
    b = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "09:00", "11:00", now=EARLY)
    with pytest.raises(TransitionRefused):
        services.elevator_cancel(obj=b, by=tenant_a_admin, now=at(TUESDAY, "09:30"))
    with pytest.raises(TransitionRefused):
        services.elevator_complete(obj=b, by=desk, now=at(TUESDAY, "08:59"))
    services.elevator_complete(obj=b, by=desk, now=at(TUESDAY, "11:00"))
    assert b.status == "done" and "elevator_booking.done" in events(b)
    with pytest.raises(TransitionRefused):
        services.elevator_no_show(obj=b, by=desk, now=at(TUESDAY, "11:00"))


def test_no_show_keeps_the_slot_and_the_fee(elevator, tenant_a, tenant_a_admin, guard):
    b = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "18:00", "19:00", now=EARLY)
    services.elevator_no_show(obj=b, by=guard, now=at(TUESDAY, "18:30"))
    assert b.status == "no_show"
    assert Bill.objects.get(source_key=f"elevatorbooking:{b.pk}").status == "open"
    with pytest.raises(ValidationError):
        book(elevator, tenant_a_admin, tenant_a, TUESDAY, "18:00", "19:00", now=EARLY)


def test_who_may_cancel_and_mark(elevator, tenant_a, tenant_a_admin, tenant_b_admin, finance, tenant_a_staff):
    b = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00", now=EARLY)
    for user in (tenant_b_admin, finance, tenant_a_staff):
        with pytest.raises(PermissionDenied):
            services.elevator_cancel(obj=b, by=user, now=EARLY)
    with pytest.raises(PermissionDenied):
        services.elevator_complete(obj=b, by=tenant_a_admin, now=at(TUESDAY, "10:00"))
    b.refresh_from_db()
    assert b.status == "booked"


def test_the_desk_assigns_an_operator(elevator, tenant_a, tenant_a_admin, desk, engineer, finance):
    b = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00", now=EARLY)
    with pytest.raises(ValidationError):
        services.elevator_assign_operator(obj=b, operator=finance, by=desk)
    with pytest.raises(PermissionDenied):
        services.elevator_assign_operator(obj=b, operator=engineer, by=tenant_a_admin)
    services.elevator_assign_operator(obj=b, operator=engineer, by=desk)
    b.refresh_from_db()
    assert b.operator == engineer and "elevator_booking.operator_assigned" in events(b)


def test_links_must_be_the_companys_own(elevator, tenant_a, tenant_a_admin, tenant_b, tenant_b_admin, desk):
    from tests.permits.release_data import make_note

    note_b = make_note("submitted", tenant=tenant_b, applicant=tenant_b_admin, desk=desk, guard=None)
    with pytest.raises(ValidationError) as exc:
        book(elevator, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00", now=EARLY, release_note=note_b)
    assert "release_note" in exc.value.message_dict
    assert not ElevatorBooking.objects.exists()
    note_a = make_note("submitted", tenant=tenant_a, applicant=tenant_a_admin, desk=desk, guard=None)
    b = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00", now=EARLY, release_note=note_a)
    assert b.release_note == note_a


def test_bad_input_saves_nothing_and_says_each_field(elevator, tenant_a, tenant_a_admin):
    with pytest.raises(ValidationError) as exc:
        book(elevator, tenant_a_admin, tenant_a, TUESDAY, "11:00", "10:00", now=EARLY, purpose=" ")
    assert set(exc.value.message_dict) == {"end", "purpose"}
    assert (
        not ElevatorBooking.objects.exists() and not AuditEvent.objects.filter(action__startswith="elevator").exists()
    )


def test_free_slots_leave_out_bookings_and_the_past(elevator, tenant_a, tenant_a_admin):
    book(elevator, tenant_a_admin, tenant_a, TUESDAY, "09:00", "11:00", now=EARLY)
    cancelled = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "13:00", "14:00", now=EARLY)
    services.elevator_cancel(obj=cancelled, by=tenant_a_admin, now=EARLY)
    free = selectors.free_slots(elevator, MONDAY, now=at(MONDAY, "12:10"))
    assert free[MONDAY] == [(at(MONDAY, "12:30"), at(MONDAY, "22:00"))]  # the next slot
    assert free[TUESDAY] == [(at(TUESDAY, "07:00"), at(TUESDAY, "09:00")), (at(TUESDAY, "11:00"), at(TUESDAY, "22:00"))]
    assert len(free) == 7


def test_the_board_lists_today_and_the_next_24_hours(elevator, tenant_a, tenant_a_admin, desk):
    today = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "09:00", "10:00", now=EARLY)
    tomorrow = book(elevator, desk, None, TUESDAY + dt.timedelta(days=1), "08:00", "09:00", now=EARLY)
    book(elevator, tenant_a_admin, tenant_a, TUESDAY + dt.timedelta(days=2), "09:00", "10:00", now=EARLY)
    cancelled = book(elevator, tenant_a_admin, tenant_a, TUESDAY, "12:00", "13:00", now=EARLY)
    services.elevator_cancel(obj=cancelled, by=desk, now=EARLY)
    assert selectors.elevator_bookings_for_board(at(TUESDAY, "10:30")) == [today, tomorrow]
