#!/usr/bin/env python
"""Patrols 巡视 (issue 17) on rows this script seeds.

``run.py --only frontdesk_patrols`` calls ``measure()`` (figures at the top level); standalone,
``python bench/frontdesk_patrols.py [--database NAME]`` uses run.py's bench database (the large
demo: its first building, the users ``guard`` and ``engineer``). The seed is a bulk COPY, never
the services: 100 points, five routes of 20 points, five plans of six two-hour windows a day
(three the guard's, two the engineer's), and the year up to yesterday of their tasks (10,950)
with about 200,000 point checks (about 92 % of the points due; one in a hundred abnormal, one
in twenty-five late, a few out of order; one task in fifty missed, a few transferred). The
rows are kept: the dashboard bench reads them. Figures:

- ``patrols_seed_seconds`` (target <= 60 s);
- ``patrol_task_page``: the guard's phone task page (``/desk/frontdesk/patrols/tasks/<pk>/``:
  its 20 points with their checks, photos, the timeline), with the test client, 40 tasks
  spread over the year: median <= 30 ms, the same number of queries for every task.
"""

import random
import sys
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

DAYS = 365
ROUTES = 5
STOPS = 20
WINDOWS = ((6, 8), (8, 10), (10, 12), (13, 15), (15, 17), (19, 21))
PAGES = 40
MARK = "基准巡视"  # the bench's routes and plans are named with it
TARGETS = {"patrols_seed_seconds": 60, "patrol_task_page_median_ms": 30}
ITEMS = ("消防通道畅通", "照明正常", "地面无积水")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def seed() -> float | None:
    """Seed once; returns the seconds it took, or None when the rows were there already."""
    from django.db import connection

    from frontdesk.models import PatrolTask

    if PatrolTask.objects.filter(plan__name__startswith=MARK).count() >= DAYS * ROUTES * len(WINDOWS):
        return None
    started = time.perf_counter()
    seed_rows()
    with connection.cursor() as cur:
        cur.execute("ANALYZE frontdesk_patroltask; ANALYZE frontdesk_patrolcheck; ANALYZE frontdesk_patrolpoint")
    return round(time.perf_counter() - started, 1)


def _clear() -> None:
    """A half seed's rows (the bench's own only)."""
    from frontdesk.models import PatrolCheck, PatrolPlan, PatrolPoint, PatrolRoute, PatrolStop, PatrolTask, PatrolWindow

    tasks = PatrolTask.objects.filter(plan__name__startswith=MARK)
    PatrolCheck.objects.filter(task__in=tasks).delete()
    tasks.delete()
    PatrolWindow.objects.filter(plan__name__startswith=MARK).delete()
    PatrolPlan.objects.filter(name__startswith=MARK).delete()
    PatrolStop.objects.filter(route__name__startswith=MARK).delete()
    PatrolRoute.objects.filter(name__startswith=MARK).delete()
    PatrolPoint.objects.filter(name__startswith=MARK).delete()


def seed_rows() -> None:
    """The COPY of the bench year (one transaction)."""
    from django.db import transaction
    from django.utils import timezone
    from renovation_passes import copy_rows  # bench/renovation_passes.py: the one COPY helper

    from frontdesk.models import PatrolCheck, PatrolPlan, PatrolPoint, PatrolRoute, PatrolStop, PatrolTask, PatrolWindow
    from jinyuan.accounts.models import User
    from tenants.models import Building

    guard, engineer = User.objects.get(username="guard"), User.objects.get(username="engineer")
    building = Building.objects.order_by("pk").first()
    if building is None:
        raise SystemExit("the bench database has no buildings: run bench/run.py first")
    rng = random.Random(17)
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    first = today - timedelta(days=DAYS)
    checklist = "\n".join(ITEMS)
    with transaction.atomic():
        _clear()
        points = PatrolPoint.objects.bulk_create(
            PatrolPoint(name=f"{MARK}点{i:03d}", building=building, location=f"{i // 10 + 1}层") for i in range(100)
        )
        routes = PatrolRoute.objects.bulk_create(PatrolRoute(name=f"{MARK}路线{r + 1}") for r in range(ROUTES))
        PatrolStop.objects.bulk_create(
            PatrolStop(route=route, point=points[r * STOPS + s], position=s + 1, checklist=checklist)
            for r, route in enumerate(routes)
            for s in range(STOPS)
        )
        people = [guard, guard, guard, engineer, engineer]
        plans = PatrolPlan.objects.bulk_create(
            PatrolPlan(
                name=f"{MARK}计划{r + 1}",
                route=route,
                assignee=people[r],
                days=PatrolPlan.Days.EVERY_DAY,
                starts_on=first,
            )
            for r, route in enumerate(routes)
        )
        windows = PatrolWindow.objects.bulk_create(
            PatrolWindow(plan=plan, starts=dtime(a), ends=dtime(b)) for plan in plans for a, b in WINDOWS
        )
        by_plan: dict[int, list] = {}
        for w in windows:
            by_plan.setdefault(w.plan_id, []).append(w)
        route_points = {r.pk: [points[i * STOPS + s].pk for s in range(STOPS)] for i, r in enumerate(routes)}
        tasks, fates = [], []
        for offset in range(DAYS):
            day = first + timedelta(days=offset)
            for plan in plans:
                for w in by_plan[plan.pk]:
                    starts = datetime.combine(day, w.starts, tz)
                    ends = datetime.combine(day, w.ends, tz)
                    missed = rng.random() < 0.02
                    checked = 0 if missed else (STOPS if rng.random() < 0.75 else rng.randint(12, STOPS - 1))
                    transferred = rng.random() < 0.01
                    status = "missed" if missed else ("completed" if checked == STOPS else "incomplete")
                    assignee = plan.assignee_id
                    tasks.append(
                        {
                            "applicant_id": assignee,
                            "status": status,
                            "plan_id": plan.pk,
                            "window_id": w.pk,
                            "route_id": plan.route_id,
                            "date": day,
                            "starts_at": starts,
                            "ends_at": ends,
                            "points": "{" + ",".join(map(str, route_points[plan.route_id])) + "}",
                            "points_due": STOPS,
                            "points_checked": checked,
                            "assignee_id": (engineer.pk if assignee == guard.pk else guard.pk)
                            if transferred
                            else assignee,
                            "original_assignee_id": assignee if transferred else None,
                            "transfer_reason": "临时调岗" if transferred else "",
                            "started_at": None if missed else starts + timedelta(minutes=5),
                            "finished_at": ends + timedelta(hours=2),
                            "created_at": datetime.combine(day, dtime(6), tz),
                        }
                    )
                    fates.append(checked)
        log(f"copying {len(tasks)} patrol tasks")
        copy_rows(PatrolTask, tasks)
        made = list(
            PatrolTask.objects.filter(plan__in=plans)
            .order_by("date", "plan_id", "starts_at")
            .values_list("pk", "starts_at", "ends_at", "points", "points_checked", "assignee_id")
        )
        normal = dict.fromkeys(ITEMS, True)
        checks = []
        for pk, starts, ends, ids, checked, who in made:
            order = ids[:checked]
            swapped = rng.random() < 0.05 and checked > 2
            if swapped:
                order[0], order[1] = order[1], order[0]
            step = (ends - starts) / (checked + 1) if checked else timedelta(0)
            for i, point in enumerate(order):
                late = rng.random() < 0.04
                abnormal = rng.random() < 0.01
                at = ends + timedelta(minutes=15) if late else starts + step * (i + 1)
                checks.append(
                    {
                        "task_id": pk,
                        "point_id": point,
                        "checked_at": at,
                        "checked_by_id": who,
                        "results": {**normal, "照明正常": False} if abnormal else normal,
                        "is_abnormal": abnormal,
                        "note": "灯不亮" if abnormal else "",
                        "is_late": late,
                        "is_out_of_order": swapped and i == 0,
                        "repair_id": None,
                    }
                )
        log(f"copying {len(checks)} point checks")
        copy_rows(PatrolCheck, checks)
        if PatrolCheck.objects.filter(task__plan__in=plans).count() != len(checks):
            raise SystemExit("the point checks did not all arrive")


def patrol_task_page() -> dict:
    """The guard's task pages of 40 bench tasks spread over the year (20 points each)."""
    import run  # bench/run.py

    from frontdesk.models import PatrolTask

    pks = list(
        PatrolTask.objects.filter(plan__name__startswith=MARK, assignee__username="guard")
        .order_by("date", "starts_at")
        .values_list("pk", flat=True)
    )
    step = max(1, len(pks) // PAGES)
    paths = [f"/desk/frontdesk/patrols/tasks/{pk}/" for pk in pks[::step][:PAGES]]
    from frontdesk_duty import _timed  # bench/frontdesk_duty.py: pages timed through the test client

    result = _timed(run.client_of("guard"), paths, [{}] * len(paths))
    result["met"] = (
        "error" not in result
        and result["median_ms"] <= TARGETS["patrol_task_page_median_ms"]
        and len(result["queries"]) == 1
    )
    return result


def measure() -> dict:
    seconds = seed()
    result: dict[str, Any] = {"patrols_seed_seconds": seconds}
    log("timing the guard's patrol task page on the phone")
    result["patrol_task_page"] = patrol_task_page()
    result["targets"] = TARGETS
    result["met"] = {
        "patrols_seed_seconds": None if seconds is None else seconds <= TARGETS["patrols_seed_seconds"],
        "patrol_task_page": bool(result["patrol_task_page"].get("met")),
    }
    return result


def main() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import run  # bench/run.py, beside this script

    run.standalone("frontdesk_patrols", measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
