"""Complaints 投诉 of the demo: a year of them, walked through ``complaints.services`` by the
demo users at the time of each step, so their timelines and deadlines read as they happened.

The categories are the admin's set-up (noise, cleaning, parking, air-conditioning temperature,
service attitude, lifts, security, charges, repair quality); each says what people complain
about, suggest and ask, which department answers, and the reply the supervisor approves.

A complaint comes in by phone, at the desk, in the portal (a company's portal admin), by
e-mail or letter: from a company's contact, a visitor, or anonymously; a few are urgent. The
desk acknowledges it (mostly within the two working hours, some late), assigns it to a
department and a person, who proposes a reply; the supervisor approves it (now and then sends
it back once with a reason, or corrects the wording) and marks a complaint valid or invalid
with a reason; the desk sends the reply, mostly within the 48 (urgent 24) working hours, some
late. Some wait for the complainant on the way (the reply deadline pauses); a few are
cancelled by the desk or withdrawn in the portal. The reply to an e-mail address is e-mailed
as the worker would have done a moment later.

The return visit three working days after the reply is made when it was due before today
(mostly 满意; an anonymous complainant who left no number cannot be called: the visit is
cancelled); a few 不满意 reopen the complaint, which is answered and closed again, and a few
complainants call back after the visit and the desk reopens it. Visits due today or later stay
on the desk's worklist; none is left overdue.

Today the desk has complaints to acknowledge (one past its two working hours), to assign and
to send, the supervisor replies to approve, the departments (``engineer`` among them) open
complaints, one past its reply deadline, two wait for the complainant, and tenant A's admin
(``tenant_a``) follows its own complaint in the portal.

``bench/complaints.py`` seeds its 30,000 complaints on the same categories (``CATEGORIES``).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from complaints import services, tasks
from complaints.models import Complaint, ComplaintCategory, Department
from jinyuan.followups.models import FollowUp
from jinyuan.followups.services import followup_cancel, followup_record
from jinyuan.workflow.calendar import WorkingCalendar, load_calendar
from tenants.models import Membership

from . import clock, names
from .premises import Premises, local_dt

ENGINEERING, SECURITY, CLEANING, DESK = (
    Department.ENGINEERING,
    Department.SECURITY,
    Department.CLEANING,
    Department.DESK,
)


@dataclass(frozen=True)
class Topic:
    """What a complaint (or suggestion, inquiry) says, who answers it, and the reply."""

    content: str
    reply: str
    department: str = ENGINEERING


@dataclass(frozen=True)
class Category:
    name: str
    weight: int  # share of the complaints
    complaints: tuple[Topic, ...]
    suggestions: tuple[Topic, ...]
    inquiries: tuple[Topic, ...]


CATEGORIES = (
    Category(
        "噪音",
        14,
        (
            Topic(
                "楼上单位装修电钻声太大，上班时间严重影响办公",
                "您好，经核查为楼上单位二次装修施工。我中心已要求其将电钻、切割等噪音作业调整到工作日 18:00 以后"
                "及休息日进行，秩序部将加强巡查。给您带来不便，深表歉意。",
                SECURITY,
            ),
            Topic(
                "空调机房设备运转噪音大，会议室里都能听到",
                "您好，工程部已对空调机房风机进行检修，更换了磨损轴承并加装减振垫，噪音已明显降低。感谢您的反映。",
            ),
            Topic(
                "隔壁公司午休时间大声喧哗，多次沟通无果",
                "您好，我中心已上门与相关单位沟通，提醒其注意午休时间音量，对方表示配合。如再有类似情况请随时联系前台。",
                SECURITY,
            ),
            Topic(
                "卫生间排风扇异响，整层都能听到",
                "您好，工程部已更换该楼层卫生间排风扇电机，异响已消除。",
            ),
        ),
        (
            Topic(
                "建议把在施装修单位和允许的噪音作业时间在电梯厅公示",
                "您好，感谢您的建议。我中心已在各电梯厅公告栏公示在施装修单位及允许的噪音作业时间。",
                SECURITY,
            ),
        ),
        (
            Topic(
                "请问大厦装修噪音作业允许在什么时间进行？",
                "您好，根据大厦装修管理规定，噪音作业仅允许在工作日 18:00 至次日 08:00 及休息日进行。",
                DESK,
            ),
        ),
    ),
    Category(
        "保洁",
        14,
        (
            Topic(
                "12层男卫生间地面有积水，擦手纸也没有及时补充",
                "您好，保洁已清理积水并补充擦手纸，工程部更换了漏水的冲水阀；该卫生间已改为每小时巡查一次。",
                CLEANING,
            ),
            Topic(
                "电梯轿厢地面有饮料洒落，半天没人清理",
                "您好，保洁已对电梯轿厢进行清洁，并将高峰时段电梯巡检由每两小时一次调整为每小时一次。",
                CLEANING,
            ),
            Topic(
                "楼层垃圾桶满了没人清运，走廊有异味",
                "您好，保洁已清运垃圾并对走廊消毒除味，该楼层垃圾清运已调整为每天 10:00 和 15:00 两次。",
                CLEANING,
            ),
            Topic(
                "大堂玻璃门上全是手印，影响公司接待客户的形象",
                "您好，保洁已清洁大堂玻璃门，并增加了上午、下午各一次的擦拭。",
                CLEANING,
            ),
        ),
        (
            Topic(
                "建议卫生间增加洗手液和擦手纸的补充频次",
                "您好，感谢您的建议。卫生间耗材已改为每天补充三次，高峰时段增加巡查。",
                CLEANING,
            ),
        ),
        (
            Topic(
                "请问公司办公室内可以预约保洁服务吗？怎么收费？",
                "您好，可以预约室内保洁有偿服务，按面积计费，详情请咨询客服中心前台或查看价目表。",
                DESK,
            ),
        ),
    ),
    Category(
        "停车",
        12,
        (
            Topic(
                "地下车库B1层我公司的固定车位经常被外来车辆占用",
                "您好，秩序部已联系车主挪车，并在贵公司固定车位加装了提示牌，今后将加强车库巡查。",
                SECURITY,
            ),
            Topic(
                "车库出口排队缴费太慢，下班高峰要等二十分钟",
                "您好，下班高峰时段（17:30–18:30）出口已增派一名秩序员协助放行，并开通了微信无感支付。",
                SECURITY,
            ),
            Topic(
                "车库照明太暗，有几盏灯不亮，停车不安全",
                "您好，工程部已更换 B1 层损坏灯具 6 盏，车库照明已纳入每周巡检。",
            ),
        ),
        (
            Topic(
                "建议车库增设新能源汽车充电桩",
                "您好，感谢您的建议。加装充电桩已纳入明年的改造计划，正在报供电部门审批。",
            ),
        ),
        (
            Topic(
                "请问月租车位还有空位吗？办理需要什么材料？",
                "您好，目前 B2 层尚有少量月租车位，请携带行驶证、驾驶证及公司证明到客服中心前台办理。",
                DESK,
            ),
        ),
    ),
    Category(
        "空调温度",
        14,
        (
            Topic(
                "办公室空调温度过高，下午室内超过 28 度",
                "您好，工程部已检查该区域风机盘管，清洗过滤网并调整了供水温度，室内温度已降至 25–26 度。",
            ),
            Topic(
                "会议室空调太冷，调温面板调了没有反应",
                "您好，工程部已更换失灵的温控面板，会议室温度现可自行调节。",
            ),
            Topic(
                "周六加班空调不开，办公室闷热",
                "您好，中央空调周末默认不开放，加班使用请提前一个工作日申请；我中心已为贵公司登记本周六的加班空调。",
            ),
            Topic(
                "空调出风口有异味",
                "您好，工程部已对该区域风机盘管和风管进行清洗消毒，异味已消除。",
            ),
        ),
        (
            Topic(
                "建议夏季空调提前半小时开启，早上刚上班时太热",
                "您好，感谢您的建议。自下周一起，夏季中央空调开启时间调整为 07:30。",
            ),
        ),
        (
            Topic(
                "请问加班使用中央空调怎么申请，如何收费？",
                "您好，加班空调请提前一个工作日在前台或租户门户申请，按小时及面积收费，标准见价目表。",
                DESK,
            ),
        ),
    ),
    Category(
        "服务态度",
        10,
        (
            Topic(
                "前台工作人员接电话态度冷淡，问题没说清楚就挂了电话",
                "您好，我中心已对当班人员进行批评教育并组织服务礼仪培训，向您致以诚挚的歉意。",
                DESK,
            ),
            Topic(
                "大堂保安对来访客户态度粗鲁",
                "您好，秩序部已核实情况，对当事保安进行了批评教育和培训，今后将加强文明执勤。对贵公司客户造成的"
                "不愉快深表歉意。",
                SECURITY,
            ),
            Topic(
                "报修后维修人员迟到一个多小时，也没有提前通知",
                "您好，我中心已对相关维修人员进行了批评，并要求不能按约定时间到场时须提前电话告知。",
            ),
        ),
        (
            Topic(
                "建议前台在午休时间也保留一名值班人员",
                "您好，感谢您的建议。自本月起前台午休时间（12:00–13:30）安排一名人员轮值。",
                DESK,
            ),
        ),
        (
            Topic(
                "请问对物业服务不满意可以向哪里反映？",
                "您好，您可以通过客服中心前台、服务电话 0771-5561001、租户门户或电子邮件反映，我们将在两个工作小时内"
                "确认受理。",
                DESK,
            ),
        ),
    ),
    Category(
        "电梯",
        12,
        (
            Topic(
                "A座客梯早高峰等候时间太长，经常要等五分钟以上",
                "您好，工程部已会同电梯维保单位调整早高峰（08:00–09:00）群控模式，高区电梯分区运行，等候时间已明显缩短。",
            ),
            Topic(
                "3号客梯运行时有异响和抖动，乘坐很不放心",
                "您好，电梯维保单位已对 3 号客梯进行检修，更换了导靴并调整钢丝绳张力，经检测运行正常。",
            ),
            Topic(
                "电梯楼层按钮失灵，按了不亮",
                "您好，工程部已更换 B 座 2 号客梯损坏的楼层按钮，并检查了全部电梯按钮。",
            ),
            Topic(
                "货梯经常被装修单位长时间占用",
                "您好，我中心已重申专用货梯须提前预约使用，秩序部将对未预约占用的单位进行劝阻和登记。",
                SECURITY,
            ),
        ),
        (
            Topic(
                "建议电梯内张贴年检合格证和维保电话",
                "您好，感谢您的建议，每部电梯轿厢内已张贴年检合格证及 24 小时维保电话。",
            ),
        ),
        (
            Topic(
                "请问电梯每月什么时候停梯保养？",
                "您好，电梯每月保养一次，安排在周末上午，停梯前两天会在电梯厅张贴通知。",
            ),
        ),
    ),
    Category(
        "安保",
        9,
        (
            Topic(
                "有陌生人进入办公楼层推销，门禁形同虚设",
                "您好，秩序部已加强大堂访客登记和楼层巡查，推销人员一律劝离，并对门禁系统进行了检查。",
                SECURITY,
            ),
            Topic(
                "放在公司门口的快递包裹丢失",
                "您好，秩序部已调取走廊监控并协助报警处理；大堂已设快递暂存处，请各单位及时取回快递。",
                SECURITY,
            ),
            Topic(
                "消防通道堆放杂物，存在安全隐患",
                "您好，秩序部已通知相关单位清理消防通道杂物，并将消防通道纳入每日巡查。",
                SECURITY,
            ),
        ),
        (
            Topic(
                "建议大堂访客登记改为扫码登记，节省排队时间",
                "您好，感谢您的建议，访客扫码登记系统正在测试，预计下月上线。",
                SECURITY,
            ),
        ),
        (
            Topic(
                "请问晚上十点以后进入大厦需要办理什么手续？",
                "您好，22:00 后进入大厦请出示大厦出入证并在大堂值班台登记，访客需由单位人员陪同。",
                SECURITY,
            ),
        ),
    ),
    Category(
        "收费",
        8,
        (
            Topic(
                "本月物业费账单金额与合同约定面积不符",
                "您好，经财务部核对，本月账单面积计算有误，已更正并重新出具账单，多收部分在下月账单中抵扣。",
                DESK,
            ),
            Topic(
                "加班空调费收费标准不清楚，感觉收多了",
                "您好，已为贵公司核对加班空调使用记录和收费标准，收费无误，明细已发送至贵公司邮箱。",
                DESK,
            ),
            Topic(
                "缴费后一周还没收到收据",
                "您好，收据已补开并送达贵公司，今后缴费后收据将在三个工作日内送达，也可在租户门户下载。",
                DESK,
            ),
        ),
        (
            Topic(
                "建议物业费支持按季度缴纳",
                "您好，感谢您的建议，物业费现可按月或按季度缴纳，请与财务部联系办理。",
                DESK,
            ),
        ),
        (
            Topic(
                "请问物业费滞纳金是怎么计算的？",
                "您好，滞纳金按贵公司物业服务协议的约定计算，逾期前我中心会提前发出缴费提醒。",
                DESK,
            ),
        ),
    ),
    Category(
        "维修质量",
        7,
        (
            Topic(
                "卫生间水龙头维修后第二天又漏水",
                "您好，工程部已重新上门更换水龙头阀芯并观察 24 小时，漏水已解决。返修给您带来不便，深表歉意。",
            ),
            Topic(
                "维修后现场没有清理，地面留有灰尘和包装",
                "您好，已要求维修人员做到工完场清，并对当事人员进行了批评。",
            ),
        ),
        (
            Topic(
                "建议维修完成后由维修人员当场演示使用",
                "您好，感谢您的建议，维修人员完工后将当场与贵公司人员确认使用情况。",
            ),
        ),
        (
            Topic(
                "请问维修材料可以自己购买吗？",
                "您好，可以，自购材料须符合大厦设备规格，工程部只收取人工费。",
            ),
        ),
    ),
)

# Not what the complainant said, or not the property's to answer: marked invalid with the reason,
# still answered.
INVALID = (
    (
        "经核实，反映的情况与事实不符",
        "您好，经我中心调取监控并核实现场记录，您反映的情况与实际不符。如有新的线索，请随时与我们联系。",
    ),
    (
        "不属于物业服务范围（大厦外市政道路施工）",
        "您好，您反映的问题来自大厦外市政道路施工，不属于物业管理范围，我中心已将情况反映给青秀区城管部门。",
    ),
    ("重复投诉，同一事项已处理", "您好，您反映的问题与此前投诉为同一事项，已处理完毕，处理结果已另行答复。"),
)
VALID_REASONS = ("经核实，情况属实", "情况属实，已整改", "经现场核查属实")
SEND_BACK = (
    "回复过于笼统，请写明具体整改措施和完成时间",
    "请补充对投诉人的致歉，并说明后续跟进安排",
    "请先到现场核实情况再回复",
)
REVISED = "（已于处理当日完成整改，后续一周内由专人跟进。）"
SUPERVISOR_EDIT = " 如有疑问，请致电客服中心 0771-5561001。"
WAIT_REASONS = ("请投诉人补充具体楼层和时间段", "请投诉人提供现场照片", "投诉人出差，约定下周面谈")
CANCEL_REASONS = ("重复登记，已并入同一投诉处理", "投诉人来电表示问题已自行解决", "误将报修登记为投诉，已转报修处理")
WITHDRAW_REASONS = ("问题已经解决了，撤回投诉", "已与相关人员沟通好，不需要处理了")
SO_SO = ("处理结果基本满意，希望以后响应快一些", "问题解决了，但回复时间有点长", "基本满意")
VISIT_DISSATISFIED = ("投诉人表示问题仍未解决，情况依旧", "投诉人认为回复敷衍，没有实际整改")
CALLED_BACK = ("投诉人来电反映问题再次出现", "投诉人来电表示整改后又恢复原样")
REDO = (
    "您好，针对您反映的问题，我们已再次到现场核查并彻底处理，更换了相关设备配件。如仍有问题，请随时联系客服中心。",
    "您好，针对您反映的问题，主管已上门与您当面沟通，并安排专人连续三天跟进，问题已解决。",
)
NO_CONTACT = "匿名投诉，未留联系方式，无法回访"
VISITOR_DOMAINS = ("qq.com", "163.com", "126.com")

DAYS = 365
HISTORY = 270  # complaints over the past year (about 22 a month); today's open ones come on top
KINDS = ((Complaint.Kind.COMPLAINT, 75), (Complaint.Kind.SUGGESTION, 15), (Complaint.Kind.INQUIRY, 10))
CHANNELS = (("phone", 34), ("desk", 20), ("portal", 26), ("email", 12), ("letter", 8))
VISITOR = 0.22
ANONYMOUS = 0.09
URGENT = 0.12  # of the complaints proper
LATE_ACKNOWLEDGEMENT = 0.08
LATE_REPLY = 0.09
WAITS = 0.10
SENT_BACK = 0.12
SUPERVISOR_EDITS = 0.08
INVALID_SHARE = 0.08  # of the complaints proper
CANCELLED = 0.04  # by the desk, or withdrawn in the portal
VISIT_DISSATISFIED_SHARE = 0.06
CALLS_BACK = 0.02  # after the visit: the desk reopens
REOPEN_BEFORE = timedelta(days=21)  # a reopening needs this long behind it to close again


@dataclass(frozen=True)
class People:
    desk: Any
    supervisor: Any
    engineers: list[Any]  # the demo engineer first
    guard: Any

    def of(self, department: str) -> list[Any]:
        """Who answers for a department: cleaning is an outside contractor the desk speaks for."""
        if department == ENGINEERING:
            return self.engineers
        if department == SECURITY:
            return [self.guard]
        return [self.desk]


@dataclass
class Step:
    """One thing done to the complaint at ``at``. ``at`` None: known only on the walk: a return
    visit on its due day at ``hour``:``minute``, a call back ``days`` after the visit, or the
    answer to a reopening ``in`` working hours after the step before."""

    name: str
    at: datetime | None
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class Plan:
    recorded: datetime
    category: str
    fields: dict[str, Any]  # what ``services.record`` takes
    by_portal: Any = None  # the company's portal user who filed it; None: the desk recorded it
    steps: list[Step] = field(default_factory=list)


def working_hours_after(calendar: WorkingCalendar, start: datetime) -> Callable[[float], datetime]:
    """Moments ``hours`` of working time after ``start``, as the deadlines count them (time out
    of office hours does not count)."""
    return lambda hours: calendar.add(start, timedelta(hours=hours))


@dataclass
class Walk:
    people: People
    today: date
    now: datetime
    calendar: WorkingCalendar
    content_type: ContentType
    categories: dict[str, ComplaintCategory]


def ensure_categories() -> dict[str, ComplaintCategory]:
    """The categories as the admin sets them up (the bench uses the same)."""
    return {c.name: ComplaintCategory.objects.get_or_create(name=c.name)[0] for c in CATEGORIES}


# --- who complains, how --------------------------------------------------------------------------


def _recorded_at(rng: random.Random, day: date, channel: str, calendar: WorkingCalendar) -> datetime:
    """The portal and e-mail at any hour; the desk takes calls, visits and letters in office hours."""
    if channel in ("portal", "email"):
        return local_dt(day, rng.choice((8, 9, 10, 11, 14, 15, 16, 17, 19, 21, 22)), rng.randint(0, 59))
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return local_dt(day, rng.choice((9, 10, 11, 14, 15, 16)), rng.randint(0, 59))


def _complainant(
    rng: random.Random,
    premises: Premises,
    companies: list[int],
    admins: list[Any],
    channel: str,
    company: int | None = None,
) -> tuple[dict[str, Any], Any, str]:
    """The complainant's fields, the portal user who files it (None: the desk records it), and
    the channel (a company without a portal login calls instead)."""
    r = rng.random()
    if company is None and r < ANONYMOUS:
        fields: dict[str, Any] = {"anonymous": True}
        if channel in ("phone", "desk") or rng.random() < 0.4:
            fields["complainant_phone"] = names.mobile(rng)  # noted to call back for the visit
        if channel == "portal":
            channel = "letter" if rng.random() < 0.5 else "phone"
        return fields, None, channel
    if company is None and r < ANONYMOUS + VISITOR:
        if channel == "portal":
            channel = "phone"
        fields = {"complainant_name": names.person_name(rng), "complainant_phone": names.mobile(rng)}
        if channel == "email":
            fields["complainant_email"] = f"{rng.randrange(10**7, 10**10)}@{rng.choice(VISITOR_DOMAINS)}"
        return fields, None, channel
    if company is None and channel == "portal":
        # Those who file in the portal are the companies with a portal login.
        company = rng.choice([i for i in companies if admins[i] is not None] or companies)
    index = rng.choice(companies) if company is None else company
    tenant = premises.tenants[index]
    admin = admins[index] if index < len(admins) else None
    if channel == "portal" and admin is not None:
        # ``record`` fills the name and e-mail from the user; one in twenty ticks anonymous.
        return ({"anonymous": True} if rng.random() < 0.05 else {}), admin, channel
    if channel == "portal":
        channel = "phone"
    contact = rng.choice(premises.contacts.get(index) or [None])
    fields = {
        "tenant": tenant,
        "complainant_name": contact.name if contact else tenant.legal_representative or "前台",
        "complainant_phone": (contact.phone if contact else "") or tenant.phone or "0771-5560000",
    }
    if channel == "email":
        fields["complainant_email"] = (contact.email if contact else "") or tenant.email
    return fields, None, channel


def _topic(rng: random.Random, category: Category, kind: str) -> Topic:
    pool = {"complaint": category.complaints, "suggestion": category.suggestions, "inquiry": category.inquiries}
    return rng.choice(pool[kind])


def _reply_via(rng: random.Random, plan: Plan) -> str:
    channel = plan.fields["channel"]
    if plan.by_portal is not None:
        return "portal" if rng.random() < 0.8 else "phone"
    if channel == "email" and plan.fields.get("complainant_email"):
        return "email"
    if channel == "letter" and not plan.fields.get("complainant_phone"):
        return "letter"
    if channel == "desk" and rng.random() < 0.4:
        return "in_person"
    return "phone"


# --- the history ---------------------------------------------------------------------------------


def plan_history(
    rng: random.Random, premises: Premises, admins: list[Any], people: People, today: date, calendar: WorkingCalendar
) -> list[Plan]:
    """A year of complaints, oldest first, each with its later steps (those still ahead of now
    are not walked: the last days' complaints are open)."""
    occupying = sorted({s.tenant for s in premises.stays if s.end is None and s.since <= today - timedelta(days=DAYS)})
    occupying = occupying or sorted({s.tenant for s in premises.stays if s.end is None})
    weights = [c.weight for c in CATEGORIES]
    kinds, kind_weights = zip(*KINDS, strict=True)
    channels, channel_weights = zip(*CHANNELS, strict=True)
    now = timezone.now()
    plans = []
    for n in range(HISTORY):
        day = today - timedelta(days=DAYS - (n * DAYS) // HISTORY)
        category = rng.choices(CATEGORIES, weights)[0]
        kind = rng.choices(kinds, kind_weights)[0]
        # Tenant A's admin filed one of the first in the portal: it follows it there.
        company = (0 if 0 in occupying else occupying[0]) if n == 3 else None
        channel = "portal" if company is not None else rng.choices(channels, channel_weights)[0]
        fields, by_portal, channel = _complainant(rng, premises, occupying, admins, channel, company)
        topic = _topic(rng, category, kind)
        urgent = kind == Complaint.Kind.COMPLAINT and rng.random() < URGENT
        plan = Plan(
            _recorded_at(rng, day, channel, calendar),
            category.name,
            {**fields, "channel": channel, "kind": kind, "content": topic.content, "urgent": urgent},
            by_portal=by_portal,
        )
        _timeline(rng, plan, topic, people, calendar, now)
        plans.append(plan)
    return plans


def _timeline(
    rng: random.Random, plan: Plan, topic: Topic, people: People, calendar: WorkingCalendar, now: datetime
) -> None:
    """The steps after the record, in working hours from it: acknowledged (a few late),
    assigned, perhaps waiting for the complainant, a reply proposed (perhaps sent back once),
    approved with the validity marked, sent (a few late); the return visit, and what follows a
    dissatisfied one or a call back. A few cancelled or withdrawn early on."""
    hours = working_hours_after(calendar, plan.recorded)
    complaint_proper = plan.fields["kind"] == Complaint.Kind.COMPLAINT
    ack = rng.uniform(2.3, 7.0) if rng.random() < LATE_ACKNOWLEDGEMENT else rng.uniform(0.08, 1.8)
    steps = plan.steps
    if rng.random() < CANCELLED:
        if plan.by_portal is not None and rng.random() < 0.6:
            steps.append(Step("withdraw", hours(rng.uniform(0.2, 6)), {"reason": rng.choice(WITHDRAW_REASONS)}))
            return
        if rng.random() < 0.5:
            steps.append(Step("acknowledge", hours(ack)))
        steps.append(Step("cancel", hours(ack + rng.uniform(0.2, 3)), {"reason": rng.choice(CANCEL_REASONS)}))
        return
    steps.append(Step("acknowledge", hours(ack)))
    assign = ack + rng.uniform(0.1, 1.5)
    handler = rng.choice(people.of(topic.department))
    steps.append(Step("assign", hours(assign), {"department": topic.department, "assignee": handler}))
    cursor = assign
    waited = 0.0
    if rng.random() < WAITS:
        cursor += rng.uniform(0.5, 4)
        steps.append(Step("wait", hours(cursor), {"by": handler, "reason": rng.choice(WAIT_REASONS)}))
        waited = rng.uniform(4, 30)  # paused: the reply deadline moves on by as much
        cursor += waited
        steps.append(Step("resume", hours(cursor), {"by": handler}))
    allowed = 24 if plan.fields["urgent"] else 48
    sent = allowed * (rng.uniform(1.05, 1.7) if rng.random() < LATE_REPLY else rng.uniform(0.2, 0.9)) + waited
    send_delay, approve_delay = rng.uniform(0.1, 1.5), rng.uniform(0.3, 3)
    sent_back = rng.random() < SENT_BACK
    back_delay, again_delay = rng.uniform(0.5, 3), rng.uniform(1, 6)
    chain = send_delay + approve_delay + (back_delay + again_delay if sent_back else 0)
    proposed = max(cursor + rng.uniform(0.5, 2), sent - chain)
    invalid = complaint_proper and rng.random() < INVALID_SHARE
    reason, reply = rng.choice(INVALID) if invalid else (rng.choice(VALID_REASONS), topic.reply)
    steps.append(Step("propose", hours(proposed), {"by": handler, "text": reply}))
    if sent_back:
        proposed += back_delay
        steps.append(Step("send_back", hours(proposed), {"reason": rng.choice(SEND_BACK)}))
        proposed += again_delay
        reply += REVISED
        steps.append(Step("propose", hours(proposed), {"by": handler, "text": reply}))
    approved = proposed + approve_delay
    text = reply + SUPERVISOR_EDIT if rng.random() < SUPERVISOR_EDITS else ""
    steps.append(Step("approve", hours(approved), {"text": text}))
    if complaint_proper:
        steps.append(Step("validity", hours(approved), {"valid": not invalid, "reason": reason}))
    closed = hours(approved + send_delay)
    steps.append(Step("send", closed, {"via": _reply_via(rng, plan)}))
    anonymous_unreachable = plan.fields.get("anonymous") and not plan.fields.get("complainant_phone")
    if anonymous_unreachable:
        steps.append(Step("no_visit", None, {"hour": rng.randint(9, 11), "minute": rng.randint(0, 59)}))
        return
    visit = _visit(rng, may_complain=closed < now - REOPEN_BEFORE and not invalid)
    steps.append(visit)
    if visit.args["result"] == FollowUp.Result.DISSATISFIED:
        _answer_again(rng, plan, handler, rng.uniform(3, 20))
    elif closed < now - REOPEN_BEFORE and not invalid and rng.random() < CALLS_BACK:
        # The complainant calls back some days after the visit: the desk reopens it.
        steps.append(Step("reopen", None, {"days": rng.randint(3, 8), "reason": rng.choice(CALLED_BACK)}))
        _answer_again(rng, plan, handler, rng.uniform(2, 12))


def _visit(rng: random.Random, *, may_complain: bool) -> Step:
    r = rng.random()
    channel = rng.choices((FollowUp.Channel.PHONE, FollowUp.Channel.SMS, FollowUp.Channel.IN_PERSON), (17, 2, 1))[0]
    args: dict[str, Any] = {"channel": channel, "hour": rng.randint(9, 16), "minute": rng.randint(0, 59)}
    if may_complain and r < VISIT_DISSATISFIED_SHARE:
        args.update(result=FollowUp.Result.DISSATISFIED, comments=rng.choice(VISIT_DISSATISFIED))
    elif r < 0.3:
        args.update(result=FollowUp.Result.FAIRLY_SATISFIED, comments=rng.choice(SO_SO))
    else:
        args.update(result=FollowUp.Result.SATISFIED, comments="")
    return Step("visit", None, args)


def _answer_again(rng: random.Random, plan: Plan, handler: Any, propose_in: float) -> None:
    """After a reopening: the reply again, approved, sent, and the next visit (satisfied this
    time). Each timed in working hours after the step before (the reopening's moment is known
    only when it is walked)."""
    plan.steps += [
        Step("propose", None, {"by": handler, "text": rng.choice(REDO), "in": propose_in}),
        Step("approve", None, {"text": "", "in": rng.uniform(0.5, 3)}),
        Step("send", None, {"via": "phone", "in": rng.uniform(0.2, 1)}),
        Step(
            "visit",
            None,
            {
                "channel": FollowUp.Channel.PHONE,
                "hour": rng.randint(9, 16),
                "minute": rng.randint(0, 59),
                "result": rng.choice((FollowUp.Result.SATISFIED, FollowUp.Result.FAIRLY_SATISFIED)),
                "comments": "",
            },
        ),
    ]


# --- today ------------------------------------------------------------------------------------------

# Open today: (state, working hours since the record, category, topic, assigned: the engineer's
# number for engineering (else the department's person), None: not assigned; sent back once
# first; filed by tenant A's admin in the portal).
TODAY = (
    ("recorded", 0.2, "保洁", 0, None, False, False),
    ("recorded", 0.7, "停车", 0, None, False, False),
    ("recorded", 3.5, "噪音", 0, None, False, False),  # past its two working hours
    ("acknowledged", 1.0, "空调温度", 1, None, False, False),
    ("acknowledged", 1.6, "收费", 0, None, False, False),
    ("assigned", 2.5, "空调温度", 1, 0, False, True),
    ("assigned", 6.0, "电梯", 1, 1, False, False),
    ("assigned", 9.0, "安保", 0, 0, False, False),
    ("assigned", 60.0, "噪音", 1, 0, False, False),  # past its 48 working hours
    ("proposed", 12.0, "保洁", 2, 0, False, False),
    ("proposed", 20.0, "电梯", 0, 0, True, False),
    ("proposed", 30.0, "服务态度", 1, 0, False, False),
    ("approved", 16.0, "停车", 1, 0, False, False),
    ("approved", 26.0, "维修质量", 0, 2, False, False),
    ("waiting", 8.0, "噪音", 0, 0, False, False),
    ("waiting", 5.0, "收费", 2, None, False, False),  # the desk waits for the complainant
)


def plan_today(
    rng: random.Random, premises: Premises, admins: list[Any], people: People, calendar: WorkingCalendar
) -> list[Plan]:
    """Complaints of the last working days in every open state, each step spread over the
    working time since its record."""
    occupying = sorted({s.tenant for s in premises.stays if s.end is None})
    by_name = {c.name: c for c in CATEGORIES}
    now = timezone.now()
    tenant_a = 0 if 0 in occupying else occupying[0]
    plans = []
    for state, ago, name, topic_index, engineer, sent_back, of_tenant_a in TODAY:
        topic = by_name[name].complaints[topic_index]
        recorded = calendar.add(now, -timedelta(hours=ago))
        if of_tenant_a and admins[tenant_a] is not None:
            fields, by_portal, channel = {}, admins[tenant_a], "portal"
        else:
            channel = rng.choice(("phone", "phone", "desk", "email"))
            fields, by_portal, channel = _complainant(rng, premises, occupying, admins, channel)
        plan = Plan(
            recorded,
            name,
            {**fields, "channel": channel, "kind": "complaint", "content": topic.content, "urgent": False},
            by_portal=by_portal,
        )
        hours = working_hours_after(calendar, recorded)
        handler = _handler(people, engineer, topic.department)
        steps = plan.steps
        if state != "recorded":
            steps.append(Step("acknowledge", hours(min(0.3, ago * 0.2))))
        if handler is not None:
            assign = {"department": topic.department, "assignee": handler}
            steps.append(Step("assign", hours(min(0.5, ago * 0.3)), assign))
        if state == "waiting":
            steps.append(Step("wait", hours(ago * 0.6), {"by": handler or people.desk, "reason": WAIT_REASONS[0]}))
        if state in ("proposed", "approved"):
            if sent_back:
                steps.append(Step("propose", hours(ago * 0.4), {"by": handler, "text": topic.reply}))
                steps.append(Step("send_back", hours(ago * 0.5), {"reason": SEND_BACK[0]}))
            steps.append(Step("propose", hours(ago * 0.7), {"by": handler, "text": topic.reply + REVISED}))
        if state == "approved":
            steps.append(Step("approve", hours(ago * 0.85), {"text": ""}))
            steps.append(Step("validity", hours(ago * 0.85), {"valid": True, "reason": VALID_REASONS[0]}))
        plans.append(plan)
    return plans


def _handler(people: People, engineer: int | None, department: str) -> Any:
    """Today's handler: engineer number ``engineer`` for engineering, else the department's
    person; None: not assigned yet."""
    if engineer is None:
        return None
    staff = people.of(department)
    return staff[engineer % len(staff)] if department == ENGINEERING else staff[0]


# --- the walk ---------------------------------------------------------------------------------------


def through_services(
    rng: random.Random, premises: Premises, people: People, admins: list[Any], today: date
) -> list[Complaint]:
    """A year of complaints, then today's open ones, each step at the time it happened."""
    categories = ensure_categories()
    # A company that moved out has no portal any more: its complaints come by phone.
    members = set(Membership.objects.filter(is_active=True, tenant__is_active=True).values_list("user_id", flat=True))
    admins = [admin if admin is not None and admin.pk in members else None for admin in admins]
    admins += [None] * (len(premises.tenants) - len(admins))
    calendar = load_calendar()
    plans = plan_history(rng, premises, admins, people, today, calendar)
    plans += plan_today(rng, premises, admins, people, calendar)
    walk = Walk(people, today, timezone.now(), calendar, ContentType.objects.get_for_model(Complaint), categories)
    # The worker e-mails a sent reply a moment later: done here at the reply's time instead.
    with mock.patch.object(tasks.email_reply, "delay_on_commit"):
        return [_walk(plan, walk) for plan in plans]


def _walk(plan: Plan, walk: Walk) -> Complaint:
    """Each step of ``plan`` that has happened by now, in order."""
    people = walk.people
    with clock.at(plan.recorded):
        complaint = services.record(
            by=plan.by_portal or people.desk, category=walk.categories[plan.category], **plan.fields
        )
    last = plan.recorded
    for step in plan.steps:
        at = _moment(step, complaint, last, walk)
        if at is None or at > walk.now:
            break
        with clock.at(at):
            ACTIONS[step.name](complaint, step.args, plan, walk)
        if step.name in ("visit", "reopen"):
            complaint.refresh_from_db()
        last = at
    return complaint


def _moment(step: Step, complaint: Complaint, last: datetime, walk: Walk) -> datetime | None:
    """When ``step`` happens: planned, on its return visit's due day, some days after the last
    step (a call back), or in working hours after it (the answer to a reopening). None:
    not before today (a visit due today or later stays on the worklist)."""
    if step.at is not None:
        return step.at
    if step.name in ("visit", "no_visit"):
        visit = _open_visit(complaint, walk)
        if visit is None or visit.due_on >= walk.today:
            return None
        step.args["followup"] = visit
        return local_dt(visit.due_on, step.args["hour"], step.args["minute"])
    if step.name == "reopen":
        day = timezone.localdate(last) + timedelta(days=step.args["days"])
        while not walk.calendar.is_working_day(day):
            day += timedelta(days=1)
        return local_dt(day, 10, 15)
    return walk.calendar.add(last, timedelta(hours=step.args["in"]))


def _open_visit(complaint: Complaint, walk: Walk) -> FollowUp | None:
    return FollowUp.objects.filter(
        content_type=walk.content_type, object_id=complaint.pk, status=FollowUp.Status.OPEN
    ).first()


def _send(complaint: Complaint, args: dict, plan: Plan, walk: Walk) -> None:
    services.send_reply(complaint, via=args["via"], by=walk.people.desk)
    if complaint.complainant_email:
        services.email_reply(complaint.pk)


def _visit_step(complaint: Complaint, args: dict, plan: Plan, walk: Walk) -> None:
    followup_record(
        followup=args["followup"],
        result=args["result"],
        channel=args["channel"],
        comments=args["comments"],
        by=walk.people.desk,
    )


ACTIONS: dict[str, Callable[[Complaint, dict, Plan, Walk], Any]] = {
    "acknowledge": lambda c, a, p, w: services.acknowledge(c, by=w.people.desk),
    "assign": lambda c, a, p, w: services.assign(
        c, department=a["department"], assignee=a["assignee"], by=w.people.desk
    ),
    "wait": lambda c, a, p, w: services.wait_for_complainant(c, by=a["by"], reason=a["reason"]),
    "resume": lambda c, a, p, w: services.resume(c, by=a["by"], note="投诉人已补充情况"),
    "propose": lambda c, a, p, w: services.propose_reply(c, text=a["text"], by=a["by"]),
    "send_back": lambda c, a, p, w: services.send_back(c, by=w.people.supervisor, reason=a["reason"]),
    "approve": lambda c, a, p, w: services.approve_reply(c, by=w.people.supervisor, text=a["text"]),
    "validity": lambda c, a, p, w: services.mark_validity(
        c, valid=a["valid"], reason=a["reason"], by=w.people.supervisor
    ),
    "send": _send,
    "visit": _visit_step,
    "no_visit": lambda c, a, p, w: followup_cancel(followup=a["followup"], by=w.people.desk, reason=NO_CONTACT),
    "reopen": lambda c, a, p, w: services.reopen(c, by=w.people.desk, reason=a["reason"]),
    "cancel": lambda c, a, p, w: services.cancel(c, by=w.people.desk, reason=a["reason"]),
    "withdraw": lambda c, a, p, w: services.withdraw(c, by=p.by_portal, reason=a["reason"]),
}
