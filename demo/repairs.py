"""Repair tickets 报修 of the demo: a year of them with the timings of a real tower, walked
through ``repairs.services`` by the demo users at the time of each step.

The categories are the admin's set-up (water and power, air conditioning, locks, lighting, the
lift emergency, network; three paid ones with their price ranges; two taken from the pool). Most
tickets were answered and finished in time, some late; cancelled ones were repaired by the tenant
or reported twice. Today the desk has a few waiting to be assigned, the pool has some (one past
its response time), and the demo engineer (``engineer``) has open tickets in every stage.

``bench/repairs.py`` seeds its 200,000 tickets on the same categories (``CATEGORIES``).
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from jinyuan.accounts.roles import Role
from repairs import services
from repairs.models import RepairCategory, RepairTicket

from . import clock
from .premises import Premises, local_dt


@dataclass(frozen=True)
class Category:
    name: str
    response_minutes: int
    completion_hours: int
    weight: int  # share of the tickets
    faults: tuple[str, ...]
    materials: tuple[str, ...] = ()
    working_hours_only: bool = False
    emergency: bool = False
    paid: bool = False
    price_range: str = ""
    pool: bool = False


CATEGORIES = (
    Category(
        "水电维修",
        30,
        24,
        22,
        ("卫生间水龙头漏水", "茶水间水槽下水不畅", "办公室插座没电", "配电箱空开频繁跳闸", "洗手盆下水管渗水"),
        ("水龙头 1 个", "生料带 1 卷", "空气开关 1 个", "五孔插座 2 个", ""),
    ),
    Category(
        "空调",
        30,
        24,
        20,
        ("会议室空调不制冷", "风机盘管滴水", "空调出风口噪音大", "温控面板无显示"),
        ("温控面板 1 个", "冷凝水管 2 米", "", ""),
        pool=True,
    ),
    Category(
        "门锁",
        30,
        8,
        8,
        ("办公室门锁打不开", "玻璃门地弹簧松动", "门禁读卡器无反应", "闭门器漏油"),
        ("闭门器 1 个", "锁芯 1 个", ""),
    ),
    Category(
        "照明",
        60,
        24,
        14,
        ("走廊灯不亮", "办公室灯管闪烁", "应急灯不亮", "卫生间筒灯损坏"),
        ("LED 灯管 2 支", "筒灯 1 个", "镇流器 1 个", ""),
        pool=True,
    ),
    Category(
        "电梯困人",
        15,
        2,
        2,
        ("客梯停在两层之间，有人被困", "货梯门打不开，有人被困"),
        ("",),
        emergency=True,
    ),
    Category(
        "网络/弱电",
        120,
        16,
        10,
        ("前台电话无拨号音", "网络面板无信号", "会议室投影无法连接", "监控画面无信号"),
        ("水晶头 10 个", "网线 20 米", "信息面板 1 个", ""),
        working_hours_only=True,
    ),
    Category(
        "室内水管维修",
        60,
        24,
        9,
        ("办公室内水管接头漏水", "茶水间角阀损坏需更换", "热水器进水管渗漏"),
        ("角阀 1 个", "软管 2 根", "PPR 管件 3 个"),
        paid=True,
        price_range="50–200 元/次，材料另计",
    ),
    Category(
        "灯具更换",
        120,
        48,
        8,
        ("办公区灯盘整体更换", "会议室射灯更换", "前台背景灯带更换"),
        ("LED 灯盘 4 个", "射灯 6 个", "灯带 5 米"),
        working_hours_only=True,
        paid=True,
        price_range="20–60 元/盏，材料另计",
    ),
    Category(
        "门锁更换",
        120,
        24,
        7,
        ("员工离职需更换办公室门锁", "财务室加装防盗锁", "档案室锁芯更换"),
        ("锁芯 1 个", "执手锁 1 把"),
        working_hours_only=True,
        paid=True,
        price_range="150 元/把，材料另计",
    ),
)
PUBLIC_PLACES = (
    "A座一楼大堂",
    "B座一楼大堂",
    "A座12层男卫生间",
    "B座5层女卫生间",
    "地下停车场B1层",
    "A座3号客梯",
    "B座1号货梯",
    "A座消防楼梯间",
    "裙楼二层连廊",
)
PUBLIC_REPORTERS = (("秩序部 巡查岗", "0771-5561004"), ("保洁部 陆阿姨", "13877125501"), ("前台 李敏", "0771-5561001"))
EXTRA_ENGINEERS = (("engineer2", "工程部 陆振华"), ("engineer3", "工程部 蒙志刚"), ("engineer4", "工程部 黄春生"))
PREFERRED = ("", "", "", "今天下午", "明天上午 10 点后", "午休时间 12:00–13:30 以外", "下班前")
CANCEL_REASONS = ("住户已自行处理", "重复报修", "住户取消，改约下周")

DAYS = 365
HISTORY = 420  # tickets over the past year; those of today are added on top
LATE_RESPONSE = 0.08
LATE_COMPLETION = 0.06
PAUSED = 0.12
CANCELLED = 0.03
SIGNED_OFF = 0.7  # closed the day after completion; the rest after seven days without feedback
NO_FEEDBACK_CLOSE = timedelta(days=7)


@dataclass(frozen=True)
class People:
    desk: Any
    engineers: list[Any]  # the demo engineer first


@dataclass
class Plan:
    """One ticket: who reported what, when, and when each later step happened (None: not yet)."""

    category: Category
    reported: datetime
    fields: dict[str, Any]
    by_portal: Any = None  # the tenant's portal admin who reported it; None: the desk took the call
    engineer: int = 0  # index into People.engineers
    dispatched: datetime | None = None
    accepted: datetime | None = None
    arrived: datetime | None = None
    paused: tuple[datetime, datetime | None, str] | None = None  # (from, resumed at, reason)
    completed: datetime | None = None
    closed: datetime | None = None
    cancelled: datetime | None = None
    materials: str = ""
    notes: dict[str, str] = field(default_factory=dict)


def ensure_categories() -> dict[str, RepairCategory]:
    """The categories as the admin sets them up (the bench uses the same)."""
    made = {}
    for c in CATEGORIES:
        made[c.name], _ = RepairCategory.objects.get_or_create(
            name=c.name,
            defaults={
                "response_minutes": c.response_minutes,
                "completion_hours": c.completion_hours,
                "working_hours_only": c.working_hours_only,
                "emergency": c.emergency,
                "paid": c.paid,
                "price_range": c.price_range,
                "dispatch": RepairCategory.Dispatch.POOL if c.pool else RepairCategory.Dispatch.ASSIGN,
            },
        )
    return made


def ensure_engineers(engineer: Any) -> list[Any]:
    """The demo engineer and three colleagues (same password as ``engineer``), so the pool is
    shared and the register shows more than one name."""
    User = get_user_model()
    group = Group.objects.get(name=Role.ENGINEERING)
    team = [engineer]
    for username, display_name in EXTRA_ENGINEERS:
        user, made = User.objects.get_or_create(
            username=username,
            defaults={
                "password": engineer.password,
                "display_name": display_name,
                "email": f"{username}@{engineer.email.partition('@')[2]}",
            },
        )
        if made:
            user.groups.add(group)
        team.append(user)
    return team


def _report_time(rng: random.Random, day: date, category: Category) -> datetime:
    """Most calls in office hours; the emergencies and a few others at any time of day."""
    if category.working_hours_only:
        while day.weekday() >= 5:
            day -= timedelta(days=1)
        return local_dt(day, rng.randint(9, 16), rng.randint(0, 59))
    if category.emergency or rng.random() < 0.15:
        return local_dt(day, rng.choice((7, 8, 12, 18, 19, 20, 21)), rng.randint(0, 59))
    return local_dt(day, rng.randint(8, 17), rng.randint(0, 59))


def _where(rng: random.Random, premises: Premises, occupying: list[int], admins: list[Any]) -> tuple[dict, Any]:
    """A company's unit (its contact calls, or its portal admin reports) or a public area."""
    if rng.random() < 0.18:
        name, phone = rng.choice(PUBLIC_REPORTERS)
        return {"place": rng.choice(PUBLIC_PLACES), "reporter_name": name, "phone": phone}, None
    index = rng.choice(occupying)
    stay = next(s for s in premises.stays if s.tenant == index and s.end is None)
    contact = rng.choice(premises.contacts.get(index) or [None])
    fields = {
        "tenant": premises.tenants[index],
        "unit": premises.units[stay.unit],
        "reporter_name": contact.name if contact else "前台",
        "phone": (contact.phone if contact else "") or "0771-5560000",
    }
    by_portal = admins[index] if index < len(admins) and rng.random() < 0.4 else None
    return fields, by_portal


def plan_history(rng: random.Random, premises: Premises, admins: list[Any], today: date, engineers: int) -> list[Plan]:
    """A year of finished tickets (closed or cancelled; the last week's completed ones may still
    wait for the tenant), oldest first."""
    occupying = sorted({s.tenant for s in premises.stays if s.end is None and s.since <= today - timedelta(days=DAYS)})
    occupying = occupying or sorted({s.tenant for s in premises.stays if s.end is None})
    weights = [c.weight for c in CATEGORIES]
    now = timezone.now()
    plans = []
    for n in range(HISTORY):
        day = today - timedelta(days=DAYS - (n * DAYS) // HISTORY)
        category = rng.choices(CATEGORIES, weights)[0]
        reported = _report_time(rng, day, category)
        where, by_portal = _where(rng, premises, occupying, admins)
        plan = Plan(
            category,
            reported,
            {
                **where,
                "description": rng.choice(category.faults),
                "preferred_time": "" if category.emergency else rng.choice(PREFERRED),
                "urgency": "urgent" if not category.emergency and rng.random() < 0.1 else "normal",
            },
            by_portal=by_portal,
            engineer=rng.randrange(engineers),
        )
        _timeline(rng, plan, now)
        plans.append(plan)
    return plans


def _timeline(rng: random.Random, plan: Plan, now: datetime) -> None:
    """The later steps of a finished ticket: response mostly in time (``LATE_RESPONSE`` late),
    completion likewise, some paused for parts or the tenant, a few cancelled before anyone came."""
    category = plan.category
    response = category.response_minutes
    t = plan.reported
    if rng.random() < CANCELLED and not category.emergency:
        plan.cancelled = t + timedelta(minutes=rng.randint(5, 90))
        if rng.random() < 0.5 and not category.pool:
            plan.dispatched = t + timedelta(minutes=rng.randint(1, 4))
        plan.notes["cancel"] = rng.choice(CANCEL_REASONS)
        return
    plan.dispatched = t + timedelta(minutes=rng.randint(1, 3) if category.emergency else rng.randint(2, 8))
    plan.accepted = plan.dispatched + timedelta(minutes=rng.randint(0, 2) if category.emergency else rng.randint(1, 5))
    late = rng.random() < LATE_RESPONSE
    # Arrival counted from the report; a working-hours category's time is in office hours and
    # the report too, so elapsed minutes within the day are working minutes.
    arrival = response * (rng.uniform(1.1, 2.2) if late else rng.uniform(0.45, 0.9))
    plan.arrived = max(t + timedelta(minutes=arrival), plan.accepted + timedelta(minutes=1))
    work = timedelta(minutes=rng.randint(15, 150))
    if rng.random() < PAUSED and not category.emergency:
        paused = plan.arrived + timedelta(minutes=rng.randint(10, 30))
        reason = rng.choice(("parts", "parts", "tenant"))
        resumed = paused + timedelta(hours=rng.randint(18, 52))
        plan.paused = (paused, resumed, reason)
        plan.notes["pause"] = "等待配件到货" if reason == "parts" else "住户要求改到明天再修"
        start_again = resumed
    else:
        start_again = plan.arrived
    completion = timedelta(hours=category.completion_hours)
    if rng.random() < LATE_COMPLETION:
        done = t + completion * rng.uniform(1.1, 1.6)
        if plan.paused:
            done += plan.paused[1] - plan.paused[0]
    else:
        done = start_again + work
    plan.completed = max(done, start_again + timedelta(minutes=10))
    plan.materials = rng.choice(category.materials) if category.materials else ""
    close = timedelta(hours=rng.randint(2, 30)) if rng.random() < SIGNED_OFF else NO_FEEDBACK_CLOSE
    if plan.completed + close < now:
        plan.closed = plan.completed + close


# Open today: (state, minutes ago reported, category name, engineer index or None).
TODAY = (
    ("reported", 12, "水电维修", None),
    ("reported", 25, "门锁", None),
    ("reported", 6, "网络/弱电", None),
    ("pooled", 8, "空调", None),
    ("pooled", 20, "照明", None),
    ("pooled", 95, "空调", None),  # past its response time: overdue in the register
    ("pooled", 40, "照明", None),
    ("dispatched", 15, "水电维修", 0),
    ("dispatched", 70, "门锁", 0),  # past its response time
    ("dispatched", 10, "室内水管维修", 0),
    ("accepted", 22, "水电维修", 0),
    ("accepted", 35, "空调", 1),
    ("on_site", 50, "照明", 0),
    ("on_site", 140, "网络/弱电", 0),
    ("on_site", 45, "水电维修", 2),
    ("paused", 60 * 26, "空调", 0),  # waiting for parts since yesterday
    ("paused", 60 * 5, "室内水管维修", 0),  # the tenant asked to come back later
    # Done, waiting for the tenant's sign-off (the feedback part closes or reopens them).
    ("completed", 60 * 3, "水电维修", 0),
    ("completed", 60 * 22, "照明", 1),
    ("completed", 60 * 30, "室内水管维修", 0),
)


def plan_today(rng: random.Random, premises: Premises, admins: list[Any], today: date) -> list[Plan]:
    """Tickets reported today and yesterday in every open state, and three done and waiting
    for the tenant's sign-off."""
    occupying = sorted({s.tenant for s in premises.stays if s.end is None})
    by_name = {c.name: c for c in CATEGORIES}
    now = timezone.now()
    plans = []
    for state, ago, name, engineer in TODAY:
        category = by_name[name]
        reported = now - timedelta(minutes=ago)
        where, by_portal = _where(rng, premises, occupying, admins)
        plan = Plan(
            category,
            reported,
            {
                **where,
                "description": rng.choice(category.faults),
                "preferred_time": rng.choice(PREFERRED),
                "urgency": "normal",
            },
            by_portal=by_portal,
            engineer=engineer or 0,
        )
        step = (now - reported) / 6
        if state != "reported" and state != "pooled":
            plan.dispatched = reported + min(step, timedelta(minutes=5))
        if state == "pooled":
            plan.dispatched = None
        if state in ("accepted", "on_site", "paused", "completed"):
            plan.accepted = reported + min(2 * step, timedelta(minutes=8))
        if state in ("on_site", "paused", "completed"):
            plan.arrived = reported + min(3 * step, timedelta(minutes=category.response_minutes * 0.8))
        if state == "completed":
            plan.completed = plan.arrived + min(2 * step, timedelta(hours=2))
            plan.materials = category.materials[0] if category.materials else ""
        if state == "paused":
            reason = "parts" if ago > 60 * 24 else "tenant"
            plan.paused = (reported + 4 * step, None, reason)
            plan.notes["pause"] = "等待压缩机电容到货" if reason == "parts" else "住户开会，约下午 4 点后再来"
        plans.append(plan)
    return plans


def through_services(
    rng: random.Random, premises: Premises, people: People, admins: list[Any], today: date
) -> list[RepairTicket]:
    """A year of tickets, then today's open ones, each step at the time it happened."""
    ensure_categories()
    categories = {c.name: c for c in RepairCategory.objects.all()}
    plans = plan_history(rng, premises, admins, today, len(people.engineers))
    plans += plan_today(rng, premises, admins, today)
    return [_walk(plan, categories[plan.category.name], people) for plan in plans]


def _walk(plan: Plan, category: RepairCategory, people: People) -> RepairTicket:
    """Each step of ``plan`` that has happened by now (a ticket of the last days whose
    completion is still ahead stays open)."""
    engineer = people.engineers[plan.engineer]
    now = timezone.now()
    for step in ("dispatched", "accepted", "arrived", "completed", "closed", "cancelled"):
        if getattr(plan, step) and getattr(plan, step) > now:
            setattr(plan, step, None)
    if plan.paused and plan.paused[1] and plan.paused[1] > now:
        plan.paused, plan.completed, plan.closed = (plan.paused[0], None, plan.paused[2]), None, None
    if plan.paused and plan.paused[0] > now:
        plan.paused = None
    if plan.arrived is None:
        plan.paused = plan.completed = plan.closed = None
    # A pool category's report moves the ticket to the pool as its reporter, a move only the
    # desk may make (``services.report``): the desk takes those calls.
    by = plan.by_portal if plan.by_portal and not plan.category.pool else people.desk
    with clock.at(plan.reported):
        ticket = services.report(by=by, category=category, **plan.fields)
    if plan.dispatched and ticket.status == RepairTicket.Status.REPORTED:
        with clock.at(plan.dispatched):
            services.assign(ticket, engineer=engineer, by=people.desk)
    if plan.cancelled:
        with clock.at(plan.cancelled):
            return services.cancel(ticket, by=people.desk, reason=plan.notes["cancel"])
    if plan.accepted:
        with clock.at(plan.accepted):
            if ticket.status == RepairTicket.Status.POOLED:
                services.take(ticket, by=engineer)
            else:
                services.accept(ticket, by=engineer)
        quote_before_work(ticket, plan, people)
    if plan.arrived:
        with clock.at(plan.arrived):
            services.arrive(ticket, by=engineer)
    if plan.paused:
        paused, resumed, reason = plan.paused
        with clock.at(paused):
            services.pause(ticket, by=engineer, reason=reason, note=plan.notes.get("pause", ""))
        if resumed:
            with clock.at(resumed):
                services.resume(ticket, by=engineer)
    if plan.completed:
        with clock.at(plan.completed):
            services.complete(ticket, by=engineer, materials=plan.materials)
        after_completion(ticket, plan, people)
    return ticket


def quote_before_work(ticket: RepairTicket, plan: Plan, people: People) -> None:
    """Called once the engineer has accepted, before arrival, for every ticket (``ticket.category.paid``
    tells the paid ones). The paid-services part writes the quote here (labour and materials
    from the price list, accepted by the tenant before ``plan.arrived``); until then nothing is
    quoted and paid tickets run like free ones."""


def after_completion(ticket: RepairTicket, plan: Plan, people: People) -> None:
    """Called once a ticket is completed. ``plan.closed`` says when it closed (None: still
    waiting for the tenant today): the day after completion for a signed-off ticket, seven days
    after it for one without feedback. Here the desk closes it then; the feedback part replaces
    the close by the tenant's sign-off and rating (and the automatic close), and the return
    visits follow from there."""
    if plan.closed:
        with clock.at(plan.closed):
            services.close(ticket, by=people.desk)
