"""Patrols 巡视 of the demo: points across the buildings, three routes, their plans and a month of
tasks with their point checks.

- Points: six a building (lobby, fire escape, car park, roof water tank, switch room, a
  stairwell), each with its label code; a supervisor prints the sheet from the desk.
- Routes: each building's daily security round, and the engineers' plant-room round.
- Plans: the guard walks the first building's round 08:40-10:30 and 13:30-15:30 every day and
  the second's on working days; the engineer the plant rooms 09:00-11:00 on working days.
- The month: the scheduler's tasks of each day (the service, at its time), the walks copied in
  bulk (mostly normal, a few late or out of order), two tasks missed and closed by the
  scheduler, three abnormal findings through the services, two of them made repair tickets,
  one task transferred to the engineer. Today's tasks are left to do.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from frontdesk import patrol_services
from frontdesk.models import PatrolCheck, PatrolPlan, PatrolPoint, PatrolRoute, PatrolStop, PatrolTask, PatrolWindow
from jinyuan.workflow.models import AuditEvent, Deadline
from jinyuan.workflow.services import record_events

from . import clock
from .premises import Premises, local_dt

DAYS = 30
POINTS = (
    ("一楼大堂", "大堂服务台旁", "消防通道畅通\n照明正常\n地面清洁无积水"),
    ("B1消防通道", "地下一层东侧", "消防通道畅通\n安全出口指示灯正常\n防火门关闭"),
    ("地下车库", "B2车库入口", "照明正常\n无乱停车辆\n排水沟通畅"),
    ("屋面水箱", "屋顶机房旁", "水箱盖板锁闭\n无渗漏"),
    ("配电房", "地下一层配电房", "设备运行声音正常\n温度正常\n门锁完好"),
    ("东侧楼梯间", "东侧楼梯", "消防通道畅通\n照明正常"),
)
FINDINGS = (
    ("B1消防通道", "消防通道畅通", "通道内堆放纸箱，已通知保洁清理"),
    ("地下车库", "照明正常", "车库入口两盏灯不亮"),
    ("配电房", "温度正常", "配电房温度偏高，空调滴水"),
)


@dataclass
class People:
    guard: Any
    engineer: Any
    supervisor: Any


def _points(premises: Premises) -> dict[int, list[PatrolPoint]]:
    from tenants.models import Floor

    floors: dict[int, Any] = {}
    for floor in Floor.objects.filter(building__in=premises.buildings).order_by("-number"):
        floors.setdefault(floor.building_id, floor)  # the top floor's stairwell
    rows = [
        PatrolPoint(
            name=name if i == 0 else f"{building.name}{name}",
            building=building,
            floor=floors.get(building.pk) if name == "东侧楼梯间" else None,
            location=where,
        )
        for i, building in enumerate(premises.buildings)
        for name, where, _items in POINTS
    ]
    PatrolPoint.objects.bulk_create(rows)
    by_building: dict[int, list[PatrolPoint]] = {}
    for p in rows:
        by_building.setdefault(p.building_id, []).append(p)
    return by_building


def _route(name: str, points: list[PatrolPoint], description: str = "") -> PatrolRoute:
    items = {n: checklist for n, _where, checklist in POINTS}
    route = PatrolRoute.objects.create(name=name, description=description)
    PatrolStop.objects.bulk_create(
        PatrolStop(route=route, point=p, position=i, checklist=items[_base(p)]) for i, p in enumerate(points, 1)
    )
    return route


def _base(point: PatrolPoint) -> str:
    return next(n for n, _w, _c in POINTS if point.name.endswith(n))


def _plan(name, route, assignee, windows, days, starts_on) -> PatrolPlan:
    plan = PatrolPlan.objects.create(name=name, route=route, assignee=assignee, days=days, starts_on=starts_on)
    PatrolWindow.objects.bulk_create(PatrolWindow(plan=plan, starts=dt.time(*a), ends=dt.time(*b)) for a, b in windows)
    return plan


def through_services(premises: Premises, people: People, today: dt.date) -> None:
    first = today - dt.timedelta(days=DAYS)
    points = _points(premises)
    buildings = premises.buildings
    security = [p for p in points[buildings[0].pk] if _base(p) not in ("配电房", "屋面水箱")]
    plant = [p for b in buildings[:2] for p in points[b.pk] if _base(p) in ("配电房", "屋面水箱")]
    routes = [_route(f"{buildings[0].name}日常巡视", security, "大堂、消防通道、车库、楼梯间")]
    plans = [
        _plan(
            f"{buildings[0].name}日常巡视",
            routes[0],
            people.guard,
            (((8, 40), (10, 30)), ((13, 30), (15, 30))),
            PatrolPlan.Days.EVERY_DAY,
            first,
        )
    ]
    if len(buildings) > 1:
        second = [p for p in points[buildings[1].pk] if _base(p) not in ("配电房", "屋面水箱")]
        routes.append(_route(f"{buildings[1].name}日常巡视", second))
        plans.append(
            _plan(
                f"{buildings[1].name}工作日巡视",
                routes[1],
                people.guard,
                (((9, 0), (10, 0)),),
                PatrolPlan.Days.WORKING_DAYS,
                first,
            )
        )
    routes.append(_route("设备房巡检", plant, "工程部：配电房、屋面水箱"))
    plans.append(
        _plan("设备房巡检", routes[-1], people.engineer, (((9, 0), (11, 0)),), PatrolPlan.Days.WORKING_DAYS, first)
    )
    # The scheduler of each day, at its time.
    tasks: list[PatrolTask] = []
    day = first
    while day < today:
        with clock.at(local_dt(day, 6, 0)):
            tasks += patrol_services.tasks_create_for_day(day)
        day += dt.timedelta(days=1)
    _walk_in_bulk(tasks, skip={tasks[3].pk, tasks[-5].pk} if len(tasks) > 10 else set())
    # Two tasks nobody walked: closed as missed by the scheduler, the day after.
    for task in (tasks[3], tasks[-5]) if len(tasks) > 10 else ():
        with clock.at(task.ends_at + dt.timedelta(hours=3)):
            patrol_services.tasks_close_due(now=timezone.now())
    _findings(tasks, people)
    with clock.at(local_dt(today, 6, 0)):
        todays = patrol_services.tasks_create_for_day(today)
    # One of today's tasks handed to the engineer (the guard is at the fire drill).
    guards = [t for t in todays if t.assignee_id == people.guard.pk]
    if guards:
        with clock.at(min(local_dt(today, 7, 30), timezone.now())):
            patrol_services.task_transfer(
                task=guards[-1], by=people.supervisor, to=people.engineer, reason="保安员参加消防演练，临时调配"
            )


def _walk_in_bulk(tasks: list[PatrolTask], skip: set[int]) -> None:
    """The month's walks, copied: every point checked normal, about one in twelve late and one in
    fifteen out of order; each task completed, with its events."""
    checks = []
    n = 0
    walked = [t for t in tasks if t.pk not in skip]
    for task in walked:
        order = list(task.points)
        if task.pk % 15 == 0:
            order[0], order[1] = order[1], order[0]
        done: set[int] = set()
        for i, point in enumerate(order):
            n += 1
            late = n % 12 == 0
            at = task.ends_at + dt.timedelta(minutes=10) if late else task.starts_at + dt.timedelta(minutes=8 * (i + 1))
            earlier = task.points[: task.points.index(point)]
            checks.append(
                PatrolCheck(
                    task=task,
                    point_id=point,
                    checked_at=at,
                    checked_by_id=task.assignee_id,
                    results={},
                    is_late=late,
                    is_out_of_order=any(p not in done for p in earlier),
                )
            )
            done.add(point)
        task.status = PatrolTask.Status.COMPLETED
        task.points_checked = task.points_due
        task.started_at = task.starts_at + dt.timedelta(minutes=5)
        task.finished_at = max(c.checked_at for c in checks[-len(order) :])
    PatrolCheck.objects.bulk_create(checks, batch_size=2000)
    PatrolTask.objects.bulk_update(walked, ["status", "points_checked", "started_at", "finished_at"], batch_size=500)
    events = record_events(walked, "patrol_task.completed", from_state="started", to_state="completed")
    # Each event at the walk's end, not at the seeding's moment.
    for event, task in zip(events, walked, strict=True):
        event.at = task.finished_at
    AuditEvent.objects.bulk_update(events, ["at"], batch_size=500)
    # Their windows' deadlines stopped as the completing transition stops them: met when the
    # walk ended within the window.
    ends = {t.pk: t for t in walked}
    rows = list(
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(PatrolTask), object_id__in=ends, state="running"
        )
    )
    for row in rows:
        task = ends[row.object_id]
        row.state, row.stopped_at, row.met, row.next_step_at = (
            "stopped",
            task.finished_at,
            task.finished_at <= row.due_at,
            None,
        )
    Deadline.objects.bulk_update(rows, ["state", "stopped_at", "met", "next_step_at"], batch_size=500)


def _findings(tasks: list[PatrolTask], people: People) -> None:
    """Three checks turned abnormal through the services' ticket path: the note, then a ticket
    for the first two (the third is waiting at the desk)."""
    checks = {
        c.point.name: c
        for c in PatrolCheck.objects.filter(task__in=tasks[-12:]).select_related("point", "task").order_by("-pk")
    }
    for i, (name, item, note) in enumerate(FINDINGS):
        check = next((c for n, c in checks.items() if n.endswith(name)), None)
        if check is None:
            continue
        check.results = {item: False}
        check.is_abnormal = True
        check.note = note
        check.save(update_fields=["results", "is_abnormal", "note"])
        with clock.at(check.checked_at):
            from jinyuan.workflow.services import record_event

            record_event(
                check.task,
                "patrol_task.finding_reported",
                by=check.checked_by,
                note=note,
                data={"point": check.point.name, "abnormal_items": item},
            )
        if i < 2:
            with clock.at(check.checked_at + dt.timedelta(minutes=2)):
                patrol_services.check_to_ticket(check=check, by=people.guard)
