"""The meeting-room pages as a tenant and the desk use them: book from a free slot, errors
beside their fields with what was typed kept, others' bookings only as busy, the desk's day."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.venues.room_data import at, book, day_ahead, make_room
from venues.models import Booking

pytestmark = pytest.mark.django_db


@pytest.fixture
def room(building):
    return make_room(building)


def _form(day, start="10:00", end="11:00", **over):
    return {"day": day.isoformat(), "start": start, "end": end, "title": "产品评审会", "attendees": "6", **over}


def test_the_rooms_page_offers_free_times_that_open_a_prefilled_form(client_for, tenant_a_admin, room):
    client = client_for(tenant_a_admin)
    day = day_ahead(2)
    page = client.get(reverse("portal:venues:rooms") + f"?day={day}").content.decode()
    link = reverse("portal:venues:room_book", args=[room.pk]) + f"?day={day}&amp;start=10:00"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'value="10:00"' in form and 'value="11:00"' in form


def test_a_tenant_books_and_lands_on_the_booking(client_for, tenant_a_admin, tenant_a, room):
    day = day_ahead(2)
    response = client_for(tenant_a_admin).post(reverse("portal:venues:room_book", args=[room.pk]), _form(day))
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:venues:booking_detail", args=[booking.pk]
    )
    assert booking.tenant == tenant_a and booking.title == "产品评审会" and booking.attendees == 6


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"start": "06:00", "end": "07:00"}, "start"),
        ({"start": "09:00", "end": "15:00"}, "end"),
        ({"attendees": "40"}, "attendees"),
        ({"start": "09:00", "end": "12:00"}, "accept_fee"),  # 3 h: one beyond the 2 free hours
    ],
)
def test_a_refused_booking_shows_the_error_beside_its_field_and_keeps_the_input(
    client_for, tenant_a_admin, room, over, field
):
    day = day_ahead(2)
    response = client_for(tenant_a_admin).post(reverse("portal:venues:room_book", args=[room.pk]), _form(day, **over))
    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    assert "产品评审会" in response.content.decode()  # nothing typed is lost
    assert not Booking.objects.exists()


def test_an_overlap_names_the_time_and_only_another_company(client_for, tenant_a_admin, tenant_a, tenant_b_admin, room):
    day = day_ahead(2)
    book(room, tenant_a_admin, tenant_a, day, "10:00", "11:00", now=timezone.now(), title="甲方机密会议")
    response = client_for(tenant_b_admin).post(
        reverse("portal:venues:room_book", args=[room.pk]), _form(day, "10:30", "11:30")
    )
    assert response.status_code == 400
    [message] = response.context["form"].errors["start"]
    assert "10:00–11:00" in message
    page = response.content.decode()
    assert tenant_a.name not in page and "甲方机密会议" not in page


def test_the_feed_shows_our_subjects_and_others_only_as_busy(
    client_for, tenant_a_admin, tenant_a, tenant_b, tenant_b_admin, room
):
    day = day_ahead(2)
    book(room, tenant_a_admin, tenant_a, day, "09:00", "10:00", now=timezone.now(), title="甲方机密会议")
    book(room, tenant_b_admin, tenant_b, day, "10:00", "11:00", now=timezone.now(), title="乙方周会")
    start = at(day, "00:00")
    query = f"?start={start.isoformat()}&end={(start + dt.timedelta(days=1)).isoformat()}".replace("+", "%2B")
    response = client_for(tenant_b_admin).get(reverse("portal:venues:room_feed", args=[room.pk]) + query)
    body = response.content.decode()
    events = json.loads(body)
    assert [e["title"] for e in events] == ["已占用", "乙方周会"]  # zh-hans, the default language
    assert "甲方" not in body and tenant_a.name not in body
    assert events[0]["id"] is None and "url" not in events[0]


def test_the_desk_calendar_shows_every_space_with_its_bookings(
    client_for, desk, tenant_a_admin, tenant_a, room, building
):
    from venues.models import Space

    plaza = Space.objects.create(name="中庭广场", kind=Space.Kind.PLAZA, building=building)
    day = day_ahead(2)
    booking = book(room, tenant_a_admin, tenant_a, day, "09:00", "10:30", now=timezone.now())
    # A public-space use, made as the applications' half makes them.
    Booking.objects.create(
        space=plaza, start=at(day, "13:00"), end=at(day, "17:00"), status=Booking.Status.PENDING, applicant=desk
    )
    page = client_for(desk).get(reverse("desk:venues:calendar") + f"?day={day}").content.decode()
    assert "中庭广场" in page and room.name in page
    assert reverse("desk:venues:booking_detail", args=[booking.pk]) in page
    assert 'colspan="3"' in page  # 09:00–10:30: three half hours in one block
    assert tenant_a.name in page


def test_the_desk_checks_in_from_the_booking(client_for, desk, tenant_a_admin, tenant_a, room):
    now = timezone.now()
    start = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    booking = Booking.objects.create(
        space=room,
        start=start - dt.timedelta(minutes=50),
        end=start + dt.timedelta(hours=1),
        tenant=tenant_a,
        applicant=tenant_a_admin,
        title="例会",
    )
    url = reverse("desk:venues:booking_detail", args=[booking.pk])
    assert "check_in" in client_for(desk).get(url).content.decode()
    response = client_for(desk).post(url, {"action": "check_in"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


def test_the_door_qr_checks_in_the_member(client_for, tenant_a_admin, tenant_a, room):
    now = timezone.now()
    booking = Booking.objects.create(
        space=room,
        start=now - dt.timedelta(minutes=5),
        end=now + dt.timedelta(minutes=55),
        tenant=tenant_a,
        applicant=tenant_a_admin,
        title="例会",
    )
    url = reverse("portal:venues:door", args=[room.door_code])
    client = client_for(tenant_a_admin)
    assert "例会" in client.get(url).content.decode()
    client.post(url)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


def test_the_portal_detail_offers_the_ics_and_cancel(client_for, tenant_a_admin, tenant_a, room):
    booking = book(room, tenant_a_admin, tenant_a, day_ahead(3), "09:00", "10:00", now=timezone.now())
    client = client_for(tenant_a_admin)
    page = client.get(reverse("portal:venues:booking_detail", args=[booking.pk])).content.decode()
    assert reverse("portal:venues:booking_ics", args=[booking.pk]) in page
    assert 'value="cancel"' in page
    ics = client.get(reverse("portal:venues:booking_ics", args=[booking.pk]))
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    client.post(reverse("portal:venues:booking_detail", args=[booking.pk]), {"action": "cancel"})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_the_door_label_is_a_pdf(client_for, desk, room):
    response = client_for(desk).get(reverse("desk:venues:room_door_label", args=[room.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_the_desk_books_for_a_customer_at_the_non_tenant_rate(client_for, desk, room):
    from billing.models import Bill
    from tests.billing.payer_helpers import make_customer

    customer = make_customer(desk)
    url = reverse("desk:venues:room_book", args=[room.pk])
    data = _form(day_ahead(2), "09:00", "10:00", customer=str(customer.pk), accept_fee="on")
    response = client_for(desk).post(url, data)
    booking = Booking.objects.get()
    assert response.status_code == 302 and booking.customer == customer and booking.tenant is None
    assert Bill.objects.get().total == room.visitor_rate


def test_the_desk_books_for_a_company_from_its_page(client_for, desk, tenant_a, room):
    url = reverse("desk:venues:room_book", args=[room.pk]) + f"?tenant={tenant_a.pk}"
    response = client_for(desk).post(url, _form(day_ahead(2)))
    assert response.status_code == 302
    assert Booking.objects.get().tenant == tenant_a


def test_the_company_page_counts_its_no_shows(client_for, desk, tenant_a, tenant_a_admin, room):
    now = timezone.now()
    for hours in (30, 50):
        Booking.objects.create(
            space=room,
            start=now - dt.timedelta(hours=hours),
            end=now - dt.timedelta(hours=hours - 1),
            tenant=tenant_a,
            applicant=tenant_a_admin,
            status=Booking.Status.NO_SHOW,
        )
    page = client_for(desk).get(reverse("desk:tenants:tenant_detail", args=[tenant_a.pk])).content.decode()
    assert "最近 90 天未到：2 次" in page
    assert f"?tenant={tenant_a.pk}&amp;status=no_show" in page


def test_our_bookings_list_upcoming_first_and_past_on_asking(client_for, tenant_a, tenant_a_admin, room):
    now = timezone.now()
    Booking.objects.create(
        space=room,
        start=now - dt.timedelta(days=2),
        end=now - dt.timedelta(days=2) + dt.timedelta(hours=1),
        tenant=tenant_a,
        applicant=tenant_a_admin,
        title="上周例会",
        status=Booking.Status.CHECKED_IN,
    )
    book(room, tenant_a_admin, tenant_a, day_ahead(3), "09:00", "10:00", now=now, title="下周例会")
    client = client_for(tenant_a_admin)
    url = reverse("portal:venues:booking_list")
    upcoming = client.get(url).content.decode()
    assert "下周例会" in upcoming and "上周例会" not in upcoming
    assert "上周例会" in client.get(url + "?when=past").content.decode()
    every = client.get(url + "?when=").content.decode()
    assert "上周例会" in every and "下周例会" in every
