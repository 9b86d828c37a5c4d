"""Fixed query counts (tests/querycount.py) of the meter pages with 1 row and with 30: a floor
of a round (30 meters on the floor), the round register and the meter register."""

import pytest
from django.urls import reverse

from tenants.models import ReadingRound
from tests import factories
from tests.querycount import Case, admin_changelist, assert_fixed_queries
from tests.tenants.meter_helpers import meter, months_ago, open_round, read

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def ctx(query_ctx, building, desk):
    floor = factories.FloorFactory(building=building, number=77)
    query_ctx["floor"] = floor
    query_ctx["round"] = open_round(building, months_ago(0), desk)
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
    "round_list": Case("desk", lambda c: reverse("desk:tenants:round_list"), rounds, 5),
    "meter_list": Case("desk", lambda c: reverse("desk:tenants:meter_list"), meters, 5),
    "admin-meter": Case("superuser", admin_changelist("tenants.Meter"), meters, 6),
    "admin-round": Case("superuser", admin_changelist("tenants.ReadingRound"), rounds, 6),
    "admin-reading": Case("superuser", admin_changelist("tenants.MeterReading"), floor_meters, 7),
}


@pytest.mark.parametrize("name", list(CASES))
def test_fixed_queries(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
