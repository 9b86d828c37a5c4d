"""Paid services 有偿服务 at the desk: a year of ``billing.paid_services.service_charge`` records.

A company asks the desk for a small job (lamps or a lock changed, a tap replaced); the engineer
does it and the desk charges it from the price list (``demo.price_list``), labour × quantity and
often the materials. Most companies pay on the spot (a receipt), the others with their next
bill. Each charge gets its return visit three days on: those due in the past were made (mostly
满意), the two charged three days ago are due today, the last one later this week.

Paid repair tickets are billed through the same service on completion (``demo.repairs``).
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from billing.models import ZERO, FeeItem, ServiceCharge
from billing.paid import MaterialLine, PaidItem, paid_lines
from billing.paid_services import PaidNow, service_charge
from jinyuan.followups.models import FollowUp
from jinyuan.followups.selectors import followups_of
from jinyuan.followups.services import followup_record

from . import clock
from .bills import read_bill_notices, reference
from .premises import Premises, local_dt

DAYS = 365
HISTORY = 28  # charges spread over the year; three of the last days come on top
PAID_ON_THE_SPOT = 0.8
# Days ago of the last charges: three days ago their visits are due today.
RECENT = (3, 3, 1)


@dataclass(frozen=True)
class Service:
    title: str
    item: str  # the price-list item (demo.price_list.RANGED)
    job: str  # what the description says was done, {n}: the quantity
    quantities: tuple[int, ...]
    labour: tuple[str | None, ...]  # unit prices within the item's range; None: the listed price
    material: tuple[str, int, str] | None  # description, quantity (0: one per item), unit price


SERVICES = (
    Service(
        "灯具更换",
        "repair_lighting",
        "更换办公区筒灯 {n} 盏",
        (2, 3, 4, 6),
        ("30.00", "40.00"),
        ("LED 筒灯", 0, "35.00"),
    ),
    Service(
        "灯具更换", "repair_lighting", "更换会议室灯管 {n} 支", (4, 6, 8), ("20.00", "30.00"), ("T8 灯管", 0, "18.00")
    ),
    Service("灯具更换", "repair_lighting", "前台装饰灯更换 {n} 盏", (1, 2), ("50.00", "60.00"), None),
    Service("门锁更换", "lock_change", "办公室门锁更换 {n} 把", (1, 1, 2), (None,), ("锁芯", 0, "85.00")),
    Service("门锁更换", "lock_change", "财务室加装防盗锁 {n} 把", (1,), (None,), ("防盗执手锁", 0, "260.00")),
    Service("水管维修", "repair_plumbing", "茶水间水龙头更换 {n} 处", (1,), ("50.00", "80.00"), ("水龙头", 0, "65.00")),
    Service("水管维修", "repair_plumbing", "洗手盆下水管疏通 {n} 处", (1, 2), ("80.00", "120.00"), None),
)
METHODS = ("wechat", "wechat", "alipay", "cash", "card")


@dataclass
class ChargePlan:
    at: datetime
    tenant: int  # index into premises.tenants
    service: Service
    quantity: int
    labour: Decimal | None
    materials: list[MaterialLine]
    paid: tuple[str, str] | None  # (method, reference) when paid on the spot
    visit: tuple[str, str, int, int]  # result, channel, hour, minute of the return visit


def plan_charges(rng: random.Random, premises: Premises, today: date) -> list[ChargePlan]:
    """Charges oldest first, each for a company occupying its unit then and still now."""
    days = [today - timedelta(days=DAYS - n * (DAYS - 10) // HISTORY) for n in range(HISTORY)]
    days += [today - timedelta(days=ago) for ago in RECENT]
    plans = []
    for day in days:
        while day.weekday() >= 5 and day < today - timedelta(days=3):  # the engineers' office days
            day -= timedelta(days=1)
        here = sorted({s.tenant for s in premises.stays if s.end is None and s.start <= day})
        service = rng.choice(SERVICES)
        quantity = rng.choice(service.quantities)
        labour = rng.choice(service.labour)
        materials = []
        if service.material and rng.random() < 0.75:
            description, count, price = service.material
            materials = [MaterialLine(description, Decimal(count or quantity), Decimal(price))]
        paid = None
        if rng.random() < PAID_ON_THE_SPOT:
            method = rng.choice(METHODS)
            paid = (method, reference(rng, method, day))
        result = FollowUp.Result.SATISFIED if rng.random() < 0.75 else FollowUp.Result.FAIRLY_SATISFIED
        channel = FollowUp.Channel.PHONE if rng.random() < 0.9 else FollowUp.Channel.SMS
        plans.append(
            ChargePlan(
                local_dt(day, rng.randint(9, 16), rng.randint(0, 59)),
                rng.choice(here),
                service,
                quantity,
                Decimal(labour) if labour else None,
                materials,
                paid,
                (result, channel, rng.randint(9, 16), rng.randint(0, 59)),
            )
        )
    return plans


def through_services(rng: random.Random, premises: Premises, desk: Any, today: date) -> list[ServiceCharge]:
    """The desk's charges of the year through ``service_charge``, with their return visits."""
    items = {item.code: item for item in FeeItem.objects.filter(code__in={s.item for s in SERVICES})}
    return [_charge(plan, premises, desk, items, today) for plan in plan_charges(rng, premises, today)]


def _charge(plan: ChargePlan, premises: Premises, desk: Any, items: dict[str, FeeItem], today: date) -> ServiceCharge:
    tenant = premises.tenants[plan.tenant]
    stay = next(s for s in premises.stays if s.tenant == plan.tenant and s.end is None)
    lines = [PaidItem(items[plan.service.item], Decimal(plan.quantity), plan.labour)]
    with clock.at(plan.at):
        payment = None
        if plan.paid:
            day = timezone.localdate()
            total = sum((line.amount for line in paid_lines(lines, plan.materials, on=day)), ZERO)
            payment = PaidNow(total, *plan.paid)
        charge = service_charge(
            tenant=tenant,
            items=lines,
            materials=plan.materials,
            title=plan.service.title,
            description=f"{premises.units[stay.unit]} {plan.service.job.format(n=plan.quantity)}",
            by=desk,
            payment=payment,
        )
        if payment:
            read_bill_notices([charge.bill])
    visit = followups_of(charge).filter(status=FollowUp.Status.OPEN).first()
    if visit is not None and visit.due_on < today:
        result, channel, hour, minute = plan.visit
        with clock.at(local_dt(visit.due_on, hour, minute)):
            followup_record(followup=visit, result=result, channel=channel, by=desk)
    return charge
