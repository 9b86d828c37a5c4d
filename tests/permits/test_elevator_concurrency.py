"""Twenty bookings of one freight-elevator slot at the same instant (threads with their own
connections, released by a barrier): one booked and billed, nineteen clear refusals naming it."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation

from billing.models import Bill
from permits import elevator as services
from permits.models import ElevatorBooking, FreightElevator
from tenants.models import Tenant
from tests.concurrency import run_at_once
from tests.permits.elevator_data import MONDAY, at, elevator_fixture  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)
TUESDAY = MONDAY + dt.timedelta(days=1)


def test_twenty_simultaneous_bookings_of_one_slot_make_one(
    elevator, tenant_a, tenant_a_admin, tenant_b, tenant_b_admin, english
):
    people = [(tenant_a.pk, tenant_a_admin.pk), (tenant_b.pk, tenant_b_admin.pk)]

    def prepare(i):
        translation.activate("en")  # per thread: the messages in the msgid language
        tenant_id, user_id = people[i % 2]
        return (
            FreightElevator.objects.select_related("fee_item").get(pk=elevator.pk),
            Tenant.objects.get(pk=tenant_id),
            get_user_model().objects.get(pk=user_id),
        )

    def attempt(i, prepared):
        lift, tenant, user = prepared
        return services.elevator_book(
            elevator=lift,
            by=user,
            tenant=tenant,
            start=at(TUESDAY, "18:00"),
            end=at(TUESDAY, "19:30"),
            purpose=f"搬运 {i}",
            now=at(MONDAY, "09:00"),
        )

    results = run_at_once(20, prepare, attempt)
    booked = [r for r in results if isinstance(r, ElevatorBooking)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(booked) == 1, results
    assert len(refused) == 19, [r for r in results if not isinstance(r, ElevatorBooking | ValidationError)]
    [winner] = booked
    expected = f"Already booked {TUESDAY:%Y-%m-%d} 18:00–19:30 by {winner.tenant.name}."
    assert all(r.message_dict == {"start": [expected]} for r in refused), refused[0].message_dict
    assert ElevatorBooking.objects.count() == 1
    [bill] = Bill.objects.all()  # the losers' bills and numbers rolled back
    assert bill.source_key == f"elevatorbooking:{winner.pk}" and bill.number.endswith("-00001")
