"""Security's board 安保看板: every live works permit of today and the next 24 hours, hot work,
temporary power and freight-elevator slots, each in its section, in a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from permits.models import ElevatorBooking, TemporaryPower
from tests.permits.elevator_data import make_elevator
from tests.permits.hot_work_data import make_hot_work
from tests.permits.power_fixtures import ALL_TICKED, power_fields
from tests.querycount import Case, assert_fixed_queries

pytestmark = pytest.mark.django_db


def _live_power(tenant, unit, engineer, applicant) -> TemporaryPower:
    from permits import temporary_power as power

    permit = power.power_apply(tenant=tenant, by=applicant, **power_fields(unit))
    power.power_approve(obj=permit, by=engineer)
    power.power_inspect(obj=permit, by=engineer, checklist=ALL_TICKED, note="线路规范")
    return permit


def _booking(elevator, tenant, operator=None, hours_ahead: int = 2) -> ElevatorBooking:
    # Written directly: the board shows what is booked, whatever the booking rules said then.
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(hours=hours_ahead)
    return ElevatorBooking.objects.create(
        tenant=tenant,
        applicant=tenant.members.first().user,
        elevator=elevator,
        start=start,
        end=start + dt.timedelta(hours=1),
        purpose="搬运装修材料",
        operator=operator,
    )


@pytest.fixture
def ctx(query_ctx, engineer, guard):
    return {**query_ctx, "engineer": engineer, "guard": guard}


def live_rows(ctx, n):
    """n live permits of each kind: hot work under way soon, power inspected, elevator slots."""
    tenant, applicant = ctx["tenant_a"], ctx["tenant_a_admin"]
    unit = tenant.occupancies.first().unit
    people = {"applicant": applicant, "engineer": ctx["engineer"], "guard": ctx["guard"]}
    for i in range(n):
        make_hot_work("in_progress", tenant=tenant, **people)
        _live_power(tenant, unit, ctx["engineer"], applicant)
        _booking(make_elevator(ctx["building"], name=f"{i + 1}号货梯"), tenant, operator=ctx["engineer"])


CASES = {"security-board": Case("guard", lambda c: reverse("desk:permits:security_board"), live_rows, 5)}


@pytest.mark.parametrize("name", CASES)
def test_query_count_is_fixed(request, ctx, client_for, name):
    assert_fixed_queries(request, ctx, client_for, name, CASES[name])


def test_each_kind_has_its_section_with_only_what_is_live(
    client_for, guard, engineer, tenant_a, tenant_a_admin, unit_a, building
):
    people = {"applicant": tenant_a_admin, "engineer": engineer, "guard": guard}
    burning = make_hot_work("in_progress", tenant=tenant_a, **people)
    switched = _live_power(tenant_a, unit_a, engineer, tenant_a_admin)
    waiting = TemporaryPower.objects.create(
        tenant=tenant_a, applicant=tenant_a_admin, **power_fields(unit_a)
    )  # submitted: not on the board
    elevator = make_elevator(building)
    slot = _booking(elevator, tenant_a)
    later = _booking(elevator, tenant_a, hours_ahead=72)
    cancelled = _booking(make_elevator(building, name="2号货梯"), tenant_a)
    ElevatorBooking.objects.filter(pk=cancelled.pk).update(status=ElevatorBooking.Status.CANCELLED)

    response = client_for(guard).get(reverse("desk:permits:security_board"))
    sections = {section.code: {r.pk for r in rows} for section, rows in response.context["sections"]}
    assert list(sections) == ["hot_work", "temporary_power", "elevator"]
    assert sections["hot_work"] == {burning.pk}
    assert sections["temporary_power"] == {switched.pk} and waiting.pk not in sections["temporary_power"]
    assert sections["elevator"] == {slot.pk} and later.pk not in sections["elevator"]
    page = response.content.decode()
    assert "未指派" in page or "Not assigned" in page  # the slot has no operator yet
    assert reverse("desk:permits:power_detail", args=[switched.pk]) in page
    assert reverse("desk:permits:elevator_booking_detail", args=[slot.pk]) in page
