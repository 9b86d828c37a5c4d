"""The freight-elevator pages: picking a free slot on the calendar, booking in the portal and at
the desk, errors beside the fields with nothing lost, the operator, cancelling, another
company's booking a 404."""

import datetime as dt

import pytest
from django.urls import reverse

from permits.models import ElevatorBooking
from tests.permits.elevator_data import book, elevator_fixture, weekday_ahead  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def form(day: dt.date, start="09:00", end="10:00", **over) -> dict:
    return {"day": day.isoformat(), "start": start, "end": end, "purpose": "搬运办公家具", **over}


def test_the_portal_calendar_offers_free_slots_and_books_one(client_for, tenant_a_admin, elevator):
    day = weekday_ahead(3)
    client = client_for(tenant_a_admin, HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(reverse("portal:permits:elevator_calendar", args=[elevator.pk]) + f"?week={day}")
    assert page.status_code == 200
    book_url = reverse("portal:permits:elevator_book", args=[elevator.pk])
    assert f"{book_url}?day={day}&amp;start=09:00" in page.content.decode()
    response = client.get(book_url, {"day": day.isoformat(), "start": "09:00"})
    assert response.status_code == 200 and 'value="09:00"' in response.content.decode()
    response = client.post(book_url, form(day))
    booking = ElevatorBooking.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/elevator-bookings/{booking.pk}/")
    assert booking.applicant == tenant_a_admin and booking.tenant_id is not None
    detail = client.get(response["Location"])
    assert "Cancel the booking" in detail.content.decode()
    week = client.get(reverse("portal:permits:elevator_calendar", args=[elevator.pk]) + f"?week={day}")
    assert "ours" in week.content.decode()


def test_an_overlap_in_the_form_names_the_booking_and_keeps_the_input(
    client_for, tenant_a, tenant_a_admin, tenant_b_admin, elevator
):
    from django.utils import timezone

    day = weekday_ahead(3)
    book(elevator, tenant_a_admin, tenant_a, day, "09:00", "11:00", now=timezone.now())
    response = client_for(tenant_b_admin, HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("portal:permits:elevator_book", args=[elevator.pk]), form(day, "10:00", "12:00", purpose="送货")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert f"Already booked {day:%Y-%m-%d} 09:00–11:00 by {tenant_a.name}" in html
    assert 'value="送货"' in html and 'value="10:00"' in html
    assert ElevatorBooking.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "field_error"),
    [
        ("11:00", "10:00", "The end must be after the start."),
        ("06:00", "07:00", "can be booked from 07:00 to 22:00"),
        ("09:15", "10:00", "steps of 30 minutes"),
    ],
)
def test_bad_times_are_errors_beside_the_fields(client_for, tenant_a_admin, elevator, start, end, field_error):
    response = client_for(tenant_a_admin, HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("portal:permits:elevator_book", args=[elevator.pk]), form(weekday_ahead(3), start, end)
    )
    assert response.status_code == 400 and field_error in response.content.decode()
    assert not ElevatorBooking.objects.exists()


def test_the_past_and_short_notice_are_refused_in_the_form(client_for, tenant_a_admin, elevator):
    from django.utils import timezone

    url = reverse("portal:permits:elevator_book", args=[elevator.pk])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client_for(tenant_a_admin, HTTP_ACCEPT_LANGUAGE="en").post(url, form(yesterday))
    assert response.status_code == 400 and "already past" in response.content.decode()
    late = (timezone.localtime() + dt.timedelta(hours=2)).replace(minute=0)
    if late.date() == timezone.localdate() and dt.time(7) <= late.time() <= dt.time(20):
        response = client_for(tenant_a_admin, HTTP_ACCEPT_LANGUAGE="en").post(
            url, form(late.date(), f"{late:%H}:00", f"{late.hour + 1:02d}:00")
        )
        assert response.status_code == 400 and "hours ahead" in response.content.decode()


def test_the_desk_books_for_the_property_and_for_a_company(client_for, desk, tenant_a, elevator):
    url = reverse("desk:permits:elevator_book", args=[elevator.pk])
    client = client_for(desk, HTTP_ACCEPT_LANGUAGE="en")
    assert "For the property itself" in client.get(url).content.decode()
    day = weekday_ahead(3)
    client.post(url, form(day, "19:00", "21:00"))
    client.post(url + f"?tenant={tenant_a.pk}", form(day, "09:00", "10:00"))
    property_, company = ElevatorBooking.objects.order_by("start").reverse()
    assert property_.tenant is None and company.tenant == tenant_a
    listing = client.get(reverse("desk:permits:elevator_list")).content.decode()
    assert "the property" in listing and tenant_a.name in listing
    calendar = client.get(reverse("desk:permits:elevator_calendar", args=[elevator.pk]) + f"?week={day}")
    assert f'title="{tenant_a.name}"' in calendar.content.decode()


def test_the_desk_assigns_the_operator_and_marks_nothing_before_the_start(
    client_for, desk, engineer, tenant_a, tenant_a_admin, elevator
):
    from django.utils import timezone

    booking = book(elevator, tenant_a_admin, tenant_a, weekday_ahead(3), "09:00", "10:00", now=timezone.now())
    url = reverse("desk:permits:elevator_booking_detail", args=[booking.pk])
    client = client_for(desk, HTTP_ACCEPT_LANGUAGE="en")
    assert client.post(url, {"operator": engineer.pk}).status_code == 302
    booking.refresh_from_db()
    assert booking.operator == engineer
    response = client.post(url, {"operator": "999999"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    client.post(url, {"action": "complete"})
    booking.refresh_from_db()
    assert booking.status == "booked"


def test_the_company_cancels_its_booking_and_another_company_gets_404(
    client_for, tenant_a, tenant_a_admin, tenant_b_admin, elevator
):
    from django.utils import timezone

    booking = book(elevator, tenant_a_admin, tenant_a, weekday_ahead(3), "09:00", "10:00", now=timezone.now())
    url = reverse("portal:permits:elevator_booking_detail", args=[booking.pk])
    assert client_for(tenant_b_admin, HTTP_ACCEPT_LANGUAGE="en").get(url).status_code == 404
    client_for(tenant_a_admin, HTTP_ACCEPT_LANGUAGE="en").post(url, {"action": "cancel"})
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_the_propertys_booking_is_not_in_any_portal(client_for, desk, tenant_a_admin, elevator):
    from django.utils import timezone

    booking = book(elevator, desk, None, weekday_ahead(3), "09:00", "10:00", now=timezone.now())
    url = reverse("portal:permits:elevator_booking_detail", args=[booking.pk])
    assert client_for(tenant_a_admin, HTTP_ACCEPT_LANGUAGE="en").get(url).status_code == 404


@pytest.mark.parametrize(
    ("query", "end"),
    [("start=09:00", "10:00"), ("start=09:00&end=17:00", "13:00"), ("start=21:30", "22:00")],
)
def test_the_form_from_the_calendar_suggests_an_end_within_the_rules(client_for, tenant_a_admin, elevator, query, end):
    url = reverse("portal:permits:elevator_book", args=[elevator.pk]) + f"?day={weekday_ahead(3)}&{query}"
    html = client_for(tenant_a_admin).get(url).content.decode()
    assert f'name="end" value="{end}"' in html


def test_from_the_company_page_the_desk_books_for_the_company(client_for, desk, tenant_a, elevator):
    client = client_for(desk, HTTP_ACCEPT_LANGUAGE="en")
    listing = client.get(reverse("desk:permits:elevator_list"), {"for_tenant": tenant_a.pk}).content.decode()
    calendar_url = reverse("desk:permits:elevator_calendar", args=[elevator.pk]) + f"?tenant={tenant_a.pk}"
    assert calendar_url in listing and tenant_a.name in listing
    day = weekday_ahead(3)
    week = client.get(calendar_url + f"&week={day}").content.decode()
    assert f"&amp;tenant={tenant_a.pk}" in week
    client.post(
        reverse("desk:permits:elevator_book", args=[elevator.pk]) + f"?tenant={tenant_a.pk}",
        form(day, "09:00", "10:00"),
    )
    assert ElevatorBooking.objects.get().tenant == tenant_a


def test_the_timeline_says_what_happened_with_its_details(client_for, desk, tenant_a, tenant_a_admin, elevator):
    from django.utils import timezone

    from permits import elevator as services

    day = weekday_ahead(3)
    booking = book(elevator, tenant_a_admin, tenant_a, day, "18:00", "19:00", now=timezone.now())
    services.elevator_cancel(obj=booking, by=desk)
    html = (
        client_for(desk, HTTP_ACCEPT_LANGUAGE="en")
        .get(reverse("desk:permits:elevator_booking_detail", args=[booking.pk]))
        .content.decode()
    )
    for text in ("Freight elevator booked", "Fee billed", "Booking cancelled", "Fee bill voided", "Billed hours"):
        assert text in html, text
    assert "Before the cancellation cut-off" in html
