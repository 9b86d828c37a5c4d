"""Twenty applications for one space and window at the same instant (threads with their own
connections, released by a barrier): one holds the space, nineteen clear refusals naming it;
twenty approvals of one application: one transition, one bill."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from billing.models import Bill
from tenants.models import Tenant
from tests.concurrency import run_at_once
from tests.venues.application_data import ahead, apply, make_space
from venues import applications as services
from venues.models import Booking, Space, VenueApplication

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_simultaneous_applications_for_one_space_make_one(
    building, tenant_a, tenant_a_admin, tenant_b, tenant_b_admin, english
):
    lobby = make_space(building)
    people = [(tenant_a.pk, tenant_a_admin.pk), (tenant_b.pk, tenant_b_admin.pk)]
    day = ahead(9)

    def prepare(i):
        translation.activate("en")
        tenant_id, user_id = people[i % 2]
        return (
            Space.objects.get(pk=lobby.pk),
            Tenant.objects.get(pk=tenant_id),
            get_user_model().objects.get(pk=user_id),
        )

    def attempt(i, prepared):
        space, tenant, user = prepared
        return apply(user, [space], tenant=tenant, day=day, title=f"活动 {i}")

    results = run_at_once(20, prepare, attempt)
    held = [r for r in results if isinstance(r, VenueApplication)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(held) == 1, results
    assert len(refused) == 19, [r for r in results if not isinstance(r, VenueApplication | ValidationError)]
    expected = f"一楼大堂 is held {day:%Y-%m-%d} 09:00–13:00 by another application waiting for approval."
    assert all(r.message_dict == {"spaces": [expected]} for r in refused), refused[0].message_dict
    assert Booking.objects.count() == 1 and VenueApplication.objects.count() == 1
    assert held[0].number.endswith("-00001")  # the losers' numbers rolled back


def test_twenty_simultaneous_approvals_make_one(building, tenant_a, tenant_a_admin, supervisor):
    lobby = make_space(building)
    app = apply(tenant_a_admin, [lobby], tenant=tenant_a, kind="public_space")

    def prepare(i):
        return VenueApplication.objects.select_related("tenant", "customer").get(
            pk=app.pk
        ), get_user_model().objects.get(pk=supervisor.pk)

    def attempt(i, prepared):
        obj, user = prepared
        return services.application_approve(obj=obj, by=user)

    results = run_at_once(20, prepare, attempt)
    approved = [r for r in results if isinstance(r, VenueApplication)]
    assert len(approved) == 1, results
    assert not any(isinstance(r, PermissionDenied) for r in results)
    assert Bill.objects.filter(source_key=f"venueapp:{app.pk}").count() == 1
