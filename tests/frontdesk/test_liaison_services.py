"""Liaison visits 业户走访: a visit with its needs (each a follow-up item with an owner and a
deadline, all or nothing), refused input beside the fields, voiding; a plan's visited, due and
overdue tenants in the current period from a fixed data set."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from frontdesk import liaison_selectors, liaison_services
from frontdesk.models import ActionItem, Visit
from jinyuan.workflow.models import AuditEvent, Deadline
from tests import factories
from tests.frontdesk.liaison_data import make_plan, make_visit, need

pytestmark = pytest.mark.django_db


def test_each_need_becomes_a_follow_up_item_with_owner_and_deadline(tenant_a, desk, engineer):
    visit = make_visit(tenant_a, desk, needs=[need(engineer, "修理空调", 24), need(desk, "补发门禁卡", 48)])
    items = list(ActionItem.objects.order_by("due_at"))
    assert [(i.text, i.owner, i.tenant, i.record) for i in items] == [
        ("修理空调", engineer, tenant_a, visit),
        ("补发门禁卡", desk, tenant_a, visit),
    ]
    assert Deadline.objects.filter(kind="action_item", state="running").count() == 2
    event = AuditEvent.objects.get(action="liaison_visit.recorded")
    assert event.data["needs_raised"] == 2


def test_a_bad_need_records_nothing(tenant_a, desk, engineer):
    bad = {"text": "修理", "owner": engineer, "due_at": timezone.now() - dt.timedelta(hours=2)}
    with pytest.raises(ValidationError):
        make_visit(tenant_a, desk, needs=[need(engineer), bad])
    assert not Visit.objects.exists() and not ActionItem.objects.exists()


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"met_name": " "}, "met_name"),
        ({"topics": ""}, "topics"),
        ({"staff": []}, "staff"),
        ({"hours_ago": -2}, "visited_at"),
        ({"channel": "pigeon"}, "channel"),
    ],
)
def test_a_bad_visit_is_refused_beside_the_field(tenant_a, desk, over, field):
    with pytest.raises(ValidationError) as exc:
        make_visit(tenant_a, desk, **over)
    assert field in exc.value.message_dict
    assert not Visit.objects.exists()


def test_only_staff_make_visits(tenant_a, desk, tenant_a_admin):
    with pytest.raises(ValidationError) as exc:
        make_visit(tenant_a, desk, staff=[desk, tenant_a_admin])
    assert "staff" in exc.value.message_dict


def test_voiding_a_visit_cancels_its_open_needs(tenant_a, desk, engineer):
    visit = make_visit(tenant_a, desk, needs=[need(engineer)])
    liaison_services.visit_void(obj=visit, by=desk, note="录错公司")
    visit.refresh_from_db()
    assert visit.status == Visit.Status.VOIDED
    assert ActionItem.objects.get().status == ActionItem.Status.CANCELLED


def test_voiding_is_refused_to_engineers_and_without_a_reason(tenant_a, desk, engineer):
    visit = make_visit(tenant_a, desk)
    with pytest.raises(PermissionDenied):
        liaison_services.visit_void(obj=visit, by=engineer, note="x")
    with pytest.raises(ValidationError):
        liaison_services.visit_void(obj=visit, by=desk, note="")
    visit.refresh_from_db()
    assert visit.status == Visit.Status.RECORDED


def _tenant(building, name, number):
    floor = factories.FloorFactory(building=building, number=int(number[:-2]))
    unit = factories.UnitFactory(floor=floor, number=number)
    tenant = factories.TenantFactory(name=name)
    factories.OccupancyFactory(tenant=tenant, unit=unit, start=dt.date(2020, 1, 1))
    return tenant


def test_the_plan_shows_who_is_visited_due_and_overdue_this_quarter(building, desk):
    """Quarters from 2026-01: on 2026-05-20 the period is April-June, the previous January-March."""
    tz = timezone.get_current_timezone()
    today = dt.date(2026, 5, 20)
    plan = make_plan(desk, months=3, starts_on=dt.date(2025, 10, 1))
    visited = _tenant(building, "甲公司", "2001")  # visited in April
    due = _tenant(building, "乙公司", "2101")  # visited in February only
    overdue = _tenant(building, "丙公司", "2201")  # last visited last autumn
    never = _tenant(building, "丁公司", "2301")  # never visited
    voided = _tenant(building, "戊公司", "2401")  # its only visit this quarter was voided
    other = factories.BuildingFactory(code="B", name="B座")
    elsewhere = _tenant(other, "己公司", "2501")  # another building: outside the plan
    gone = _tenant(building, "庚公司", "2601")  # moved out: outside the plan
    gone.occupancies.update(end=dt.date(2026, 3, 1))

    def at(day):
        return dt.datetime.combine(day, dt.time(10), tz)

    with_time = {"now": at(dt.date(2026, 5, 20))}
    make_visit(visited, desk, visited_at=at(dt.date(2026, 4, 8)), **with_time)
    make_visit(due, desk, visited_at=at(dt.date(2026, 2, 10)), **with_time)
    make_visit(overdue, desk, visited_at=at(dt.date(2025, 11, 3)), **with_time)
    liaison_services.visit_void(
        obj=make_visit(voided, desk, visited_at=at(dt.date(2026, 5, 2)), **with_time), by=desk, note="重复"
    )
    make_visit(elsewhere, desk, visited_at=at(dt.date(2026, 4, 9)), **with_time)
    plan.building = building
    plan.save()

    rows = {t.name: t.plan_state for t in liaison_selectors.plan_tenants(plan, today)}
    assert rows == {
        visited.name: "visited",
        due.name: "due",
        overdue.name: "overdue",
        never.name: "overdue",
        voided.name: "overdue",
    }
    assert liaison_selectors.plan_counts(plan, today) == {"total": 5, "visited": 1, "due": 1, "overdue": 3}
    assert plan.period_of(today) == (dt.date(2026, 4, 1), dt.date(2026, 7, 1))


def test_in_the_plans_first_period_nobody_is_overdue_yet(building, tenant_a, tenant_b, desk):
    plan = make_plan(desk, months=3, starts_on=timezone.localdate().replace(day=1))
    make_visit(tenant_a, desk, hours_ago=0)
    counts = liaison_selectors.plan_counts(plan)
    assert counts == {"total": 2, "visited": 1, "due": 1, "overdue": 0}


def test_a_company_that_moved_in_this_or_last_period_is_due_not_overdue(building, desk):
    today = dt.date(2026, 5, 20)  # quarters: April-June now, January-March before
    plan = make_plan(desk, months=3, starts_on=dt.date(2025, 10, 1))
    newcomer = _tenant(building, "新公司", "2701")
    newcomer.occupancies.update(start=dt.date(2026, 2, 15))
    settled = _tenant(building, "老公司", "2801")  # in since 2020, never visited
    rows = {t.name: t.plan_state for t in liaison_selectors.plan_tenants(plan, today)}
    assert rows[newcomer.name] == "due" and rows[settled.name] == "overdue"
