"""A tenant books a meeting room on a 390 px phone from the portal's home in at most three page
loads and ten taps (counted), sees it in the room's calendar; the desk finds it on the calendar
of the day and checks it in."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.venues.room_data import make_room
from venues.models import Booking

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


@pytest.fixture
def people(desk, tenant_a_admin):
    for user in (desk, tenant_a_admin):
        user.set_password(PASSWORD)
        user.save()
    return desk, tenant_a_admin


def test_a_tenant_books_on_a_phone_and_the_desk_checks_it_in(new_page, people, tenant_a, building, settings):
    desk, tenant_admin = people
    # Open most of the day (whenever the walk runs), free within the monthly quota.
    room = make_room(building, opens=dt.time(0), closes=dt.time(23, 30), free_hours_per_month=Decimal(10))
    # The desk checks the booking in at once, whatever the next free slot (normally from 15
    # minutes before the start).
    settings.VENUES_CHECK_IN_EARLY_MINUTES = 24 * 60

    phone = new_page(phone=True)
    login(phone, tenant_admin.username, PASSWORD)
    phone.goto("/portal/")
    loads, taps = [], 0
    phone.on("load", lambda page: loads.append(page.url))

    # Tap 1 (load 1): the home's "book a meeting room" link; the rooms' free times of the day.
    taps += 1
    submit(phone, "main a[href='/portal/venues/rooms/']")
    # Tap 2 (load 2): the first free time of the room opens the form, day and times filled in.
    taps += 1
    submit(phone, "a.slot-btn >> nth=0")
    assert phone.locator("input[name=start]").input_value() != ""
    # Taps 3–4: the subject and the attendees; tap 5 (load 3): book.
    taps += 1
    phone.fill("input[name=title]", "产品评审会")
    taps += 1
    phone.fill("input[name=attendees]", "6")
    taps += 1
    submit(phone, "main button[type=submit]")
    phone.wait_for_url(re.compile(r"/portal/venues/bookings/\d+/$"))
    assert len(loads) <= 3, loads
    assert taps <= 10
    booking = Booking.objects.get()
    assert booking.tenant == tenant_a and booking.status == "booked" and booking.fee == 0
    assert "产品评审会" in phone.content()

    # The room's week calendar (FullCalendar) shows our own booking by its subject.
    phone.goto(f"/portal/venues/rooms/{room.pk}/?day={timezone.localtime(booking.start).date()}")
    phone.wait_for_selector("#room-calendar .fc-event")
    assert "产品评审会" in phone.locator("#room-calendar").inner_text()

    # The desk sees it on the calendar of the day and checks it in from the booking.
    clerk = new_page()
    login(clerk, desk.username, PASSWORD)
    day = timezone.localtime(booking.start).date()
    clerk.goto(f"/desk/venues/calendar/?day={day}")
    block = clerk.locator(f"td.venue-block a[href='/desk/venues/bookings/{booking.pk}/']")
    assert tenant_a.name in block.inner_text()
    submit(clerk, block)
    submit(clerk, "button[value=check_in]")
    booking.refresh_from_db()
    assert booking.status == "checked_in"
