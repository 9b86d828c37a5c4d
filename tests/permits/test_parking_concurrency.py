"""Parking permits under concurrency (PostgreSQL, threads behind a barrier): twenty applications
for one fixed space and overlapping dates make one; twenty renewals at once extend once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from billing.models import Bill, FeeItem
from jinyuan.workflow.services import TransitionRefused
from permits import parking
from permits.models import ParkingPermit
from tests.concurrency import run_at_once
from tests.permits.parking_fixtures import vehicle

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def price_list(db):
    """The parking rents of migration permits 0006 (a transactional test before this one
    flushes the tables, seeded rows included)."""
    for code, price in (("parking_monthly", "300.00"), ("parking_monthly_fixed", "450.00")):
        FeeItem.objects.get_or_create(
            code=code, defaults={"name": code, "kind": "fixed_monthly", "price": Decimal(price)}
        )


def test_twenty_applications_for_one_fixed_space_and_overlapping_dates_make_one(
    price_list, tenant_a, tenant_a_admin, space
):
    today = timezone.localdate()
    results = run_at_once(
        20,
        lambda i: None,
        # twenty different cars, dates that all overlap the first month
        lambda i, _: parking.parking_apply(
            tenant=tenant_a,
            by=tenant_a_admin,
            **vehicle(100 + i, space=space, start=today + dt.timedelta(days=i % 5), months=1 + i % 3),
        ),
    )
    made = [r for r in results if isinstance(r, ParkingPermit)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(made) == 1, results
    assert len(refused) == 19, [r for r in results if not isinstance(r, ParkingPermit | ValidationError)]
    assert all("space" in r.message_dict for r in refused)
    assert ParkingPermit.objects.filter(space=space).count() == 1


def test_twenty_applications_for_one_plate_make_one(price_list, tenant_a, tenant_a_admin):
    results = run_at_once(
        20, lambda i: None, lambda i, _: parking.parking_apply(tenant=tenant_a, by=tenant_a_admin, **vehicle(7))
    )
    assert len([r for r in results if isinstance(r, ParkingPermit)]) == 1
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 19 and all("plate" in r.message_dict for r in refused)


def test_twenty_renewals_at_once_extend_once_and_bill_once(price_list, make_permit, desk, tenant_a_admin):
    permit = make_permit("issued")
    seen = permit.end
    users = [desk, tenant_a_admin]
    results = run_at_once(
        20,
        lambda i: ParkingPermit.objects.select_related("tenant", "space", "document").get(pk=permit.pk),
        lambda i, obj: parking.parking_renew(obj=obj, by=users[i % 2], months=1, expected_end=seen),
    )
    renewed = [r for r in results if isinstance(r, ParkingPermit)]
    refused = [r for r in results if isinstance(r, TransitionRefused)]
    assert len(renewed) == 1 and len(refused) == 19, results
    permit.refresh_from_db()
    assert permit.renewals == 1 and permit.end == parking.add_months(seen, 1)
    assert Bill.objects.filter(source_key__startswith=f"parkingpermit:{permit.pk}:renewal").count() == 1
