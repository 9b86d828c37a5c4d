"""Hot-work permits 动火作业 of the demo, one or more in every state: waiting for engineering,
with security, returned, approved for later today (on security's board) and for next week,
in progress now, under fire watch (work ended ten minutes ago), closed after the recheck,
stopped on the spot, expired unused, rejected and withdrawn. Walked through
``permits.hot_work`` by the demo users at the time of each step."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from permits import hot_work
from permits.models import HotWorkPermit
from permits.models.hot_work import FIRE_WATCH, Measure, SiteCheck
from tenants.models import Occupancy

from . import clock
from .premises import Premises, local_dt

WORKS = (
    ("厨房东墙", "焊接吧台钢架", "electric_welding", "韦建华", "黄德明"),
    ("机房", "切割旧桥架", "gas_cutting", "覃志勇", "陆小燕"),
    ("前台背景墙", "打磨钢结构焊缝", "grinding", "蒙海涛", "梁晓东"),
    ("卫生间", "喷灯烘烤防水卷材", "torch", "莫国平", "潘丽萍"),
)
# Final state, the window's day from today (None: around now), its start hour, its hours.
PLAN = (
    ("submitted", 3, 9, 4),
    ("security_review", 4, 14, 3),
    ("returned", 5, 9, 2),
    ("approved", "soon", 0, 2),
    ("approved", 7, 9, 6),
    ("in_progress", "now", 0, 4),
    ("fire_watch", "now", 0, 3),
    ("closed", -2, 9, 4),
    ("stopped", -1, 14, 3),
    ("expired", -3, 9, 2),
    ("rejected", -4, 10, 2),
    ("withdrawn", 6, 9, 2),
)


@dataclass(frozen=True)
class People:
    engineer: Any
    guard: Any


def _window(today: dt.date, day: Any, hour: int, hours: int) -> tuple[dt.datetime, dt.datetime]:
    now = timezone.now()
    tz = timezone.get_current_timezone()
    if day == "soon":  # later today, or early tomorrow: on the board either way
        start = (now + dt.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    elif day == "now":  # started two hours ago, within today
        start = max(now - dt.timedelta(hours=2), dt.datetime.combine(timezone.localdate(now), dt.time(0), tz))
    else:
        start = local_dt(today + dt.timedelta(days=day), hour)
    end_of_day = dt.datetime.combine(timezone.localdate(start), dt.time(23, 59), tz)
    return start, min(start + dt.timedelta(hours=hours), end_of_day)


def _applied(start: dt.datetime) -> dt.datetime:
    """A morning early enough for the notice rule (one working day ahead) and in the past."""
    day = timezone.localdate(min(start, timezone.now())) - dt.timedelta(days=2)
    while hot_work.earliest_start(local_dt(day, 9)) > start:
        day -= dt.timedelta(days=1)
    return local_dt(day, 9)


def _fields(tenant: Any, n: int, start: dt.datetime, end: dt.datetime) -> dict:
    part, work, method, operator, watch = WORKS[n % len(WORKS)]
    occupancy = Occupancy.objects.filter(tenant=tenant).select_related("unit").order_by("pk").first()
    area = 30 + 25 * (n % 4)
    return {
        "unit": occupancy.unit,
        "part": part,
        "work": work,
        "method": method,
        "starts_at": start,
        "ends_at": end,
        "operator_name": operator,
        "certificate_number": f"T45010{n:02d}19880{n % 9}1234",
        "certificate_expiry": timezone.localdate(end) + dt.timedelta(days=400),
        "fire_watch_name": watch,
        "fire_watch_phone": f"1387711{n:04d}",
        "area_m2": area,
        "extinguishers": hot_work.extinguishers_needed(area),
        "measures": list(Measure.values),
    }


def through_services(premises: Premises, people: People, admins: list[Any], today: dt.date) -> list[HotWorkPermit]:
    return [_walk(premises, people, admins, today, n, *row) for n, row in enumerate(PLAN)]


def _walk(premises, people, admins, today, n, final, day, hour, hours) -> HotWorkPermit:
    index = n % len(admins)
    admin, tenant = admins[index], premises.tenants[index]
    start, end = _window(today, day, hour, hours)
    applied = _applied(start)
    with clock.at(applied):
        permit = hot_work.hot_work_apply(tenant=tenant, by=admin, **_fields(tenant, n, start, end))
    if final == "submitted":
        return permit
    reviewed = applied + dt.timedelta(hours=2)
    with clock.at(reviewed):
        if final in ("returned", "withdrawn"):
            hot_work.hot_work_send_back(obj=permit, by=people.engineer, note="请注明灭火器摆放位置及烟感隔离范围。")
            if final == "withdrawn":
                hot_work.hot_work_withdraw(obj=permit, by=admin)
            return permit
        if final == "rejected":
            return hot_work.hot_work_reject(obj=permit, by=people.engineer, note="该区域为吊顶内电缆密集处，不得动火。")
        hot_work.hot_work_engineering_approve(obj=permit, by=people.engineer)
        if final == "security_review":
            return permit
        hot_work.hot_work_security_approve(obj=permit, by=people.guard)
    if final == "expired":
        with clock.at(end + dt.timedelta(minutes=5)):
            hot_work.hot_work_expire(obj=permit, now=end + dt.timedelta(minutes=5))
    elif final in ("in_progress", "fire_watch", "closed", "stopped"):
        with clock.at(start):
            hot_work.hot_work_site_check(obj=permit, by=people.guard, ticked=SiteCheck.values, now=start)
        if final == "stopped":
            with clock.at(start + dt.timedelta(minutes=40)):
                hot_work.hot_work_stop(obj=permit, by=people.guard, note="现场发现未清理的木屑和纸箱。")
        elif final in ("fire_watch", "closed"):
            ended = timezone.now() - dt.timedelta(minutes=10) if final == "fire_watch" else end
            ended = max(ended, start + dt.timedelta(minutes=1))
            with clock.at(ended):
                hot_work.hot_work_end(obj=permit, by=people.guard, now=ended)
            if final == "closed":
                rechecked = ended + FIRE_WATCH + dt.timedelta(minutes=5)
                with clock.at(rechecked):
                    hot_work.hot_work_recheck(obj=permit, by=people.guard, detectors_restored=True, now=rechecked)
    permit.refresh_from_db()
    return permit
