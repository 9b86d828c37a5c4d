"""Records of the liaison section's tests (visits, follow-up items, emergencies), made through
the services."""

import datetime as dt

from django.utils import timezone

from frontdesk import action_services, emergency_services, liaison_services
from frontdesk.models import Emergency, Visit, VisitPlan
from repairs.models import RepairCategory


def later(hours: float = 24) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


def make_visit(tenant, by, *, needs=(), hours_ago: float = 1, **over) -> Visit:
    fields = {
        "visited_at": timezone.now() - dt.timedelta(hours=hours_ago),
        "staff": [by],
        "met_name": "王建国",
        "met_title": "行政经理",
        "topics": "空调温度、停车位",
        **over,
    }
    return liaison_services.visit_record(by=by, tenant=tenant, needs=list(needs), **fields)


def need(owner, text: str = "检查12楼空调", hours: float = 24) -> dict:
    return {"text": text, "owner": owner, "due_at": later(hours)}


def make_item(record, by, owner, hours: float = 24, text: str = "复查漏水点"):
    return action_services.action_item_add(record=record, by=by, owner=owner, due_at=later(hours), text=text)


def make_emergency(building, by, **over) -> Emergency:
    fields = {
        "kind": Emergency.Kind.WATER_LEAK,
        "occurred_at": timezone.now() - dt.timedelta(minutes=30),
        "building": building,
        "place": "12楼东侧男卫生间",
        "description": "水管爆裂，地面积水",
        "responders": [by],
        "actions": "关闭阀门，清理积水",
        **over,
    }
    return emergency_services.emergency_report(by=by, **fields)


def make_plan(clerk, *, months: int = 3, starts_on: dt.date | None = None, **over) -> VisitPlan:
    start = starts_on or timezone.localdate().replace(day=1)
    return VisitPlan.objects.create(name="季度走访", period_months=months, clerk=clerk, starts_on=start, **over)


def water_category() -> RepairCategory:
    return RepairCategory.objects.get_or_create(name="水电", defaults={"response_minutes": 30})[0]


def _item(r):
    from frontdesk.models import ActionItem

    owned = ActionItem.objects.filter(owner=r.fixture("engineer")).first()
    return owned or make_item(r["liaison_visit"], r.fixture("desk"), r.fixture("engineer"))


# The access matrix's records (tests/frontdesk/test_access_liaison.py, and through
# tests/test_access_matrix.py the accessibility walk): tenant A's visit with a need owned by the
# engineer persona, that follow-up item, a plan and an emergency.
ACCESS_MAKERS = {
    "liaison_visit": lambda r: make_visit(
        r.fixture("tenant_a"), r.fixture("desk"), needs=[need(r.fixture("engineer"), "修理空调")]
    ),
    "action_item": _item,
    "visit_plan": lambda r: make_plan(r.fixture("desk")),
    "emergency": lambda r: make_emergency(r.fixture("building"), r.fixture("desk")),
}
