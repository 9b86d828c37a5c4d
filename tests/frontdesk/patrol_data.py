"""Records of the patrol tests (巡视): points, a route, a plan and its tasks of a fixed day, made
through the services where they have one. Tests run at fixed local times of ``DAY`` (a Tuesday)."""

import datetime as dt

from django.utils import timezone

from frontdesk import patrol_services
from frontdesk.models import PatrolPlan, PatrolPoint, PatrolRoute, PatrolStop, PatrolTask, PatrolWindow
from repairs.models import RepairCategory

DAY = dt.date(2026, 12, 8)  # a Tuesday, a working day
CHECKLIST = "消防通道畅通\n照明正常"
POINT_NAMES = ("一楼大堂", "B1消防通道", "12楼东侧楼梯间", "屋面水箱")


def at(hour: int, minute: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_current_timezone())


def facility_category() -> RepairCategory:
    return RepairCategory.objects.get_or_create(name="公共设施", defaults={"response_minutes": 30})[0]


def make_points(building, names=POINT_NAMES, floor=None) -> list[PatrolPoint]:
    return [
        PatrolPoint.objects.create(name=name, building=building, floor=floor, location=f"位置{i}")
        for i, name in enumerate(names, 1)
    ]


def make_route(points, name: str = "A座日常巡视", checklist: str = CHECKLIST) -> PatrolRoute:
    route = PatrolRoute.objects.create(name=name)
    PatrolStop.objects.bulk_create(
        PatrolStop(route=route, point=p, position=i, checklist=checklist) for i, p in enumerate(points, 1)
    )
    return route


def make_plan(route, assignee, windows=((9, 0, 11, 0), (13, 30, 15, 30)), **over) -> PatrolPlan:
    fields = {"name": f"{route.name}计划", "days": PatrolPlan.Days.WORKING_DAYS, "starts_on": DAY, **over}
    plan = PatrolPlan.objects.create(route=route, assignee=assignee, **fields)
    for h1, m1, h2, m2 in windows:
        PatrolWindow.objects.create(plan=plan, starts=dt.time(h1, m1), ends=dt.time(h2, m2))
    return plan


def make_task(building, assignee, *, names=POINT_NAMES, route_name: str = "A座日常巡视", day=DAY) -> PatrolTask:
    """The morning task (09:00-11:00) of a new route through new points, assigned to ``assignee``."""
    points = make_points(building, [f"{route_name}{n}" for n in names] if route_name != "A座日常巡视" else names)
    plan = make_plan(make_route(points, route_name), assignee, windows=((9, 0, 11, 0),), starts_on=day)
    patrol_services.tasks_create_for_day(day)
    return PatrolTask.objects.get(plan=plan, date=day)


def scan(task, point, by=None, *, abnormal=(), note: str = "", now=None, photos=()):
    """Check ``point`` on ``task``: every item normal but those in ``abnormal``."""
    results = {item: item not in abnormal for item in CHECKLIST.splitlines()}
    return patrol_services.check_record(
        task=task, by=by or task.assignee, code=point.code, results=results, note=note, photos=photos, now=now
    )


def points_of(task) -> list[PatrolPoint]:
    found = PatrolPoint.objects.in_bulk(task.points)
    return [found[pk] for pk in task.points]
