"""Reads: current tenants of units, tenants with their units and contact, continuous stays."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tenants import selectors
from tenants.models import Occupancy
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_units_show_the_current_tenant(tenant_a, unit_a, unit_b, tenant_b):
    rows = {u.pk: u for u in selectors.units()}
    assert rows[unit_a.pk].tenant_name == tenant_a.name
    assert rows[unit_a.pk].tenant_id == tenant_a.pk
    assert rows[unit_b.pk].tenant_name == tenant_b.name


def test_units_show_no_tenant_when_vacant_or_past_or_future(building):
    floor = factories.FloorFactory(building=building, number=20)
    vacant = factories.UnitFactory(floor=floor, number="2001")
    past = factories.UnitFactory(floor=floor, number="2002")
    future = factories.UnitFactory(floor=floor, number="2003")
    factories.OccupancyFactory(unit=past, start=TODAY - timedelta(days=90), end=TODAY)  # end is exclusive
    factories.OccupancyFactory(unit=future, start=TODAY + timedelta(days=1))
    rows = {u.pk: u for u in selectors.units()}
    for unit in (vacant, past, future):
        assert rows[unit.pk].tenant_name is None
        assert rows[unit.pk].tenant_id is None


def test_units_show_the_new_tenant_after_a_move(building):
    unit = factories.UnitFactory(floor=factories.FloorFactory(building=building, number=21))
    old = factories.OccupancyFactory(unit=unit, start=TODAY - timedelta(days=300), end=TODAY - timedelta(days=10))
    new = factories.OccupancyFactory(unit=unit, start=TODAY - timedelta(days=10))
    row = selectors.units().get(pk=unit.pk)
    assert row.tenant_id == new.tenant_id != old.tenant_id


def test_tenants_show_current_unit_numbers_and_primary_contact(tenant_a, building):
    second = factories.UnitFactory(floor=factories.FloorFactory(building=building, number=11), number="1105")
    factories.OccupancyFactory(tenant=tenant_a, unit=second)
    ended = factories.UnitFactory(floor=second.floor, number="1106")
    factories.OccupancyFactory(tenant=tenant_a, unit=ended, start=date(2020, 1, 1), end=date(2021, 1, 1))
    factories.ContactFactory(tenant=tenant_a, name="阿甘", is_primary=False)

    row = selectors.tenants().get(pk=tenant_a.pk)
    assert row.unit_numbers == "1105, 1201"
    assert row.contact_name == "王建国"
    assert row.contact_phone == "13877110001"


def test_tenant_without_units_or_contacts_shows_none(db):
    tenant = factories.TenantFactory()
    row = selectors.tenants().get(pk=tenant.pk)
    assert row.unit_numbers is None
    assert row.contact_name is None


def test_tenant_without_a_primary_contact_shows_the_first_one(db):
    tenant = factories.TenantFactory()
    first = factories.ContactFactory(tenant=tenant, name="先来")
    factories.ContactFactory(tenant=tenant, name="后到")
    assert selectors.tenants().get(pk=tenant.pk).contact_name == first.name


def test_tenants_list_is_one_row_per_tenant_however_many_units(tenant_a, building):
    for n in range(3):
        unit = factories.UnitFactory(floor=factories.FloorFactory(building=building, number=40 + n))
        factories.OccupancyFactory(tenant=tenant_a, unit=unit)
    assert selectors.tenants().filter(pk=tenant_a.pk).count() == 1


def test_occupancy_since_chains_renewals(db):
    tenant, unit = factories.TenantFactory(), factories.UnitFactory()
    for start, end in [
        (date(2019, 1, 1), date(2019, 6, 1)),  # an earlier stay, then a gap
        (date(2020, 1, 1), date(2021, 1, 1)),
        (date(2021, 1, 1), date(2022, 1, 1)),
        (date(2022, 1, 1), None),
    ]:
        Occupancy.objects.create(tenant=tenant, unit=unit, start=start, end=end)
    assert selectors.occupancy_since(tenant, unit) == date(2020, 1, 1)


def test_occupancy_since_stops_at_another_tenants_stay(db):
    unit = factories.UnitFactory()
    tenant, other = factories.TenantFactory(), factories.TenantFactory()
    Occupancy.objects.create(tenant=tenant, unit=unit, start=date(2019, 1, 1), end=date(2020, 1, 1))
    Occupancy.objects.create(tenant=other, unit=unit, start=date(2020, 1, 1), end=date(2021, 1, 1))
    Occupancy.objects.create(tenant=tenant, unit=unit, start=date(2021, 1, 1), end=None)
    assert selectors.occupancy_since(tenant, unit) == date(2021, 1, 1)


def test_occupancy_since_is_none_without_a_stay(tenant_a, unit_b):
    assert selectors.occupancy_since(tenant_a, unit_b) is None


def test_occupancy_of_and_current_occupancies(tenant_a, unit_a, unit_b):
    assert selectors.occupancy_of(tenant_a, unit_a).unit == unit_a
    assert selectors.occupancy_of(tenant_a, unit_b) is None
    assert [o.unit for o in selectors.current_occupancies(tenant_a)] == [unit_a]
    assert list(selectors.current_occupancies(tenant_a, on=date(1999, 1, 1))) == []


def test_membership_for_ignores_inactive_memberships_and_tenants(tenant_a_admin, tenant_a, desk):
    assert selectors.membership_for(tenant_a_admin).tenant == tenant_a
    assert selectors.membership_for(desk) is None
    tenant_a.is_active = False
    tenant_a.save()
    assert selectors.membership_for(tenant_a_admin) is None


def test_buildings_and_floors_of_count_units_and_occupied(building, unit_a, unit_b, tenant_a):
    factories.UnitFactory(floor=unit_a.floor, number="1202")  # vacant
    row = selectors.buildings().get(pk=building.pk)
    assert (row.floor_count, row.unit_count) == (2, 3)
    floors = {f.number: f for f in selectors.floors_of(building)}
    assert (floors[12].unit_count, floors[12].occupied_count) == (2, 1)
    assert (floors[15].unit_count, floors[15].occupied_count) == (1, None)


def test_vacant_means_free_now_and_not_reserved_by_a_move_in_in_progress(building, client_for, desk):
    floor = factories.FloorFactory(building=building, number=22)
    free = factories.UnitFactory(floor=floor, number="2201")
    ended = factories.UnitFactory(floor=floor, number="2202")
    let_from_next_week = factories.UnitFactory(floor=floor, number="2203")
    in_move_in = factories.UnitFactory(floor=floor, number="2204")
    occupied = factories.UnitFactory(floor=floor, number="2205")
    factories.OccupancyFactory(unit=ended, start=TODAY - timedelta(days=90), end=TODAY)
    factories.OccupancyFactory(unit=let_from_next_week, start=TODAY + timedelta(days=7))  # a confirmed move-in
    factories.make_movein(factories.TenantFactory(), desk, unit=in_move_in)
    factories.OccupancyFactory(unit=occupied)
    expected = ["2201", "2202"]
    assert [u.number for u in selectors.vacant_units().filter(floor=floor)] == expected
    response = client_for(desk).get("/desk/units/", {"vacant": "true", "floor": 22})
    assert sorted(u.number for u in response.context["object_list"]) == expected
    assert free.pk in {u.pk for u in response.context["object_list"]}


def test_the_move_in_form_offers_only_vacant_units(tenant_a, unit_a, building, client_for, desk):
    free = factories.UnitFactory(floor=unit_a.floor, number="1299")
    page = client_for(desk).get(f"/desk/tenants/{tenant_a.pk}/move-in/")
    assert free.number in page.context["vacant_numbers"]
    assert unit_a.number not in page.context["vacant_numbers"]
    assert f'<option value="{free.number}">' in page.content.decode()
