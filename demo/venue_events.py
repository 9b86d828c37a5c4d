"""Public space 公共场地 and events 商业文化活动 of the demo: the lobby, the plaza, a corridor and
a poster board with four places (four spaces), and a month of applications and events (two
weeks back, two ahead) in every state, walked through ``venues.applications`` by the demo users
at the time of each step: closed with the deposit refunded whole, less damage, and with damage
beyond it billed; under way today with a check on site; approved and paid (with the event
notice), approved and unpaid; waiting for security and for the supervisor; refused; withdrawn.
For companies and for customers (payers who rent no unit). Meeting rooms and their bookings are
the meeting-room half's demo."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from billing import customer_services
from billing.models import Customer
from billing.services import payment_record
from venues import applications as services
from venues.applications import ItemSpec
from venues.models import Space, VenueApplication

from . import clock
from .premises import Premises, local_dt

D = Decimal
ID_NUMBERS = ("450103198807150013", "11010519491231002X", "450103198807150013")

# name, kind, daily rate, deposit, needs security, location
SPACES = (
    ("一楼大堂", Space.Kind.LOBBY, "3000.00", "5000.00", False, "A座一楼"),
    ("室外广场", Space.Kind.PLAZA, "5000.00", "10000.00", True, "A座南侧"),
    ("二楼连廊", Space.Kind.CORRIDOR, "800.00", "2000.00", False, "A座二楼"),
    *((f"一楼海报栏{n}号位", Space.Kind.POSTER_BOARD, "0.00", "0.00", False, "A座一楼电梯厅") for n in range(1, 5)),
)

# key, kind, spaces (indexes), days from today, from, until, payer (tenant index or "customer"),
# final state, title.
PLAN = (
    ("closed_whole", "event", (1,), -14, "10:00", "17:00", 0, "closed", "新品发布会"),
    ("closed_customer", "public_space", (0,), -10, "09:00", "18:00", "customer", "closed", "汽车静态展示"),
    ("closed_damage", "event", (2,), -7, "14:00", "17:00", 1, "closed_damage", "企业开放日"),
    ("under_way", "event", (0,), -1, "09:00", "20:00", 2, "in_progress", "金融知识宣传周"),
    ("approved_paid", "event", (1,), 3, "10:00", "16:00", 0, "approved_paid", "周末市集"),
    ("approved_unpaid", "public_space", (3, 4), 5, "08:00", "20:00", 1, "approved", "招聘海报"),
    ("security_approved", "event", (2,), 6, "13:00", "17:00", "customer", "security_approved", "书画展"),
    ("submitted_event", "event", (1,), 8, "18:00", "21:00", 2, "submitted", "中秋游园会"),
    ("submitted_space", "public_space", (0,), 9, "10:00", "15:00", 0, "submitted", "新品试吃"),
    ("rejected", "public_space", (0,), 10, "10:00", "12:00", 1, "rejected", "促销摆摊"),
    ("withdrawn", "event", (2,), 12, "09:00", "11:00", 2, "cancelled", "读书分享会"),
)


@dataclass(frozen=True)
class People:
    desk: Any
    supervisor: Any
    guard: Any


def spaces(premises: Premises) -> list[Space]:
    building = premises.buildings[0]
    venue_fee = services.fee_item("venue_fee")
    made = []
    for name, kind, rate, deposit, security, location in SPACES:
        made.append(
            Space.objects.get_or_create(
                name=name,
                building=building,
                defaults={
                    "kind": kind,
                    "daily_rate": D(rate),
                    "deposit": D(deposit),
                    "needs_security": security,
                    "location": location,
                    "fee_item": venue_fee,
                    "opens": datetime.strptime("07:00", "%H:%M").time(),
                    "closes": datetime.strptime("22:00", "%H:%M").time(),
                    "capacity": 300 if kind != Space.Kind.POSTER_BOARD else 0,
                },
            )[0]
        )
    return made


def organiser(desk: Any) -> Customer:
    """A culture company that rents no unit (the payers demo's organiser is used where it exists)."""
    found = Customer.objects.filter(name="广西博览会展策划有限公司").first()
    if found is not None:
        return found
    return customer_services.customer_create(
        by=desk, name="南宁星光文化传播有限公司", contact_person="黄丽", phone="13907715566", credit_code=""
    )


def _at(day: date, hm: str) -> datetime:
    hour, minute = (int(x) for x in hm.split(":"))
    return local_dt(day, hour, minute)


def _fields(kind: str, title: str, n: int, payer_name: str) -> dict:
    fields = {
        "title": title,
        "purpose": f"{title}，面向大厦业户及周边市民",
        "setup_minutes": 60,
        "teardown_minutes": 60,
    }
    if kind == "event":
        fields.update(
            plan="签到、开场、主体活动、散场；全程安排工作人员引导。",
            organiser=payer_name,
            person_in_charge=("陈志强", "刘芳", "黄伟")[n % 3],
            person_id_number=ID_NUMBERS[n % 3],
            contact_phone=("13977120018", "13877115520", "13607713321")[n % 3],
            expected_attendance=(150, 80, 200)[n % 3],
            safety_measures="安排 4 名安保人员值守；疏散通道保持畅通；配备灭火器 4 具。",
            emergency_plan="发生意外时由现场负责人组织疏散，安保部协助，并拨打 119/120。",
        )
    return fields


def _pay(app: VenueApplication, desk: Any) -> None:
    bill = services._bill_of(app)
    if bill is not None and bill.paid < bill.total:
        payment_record(payer=app.payer, amount=bill.total - bill.paid, method="bank", by=desk, bills=[bill])


def through_services(premises: Premises, people: People, admins: list[Any], today: date) -> list[VenueApplication]:
    places = spaces(premises)
    customer = organiser(people.desk)
    made = []
    for n, (_key, kind, indexes, ahead, start, end, who, final, title) in enumerate(PLAN):
        day = today + timedelta(days=ahead)
        use_start, use_end = _at(day, start), _at(day, end)
        if final == "in_progress":  # yesterday morning to tomorrow evening: under way now
            use_end = _at(today + timedelta(days=1), end)
        if final == "approved":  # posters up for five days
            use_end = _at(day + timedelta(days=4), end)
        if who == "customer" or who >= len(admins):
            payer, by, payer_name = {"customer": customer}, people.desk, customer.name
        else:
            tenant = premises.tenants[who]
            payer, by, payer_name = {"tenant": tenant}, admins[who], tenant.name
        applied = use_start - timedelta(days=5, hours=2)
        items = [ItemSpec("venue_poster", 6, 5)] if final == "approved" else []
        if kind == "public_space" and final == "closed":
            items = [ItemSpec("venue_banner", 2, 1), ItemSpec("venue_stall", 4, 1)]
        with clock.at(applied):
            app = services.application_submit(
                by=by,
                kind=kind,
                spaces=[places[i] for i in indexes],
                items=items,
                now=min(applied, clock_now()),
                use_start=use_start,
                use_end=use_end,
                **payer,
                **_fields(kind, title, n, payer_name),
            )
        made.append(app)
        if final == "submitted":
            continue
        if final == "cancelled":
            with clock.at(applied + timedelta(days=1)):
                services.application_withdraw(obj=app, by=by, note="活动延期，另行申请。")
            continue
        if final == "rejected":
            with clock.at(applied + timedelta(hours=20)):
                services.application_reject(obj=app, by=people.supervisor, note="该时段大堂需进行地面养护。")
            continue
        if app.needs_security:
            with clock.at(applied + timedelta(hours=20)):
                services.application_security_approve(obj=app, by=people.guard, note="安保方案可行。")
        if final == "security_approved":
            continue
        approved_at = applied + timedelta(days=1, hours=2)
        with clock.at(approved_at):
            services.application_approve(obj=app, by=people.supervisor, now=min(approved_at, clock_now()))
        if final == "approved":
            continue
        with clock.at(approved_at + timedelta(days=1)):
            _pay(app, people.desk)
        if final == "approved_paid":
            continue
        during = use_start + timedelta(hours=1)
        with clock.at(during):
            services.application_check(
                obj=app, by=people.guard, in_order=True, note="现场秩序良好，通道畅通。", now=min(during, clock_now())
            )
        if final == "in_progress":
            continue
        closing = use_end + timedelta(hours=1, minutes=30)
        if final == "closed_damage":  # beyond the deposit of 2,000: the rest is billed
            damage, note = D("2600.00"), "连廊玻璃护栏破损，需整块更换"
        elif n == 0:  # less than the deposit
            damage, note = D("800.00"), "地毯污损，需专业清洗"
        else:  # the deposit refunded whole
            damage, note = D("0"), ""
        with clock.at(closing):
            services.application_close(obj=app, by=people.guard, damage=damage, note=note, now=closing)
    return made


def clock_now() -> datetime:
    from django.utils import timezone

    return timezone.now()
