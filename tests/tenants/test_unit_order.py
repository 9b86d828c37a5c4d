"""The unit register's order (building, floor, number) is one indexed key kept by the database,
whatever writes the unit, its floor or its building."""

import pytest

from tenants import selectors
from tenants.models import Building, Floor, Unit
from tests import factories


def _register() -> list[str]:
    return [unit.number for unit in selectors.unit_register()]


@pytest.mark.django_db
def test_units_list_by_building_then_floor_then_number_basements_first():
    a, b = factories.BuildingFactory(code="A"), factories.BuildingFactory(code="B")
    a12, a2, a_b1 = (factories.FloorFactory(building=a, number=n) for n in (12, 2, -1))
    b1 = factories.FloorFactory(building=b, number=1)
    for floor, number in ((b1, "B-101"), (a12, "A-1202"), (a2, "A-201"), (a12, "A-1201"), (a_b1, "A-B101")):
        factories.UnitFactory(floor=floor, number=number)

    assert _register() == ["A-B101", "A-201", "A-1201", "A-1202", "B-101"]


@pytest.mark.django_db
def test_bulk_created_units_are_ordered_too():
    floor = factories.FloorFactory(building=factories.BuildingFactory(code="C"), number=3)
    Unit.objects.bulk_create([Unit(floor=floor, number=n, area="50.00") for n in ("C-302", "C-301")])

    assert _register() == ["C-301", "C-302"]


@pytest.mark.django_db
def test_renumbering_a_floor_or_recoding_a_building_moves_its_units():
    a, b = factories.BuildingFactory(code="A"), factories.BuildingFactory(code="B")
    low, high = factories.FloorFactory(building=a, number=1), factories.FloorFactory(building=a, number=5)
    factories.UnitFactory(floor=low, number="X-1")
    factories.UnitFactory(floor=high, number="X-5")
    factories.UnitFactory(floor=factories.FloorFactory(building=b, number=1), number="Y-1")

    Floor.objects.filter(pk=low.pk).update(number=9)
    assert _register() == ["X-5", "X-1", "Y-1"]

    Building.objects.filter(pk=a.pk).update(code="Z")
    assert _register() == ["Y-1", "X-5", "X-1"]


@pytest.mark.django_db
def test_moving_a_unit_to_another_floor_moves_it_in_the_register():
    building = factories.BuildingFactory(code="A")
    first, second = (
        factories.FloorFactory(building=building, number=1),
        factories.FloorFactory(building=building, number=2),
    )
    moved = factories.UnitFactory(floor=first, number="101")
    factories.UnitFactory(floor=first, number="102")

    moved.floor = second
    moved.save()

    assert _register() == ["102", "101"]
