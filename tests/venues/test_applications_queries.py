"""Fixed query counts of the applications' pages: the register, the details (their items,
bookings, checks with photos, bills and timeline), the company's list (see tests/querycount.py)."""

import pytest
from django.urls import reverse

from jinyuan.workflow.services import record_event
from tests.billing.payer_helpers import make_customer
from tests.querycount import Case, admin_changelist, assert_fixed_queries
from tests.venues.application_data import ahead, apply, approved, make_space, pay_bill
from venues.models import SiteCheck

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(query_ctx, guard):
    building = query_ctx["building"]
    lobby = make_space(building)
    app = apply(query_ctx["tenant_a_admin"], [lobby], tenant=query_ctx["tenant_a"], day=ahead(3))
    approved(app, guard, query_ctx["supervisor"])
    pay_bill(app, query_ctx["desk"])
    customer = make_customer(query_ctx["desk"])
    return {**query_ctx, "lobby": lobby, "app": app, "guard": guard, "customer": customer, "made": 0}


def applications(ctx, n):
    """One application a day, every third for a customer (the register shows both payers)."""
    for _ in range(n):
        i = ctx["made"] = ctx["made"] + 1
        if i % 3:
            apply(ctx["tenant_a_admin"], [ctx["lobby"]], tenant=ctx["tenant_a"], day=ahead(4 + i), kind="public_space")
        else:
            apply(ctx["desk"], [ctx["lobby"]], customer=ctx["customer"], day=ahead(4 + i))


def checks(ctx, n):
    """Checks on site and timeline events on the application."""
    for i in range(n):
        SiteCheck.objects.create(application=ctx["app"], kind="during", by=ctx["guard"], note=f"巡查{i}")
        record_event(ctx["app"], "venue_application.checked", by=ctx["guard"], note=f"巡查{i}")


def detail(side):
    return lambda c: reverse(f"{side}:venues:application_detail", args=[c["app"].pk])


CASES = {
    "desk-application-list": Case("desk", lambda c: reverse("desk:venues:application_list"), applications, 4),
    "desk-application-detail": Case("desk", detail("desk"), checks, 10),
    "desk-application-site": Case(
        "guard", lambda c: reverse("desk:venues:application_site", args=[c["app"].pk]), checks, 6
    ),
    "portal-application-list": Case(
        "tenant_a_admin", lambda c: reverse("portal:venues:application_list"), applications, 5
    ),
    "portal-application-detail": Case("tenant_a_admin", detail("portal"), checks, 12),
    "admin-venue-application": Case("superuser", admin_changelist("venues.VenueApplication"), applications, 7),
}


@pytest.mark.parametrize("name", [case.param(name) for name, case in CASES.items()])
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])
