"""Two clerks moving tenants into one unit at once: the database lets exactly one in."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from tenants import services
from tenants.models import Occupancy
from tenants.services import OccupancyConflict
from tests import factories
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_ten_simultaneous_move_ins_to_one_unit_give_one_occupancy(desk):
    with transaction.atomic():
        unit = factories.UnitFactory()
        tenants = [factories.TenantFactory() for _ in range(10)]

    def start(i, _):
        services.occupancy_start(tenant=tenants[i], unit=unit, start=date(2026, 3, 1), by=desk)
        return "moved in"

    results = run_at_once(10, lambda i: None, start)

    assert results.count("moved in") == 1, results
    # Refused either by validation (the winner already committed) or by the exclusion constraint.
    assert all(isinstance(r, (OccupancyConflict, ValidationError)) for r in results if r != "moved in"), results
    assert Occupancy.objects.filter(unit=unit).count() == 1
