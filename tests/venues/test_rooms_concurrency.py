"""Twenty bookings of one meeting-room slot at the same instant (threads with their own
connections, released by a barrier): one booked and billed, nineteen clear refusals."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation

from billing.models import Bill
from tenants.models import Tenant
from tests.concurrency import run_at_once
from tests.venues.room_data import MONDAY, at, room_fixture  # noqa: F401 (the fixture)
from venues import rooms as services
from venues.models import Booking, Space

pytestmark = pytest.mark.django_db(transaction=True)
TUESDAY = MONDAY + dt.timedelta(days=1)


def test_twenty_simultaneous_bookings_of_one_slot_make_one(
    room, tenant_a, tenant_a_admin, tenant_b, tenant_b_admin, english
):
    people = [(tenant_a.pk, tenant_a_admin.pk), (tenant_b.pk, tenant_b_admin.pk)]

    def prepare(i):
        translation.activate("en")  # per thread: the messages in the msgid language
        tenant_id, user_id = people[i % 2]
        return (
            Space.objects.select_related("fee_item").get(pk=room.pk),
            Tenant.objects.get(pk=tenant_id),
            get_user_model().objects.get(pk=user_id),
        )

    def attempt(i, prepared):
        space, tenant, user = prepared
        return services.room_book(
            space=space,
            by=user,
            tenant=tenant,
            start=at(TUESDAY, "14:00"),
            end=at(TUESDAY, "17:00"),  # 3 h: 2 free, 1 billed
            title=f"会议 {i}",
            attendees=5,
            accept_fee=True,
            now=at(MONDAY, "09:00"),
        )

    results = run_at_once(20, prepare, attempt)
    booked = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(booked) == 1, results
    assert len(refused) == 19, [r for r in results if not isinstance(r, Booking | ValidationError)]
    [winner] = booked
    slot = f"{TUESDAY:%Y-%m-%d} 14:00–17:00"
    for r in refused:
        [message] = r.message_dict["start"]
        # A tenant is told the time, and whose only as far as it may know: never the other's name.
        assert slot in message
        assert winner.tenant.name not in message
    assert Booking.objects.count() == 1
    [bill] = Bill.objects.all()  # the losers' bills and numbers rolled back
    assert bill.source_key == f"booking:{winner.pk}" and bill.number.endswith("-00001")
    assert bill.total == 100


def test_two_tasks_at_once_mark_each_no_show_once(room, tenant_a, tenant_a_admin):
    from jinyuan.workflow.models import AuditEvent

    for hour in ("09:00", "11:00", "13:00"):
        services.room_book(
            space=room,
            by=tenant_a_admin,
            tenant=tenant_a,
            start=at(TUESDAY, hour),
            end=at(TUESDAY, hour.replace(":00", ":30")),
            title="例会",
            attendees=2,
            now=at(MONDAY, "09:00"),
        )
    results = run_at_once(2, lambda i: None, lambda i, _: services.mark_no_shows(now=at(TUESDAY, "18:00")))
    assert sorted(results) == [0, 3] or sum(results) == 3, results
    assert Booking.objects.filter(status=Booking.Status.NO_SHOW).count() == 3
    assert AuditEvent.objects.filter(action="booking.no_show").count() == 3
