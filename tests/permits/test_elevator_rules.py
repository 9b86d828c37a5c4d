"""The freight elevator's rules and fee arithmetic: office time free up to the limit, every
other started hour billed (rounded up once over the booking, mixed inside/outside office hours),
notice, hours, grid, length, past, end before start."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from jinyuan.workflow.calendar import WorkingCalendar
from permits import elevator as services
from permits.models import FreightElevator
from tests.permits.elevator_data import MONDAY, at, elevator_fixture  # noqa: F401 (the fixture)

pytestmark = pytest.mark.usefixtures("english")  # the messages in the msgid language
TUESDAY = MONDAY + dt.timedelta(days=1)
SATURDAY = MONDAY + dt.timedelta(days=5)
PLAIN = WorkingCalendar()  # Monday to Friday, no holidays


def lift(**over) -> FreightElevator:
    return FreightElevator(name="1号货梯", **over)  # the model's defaults: the usual rules


def hours(start: str, end: str, day=TUESDAY, calendar=PLAIN, **over) -> int:
    return services.billed_hours(lift(**over), at(day, start), at(day, end), calendar)


@pytest.mark.parametrize(
    ("start", "end", "billed"),
    [
        ("09:00", "11:00", 0),  # two office hours: free
        ("09:00", "11:30", 1),  # 30 minutes over the free two hours: one started hour
        ("09:00", "13:00", 2),  # four office hours, two free
        ("18:00", "19:00", 1),  # outside: one hour
        ("18:00", "19:30", 2),  # part hour rounded up
        ("07:00", "07:30", 1),  # half an hour before the office opens: one started hour
        ("16:30", "19:15", 2),  # 1 h free inside, 1 h 45 outside: 2 hours
        ("07:30", "09:30", 1),  # 1 h before opening, 1 h inside (free)
        ("17:00", "17:30", 0),  # the last office half hour
        ("17:00", "18:00", 1),  # half inside (free), half outside: one started hour
        ("08:00", "12:00", 2),  # 30 min outside + 3 h 30 inside, 2 h of it free: 2 h billed
    ],
)
def test_billed_hours_round_part_hours_up_and_mix_inside_and_outside(start, end, billed):
    assert hours(start, end) == billed


def test_a_day_off_is_outside_office_hours_all_day():
    assert hours("09:00", "11:00", day=SATURDAY) == 2


def test_a_public_holiday_from_the_calendar_is_outside_office_hours():
    holiday = WorkingCalendar(exceptions={TUESDAY: False})
    assert hours("09:00", "10:30", calendar=holiday) == 2


def test_a_make_up_working_saturday_has_office_hours():
    make_up = WorkingCalendar(exceptions={SATURDAY: True})
    assert hours("09:00", "11:00", day=SATURDAY, calendar=make_up) == 0


def test_the_free_limit_is_the_elevators():
    assert hours("09:00", "12:00", free_hours=Decimal("0.5")) == 3
    assert hours("09:00", "12:00", free_hours=Decimal("3")) == 0


@pytest.mark.django_db
def test_the_fee_is_hours_times_the_fee_items_price(elevator):
    booked_hours, fee = services.slot_fee(elevator, at(TUESDAY, "16:30"), at(TUESDAY, "19:15"), PLAIN)
    assert (booked_hours, fee) == (2, Decimal("80.00"))


@pytest.mark.django_db
def test_no_fee_item_bills_nothing(elevator):
    elevator.fee_item = None
    assert services.slot_fee(elevator, at(TUESDAY, "18:00"), at(TUESDAY, "21:00"), PLAIN) == (0, Decimal("0"))


# --- rules: each error beside its field ---------------------------------------------------------


def errors(start, end, now, **over) -> dict:
    with pytest.raises(ValidationError) as exc:
        services.check_slot(lift(**over), start, end, now=now, calendar=PLAIN)
    return exc.value.message_dict


def test_end_before_start_is_an_error_beside_the_end():
    e = errors(at(TUESDAY, "11:00"), at(TUESDAY, "10:00"), at(MONDAY, "08:00"))
    assert list(e) == ["end"]
    assert "after the start" in e["end"][0]


def test_a_slot_in_the_past_is_refused():
    e = errors(at(MONDAY, "09:00"), at(MONDAY, "10:00"), at(MONDAY, "12:00"))
    assert "past" in e["start"][0]


def test_outside_the_elevators_hours_is_refused_beside_start_and_end():
    e = errors(at(TUESDAY, "06:00"), at(TUESDAY, "07:30"), at(MONDAY, "08:00"))
    assert "07:00 to 22:00" in e["start"][0]
    e = errors(at(TUESDAY, "21:00"), at(TUESDAY, "22:30"), at(MONDAY, "08:00"))
    assert "07:00 to 22:00" in e["end"][0]


def test_a_slot_across_midnight_is_refused():
    e = errors(at(TUESDAY, "21:00"), at(TUESDAY + dt.timedelta(days=1), "08:00"), at(MONDAY, "08:00"))
    assert "day it starts" in e["end"][0]


def test_slots_follow_the_grid_and_the_longest_booking():
    e = errors(at(TUESDAY, "09:10"), at(TUESDAY, "10:00"), at(MONDAY, "08:00"))
    assert "steps of 30 minutes" in e["start"][0]
    e = errors(at(TUESDAY, "09:00"), at(TUESDAY, "14:00"), at(MONDAY, "08:00"))
    assert "At most 4 hours" in e["end"][0]


def test_within_office_hours_four_hours_notice_is_enough():
    services.check_slot(lift(), at(TUESDAY, "13:00"), at(TUESDAY, "14:00"), now=at(TUESDAY, "09:00"), calendar=PLAIN)
    e = errors(at(TUESDAY, "13:00"), at(TUESDAY, "14:00"), at(TUESDAY, "09:30"))
    assert "4 hours ahead" in e["start"][0]


def test_outside_office_hours_a_day_ahead_is_needed():
    e = errors(at(TUESDAY, "18:00"), at(TUESDAY, "19:00"), at(TUESDAY, "09:00"))
    assert "24 hours ahead" in e["start"][0]
    # A slot partly outside needs the day's notice too.
    e = errors(at(TUESDAY, "17:00"), at(TUESDAY, "18:00"), at(TUESDAY, "09:00"))
    assert "24 hours ahead" in e["start"][0]
    services.check_slot(lift(), at(TUESDAY, "18:00"), at(TUESDAY, "19:00"), now=at(MONDAY, "18:00"), calendar=PLAIN)


def test_an_elevator_not_in_use_cannot_be_booked():
    e = errors(at(TUESDAY, "10:00"), at(TUESDAY, "11:00"), at(MONDAY, "08:00"), is_active=False)
    assert "not in use" in e["start"][0]
