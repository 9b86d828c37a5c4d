"""Desk registers of tenants and units (filters, Excel export), building pages, the portal home."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jinyuan.lists import XLSX_TYPE
from tests import factories

pytestmark = pytest.mark.django_db

TENANTS = reverse("desk:tenants:tenant_list")
UNITS = reverse("desk:tenants:unit_list")


@pytest.fixture
def register(tenant_a, tenant_b, building):
    """Tenant A in 1201, tenant B in 1502, a former tenant with no unit now, a vacant unit
    in another building."""
    former = factories.TenantFactory(name="已迁出咨询有限公司")
    old_unit = factories.UnitFactory(floor=factories.FloorFactory(building=building, number=3), number="0301")
    factories.OccupancyFactory(tenant=former, unit=old_unit, start=date(2020, 1, 1), end=date(2021, 1, 1))
    factories.ContactFactory(tenant=former, name="孙悟空")
    other_building = factories.BuildingFactory(code="C", name="金源CBD现代城C座")
    vacant = factories.UnitFactory(floor=factories.FloorFactory(building=other_building, number=2), number="0208")
    return {"former": former, "old_unit": old_unit, "vacant": vacant, "other_building": other_building}


@pytest.fixture
def desk_client(client_for, desk):
    return client_for(desk, HTTP_ACCEPT_LANGUAGE="en")


def names(response) -> set[str]:
    return {t.name for t in response.context["object_list"]}


def numbers(response) -> set[str]:
    return {u.number for u in response.context["object_list"]}


# --- tenant register -----------------------------------------------------------------------------


def test_tenant_list_shows_units_and_primary_contact(desk_client, register, tenant_a):
    response = desk_client.get(TENANTS)
    assert response.status_code == 200
    html = response.content.decode()
    assert tenant_a.name in html
    assert "1201" in html
    assert "王建国" in html
    assert names(response) == {"广西甲方科技有限公司", "南宁乙方贸易有限公司", "已迁出咨询有限公司"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("甲方", {"广西甲方科技有限公司"}),  # part of the name
        ("王建国", {"广西甲方科技有限公司"}),  # contact name
        ("秀英", {"南宁乙方贸易有限公司"}),  # part of a contact name
        ("1502", {"南宁乙方贸易有限公司"}),  # unit number
        ("0301", {"已迁出咨询有限公司"}),  # a unit occupied in the past still finds the tenant
        ("有限公司", {"广西甲方科技有限公司", "南宁乙方贸易有限公司", "已迁出咨询有限公司"}),
        ("no such thing", set()),
        ("   ", {"广西甲方科技有限公司", "南宁乙方贸易有限公司", "已迁出咨询有限公司"}),
    ],
)
def test_tenant_search(desk_client, register, query, expected):
    assert names(desk_client.get(TENANTS, {"q": query})) == expected


def test_tenant_search_by_credit_code_ignores_case(desk_client, register, tenant_b):
    assert names(desk_client.get(TENANTS, {"q": tenant_b.credit_code})) == {tenant_b.name}
    assert names(desk_client.get(TENANTS, {"q": tenant_b.credit_code.lower()})) == {tenant_b.name}


def test_tenant_search_with_many_matching_contacts_lists_the_tenant_once(desk_client, register, tenant_a):
    for n in range(3):
        factories.ContactFactory(tenant=tenant_a, name=f"王{n}")
    response = desk_client.get(TENANTS, {"q": "王"})
    assert [t.name for t in response.context["object_list"]] == [tenant_a.name]


def test_tenant_filter_by_building(desk_client, register, tenant_a, building):
    elsewhere = factories.TenantFactory(name="C座租户")
    factories.OccupancyFactory(tenant=elsewhere, unit=factories.UnitFactory(floor=register["vacant"].floor))
    assert names(desk_client.get(TENANTS, {"building": building.pk})) == {tenant_a.name, "南宁乙方贸易有限公司"}
    assert names(desk_client.get(TENANTS, {"building": register["other_building"].pk})) == {"C座租户"}


def test_tenant_filter_occupying(desk_client, register):
    assert names(desk_client.get(TENANTS, {"occupying": "true"})) == {"广西甲方科技有限公司", "南宁乙方贸易有限公司"}
    assert names(desk_client.get(TENANTS, {"occupying": "false"})) == {"已迁出咨询有限公司"}


def test_tenant_filter_with_unknown_building_does_not_fail(desk_client, register):
    response = desk_client.get(TENANTS, {"building": "999999"})
    assert response.status_code == 200


def test_tenant_export_is_an_xlsx_of_the_filtered_rows(desk_client, register, tenant_a):
    response = desk_client.get(TENANTS, {"q": "甲方", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="tenant-register-')
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == (
        "Company name",
        "Unified social credit code",
        "Units",
        "Primary contact",
        "Contact phone",
        "Industry",
        "Active",
    )
    assert rows[1:] == [(tenant_a.name, tenant_a.credit_code, "1201", "王建国", "13877110001", "信息技术", "Yes")]


def test_tenant_export_without_filter_has_every_tenant(desk_client, register):
    response = desk_client.get(TENANTS, {"export": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == {"广西甲方科技有限公司", "南宁乙方贸易有限公司", "已迁出咨询有限公司"}


def test_tenant_list_paginates(desk_client, db):
    for _ in range(30):
        factories.TenantFactory()
    first = desk_client.get(TENANTS)
    assert first.context["is_paginated"]
    assert len(first.context["object_list"]) == 25
    assert len(desk_client.get(TENANTS, {"page": 2}).context["object_list"]) == 5
    assert desk_client.get(TENANTS, {"page": 99}).status_code == 404


# --- unit register -------------------------------------------------------------------------------


def test_unit_list_shows_current_tenant_or_vacant(desk_client, register, tenant_a):
    response = desk_client.get(UNITS)
    html = response.content.decode()
    assert numbers(response) == {"1201", "1502", "0301", "0208"}
    assert tenant_a.name in html
    assert "Vacant" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "120"}, {"1201"}),
        ({"q": "02"}, {"1502", "0208"}),
        ({"vacant": "true"}, {"0301", "0208"}),
        ({"vacant": "false"}, {"1201", "1502"}),
        ({"floor": "15"}, {"1502"}),
        ({"use": "retail"}, set()),
    ],
)
def test_unit_filters(desk_client, register, params, expected):
    assert numbers(desk_client.get(UNITS, params)) == expected


def test_unit_filter_by_building(desk_client, register, building):
    assert numbers(desk_client.get(UNITS, {"building": building.pk})) == {"1201", "1502", "0301"}
    assert numbers(desk_client.get(UNITS, {"building": register["other_building"].pk})) == {"0208"}


def test_unit_export_is_an_xlsx_of_the_filtered_rows(desk_client, register, tenant_b):
    response = desk_client.get(UNITS, {"vacant": "false", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Building", "Floor", "Unit number", "Area (m²)", "Use", "Current tenant")
    body = sorted(rows[1:], key=lambda r: r[2])
    assert body == [
        ("金源CBD现代城A座", 12, "1201", 186.4, "Office", "广西甲方科技有限公司"),
        ("金源CBD现代城A座", 15, "1502", 98, "Office", tenant_b.name),
    ]


def test_export_with_invalid_filter_gives_an_empty_sheet_not_an_error(desk_client, register):
    response = desk_client.get(UNITS, {"floor": "abc", "export": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1  # the header only


# --- buildings -----------------------------------------------------------------------------------


def test_building_list_and_detail(desk_client, building, unit_a, unit_b, tenant_a):
    response = desk_client.get(reverse("desk:tenants:building_list"))
    assert response.status_code == 200
    assert building.name in response.content.decode()
    detail = desk_client.get(reverse("desk:tenants:building_detail", args=[building.pk]))
    assert detail.status_code == 200
    assert [f.number for f in detail.context["floors"]] == [12, 15]


def test_tenant_detail_shows_contacts_units_and_timeline(desk_client, tenant_a, desk):
    from tenants import services

    services.contact_add(tenant=tenant_a, by=desk, name="新联系人", phone="13000000000")
    response = desk_client.get(reverse("desk:tenants:tenant_detail", args=[tenant_a.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "新联系人" in html
    assert "1201" in html
    assert [e.action for e in response.context["events"]] == ["tenant.contact_added"]


# --- portal home ---------------------------------------------------------------------------------


def test_portal_home_shows_only_the_users_own_company(client_for, tenant_a_staff, tenant_a, tenant_b):
    response = client_for(tenant_a_staff).get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert tenant_a.name in html
    assert "1201" in html
    assert tenant_b.name not in html
    assert "1502" not in html
    assert "李秀英" not in html
    assert response.context["tenant"] == tenant_a
    assert [o.unit.number for o in response.context["occupancies"]] == ["1201"]


def test_portal_home_of_tenant_b(client_for, tenant_b_admin, tenant_a, tenant_b):
    html = client_for(tenant_b_admin).get(reverse("portal:home")).content.decode()
    assert tenant_b.name in html
    assert tenant_a.name not in html
    assert "王建国" not in html


def test_portal_home_offers_the_certificate_request_only_to_the_admin(client_for, tenant_a_admin, tenant_a_staff):
    new = reverse("portal:permits:certificate_new")
    assert new in client_for(tenant_a_admin).get(reverse("portal:home")).content.decode()
    assert new not in client_for(tenant_a_staff).get(reverse("portal:home")).content.decode()


def test_portal_home_hides_ended_occupancies(client_for, tenant_a_admin, tenant_a, building):
    old = factories.UnitFactory(floor=factories.FloorFactory(building=building, number=7), number="0707")
    today = timezone.localdate()
    factories.OccupancyFactory(tenant=tenant_a, unit=old, start=today - timedelta(days=900), end=today)
    response = client_for(tenant_a_admin).get(reverse("portal:home"))
    assert [o.unit.number for o in response.context["occupancies"]] == ["1201"]


def test_deactivated_member_cannot_use_the_portal(client_for, tenant_a_staff):
    tenant_a_staff.membership.is_active = False
    tenant_a_staff.membership.save()
    assert client_for(tenant_a_staff).get(reverse("portal:home")).status_code == 403
