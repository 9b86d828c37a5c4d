"""The front desk's duty log 值班记录 and visitor inquiries 访客咨询 of the demo: a month of
shifts (白班 and 夜班), each opened by its clerk, with a dozen entries (visitors, calls,
parcels, requests, an incident now and then; some left open and carried over), inquiries
logged through the services (most answered with the unit number, some turned into repair
tickets or complaints, some escalated to the supervisor and answered) and a handover written
by the leaving clerk and signed by the arriving one. The shift that ended last night waits for
its signature; the live shift is open. Everything runs at the time it happened (``clock.at``).

A second front-desk clerk (``desk2``, 前台 陆晓芳, password ``desk12345``) takes the other
shift, so that handovers have two people."""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from complaints.models import ComplaintCategory
from frontdesk import duty_services, inquiry_services
from frontdesk.models import Inquiry, Shift
from jinyuan.accounts.roles import Role
from jinyuan.followups.models import FollowUp
from jinyuan.followups.services import followup_record
from repairs.models import RepairCategory

from . import clock
from .premises import Premises, local_dt

DAYS = 30
SECOND_CLERK = ("desk2", "前台 陆晓芳", "0771-5561006")

ENTRIES = (
    ("visitor", "访客登记：快递员送件至 {unit}，已通知前台代收", False),
    ("phone", "业户来电询问本月物业费缴费方式，已告知", False),
    ("parcel", "{company} 快递一件，放前台柜待取", True),
    ("request", "{company} 申请周六加班开空调，已报工程部", True),
    ("notice", "已张贴本周电梯维保通知", False),
    ("inspection", "巡视大堂及电梯厅，正常", False),
    ("visitor", "外卖人员要求上楼，按规定在大堂等候取餐", False),
    ("other", "大堂雨伞架已补充", False),
    ("incident", "B1 车库入口积水，已通知保洁与秩序部", True),
    ("phone", "来电推销，已婉拒", False),
)
QUESTIONS = (
    ("visitor", "找{company}", True),
    ("visitor", "{company}在几楼", True),
    ("phone", "询问{company}的房号", True),
    ("request", "{unit} 卫生间水龙头漏水", False),
    ("request", "{unit} 门禁卡失灵，要求处理", False),
    ("other", "对保安态度不满，要求投诉", False),
    ("phone", "要求减免本月物业费", False),
)


@dataclass
class People:
    desk: Any
    supervisor: Any
    engineer: Any = None  # works the repair tickets the inquiries became


def second_clerk() -> Any:
    User = get_user_model()
    username, name, phone = SECOND_CLERK
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "password": make_password("desk12345"),
            "display_name": name,
            "phone": phone,
            "email": f"{username}@jinyuan-cbd.example",
        },
    )
    if created:
        user.groups.add(Group.objects.get(name=Role.FRONT_DESK))
    return user


def _answer(premises: Premises, index: int, today: date) -> tuple[Any, Any, str]:
    stays = premises.current_stays_of(index, today)
    if not stays:
        return None, None, ""
    unit = premises.units[stays[0].unit]
    building = unit.floor.building
    return premises.tenants[index], unit, f"{building.name} {unit.floor} {unit.number}"


def _categories() -> tuple[Any, Any]:
    # A free category: a paid repair would wait for a quote the caller never asked for.
    free = RepairCategory.objects.filter(active=True, paid=False).order_by("pk")
    repair = free.first() or RepairCategory.objects.create(name="水电")
    complaint = ComplaintCategory.objects.filter(active=True).order_by("pk").first() or (
        ComplaintCategory.objects.create(name="服务态度")
    )
    return repair, complaint


def through_services(premises: Premises, people: People, today: date) -> list[Shift]:
    # Its own random stream: the demo's shared one stays as the later sections expect it.
    rng = random.Random(16)
    clerks = (people.desk, second_clerk())
    repair_category, complaint_category = _categories()
    now = timezone.now()
    occupied = [i for i in range(len(premises.tenants)) if premises.current_stays_of(i, today)] or [0]
    window = duty_services.window_at(now - timedelta(days=DAYS))
    shifts: list[Shift] = []
    n = 0
    while window.starts_at < now:
        clerk = clerks[len(shifts) % 2]
        with clock.at(window.starts_at + timedelta(minutes=2)):
            shift = duty_services.shift_open(by=clerk, now=window.starts_at + timedelta(minutes=2))
        shifts.append(shift)
        span = (min(window.ends_at, now) - window.starts_at).total_seconds()
        steps = 10 if window.code == "day" else 4
        for k in range(steps):
            moment = window.starts_at + timedelta(seconds=span * (k + 1) / (steps + 2))
            if moment >= now:
                break
            n += 1
            index = rng.choice(occupied)
            company, unit, where = _answer(premises, index, today)
            with clock.at(moment):
                if k % 3 == 2:
                    _inquiry(
                        rng,
                        clerk,
                        people.supervisor,
                        company,
                        unit,
                        where,
                        moment,
                        now,
                        n,
                        repair_category,
                        complaint_category,
                        people.engineer,
                    )
                else:
                    kind, text, is_open = ENTRIES[n % len(ENTRIES)]
                    text = text.format(company=company.name if company else "业户", unit=unit.number if unit else "")
                    entry = duty_services.entry_log(by=clerk, kind=kind, text=text, is_open=is_open, now=moment)
                    if is_open and moment < now - timedelta(hours=30) and n % 4:
                        closing = moment + timedelta(hours=3)
                        with clock.at(closing):
                            duty_services.entry_close(obj=entry, by=clerk, note="已处理完毕", now=closing)
        following = duty_services.window_at(window.ends_at)
        arriving = clerks[len(shifts) % 2]
        handover_at = window.ends_at - timedelta(minutes=10)
        if handover_at < now:
            with clock.at(handover_at):
                duty_services.shift_hand_over(
                    obj=shift, by=clerk, arriving=arriving, notes="钥匙、对讲机已交接；待办见下。", now=handover_at
                )
            # The shift that ended last waits for its signature (the supervisor hears of it).
            if not following.starts_at <= now < following.ends_at:
                signed_at = window.ends_at - timedelta(minutes=5)
                with clock.at(signed_at):
                    duty_services.shift_accept(obj=shift, by=arriving, now=signed_at)
        window = following
    return shifts


def _repaired(ticket: Any, clerk: Any, engineer: Any, reported: Any, now: Any) -> None:
    """A ticket from a day or more ago worked as the repairs demo works its history: taken or
    assigned, on site, completed and closed by the desk within hours. A month of them left
    "reported" would fill the desk's overdue list with calls nobody ever answered."""
    from repairs import services as repairs

    with clock.at(reported + timedelta(minutes=5)):
        if ticket.status == ticket.Status.POOLED:
            repairs.take(ticket, by=engineer)
        else:
            repairs.assign(ticket, engineer=engineer, by=clerk)
    if ticket.status == ticket.Status.DISPATCHED:
        with clock.at(reported + timedelta(minutes=8)):
            repairs.accept(ticket, by=engineer)
    with clock.at(reported + timedelta(minutes=25)):
        repairs.arrive(ticket, by=engineer)
    with clock.at(reported + timedelta(hours=2)):
        repairs.complete(ticket, by=engineer)
    with clock.at(reported + timedelta(hours=3)):
        repairs.close(ticket, by=clerk)
    # The return visit the closure scheduled, made by phone on its day once that is past.
    visit = FollowUp.objects.filter(
        content_type=ContentType.objects.get_for_model(ticket), object_id=ticket.pk, status=FollowUp.Status.OPEN
    ).first()
    if visit is not None and visit.due_on < timezone.localdate(now):
        with clock.at(local_dt(visit.due_on, 10, 30)):
            followup_record(followup=visit, result=FollowUp.Result.SATISFIED, channel=FollowUp.Channel.PHONE, by=clerk)


def _inquiry(
    rng, clerk, supervisor, company, unit, where, moment, now, n, repair_category, complaint_category, engineer=None
):
    kind, question, answerable = QUESTIONS[n % len(QUESTIONS)]
    question = question.format(company=company.name if company else "某公司", unit=unit.number if unit else "")
    channel = Inquiry.Channel.PHONE if kind == "phone" else Inquiry.Channel.WALK_IN
    inquiry = inquiry_services.inquiry_log(
        by=clerk,
        channel=channel,
        kind=kind,
        question=question,
        answer=where if answerable and where else "",
        tenant=company,
        unit=unit,
        visitor_name=rng.choice(("张先生", "李女士", "王先生", "")),
        visitor_phone=rng.choice(("13877119999", "13977128888", "")),
        now=moment,
    )
    if inquiry.status != Inquiry.Status.OPEN or moment > now - timedelta(hours=1):
        return inquiry
    later = moment + timedelta(minutes=10)
    with clock.at(later):
        if "漏水" in question or "门禁" in question:
            converted = inquiry_services.inquiry_to_repair(
                obj=inquiry,
                by=clerk,
                category=repair_category,
                tenant=company,
                unit=unit,
                reporter_name=inquiry.visitor_name or "业户",
                phone=inquiry.visitor_phone or "13877110000",
                description=question,
            )
            if engineer is not None and later < now - timedelta(days=1):
                _repaired(converted.repair, clerk, engineer, later, now)
        elif "投诉" in question:
            inquiry_services.inquiry_to_complaint(
                obj=inquiry,
                by=clerk,
                category=complaint_category,
                channel="desk",
                kind="complaint",
                tenant=company,
                complainant_name=inquiry.visitor_name or "访客",
                complainant_phone=inquiry.visitor_phone,
                content=question,
            )
        else:
            inquiry_services.inquiry_escalate(obj=inquiry, by=clerk, note="前台无权答复，请主管处理。")
            answered = moment + timedelta(hours=5)
            if answered < now - timedelta(days=1):
                with clock.at(answered):
                    inquiry_services.inquiry_close(
                        obj=inquiry, by=supervisor, note="已致电业户说明收费依据。", now=answered
                    )
    return inquiry
