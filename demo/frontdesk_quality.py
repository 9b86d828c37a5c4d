"""Quality checks 品质检查 of the demo, walked through the services at the time of each step
(``demo.clock``), at both scales (a few dozen checks: no bulk needed).

- Three check sheets, one per department (秩序部, 工程部, 保洁), with the items a service
  center's manual scores, weights and pass marks.
- A month of checks: on working days the supervisor (or the desk) checks one department in
  turn, somewhere in the towers; most items score well, a few fall below their pass mark.
- Each such item is a non-conformity: the older ones rectified and re-checked (most passed,
  one in four failed once and rectified again), the newer ones open, a few past their
  deadline; the rectifications of security by the guard, of engineering by the engineer, of the
  cleaning contractor followed by the supervisor.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from frontdesk import quality_services
from frontdesk.models import CheckItem, CheckSheet, NonConformity
from frontdesk.models.quality import Department
from frontdesk.quality_services import ItemScore

from . import clock
from .premises import local_dt

# (standard, weight, highest score, pass mark)
SHEETS = {
    Department.SECURITY: (
        "秩序部服务品质检查表",
        (
            ("岗位人员着装整齐、佩戴工牌，精神饱满", 1, 10, 6),
            ("大堂岗、车场岗按时到岗，无脱岗睡岗", 2, 10, 7),
            ("访客登记规范，证件核验到位", 2, 10, 6),
            ("消防通道、安全出口畅通无堵塞", 3, 10, 8),
            ("监控中心24小时值守，记录完整", 2, 10, 7),
            ("对讲机使用规范，应急响应不超过3分钟", 1, 5, 3),
        ),
    ),
    Department.ENGINEERING: (
        "工程部服务品质检查表",
        (
            ("配电房、水泵房整洁，设备运行记录完整", 2, 10, 7),
            ("报修响应及时，维修完成后现场清理", 3, 10, 7),
            ("电梯年检标志在有效期内，轿厢照明正常", 2, 10, 8),
            ("公共区域照明完好，无长明灯", 1, 10, 6),
            ("消防设施巡检记录齐全，灭火器在有效期内", 3, 10, 8),
            ("工具及备品备件摆放整齐，账物相符", 1, 5, 3),
        ),
    ),
    Department.CLEANING: (
        "保洁服务品质检查表",
        (
            ("大堂地面光亮，无污渍、无积水", 2, 10, 7),
            ("卫生间无异味，纸巾洗手液齐全", 3, 10, 7),
            ("电梯轿厢及按钮面板洁净无指印", 1, 10, 6),
            ("楼梯间、消防通道无垃圾杂物", 1, 10, 6),
            ("垃圾桶及时清运，不满溢", 2, 5, 3),
            ("玻璃门窗明亮，无明显水渍", 1, 10, 6),
            ("茶水间台面干净，下水通畅", 1, 10, 6),
        ),
    ),
}
LOCATIONS = {
    Department.SECURITY: ("A座大堂岗", "B1停车场入口", "监控中心", "B座消防通道", "东门岗亭"),
    Department.ENGINEERING: ("A座配电房", "B2水泵房", "A座3号电梯", "B座12楼公共走廊", "消防控制室"),
    Department.CLEANING: ("A座大堂", "B座8楼卫生间", "A座电梯厅", "B座楼梯间", "A座15楼茶水间"),
}
FINDINGS = {
    Department.SECURITY: "岗位记录缺页，当班人员未及时补记",
    Department.ENGINEERING: "设备运行记录有两日空缺",
    Department.CLEANING: "现场发现污渍未及时清理",
}
RECTIFIED = {
    Department.SECURITY: "已对当班人员进行培训并补齐记录",
    Department.ENGINEERING: "已补全记录并安排专人每日核对",
    Department.CLEANING: "保洁公司已返工清理，并增加巡查频次",
}


@dataclass
class People:
    desk: Any
    supervisor: Any
    engineer: Any
    guard: Any


def ensure_sheets() -> dict[str, CheckSheet]:
    sheets = {}
    for department, (name, items) in SHEETS.items():
        sheet, created = CheckSheet.objects.get_or_create(
            name=name, version=1, defaults={"department": department, "rectify_days": 3}
        )
        if created:
            CheckItem.objects.bulk_create(
                CheckItem(sheet=sheet, order=i, text=text, weight=weight, max_score=high, pass_score=passing)
                for i, (text, weight, high, passing) in enumerate(items)
            )
        sheets[department] = sheet
    return sheets


def _scores(rng: random.Random, items: list[CheckItem], n: int) -> dict[int, ItemScore]:
    """Mostly good marks; about two checks in five have one item below its pass mark."""
    failing = rng.randrange(len(items)) if n % 4 == 1 or n % 5 == 0 else None
    scores = {}
    for k, item in enumerate(items):
        if k == failing:
            score = Decimal(max(item.min_score, item.pass_score - 1 - rng.randint(0, 2)))
        else:
            low = item.pass_score
            score = Decimal(rng.randint(low * 2, item.max_score * 2)) / 2
        scores[item.pk] = ItemScore(score)
    return scores


def through_services(people: People, today: date) -> list:
    if NonConformity.objects.exists() or CheckSheet.objects.filter(name=SHEETS[Department.CLEANING][0]).exists():
        return []  # seeded already
    rng = random.Random(17)
    sheets = ensure_sheets()
    items = {d: list(s.items.order_by("order", "pk")) for d, s in sheets.items()}
    responsible = {
        Department.SECURITY: people.guard,
        Department.ENGINEERING: people.engineer,
        Department.CLEANING: None,
    }
    now = timezone.now()
    departments = list(SHEETS)
    made = []
    n = 0
    for offset in range(-30, 1):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for slot in (0, 1):
            department = departments[n % len(departments)]
            moment = local_dt(day, 9 + 5 * slot, 10 + 7 * (n % 6))
            if moment >= now:
                return made
            inspector = people.supervisor if n % 4 else people.desk
            with clock.at(moment):
                check = quality_services.quality_check_submit(
                    sheet=sheets[department],
                    by=inspector,
                    checked_at=moment,
                    location=LOCATIONS[department][n % len(LOCATIONS[department])],
                    scores=_scores(rng, items[department], n),
                    notes="例行品质检查" if n % 5 else "月度联合检查",
                    responsible=responsible[department],
                    now=moment,
                )
            for nc in check.opened:
                NonConformity.objects.filter(pk=nc.pk).update(description=FINDINGS[department])
                nc.description = FINDINGS[department]
                _follow_up(nc, department, people, responsible[department], n, now)
            made.append(check)
            n += 1
    return made


def _follow_up(nc: NonConformity, department: str, people: People, owner: Any, n: int, now: datetime) -> None:
    """Rectified a day before the deadline (every fifth one a day late) and re-checked the day
    after; one in four re-checks fails and is rectified again within two days. Newer ones stay
    open; a few past their deadline."""
    by = owner or people.supervisor
    rectified_at = nc.due_at - timedelta(days=1) if n % 5 else nc.due_at + timedelta(days=1)
    if rectified_at >= now - timedelta(days=1) or n % 7 == 6:
        return  # still open (n % 7 == 6: overdue, nobody acted)
    with clock.at(rectified_at):
        quality_services.nonconformity_rectify(obj=nc, by=by, note=RECTIFIED[department])
    recheck_at = rectified_at + timedelta(days=1)
    if recheck_at >= now:
        return
    with clock.at(recheck_at):
        if n % 4 == 0:
            quality_services.nonconformity_recheck_fail(
                obj=nc, by=people.supervisor, note="复查仍未达标", due_at=recheck_at + timedelta(days=2), now=recheck_at
            )
        else:
            quality_services.nonconformity_recheck_pass(obj=nc, by=people.supervisor, note="复查合格")
            return
    again = recheck_at + timedelta(days=1)
    if again >= now:
        return
    with clock.at(again):
        quality_services.nonconformity_rectify(obj=nc, by=by, note="再次整改完毕")
    if again + timedelta(days=1) < now:
        with clock.at(again + timedelta(days=1)):
            quality_services.nonconformity_recheck_pass(obj=nc, by=people.supervisor, note="二次复查合格")
