"""Fixed query counts (tests/querycount.py) of the meter pages with 1 row and with 30: a floor
of a round (30 meters on the floor), a round with its held readings, the round and meter
registers, a meter's readings at the desk and in the portal, the company's meters."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tenants.models import ReadingRound
from tenants.services.meters import handover_readings_record
from tests import factories
from tests.querycount import Case, admin_changelist, assert_fixed_queries
from tests.tenants.meter_helpers import meter, months_ago, open_round, read

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def ctx(query_ctx, building, desk, unit_a):
    floor = factories.FloorFactory(building=building, number=77)
    query_ctx["floor"] = floor
    query_ctx["round"] = open_round(building, months_ago(0), desk)
    query_ctx["meter"] = meter(unit_a, "electricity")  # tenant A's unit
    return query_ctx


def floor_meters(ctx, n):
    """n units on the floor, each with a meter read in the round before and in this one."""
    start = ctx["floor"].units.count()
    earlier = ReadingRound.objects.filter(month=months_ago(1)).first() or open_round(
        ctx["building"], months_ago(1), ctx["desk"]
    )
    for i in range(start, start + n):
        unit = factories.UnitFactory(floor=ctx["floor"], number=f"30{i:02d}", area="50.00")
        m = meter(unit, "electricity")
        read(earlier, ctx["desk"], (m, "100.00"))
        read(ctx["round"], ctx["desk"], (m, "150.00"))


def held_readings(ctx, n):
    """n meters on the floor read below last month's: each held on the round's page."""
    start = ctx["floor"].units.count()
    earlier = ReadingRound.objects.filter(month=months_ago(1)).first() or open_round(
        ctx["building"], months_ago(1), ctx["desk"]
    )
    for i in range(start, start + n):
        unit = factories.UnitFactory(floor=ctx["floor"], number=f"H{i:02d}", area="50.00")
        m = meter(unit, "water")
        read(earlier, ctx["desk"], (m, "100.00"))
        read(ctx["round"], ctx["desk"], (m, "50.00"))


def readings(ctx, n):
    """n handover readings of tenant A's meter, one a day over the last two months."""
    m = ctx["meter"]
    for _ in range(n):
        count = m.readings.count()
        handover_readings_record(
            unit=m.unit,
            readings={"electricity": Decimal(100 + count)},
            day=timezone.localdate() - timedelta(days=60 - count),  # within tenant A's stay
            source="move_in",
            by=ctx["desk"],
        )


def company_meters(ctx, n):
    """n more units of tenant A, each with a water meter."""
    for _ in range(n):
        unit = factories.UnitFactory(floor=ctx["floor"], number=f"T{factories.UnitFactory._meta.model.objects.count()}")
        factories.OccupancyFactory(tenant=ctx["tenant_a"], unit=unit, start=date(2025, 1, 1))
        meter(unit, "water")


def rounds(ctx, n):
    for _ in range(n):
        building = factories.BuildingFactory(code=f"R{ReadingRound.objects.count()}", name="楼")
        open_round(building, months_ago(2), ctx["desk"])


def meters(ctx, n):
    for _ in range(n):
        unit = factories.UnitFactory(floor=ctx["floor"], number=f"M{factories.UnitFactory._meta.model.objects.count()}")
        meter(unit, "water")


# The floor page: session and user, the round, the floor, the meters with their units, this
# round's and the previous readings (one windowed query), the next floor.
CASES = {
    "round_floor": Case(
        "engineer",
        lambda c: reverse("desk:tenants:round_floor", args=[c["round"].pk, c["floor"].pk]),
        floor_meters,
        7,
    ),
    "round_list": Case("desk", lambda c: reverse("desk:tenants:round_list"), rounds, 6),
    "meter_list": Case("desk", lambda c: reverse("desk:tenants:meter_list"), meters, 5),
    "round_detail": Case(
        "supervisor", lambda c: reverse("desk:tenants:round_detail", args=[c["round"].pk]), held_readings, 8
    ),
    "meter_detail": Case("desk", lambda c: reverse("desk:tenants:meter_detail", args=[c["meter"].pk]), readings, 4),
    "portal_meter_list": Case("tenant_a_admin", lambda c: reverse("portal:tenants:meter_list"), company_meters, 4),
    "portal_meter_detail": Case(
        "tenant_a_admin", lambda c: reverse("portal:tenants:meter_detail", args=[c["meter"].pk]), readings, 5
    ),
    "admin-meter": Case("superuser", admin_changelist("tenants.Meter"), meters, 6),
    "admin-round": Case("superuser", admin_changelist("tenants.ReadingRound"), rounds, 6),
    "admin-reading": Case("superuser", admin_changelist("tenants.MeterReading"), floor_meters, 7),
}


@pytest.mark.parametrize("name", list(CASES))
def test_fixed_queries(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])


def test_the_portal_meter_page_lists_the_readings_of_the_companys_stay(ctx, client_for):
    readings(ctx, 3)
    page = client_for(ctx["tenant_a_admin"]).get(reverse("portal:tenants:meter_detail", args=[ctx["meter"].pk]))
    assert len(page.context["readings"]) == 3
