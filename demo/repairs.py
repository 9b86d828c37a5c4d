"""Repair tickets 报修 of the demo: a year of them with the timings of a real tower, walked
through ``repairs.services`` by the demo users at the time of each step.

The categories are the admin's set-up (water and power, air conditioning, locks, lighting, the
lift emergency, network; three paid ones with their price ranges; two taken from the pool). Most
tickets were answered and finished in time, some late; cancelled ones were repaired by the tenant
or reported twice.

Paid repairs (``PAID_JOBS``) are quoted from the demo price list once the engineer is on site
(labour × quantity, often materials), the work waiting for the tenant's answer: the company's
portal admin accepts it, or the desk for a phone call; a few are declined and end cancelled.
Completion bills the quote; the desk takes payment for some of those bills later.

After completion the tenant signs off (portal, mostly the next day, or at the desk) with ratings
mostly 4–5; a few are not satisfied and the ticket is reopened, done again and signed off.
Public areas are closed by the desk; the rest close automatically seven days after completion
(``services.auto_close_due`` as the hourly task would have run it). Closures schedule return
visits (paid, unsatisfied, a ≥30 % sample); the desk recorded those due in the past (a few
不满意 reopened the ticket, which was done again), two overdue ones are still on its worklist.

Today the desk has a few tickets waiting to be assigned, the pool has some (one past its
response time), the demo engineer (``engineer``) has open tickets in every stage, tenant A's
admin (``tenant_a``) has a quote to answer, and a few completed tickets wait for sign-off.

``bench/repairs.py`` seeds its 200,000 tickets on the same categories (``CATEGORIES``).
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from billing import services as billing
from billing.models import Bill, FeeItem
from billing.paid import MaterialLine, PaidItem
from jinyuan.accounts.roles import Role
from jinyuan.followups.models import FollowUp
from jinyuan.followups.services import followup_record
from repairs import quotes, services
from repairs.models import RepairCategory, RepairQuote, RepairRating, RepairTicket
from tenants.models import Membership

from . import clock
from .bills import read_bill_notices, reference
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

DECLINE_REASONS = ("价格超出预算，公司自行找人维修", "暂不更换，下季度统一安排", "公司采购流程未走完，先不修")
UNSATISFIED = ("修完第二天又出现同样的问题", "问题没有彻底解决，还是老样子", "维修后仍有异响，请再来看看")
VISIT_UNSATISFIED = ("住户反映维修后问题又出现了", "住户说上次只是临时处理，要求彻底修好")
PRAISE = ("", "", "", "", "师傅很专业，谢谢！", "响应很快", "处理及时，态度好")
SO_SO = ("师傅来得有点晚", "修好了，但现场没有清理干净", "等配件等得有点久")

DAYS = 365
HISTORY = 420  # tickets over the past year; those of today are added on top
LATE_RESPONSE = 0.08
LATE_COMPLETION = 0.06
PAUSED = 0.12
CANCELLED = 0.03
DECLINED = 0.08  # paid repairs whose quote the tenant declines
SIGNED_OFF = 0.72  # of the tenants' tickets; the rest close after seven days without feedback
DESK_CLOSES = 0.6  # of the public areas' tickets (nobody to rate them); the rest close likewise
PORTAL_SIGN_OFF = 0.8  # of the sign-offs of companies with a portal admin; the others at the desk
PAID_ON_ACCOUNT = 0.35  # repair bills the tenant has paid at the desk since
NO_FEEDBACK_CLOSE = timedelta(days=services.FEEDBACK_DAYS)
# A reopening (not satisfied at sign-off or on the return visit) needs this long behind it for
# the work to be done again and signed off before today.
REOPEN_BEFORE = timedelta(days=21)
VISIT_DISSATISFIED = 0.05  # of the return visits to companies: 不满意, the ticket reopens
OVERDUE_VISITS = 2  # return visits of the last days the desk has not made yet (its worklist)
OVERDUE_WITHIN = 10  # days: older ones were all made


@dataclass(frozen=True)
class Job:
    """A paid category's job for one of its faults: how many of the price-list item (lamps,
    locks, visits), and the material used if the property supplies it (quantity 0: one per
    item)."""

    quantities: tuple[int, ...]
    material: tuple[str, int, str, str]  # description, quantity, unit, unit price


@dataclass(frozen=True)
class PaidJobs:
    item: str  # the price-list item (demo.price_list.RANGED)
    labour: tuple[str | None, ...]  # unit prices within the item's range; None: the listed price
    jobs: tuple[Job, ...]  # one per fault of the category, in the same order
    materials: float  # share of the quotes with materials (the tenant may bring its own)


PAID_JOBS = {
    "室内水管维修": PaidJobs(
        "repair_plumbing",
        ("60.00", "80.00", "80.00", "120.00", "150.00"),
        (
            Job((1, 1, 2), ("PPR 管件", 3, "个", "6.50")),
            Job((1,), ("角阀", 1, "个", "35.00")),
            Job((1,), ("不锈钢编织软管", 2, "根", "18.00")),
        ),
        0.7,
    ),
    "灯具更换": PaidJobs(
        "repair_lighting",
        ("30.00", "30.00", "40.00", "50.00"),
        (
            Job((4, 6, 8, 12), ("LED 平板灯 600×600", 0, "个", "95.00")),
            Job((3, 4, 6), ("LED 射灯 7W", 0, "个", "28.00")),
            Job((1, 2), ("LED 灯带", 5, "米", "22.00")),
        ),
        0.6,
    ),
    "门锁更换": PaidJobs(
        "lock_change",
        (None,),
        (
            Job((1, 1, 2), ("锁芯", 0, "个", "85.00")),
            Job((1,), ("防盗执手锁", 0, "把", "260.00")),
            Job((1,), ("锁芯", 0, "个", "85.00")),
        ),
        0.6,
    ),
}


@dataclass(frozen=True)
class People:
    desk: Any
    engineers: list[Any]  # the demo engineer first


@dataclass
class QuotePlan:
    """A paid repair's quote: lines from the price list, proposed on site, answered by
    ``via`` (None: not yet)."""

    item: str
    quantity: Decimal
    unit_price: Decimal | None
    materials: list[MaterialLine]
    proposed: datetime
    decided: datetime | None
    via: str
    accepted: bool = True
    reason: str = ""


@dataclass
class Feedback:
    """How a completion ends: ``portal`` / ``desk`` sign-off with ratings, ``close`` by the
    desk, ``auto`` when nobody answered in seven days."""

    how: str
    at: datetime
    scores: tuple[int, int, int] = (5, 5, 5)
    satisfied: bool = True
    comment: str = ""


@dataclass
class Redo:
    """The work done again after the tenant was not satisfied."""

    accepted: datetime
    arrived: datetime
    completed: datetime


@dataclass(frozen=True)
class VisitRoll:
    """What the return visit will find, if the closure gets one (the service decides)."""

    result: str
    channel: str
    hour: int
    minute: int
    comment: str = ""


@dataclass
class Plan:
    """One ticket: who reported what, when, and when each later step happened (None: not yet)."""

    category: Category
    reported: datetime
    fields: dict[str, Any]
    by_portal: Any = None  # the tenant's portal admin who reported it; None: the desk took the call
    admin: Any = None  # the tenant's portal admin, if it has one (signs off in the portal)
    engineer: int = 0  # index into People.engineers
    dispatched: datetime | None = None
    accepted: datetime | None = None
    arrived: datetime | None = None
    quote: QuotePlan | None = None
    paused: tuple[datetime, datetime | None, str] | None = None  # (from, resumed at, reason)
    completed: datetime | None = None
    cancelled: datetime | None = None
    materials: str = ""
    # The first completion's feedback, then (not satisfied) the work again and its feedback.
    feedback: list[Feedback] = field(default_factory=list)
    redo: Redo | None = None
    payment: tuple[datetime, str, str] | None = None  # (when, method, reference) of the repair's bill
    visits: tuple[VisitRoll, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)


@dataclass
class Walk:
    """What the walk of every ticket shares: who acts, now, and the overdue visits left."""

    people: People
    today: date
    now: datetime
    overdue_left: int = OVERDUE_VISITS


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


def _where(
    rng: random.Random,
    premises: Premises,
    occupying: list[int],
    admins: list[Any],
    category: Category,
    index: int | None = None,
) -> tuple[dict, Any, Any]:
    """A company's unit (its contact calls, or its portal admin reports) or a public area
    (never for a paid category: a public area has nobody to bill). Returns the ticket's fields,
    the portal admin who reported it (None: a phone call) and the company's portal admin."""
    if index is None and not category.paid and rng.random() < 0.18:
        name, phone = rng.choice(PUBLIC_REPORTERS)
        return {"place": rng.choice(PUBLIC_PLACES), "reporter_name": name, "phone": phone}, None, None
    if index is None:
        index = rng.choice(occupying)
    stay = next(s for s in premises.stays if s.tenant == index and s.end is None)
    contact = rng.choice(premises.contacts.get(index) or [None])
    fields = {
        "tenant": premises.tenants[index],
        "unit": premises.units[stay.unit],
        "reporter_name": contact.name if contact else "前台",
        "phone": (contact.phone if contact else "") or "0771-5560000",
    }
    admin = admins[index] if index < len(admins) else None
    by_portal = admin if admin and rng.random() < 0.4 else None
    return fields, by_portal, admin


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
        where, by_portal, admin = _where(rng, premises, occupying, admins, category)
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
            admin=admin,
            engineer=rng.randrange(engineers),
        )
        _timeline(rng, plan, now)
        plans.append(plan)
    return plans


def _timeline(rng: random.Random, plan: Plan, now: datetime) -> None:
    """The later steps of a finished ticket: response mostly in time (``LATE_RESPONSE`` late),
    a paid one's quote on site, completion mostly in time too, some paused for parts or the
    tenant, a few cancelled before anyone came or because the tenant declined the quote; then
    the tenant's feedback and what the return visit will find."""
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
    start = plan.arrived
    if category.paid and plan.fields.get("tenant"):
        plan.quote = _plan_quote(rng, plan, plan.arrived + timedelta(minutes=rng.randint(5, 20)))
        if not plan.quote.accepted:
            return
        start = plan.quote.decided
    work = timedelta(minutes=rng.randint(15, 150))
    if rng.random() < PAUSED and not category.emergency:
        paused = start + timedelta(minutes=rng.randint(10, 30))
        reason = rng.choice(("parts", "parts", "tenant"))
        resumed = paused + timedelta(hours=rng.randint(18, 52))
        plan.paused = (paused, resumed, reason)
        plan.notes["pause"] = "等待配件到货" if reason == "parts" else "住户要求改到明天再修"
        start_again = resumed
    else:
        start_again = start
    completion = timedelta(hours=category.completion_hours)
    if rng.random() < LATE_COMPLETION:
        done = t + completion * rng.uniform(1.1, 1.6)
        if plan.paused:
            done += plan.paused[1] - plan.paused[0]
    else:
        done = start_again + work
    plan.completed = max(done, start_again + timedelta(minutes=10))
    if not plan.quote:
        plan.materials = rng.choice(category.materials) if category.materials else ""
    _plan_feedback(rng, plan, now)
    if plan.quote and rng.random() < PAID_ON_ACCOUNT:
        paid_at = plan.completed + timedelta(hours=rng.randint(1, 240))
        method = rng.choice(("wechat", "wechat", "alipay", "cash", "card"))
        plan.payment = (paid_at, method, reference(rng, method, timezone.localdate(paid_at)))
    plan.visits = (_visit_roll(rng, plan.fields.get("tenant") is not None), _visit_roll(rng, False))


def _plan_quote(rng: random.Random, plan: Plan, proposed: datetime) -> QuotePlan:
    """The price-list item of the category × a quantity the fault needs, at a labour price in
    the item's range, with the fault's material when the property supplies it; the company's
    portal admin answers if it reported in the portal, else the desk on the phone."""
    paid = PAID_JOBS[plan.category.name]
    job = paid.jobs[plan.category.faults.index(plan.fields["description"])]
    quantity = rng.choice(job.quantities)
    materials = []
    if rng.random() < paid.materials:
        description, count, unit, price = job.material
        count = count or quantity
        materials = [MaterialLine(description, Decimal(count), Decimal(price))]
        plan.materials = f"{description} {count} {unit}"
    labour = rng.choice(paid.labour)
    # The quote's notice reaches the company's portal: its admin mostly answers there, also
    # for a call; a company without one answers the desk on the phone.
    portal = plan.by_portal or (plan.admin and rng.random() < 0.6)
    via = RepairQuote.Via.PORTAL if portal else RepairQuote.Via.DESK
    wait = timedelta(minutes=rng.randint(15, 300) if via == RepairQuote.Via.PORTAL else rng.randint(5, 40))
    quote = QuotePlan(
        paid.item,
        Decimal(quantity),
        Decimal(labour) if labour else None,
        materials,
        proposed,
        proposed + wait,
        via,
    )
    if rng.random() < DECLINED:
        quote.accepted = False
        quote.reason = rng.choice(DECLINE_REASONS)
    return quote


def _scores(rng: random.Random, overall: int) -> tuple[int, int, int]:
    def near() -> int:
        return max(1, min(5, overall + rng.choice((0, 0, 0, -1, 1))))

    return overall, near(), near()


def _plan_feedback(rng: random.Random, plan: Plan, now: datetime) -> None:
    """Sign-off with ratings (portal mostly the next day, or at the desk), the desk's close of
    a public area's ticket, or the automatic close seven days on. A few not satisfied: the
    work again, then a sign-off."""
    done = plan.completed
    if plan.fields.get("tenant") is None:
        if rng.random() < DESK_CLOSES:
            plan.feedback = [Feedback("close", done + timedelta(hours=rng.randint(2, 30)))]
        else:
            plan.feedback = [Feedback("auto", _auto_close_at(done))]
        return
    if rng.random() >= SIGNED_OFF:
        plan.feedback = [Feedback("auto", _auto_close_at(done))]
        return
    how = "portal" if plan.admin and rng.random() < PORTAL_SIGN_OFF else "desk"
    at = done + timedelta(hours=rng.randint(16, 30) if how == "portal" else rng.randint(1, 26))
    r = rng.random()
    if r < 0.62:
        plan.feedback = [Feedback(how, at, _scores(rng, 5), comment=rng.choice(PRAISE))]
    elif r < 0.88:
        plan.feedback = [Feedback(how, at, _scores(rng, 4), comment=rng.choice(PRAISE))]
    elif r < 0.96 or done > now - REOPEN_BEFORE:
        plan.feedback = [Feedback(how, at, _scores(rng, 3), comment=rng.choice(SO_SO))]
    else:
        low = rng.choice((1, 2))
        first = Feedback(how, at, (low, rng.randint(1, 3), rng.randint(1, 3)), False, rng.choice(UNSATISFIED))
        accepted = at + timedelta(minutes=rng.randint(20, 90))
        arrived = accepted + timedelta(minutes=rng.randint(20, 60))
        plan.redo = Redo(accepted, arrived, arrived + timedelta(minutes=rng.randint(30, 150)))
        again = Feedback(how, plan.redo.completed + timedelta(hours=rng.randint(16, 28)), _scores(rng, 4))
        plan.feedback = [first, again]


def _auto_close_at(completed: datetime) -> datetime:
    """When the hourly task found the ticket seven days after completion."""
    due = completed + NO_FEEDBACK_CLOSE
    run = due.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1, minutes=2)
    # Seeded within the hour after the seven days: that run is now (it would not wait for the next).
    return min(run, max(due, timezone.now() - timedelta(seconds=1)))


def _visit_roll(rng: random.Random, may_complain: bool) -> VisitRoll:
    r = rng.random()
    channel = rng.choices((FollowUp.Channel.PHONE, FollowUp.Channel.SMS, FollowUp.Channel.IN_PERSON), (17, 2, 1))[0]
    hour, minute = rng.randint(9, 16), rng.randint(0, 59)
    if may_complain and r < VISIT_DISSATISFIED:
        return VisitRoll(FollowUp.Result.DISSATISFIED, channel, hour, minute, rng.choice(VISIT_UNSATISFIED))
    if r < 0.3:
        return VisitRoll(FollowUp.Result.FAIRLY_SATISFIED, channel, hour, minute, rng.choice(SO_SO))
    return VisitRoll(FollowUp.Result.SATISFIED, channel, hour, minute)


# Open today: (state, minutes ago reported, category name, engineer index or None).
# "quoted": on site, the quote waits for demo tenant A's admin (``tenant_a``) in the portal.
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
    ("on_site", 80, "灯具更换", 1),  # the quote accepted, at work
    ("quoted", 90, "室内水管维修", 0),
    ("paused", 60 * 26, "空调", 0),  # waiting for parts since yesterday
    ("paused", 60 * 5, "门锁", 0),  # the tenant asked to come back later
    # Done, waiting for the tenant's sign-off.
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
        # Demo tenant A reports in the portal, so its admin answers the quote there.
        # (At the large scale the first company may have moved out: then the first occupant.)
        index = (0 if 0 in occupying else occupying[0]) if state == "quoted" else None
        where, by_portal, admin = _where(rng, premises, occupying, admins, category, index)
        if state == "quoted":
            by_portal = admin
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
            admin=admin,
            engineer=engineer or 0,
        )
        step = (now - reported) / 6
        if state != "reported" and state != "pooled":
            plan.dispatched = reported + min(step, timedelta(minutes=5))
        if state == "pooled":
            plan.dispatched = None
        if state in ("accepted", "on_site", "quoted", "paused", "completed"):
            plan.accepted = reported + min(2 * step, timedelta(minutes=8))
        if state in ("on_site", "quoted", "paused", "completed"):
            plan.arrived = reported + min(3 * step, timedelta(minutes=category.response_minutes * 0.8))
        start = plan.arrived
        if plan.arrived and category.paid:
            plan.quote = _plan_quote(rng, plan, plan.arrived + timedelta(minutes=5))
            plan.quote.accepted, plan.quote.decided = True, plan.quote.proposed + timedelta(minutes=10)
            if state == "quoted":
                plan.quote.decided = None
            start = plan.quote.decided
        if state == "completed":
            plan.completed = max(plan.arrived + min(2 * step, timedelta(hours=2)), start + timedelta(minutes=30))
            if not plan.quote:
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
    # A company that moved out today has no portal any more: its calls went to the desk.
    members = set(Membership.objects.filter(is_active=True, tenant__is_active=True).values_list("user_id", flat=True))
    admins = [admin if admin is not None and admin.pk in members else None for admin in admins]
    plans = plan_history(rng, premises, admins, today, len(people.engineers))
    plans += plan_today(rng, premises, admins, today)
    walk = Walk(people, today, timezone.now())
    items = {item.code: item for item in FeeItem.objects.filter(code__in=[p.item for p in PAID_JOBS.values()])}
    return [_walk(plan, categories[plan.category.name], walk, items) for plan in plans]


def _drop_future(plan: Plan, now: datetime) -> None:
    """Forget the steps of ``plan`` still ahead of now (a ticket of the last days stays open)."""
    for step in ("dispatched", "accepted", "arrived", "completed", "cancelled"):
        if getattr(plan, step) and getattr(plan, step) > now:
            setattr(plan, step, None)
    quote = plan.quote
    if quote and (plan.arrived is None or quote.proposed > now):
        plan.quote = quote = None
        plan.paused = plan.completed = None
    if quote and quote.decided and quote.decided > now:
        quote.decided = None
    if quote and quote.decided is None:
        plan.paused = plan.completed = None
    if plan.paused and plan.paused[1] and plan.paused[1] > now:
        plan.paused, plan.completed = (plan.paused[0], None, plan.paused[2]), None
    if plan.paused and plan.paused[0] > now:
        plan.paused = None
    if plan.arrived is None:
        plan.paused = plan.completed = None
    if plan.completed is None:
        plan.feedback, plan.redo, plan.payment = [], None, None
    if plan.payment and plan.payment[0] > now:
        plan.payment = None
    if plan.redo and plan.redo.completed > now:
        plan.feedback, plan.redo = plan.feedback[:1], None  # reopened: the engineer has it today
    plan.feedback = [f for f in plan.feedback if f.at <= now]


def _walk(plan: Plan, category: RepairCategory, walk: Walk, items: dict[str, FeeItem]) -> RepairTicket:
    """Each step of ``plan`` that has happened by now."""
    people = walk.people
    engineer = people.engineers[plan.engineer]
    _drop_future(plan, walk.now)
    # A pool category's report moves the ticket to the pool as its reporter, a move only the
    # desk may make (``services.report``): the desk takes those calls.
    by = plan.by_portal if plan.by_portal and not plan.category.pool else people.desk
    with clock.at(plan.reported):
        ticket = services.report(by=by, category=category, **plan.fields)
    if plan.dispatched and ticket.status == RepairTicket.Status.REPORTED:
        with clock.at(plan.dispatched):
            services.assign(ticket, engineer=engineer, by=people.desk)
    if plan.cancelled and not plan.quote:
        with clock.at(plan.cancelled):
            return services.cancel(ticket, by=people.desk, reason=plan.notes["cancel"])
    if plan.accepted:
        with clock.at(plan.accepted):
            if ticket.status == RepairTicket.Status.POOLED:
                services.take(ticket, by=engineer)
            else:
                services.accept(ticket, by=engineer)
    if plan.arrived:
        with clock.at(plan.arrived):
            services.arrive(ticket, by=engineer)
    if plan.quote and not quote_on_site(ticket, plan, engineer, people.desk, items):
        return ticket
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
        after_completion(ticket, plan, walk)
    return ticket


def quote_on_site(ticket: RepairTicket, plan: Plan, engineer: Any, desk: Any, items: dict[str, FeeItem]) -> bool:
    """The engineer on site proposes the quote (the work waits for the tenant), and the
    company's admin answers in the portal or the desk for the caller. False: the work does not
    go on (declined: the ticket is cancelled; or the answer is still awaited)."""
    quote = plan.quote
    item = PaidItem(items[quote.item], quote.quantity, quote.unit_price)
    with clock.at(quote.proposed):
        quotes.quote_propose(ticket=ticket, items=[item], materials=quote.materials, by=engineer)
    if quote.decided is None:
        return False
    answerer = plan.admin if quote.via == RepairQuote.Via.PORTAL else desk
    with clock.at(quote.decided):
        if quote.accepted:
            quotes.quote_accept(ticket=ticket, by=answerer, via=quote.via)
        else:
            quotes.quote_decline(ticket=ticket, by=answerer, via=quote.via, reason=quote.reason)
    ticket.refresh_from_db(fields=["status", "pause_reason"])
    return quote.accepted


def after_completion(ticket: RepairTicket, plan: Plan, walk: Walk) -> None:
    """After the (first) completion: the desk takes payment of a paid repair's bill; the
    tenant signs off (not satisfied: the work again and a second sign-off), the desk closes a
    public area's ticket, or the hourly task closes it seven days on; the return visits the
    closure scheduled are made. A step still ahead of now was dropped (``_drop_future``):
    the ticket waits there today."""
    people = walk.people
    engineer = people.engineers[plan.engineer]
    if plan.payment:
        _pay_bill(ticket, plan.payment, people.desk)
    for feedback in plan.feedback:
        _feedback(ticket, feedback, plan, people.desk)
        if not feedback.satisfied and plan.redo:
            _redo(ticket, plan.redo, engineer, plan.materials)
    if ticket.status == RepairTicket.Status.CLOSED:
        _visits(ticket, plan, walk, engineer)


def _pay_bill(ticket: RepairTicket, payment: tuple[datetime, str, str], desk: Any) -> None:
    """The tenant pays the repair's bill at the desk, as ``payment_record`` takes it."""
    at, method, ref = payment
    bill = Bill.objects.filter(pk__in=RepairQuote.objects.filter(ticket=ticket).values("bill")).first()
    if bill is None or bill.paid >= bill.total:
        return  # the tenant's credit paid it when it was issued
    with clock.at(at):
        billing.payment_record(
            tenant=bill.tenant, amount=bill.total - bill.paid, method=method, reference=ref, bills=[bill], by=desk
        )
        read_bill_notices([bill])


def _feedback(ticket: RepairTicket, feedback: Feedback, plan: Plan, desk: Any) -> None:
    with clock.at(feedback.at):
        if feedback.how == "auto":
            services.auto_close_due()  # the hourly task's run: this ticket's seven days are up
            ticket.refresh_from_db(fields=["status", "closed_at"])
        elif feedback.how == "close":
            services.close(ticket, by=desk)
        else:
            overall, speed, service = feedback.scores
            services.sign_off(
                ticket,
                by=plan.admin if feedback.how == RepairRating.Channel.PORTAL else desk,
                overall=overall,
                speed=speed,
                service=service,
                satisfied=feedback.satisfied,
                comment=feedback.comment,
                channel=feedback.how,
            )


def _redo(ticket: RepairTicket, redo: Redo, engineer: Any, materials: str) -> None:
    """The reopened ticket is back with its engineer: accepted, on site, completed again."""
    with clock.at(redo.accepted):
        services.accept(ticket, by=engineer)
    with clock.at(redo.arrived):
        services.arrive(ticket, by=engineer)
    with clock.at(redo.completed):
        services.complete(ticket, by=engineer, materials=materials)


def _visits(ticket: RepairTicket, plan: Plan, walk: Walk, engineer: Any) -> None:
    """The return visit the closure scheduled, made on its due day when that is past: the
    desk calls. Not satisfied (不满意) reopens the ticket: the engineer does it again, the
    tenant signs off and the next visit follows. The last ones of the past days are left on
    the worklist (overdue), as are those due today."""
    desk = walk.people.desk
    content_type = ContentType.objects.get_for_model(RepairTicket)
    for roll in plan.visits:
        visit = FollowUp.objects.filter(
            content_type=content_type, object_id=ticket.pk, status=FollowUp.Status.OPEN
        ).first()
        if visit is None or visit.due_on >= walk.today:
            return
        if visit.due_on >= walk.today - timedelta(days=OVERDUE_WITHIN) and walk.overdue_left:
            walk.overdue_left -= 1
            return
        at = local_dt(visit.due_on, roll.hour, roll.minute)
        result, comment = roll.result, roll.comment
        if result == FollowUp.Result.DISSATISFIED and at > walk.now - REOPEN_BEFORE:
            result, comment = FollowUp.Result.FAIRLY_SATISFIED, ""
        with clock.at(at):
            followup_record(followup=visit, result=result, channel=roll.channel, comments=comment, by=desk)
        if result != FollowUp.Result.DISSATISFIED:
            return
        # Reopened by the visit: the work again, the sign-off the next day.
        ticket.refresh_from_db()
        accepted = at + timedelta(minutes=30 + roll.minute)
        _redo(ticket, Redo(accepted, accepted + timedelta(minutes=40), accepted + timedelta(hours=2)), engineer, "")
        how = "portal" if plan.admin else "desk"
        signed = accepted + timedelta(hours=20)
        _feedback(ticket, Feedback(how, signed, _fixed_scores(roll), comment="这次修好了"), plan, desk)


def _fixed_scores(roll: VisitRoll) -> tuple[int, int, int]:
    return 4, 4 + roll.minute % 2, 4
