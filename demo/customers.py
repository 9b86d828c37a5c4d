"""Customers 客户 (issue 14): payers who rent no unit, through the services.

An exhibition organiser rented the lobby for a car show three weeks ago: the desk registered it,
billed the space, took the event deposit; it paid by transfer and, after the show, the
supervisor settled the deposit less the carpet cleaning. A culture company pays the deposit of
next week's event (held). A visiting company's meeting-room day is billed and not paid yet.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from billing import customer_services, services
from billing.models import Customer, FeeItem

from . import clock, names
from .premises import local_dt

EVENT_DEPOSIT = ("event_deposit", "活动保证金")
# code: (name, unit of charge, price): what a customer is billed for (the venues issue will keep its own).
ITEMS = {
    "venue_fee": ("场地使用费", "元/天", "6000.00"),
    "event_services": ("活动配套服务费", "元/项", "0.00"),
}


@dataclass(frozen=True)
class People:
    desk: Any
    finance: Any
    supervisor: Any


def event_deposit_item() -> FeeItem:
    """The deposit an event or a venue's user leaves (a deposit item of the price list)."""
    code, name = EVENT_DEPOSIT
    item, _ = FeeItem.objects.get_or_create(
        code=code, defaults={"name": name, "kind": FeeItem.Kind.DEPOSIT, "price": Decimal("10000.00")}
    )
    return item


def _line(code: str, description: str, quantity: str, price: str) -> services.LineSpec:
    name, unit, listed = ITEMS[code]
    item, _ = FeeItem.objects.get_or_create(
        code=code,
        defaults={"name": name, "kind": FeeItem.Kind.ONE_OFF, "price": Decimal(listed), "unit_label": unit},
    )
    return services.LineSpec(item, description, Decimal(quantity), Decimal(price))


def through_services(people: People, today: date) -> list[Customer]:
    # Its own random stream: the codes leave the demo's main stream as it was.
    rng = random.Random(14)
    desk, finance, supervisor = people.desk, people.finance, people.supervisor
    deposit = event_deposit_item()
    show = today - timedelta(days=21)
    with clock.at(local_dt(show - timedelta(days=7), 10, 5)):
        organiser = customer_services.customer_create(
            by=desk,
            name="广西博览会展策划有限公司",
            contact_person="陈志强",
            phone="13977120018",
            credit_code=names.credit_code(rng),
            address="南宁市青秀区民族大道 11 号",
            note="车展主办方，大堂及广场场地",
        )
        services.bill_create(
            payer=organiser,
            title="大堂场地使用费（车展 3 天）",
            lines=[
                _line("venue_fee", "大堂场地使用 3 天", "3", "6000.00"),
                _line("event_services", "展期电费及保洁", "1", "1800.00"),
            ],
            by=desk,
            due_date=show,
        )
        customer_services.deposit_take(
            payer=organiser, fee_item=deposit, amount=Decimal("20000.00"), method="bank", title="车展押金", by=desk
        )
    with clock.at(local_dt(show - timedelta(days=3), 15, 40)):
        services.payment_record(
            payer=organiser, amount=Decimal("19800.00"), method="bank", reference=f"{show:%Y%m%d}0300118826", by=finance
        )
    with clock.at(local_dt(show + timedelta(days=4), 11, 0)):
        services.deposit_refund(
            payer=organiser, refund=Decimal("19200.00"), deductions=[(Decimal("800.00"), "大堂地毯清洗")], by=supervisor
        )
    with clock.at(local_dt(today - timedelta(days=2), 9, 50)):
        culture = customer_services.customer_create(
            by=desk,
            name="南宁青禾文化传播有限公司",
            contact_person="黄晓雯",
            phone="18607718826",
            credit_code=names.credit_code(rng),
            note="下周读书会，二层公共区域",
        )
        customer_services.deposit_take(
            payer=culture, fee_item=deposit, amount=Decimal("5000.00"), method="wechat", title="读书会押金", by=desk
        )
    with clock.at(local_dt(today - timedelta(days=1), 17, 20)):
        visitor = customer_services.customer_create(
            by=desk,
            name="深圳远航数据服务有限公司",
            contact_person="刘畅",
            phone="13510086677",
            credit_code=names.credit_code(rng),
            note="来访客户，借用会议室",
        )
        services.bill_create(
            payer=visitor,
            title="会议室使用费",
            lines=[
                _line("venue_fee", "18 层会议室 全天", "1", "1200.00"),
                _line("event_services", "茶歇 20 人", "20", "35.00"),
            ],
            by=desk,
        )
    return [organiser, culture, visitor]
