"""Twenty "create a repair ticket" submits of one emergency at the same instant (threads with
their own connections, released by a barrier): one ticket, linked once."""

import pytest
from django.contrib.auth import get_user_model

from frontdesk import emergency_services as services
from frontdesk.models import Emergency, EmergencyLink
from repairs.models import RepairTicket
from tests.concurrency import run_at_once
from tests.frontdesk.liaison_data import make_emergency, water_category

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_simultaneous_submits_make_one_ticket(building, desk):
    e = make_emergency(building, desk)
    category = water_category()

    def prepare(i):
        return Emergency.objects.get(pk=e.pk), get_user_model().objects.get(pk=desk.pk)

    def attempt(i, prepared):
        emergency, user = prepared
        return services.emergency_create_ticket(obj=emergency, by=user, category=category)

    results = run_at_once(20, prepare, attempt)
    assert all(isinstance(r, tuple) for r in results), results
    assert sum(1 for _, created in results if created) == 1
    assert len({ticket.pk for ticket, _ in results}) == 1
    assert RepairTicket.objects.count() == 1 and EmergencyLink.objects.count() == 1
