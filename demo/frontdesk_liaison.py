"""Tenant liaison 业户走访 and emergency records 应急事件 of the demo, walked through the services
at the time of each step (``demo.clock``), at both scales (a few dozen records: no bulk needed).

- A quarterly visit plan for every occupying tenant, begun last month: the month of visits
  below leaves it partly done (visited and due tenants).
- A month of visits (about two a working day) by the desk, with the engineer or the
  supervisor along now and then; every third visit raises needs (follow-up items): the older
  ones done or cancelled, the newer ones open, a few overdue.
- Five emergencies of the month: a water leak with a repair ticket made from it and a follow-up
  item, an elevator entrapment and a false fire alarm closed by the supervisor, a power outage
  still being handled with its follow-ups, one voided (recorded twice).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from frontdesk import action_services, emergency_services, liaison_services
from frontdesk.models import Emergency, Visit, VisitPlan
from repairs.models import RepairCategory

from . import clock
from .premises import Premises, local_dt

TOPICS = (
    "物业服务满意度回访，了解空调、保洁情况",
    "续租意向沟通，介绍园区配套",
    "停车位需求与访客登记流程",
    "装修计划咨询，提醒装修申请流程",
    "消防安全检查配合事项",
    "会议室使用与费用说明",
    "电梯高峰期拥挤问题反映",
)
MET = (("王建国", "行政经理"), ("李秀英", "总经理"), ("陈晓东", "办公室主任"), ("黄丽", "前台主管"), ("刘洋", ""))
NEEDS = (
    ("检查办公区空调温度", "engineer"),
    ("补办两张门禁卡", "desk"),
    ("协调地下车库月租车位", "supervisor"),
    ("清洗茶水间下水道", "engineer"),
    ("提供装修申请表格", "desk"),
)
IMPRESSIONS = ("very_satisfied", "satisfied", "satisfied", "neutral", "", "dissatisfied")


@dataclass
class People:
    desk: Any
    supervisor: Any
    engineer: Any
    guard: Any


def _plan(people: People, today: date) -> VisitPlan:
    begun = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return VisitPlan.objects.get_or_create(
        name="每季度走访全部租户",
        defaults={"period_months": 3, "clerk": people.desk, "starts_on": begun},
    )[0]


def visits_through_services(premises: Premises, people: People, today: date) -> list[Visit]:
    plan = _plan(people, today)
    owners = {"desk": people.desk, "engineer": people.engineer, "supervisor": people.supervisor}
    now = timezone.now()
    made = []
    n = 0
    occupying = {s.tenant for s in premises.stays if s.is_current(today)}  # one pass, at either scale
    tenants = [t for i, t in enumerate(premises.tenants) if i in occupying]
    for offset in range(-30, 1):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for slot in (0, 1):
            if n >= len(tenants) * 2 // 3:
                return made
            moment = local_dt(day, 10 + 4 * slot, 7 * (n % 7))
            if moment >= now:
                return made
            tenant = tenants[(n * 7) % len(tenants)]
            met_name, met_title = MET[n % len(MET)]
            staff = [people.desk] + ([people.engineer] if n % 4 == 0 else [people.supervisor] if n % 5 == 0 else [])
            needs = []
            if n % 3 == 0:
                for k in range(1 + n % 2):
                    text, owner = NEEDS[(n + k) % len(NEEDS)]
                    needs.append({"text": text, "owner": owners[owner], "due_at": moment + timedelta(days=3 + k * 4)})
            with clock.at(moment):
                visit = liaison_services.visit_record(
                    by=people.desk,
                    tenant=tenant,
                    plan=plan,
                    visited_at=moment,
                    staff=staff,
                    met_name=met_name,
                    met_title=met_title,
                    channel=(Visit.Channel.ON_SITE, Visit.Channel.PHONE, Visit.Channel.AT_DESK)[n % 3],
                    topics=TOPICS[n % len(TOPICS)],
                    impression=IMPRESSIONS[n % len(IMPRESSIONS)],
                    needs=needs,
                    now=moment,
                )
            _close_some(visit, people, n)
            made.append(visit)
            n += 1
    return made


def _close_some(record: Any, people: People, n: int) -> None:
    """Needs due more than two days ago: most done on time, one in five cancelled; the rest stay
    open (a few of them overdue)."""
    from frontdesk.action_selectors import items_of

    now = timezone.now()
    for k, item in enumerate(items_of(record)):
        done_at = item.due_at - timedelta(days=1)
        if done_at >= now - timedelta(days=2) or (n + k) % 6 == 5:
            continue
        with clock.at(done_at):
            if (n + k) % 5 == 4:
                action_services.action_item_cancel(obj=item, by=people.desk, note="租户表示已自行解决")
            else:
                action_services.action_item_complete(obj=item, by=item.owner, note="已处理并电话告知租户")


EMERGENCIES = (
    # kind, days ago, hour, floor index, place, what happened, outside help, actions, what becomes of it
    (
        Emergency.Kind.WATER_LEAK,
        20,
        9,
        3,
        "东侧男卫生间",
        "给水管接头爆裂，走廊积水约 2 厘米",
        "",
        "关闭楼层给水阀门，保洁清理积水，通知受影响租户",
        "ticket",
    ),
    (
        Emergency.Kind.ELEVATOR,
        14,
        18,
        0,
        "3号客梯",
        "电梯停在 5-6 楼之间，困 3 人",
        "电梯维保单位",
        "安抚被困人员，维保人员 25 分钟到场放人，无人受伤",
        "closed",
    ),
    (
        Emergency.Kind.FIRE_ALARM,
        9,
        11,
        6,
        "茶水间",
        "烟感报警，现场为微波炉加热食物冒烟",
        "",
        "秩序部到场确认误报，复位报警主机",
        "closed",
    ),
    (
        Emergency.Kind.POWER_OUTAGE,
        2,
        15,
        5,
        "整层",
        "楼层配电柜跳闸，整层停电",
        "供电局抢修 95598",
        "工程部排查配电柜，启用应急照明，逐户告知",
        "open",
    ),
    (Emergency.Kind.POWER_OUTAGE, 2, 15, 5, "整层", "楼层停电（重复登记）", "", "", "voided"),
)


# An emergency's follow-up items: text, owner (a ``People`` field), days allowed.
FOLLOW_UPS = (("排查同类管线与配电隐患并提交报告", "engineer", 3), ("电话回访受影响租户", "desk", 1))


def _tenants_on(floor: Any, today: date) -> list:
    from tenants.models import Occupancy
    from tenants.selectors import current_q

    if floor is None:
        return []
    rows = Occupancy.objects.filter(current_q(on=today), unit__floor=floor).select_related("tenant").order_by("pk")
    return list({o.tenant_id: o.tenant for o in rows[:6]}.values())


def emergencies_through_services(premises: Premises, people: People, today: date) -> list[Emergency]:
    building = premises.buildings[0]
    floors = list(building.floors.order_by("number"))
    # The leak's ticket: a free category (a paid repair bills a company; this is a public area).
    free = RepairCategory.objects.filter(active=True, paid=False)
    category = free.filter(name__contains="水").order_by("name").first() or free.order_by("name").first()
    now = timezone.now()
    made = []
    for kind, days, hour, floor_index, place, text, outside, actions, end in EMERGENCIES:
        moment: datetime = min(local_dt(today - timedelta(days=days), hour, 12), now - timedelta(hours=3))
        floor = floors[floor_index % len(floors)] if floors else None
        affected = _tenants_on(floor, today)
        with clock.at(moment):
            obj = emergency_services.emergency_report(
                by=people.guard if kind == Emergency.Kind.FIRE_ALARM else people.desk,
                kind=kind,
                occurred_at=moment - timedelta(minutes=5),
                building=building,
                floor=floor,
                place=place,
                description=text,
                responders=[people.guard, people.engineer] if actions else [people.desk],
                outside_help=outside,
                actions=actions,
                tenants=affected,
                now=moment,
            )
        step = moment + timedelta(minutes=20)
        if end == "ticket" and category is not None:
            with clock.at(step):
                emergency_services.emergency_create_ticket(obj=obj, by=people.desk, category=category)
        follow_ups = {"ticket": FOLLOW_UPS[:1], "open": FOLLOW_UPS}.get(end, ())
        for text, owner, days in follow_ups:
            with clock.at(step):
                action_services.action_item_add(
                    record=obj,
                    by=people.desk,
                    owner=getattr(people, owner),
                    text=text,
                    due_at=step + timedelta(days=days),
                    now=step,
                )
        if end in ("ticket", "closed"):
            with clock.at(moment + timedelta(days=1)):
                emergency_services.emergency_close(
                    obj=obj, by=people.supervisor, note="处置完毕，已复盘并完善巡查要点。"
                )
        if end in ("ticket", "closed"):
            _close_some(obj, people, 0)
        if end == "voided":
            with clock.at(step):
                emergency_services.emergency_void(obj=obj, by=people.supervisor, note="与上一条重复登记")
        made.append(obj)
    return made


def through_services(premises: Premises, people: People, today: date) -> None:
    visits_through_services(premises, people, today)
    emergencies_through_services(premises, people, today)
