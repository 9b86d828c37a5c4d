"""Fixed query counts of the premises and tenant pages (see tests/querycount.py)."""

import pytest
from django.urls import reverse

from jinyuan.workflow.services import record_event
from tests import factories
from tests.querycount import Case, admin_changelist, assert_fixed_queries

pytestmark = pytest.mark.django_db


def tenants(ctx, n):
    for _ in range(n):
        tenant, _unit = factories.occupied_unit(floor=ctx["floor"])
        factories.ContactFactory(tenant=tenant, is_primary=True)


def units(ctx, n):
    for _ in range(n):
        factories.occupied_unit(floor=ctx["floor"])


def buildings(ctx, n):
    for _ in range(n):
        factories.FloorFactory(building=factories.BuildingFactory())


def floors(ctx, n):
    for _ in range(n):
        floor = factories.FloorFactory(building=ctx["building"])
        factories.occupied_unit(floor=floor)
        factories.UnitFactory(floor=floor)


def tenant_page_rows(ctx, n):
    """Everything the tenant page lists: units, contacts, events, certificates, bills, archive
    files, open move-ins, complaints."""
    from tests.complaints.helpers import recorded

    tenant, desk = ctx["tenant_a"], ctx["desk"]
    for _ in range(n):
        recorded(desk, tenant=tenant)
        factories.occupied_unit(tenant, floor=ctx["floor"])
        factories.ContactFactory(tenant=tenant)
        record_event(tenant, "tenant.updated", by=desk, data={"fields": ["phone"]})
        ctx["make_certificate"]("submitted")
        factories.make_bill(tenant, desk)
        factories.make_archive_file(tenant, desk)
        factories.make_movein(tenant, desk, unit=factories.UnitFactory(floor=ctx["floor"]))


def portal_home_rows(ctx, n):
    """Units, contacts, open move-ins, signboards and archive files of the company."""
    tenant, desk = ctx["tenant_a"], ctx["desk"]
    for _ in range(n):
        factories.occupied_unit(tenant, floor=ctx["floor"])
        factories.ContactFactory(tenant=tenant)
        factories.make_movein(tenant, desk, unit=factories.UnitFactory(floor=ctx["floor"]))
        factories.make_signboard(tenant, desk)
        factories.make_archive_file(tenant, desk)


def tenant_inline_rows(ctx, n):
    tenant = ctx["tenant_a"]
    for _ in range(n):
        factories.occupied_unit(tenant, floor=ctx["floor"])
        factories.ContactFactory(tenant=tenant)
        factories.MembershipFactory(tenant=tenant, role="staff")


CASES = {
    "desk-tenant-list": Case("desk", lambda c: reverse("desk:tenants:tenant_list"), tenants, 5),
    "desk-unit-list": Case("desk", lambda c: reverse("desk:tenants:unit_list"), units, 5),
    "desk-building-list": Case("desk", lambda c: reverse("desk:tenants:building_list"), buildings, 3),
    "desk-building-detail": Case(
        "desk", lambda c: reverse("desk:tenants:building_detail", args=[c["building"].pk]), floors, 4
    ),
    # One query per related panel (issue 9: release notes, access passes, parking permits;
    # issue 10: temporary power, freight-elevator bookings; issue 12: complaints; issue 15: venue
    # bookings, public space and events; issue 16: liaison visits).
    "desk-tenant-detail": Case(
        "desk", lambda c: reverse("desk:tenants:tenant_detail", args=[c["tenant_a"].pk]), tenant_page_rows, 21
    ),
    # Issue 16: one query for the link to an urgent announcement the company has not read.
    "portal-home": Case("tenant_a_admin", lambda c: reverse("portal:home"), portal_home_rows, 10),
    "admin-tenant": Case("superuser", admin_changelist("tenants.Tenant"), tenants, 6),
    "admin-unit": Case("superuser", admin_changelist("tenants.Unit"), units, 6),
    "admin-tenant-change": Case(
        "superuser",
        lambda c: reverse("admin:tenants_tenant_change", args=[c["tenant_a"].pk]),
        tenant_inline_rows,
        7,
    ),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, query_ctx, client_for, name):
    assert_fixed_queries(request, query_ctx, client_for, name, CASES[name])
