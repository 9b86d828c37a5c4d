"""The kernel's range helper: half-open ranges per resource, held by an exclusion constraint,
conflicts reported as a message whether the check or the database finds them."""

from datetime import date

import pytest
from django.contrib.postgres.constraints import ExclusionConstraint
from django.db import IntegrityError

from jinyuan.ranges import DateTimeRange, insert_without_overlap, no_overlap, overlap_as
from tenants.models import Occupancy, Unit
from tenants.services import OccupancyConflict
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


@pytest.fixture
def unit(building):
    return factories.UnitFactory(floor=factories.FloorFactory(building=building, number=20), number="2001")


@pytest.fixture
def other(db):
    return factories.TenantFactory(name="南宁丙方咨询有限公司")


def start(tenant, unit, begin, end=None) -> Occupancy:
    occupancy = Occupancy(tenant=tenant, unit=unit, start=begin, end=end)
    return insert_without_overlap(occupancy, lock=Unit.objects.filter(pk=unit.pk), conflict=OccupancyConflict)


def test_the_next_range_may_begin_the_day_the_last_one_ends(tenant_a, other, unit):
    start(tenant_a, unit, JAN, FEB)
    assert start(other, unit, FEB).pk


def test_an_overlap_found_by_the_check_is_a_message_on_the_resource(tenant_a, other, unit):
    start(tenant_a, unit, JAN, MAR)
    with pytest.raises(OccupancyConflict) as exc:
        start(other, unit, FEB)
    assert exc.value.message_dict == {"unit": ["This unit is already occupied during this period."]}


def test_an_overlap_found_by_the_database_is_the_same_message_and_the_transaction_goes_on(tenant_a, other, unit):
    start(tenant_a, unit, JAN)
    with pytest.raises(OccupancyConflict), overlap_as(Occupancy, OccupancyConflict):
        Occupancy.objects.create(tenant=other, unit=unit, start=FEB)  # no check: straight to the constraint
    assert Occupancy.objects.filter(unit=unit).count() == 1  # the savepoint kept the transaction usable


def test_other_integrity_errors_stay_errors(tenant_a, unit):
    with pytest.raises(IntegrityError), overlap_as(Occupancy, OccupancyConflict):
        Occupancy.objects.create(tenant=tenant_a, unit=unit, start=FEB, end=JAN)  # the check constraint


def test_the_helper_builds_the_named_constraints_for_any_resource():
    check, exclusion = no_overlap(
        "booking", resource="room", start="starts_at", end="ends_at", range_function=DateTimeRange, message="busy"
    )
    assert check.name == "booking_end_after_start"
    assert isinstance(exclusion, ExclusionConstraint)
    assert exclusion.name == "booking_no_overlap"
    assert exclusion.violation_error_code == "overlap"
    assert exclusion.expressions[0] == ("room", "=")
    assert exclusion.expressions[1][0].function == "tstzrange"


def test_occupancy_keeps_its_table_constraints():
    names = {c.name for c in Occupancy._meta.constraints}
    assert names == {
        "occupancy_end_after_start",
        "occupancy_no_overlap",
        # The agreement's late-fee clause (issue 13): its bounds, kept beside the range's.
        "occupancy_late_fee_rate_in_range",
        "occupancy_late_fee_grace_in_range",
    }


def test_a_check_constraint_refusing_the_insert_is_its_message_and_the_transaction_goes_on(
    tenant_a, unit, desk, building, django_assert_max_num_queries
):
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils import timezone

    from venues.models import Booking, Space

    room = Space.objects.create(name="检查约束会议室", building=building)
    at = timezone.now().replace(microsecond=0)
    # End before start: nothing in Python checks it (a booking has no clean()); the table's
    # check constraint does, and its message is what the caller gets, not an IntegrityError.
    backwards = Booking(space=room, tenant=tenant_a, applicant=desk, start=at, end=at, title="x")
    with transaction.atomic():
        with pytest.raises(ValidationError) as exc:
            insert_without_overlap(backwards, lock=Space.objects.filter(pk=room.pk), conflict=OccupancyConflict)
        assert exc.value.messages == ["The end date must be after the start date."]
        assert Booking.objects.filter(space=room).count() == 0  # still usable


def test_loaded_foreign_keys_are_not_queried_again(tenant_a, unit, django_assert_num_queries):
    occupancy = Occupancy(tenant=tenant_a, unit=unit, start=JAN)
    # The lock, the insert and two savepoints (the conflict's, the check constraints'); no
    # existence query for the unit or the tenant, no query per constraint.
    with django_assert_num_queries(6) as ctx:
        insert_without_overlap(occupancy, lock=Unit.objects.filter(pk=unit.pk), conflict=OccupancyConflict)
    reads = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT")]
    assert len(reads) == 1 and "FOR UPDATE" in reads[0]
