"""Recyclables 废品收购 and material distribution 代派资料 of the demo: three approved recyclers
(one retired), the prices per kg (paper went up ten days ago), a month of recyclables requests
in every state walked through ``frontdesk.recyclables`` by the demo users at the time of each
step (settled by credit notes and in cash against a payout voucher, collected and waiting for
settlement, scheduled, requested, cancelled by the desk, withdrawn by the company), and a few
material distributions (distributed and billed per copy and per batch, approved, waiting for
the supervisor, rejected)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from frontdesk import distribution, recyclables
from frontdesk.models import MaterialDistribution, RecyclePrice, Recycler, RecycleRequest
from permits.models import id_number_check_char

from . import clock
from .premises import Premises, local_dt

D = Decimal

RECYCLERS = (
    ("南宁绿源再生资源回收有限公司", "桂再生备450100-018", "覃德明", "13877100088", True),
    ("广西恒通物资回收有限公司", "桂再生备450100-042", "黄永福", "13977156210", True),
    ("青秀区利民废品收购站", "桂再生备450103-007", "蒙志刚", "13607717342", False),
)
# category: (price 60 days ago, price from 10 days ago or None)
PRICES = {
    "paper": ("1.20", "1.35"),
    "metal": ("3.50", None),
    "plastic": ("1.00", None),
    "electronics": ("5.00", None),
    "glass": ("0.30", None),
}
# days ago, final state, categories, settlement
PLAN = (
    (28, "settled", ("paper",), "credit"),
    (26, "settled", ("paper", "metal"), "cash"),
    (23, "settled", ("electronics",), "credit"),
    (20, "cancelled", ("paper",), "credit"),
    (19, "settled", ("plastic", "paper"), "cash"),
    (16, "settled", ("metal",), "credit"),
    (13, "withdrawn", ("glass",), "cash"),
    (12, "settled", ("paper",), "credit"),
    (9, "settled", ("paper", "plastic", "metal"), "credit"),
    (7, "settled", ("electronics", "metal"), "cash"),
    (5, "collected", ("paper",), "credit"),
    (3, "collected", ("metal", "paper"), "cash"),
    (2, "scheduled", ("paper",), "credit"),
    (1, "scheduled", ("plastic",), "credit"),
    (1, "requested", ("paper", "metal"), "credit"),
    (0, "requested", ("electronics",), "cash"),
)
# How many companies take part (the first ones still in the building, at either scale).
COMPANIES = 12
WEIGHTS = ("86.40", "23.75", "152.10", "12.30", "47.85", "9.60")
CARRIERS = (("覃德明", "桂A3R715"), ("黄永福", "桂AD9261"))
# days ago, final state, title, copies, charge, targets
DISTRIBUTIONS = (
    (20, "completed", "年度消防安全知识手册", 300, "per_copy", "all"),
    (12, "completed", "端午节员工关怀活动邀请函", 1, "per_batch", "floors"),
    (8, "rejected", "写字楼装修优惠宣传单", 500, "per_copy", "all"),
    (3, "approved", "社保政策宣讲会通知", 120, "per_copy", "floors"),
    (1, "submitted", "园区停车位调整说明", 200, "per_copy", "all"),
)


@dataclass(frozen=True)
class People:
    desk: Any
    supervisor: Any


def carrier_id(n: int) -> str:
    first17 = f"450102198506120{n % 100:02d}"
    return first17 + id_number_check_char(first17)


def recyclers() -> list[Recycler]:
    made = []
    for name, licence, contact, phone, active in RECYCLERS:
        made.append(
            Recycler.objects.get_or_create(
                name=name,
                defaults={
                    "licence_number": licence,
                    "contact_name": contact,
                    "contact_phone": phone,
                    "is_active": active,
                },
            )[0]
        )
    return made


def prices(today: date) -> None:
    for category, (first, later) in PRICES.items():
        RecyclePrice.objects.get_or_create(
            category=category, effective_from=today - timedelta(days=60), defaults={"price_per_kg": D(first)}
        )
        if later:
            RecyclePrice.objects.get_or_create(
                category=category, effective_from=today - timedelta(days=10), defaults={"price_per_kg": D(later)}
            )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return local_dt(day, hour, minute)


def companies(premises: Premises, admins: list[Any]) -> list[tuple[int, Any, Any]]:
    """(index, company, its portal admin) of the companies still in the building with a login
    (a company that moved out cannot withdraw its request any more)."""
    pairs = []
    for index, admin in enumerate(admins):
        tenant = premises.tenants[index]
        if tenant.is_active and recyclables.units_of(tenant).exists():
            pairs.append((index, tenant, admin))
        if len(pairs) == COMPANIES:
            break
    return pairs


def _request(premises, pairs, people, today, n, ago, final, categories, settlement, active) -> RecycleRequest | None:
    index, tenant, admin = pairs[n % len(pairs)]
    day = today - timedelta(days=ago)
    asked = _at(day, 9, 10 + n)
    with clock.at(asked):
        unit = recyclables.units_of(tenant).first()
        if unit is None:
            return None
        by = admin if n % 3 else people.desk  # every third asked for at the counter
        obj = recyclables.recycle_request(
            tenant=tenant,
            by=by,
            unit=unit,
            categories=list(categories),
            estimated_kg=D(WEIGHTS[n % len(WEIGHTS)]),
            preferred_time=_at(day + timedelta(days=1), 15),
            settlement=settlement,
            note="纸箱已压平捆扎" if "paper" in categories else "",
        )
    if final == "requested":
        return obj
    if final == "withdrawn":
        with clock.at(asked + timedelta(hours=2)):
            recyclables.recycle_withdraw(obj=obj, by=admin)
        return obj
    if final == "cancelled":
        with clock.at(asked + timedelta(hours=3)):
            recyclables.recycle_cancel(obj=obj, by=people.desk, note="业户联系人电话无法接通，三次未约定上门时间。")
        return obj
    recycler = active[n % len(active)]
    pickup = _at(day + timedelta(days=1), 15)
    with clock.at(asked + timedelta(hours=1)):
        recyclables.recycle_schedule(obj=obj, by=people.desk, recycler=recycler, pickup_at=pickup)
    if final == "scheduled":
        return obj
    name, plate = CARRIERS[n % len(CARRIERS)]
    weighed = [recyclables.Weighed(category, WEIGHTS[(n + i) % len(WEIGHTS)]) for i, category in enumerate(categories)]
    with clock.at(pickup + timedelta(minutes=20)):
        recyclables.recycle_collect(
            obj=obj,
            by=people.desk,
            weighed=weighed,
            vehicle_plate=plate,
            carrier_name=name,
            carrier_id_number=carrier_id(n),
        )
    if final == "collected":
        return obj
    received_by = ""
    if settlement == "cash":
        contact = premises.contacts.get(index) or []
        received_by = contact[0].name if contact else "行政专员"
    with clock.at(pickup + timedelta(hours=1)):
        recyclables.recycle_settle(obj=obj, by=people.desk, settlement=settlement, received_by=received_by)
    return obj


def material(title: str) -> SimpleUploadedFile:
    """A small poster-like PNG (a real image: attachments check the content)."""
    image = Image.new("RGB", (420, 594), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 400, 574), outline="darkred", width=6)
    draw.rectangle((60, 80, 360, 140), fill="darkred")
    out = BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(f"{title}.png", out.getvalue())


def _distribution(premises, pairs, people, today, n, ago, final, title, copies, charge, targets):
    _index, tenant, admin = pairs[(n + 2) % len(pairs)]
    day = today - timedelta(days=ago)
    building = premises.buildings[0]
    floors = list(building.floors.order_by("number")[:3]) if targets == "floors" else []
    with clock.at(_at(day, 10)):
        obj = distribution.distribution_request(
            tenant=tenant,
            by=admin,
            material=material(title),
            title=title,
            quantity=copies,
            targets=targets,
            building=building if floors else None,
            floors=floors,
            charge=charge,
            preferred_date=day + timedelta(days=2),
        )
    if final == "submitted":
        return obj
    with clock.at(_at(day, 15)):
        if final == "rejected":
            return distribution.distribution_reject(
                obj=obj, by=people.supervisor, note="内容为商业广告，大厦不代派广告类资料。"
            )
        distribution.distribution_approve(obj=obj, by=people.supervisor)
    if final == "approved":
        return obj
    with clock.at(_at(day + timedelta(days=2), 17)):
        return distribution.distribution_complete(
            obj=obj,
            by=people.desk,
            count=max(1, copies - 12 if copies > 12 else copies),
            distributed_by="前台 韦小玲、黄敏",
        )


def through_services(premises: Premises, people: People, admins: list[Any], today: date) -> dict[str, list]:
    made_recyclers = recyclers()
    prices(today)
    active = [r for r in made_recyclers if r.is_active]
    pairs = companies(premises, admins)
    requests = [
        _request(premises, pairs, people, today, n, ago, final, categories, settlement, active)
        for n, (ago, final, categories, settlement) in enumerate(PLAN)
    ]
    distributions: list[MaterialDistribution] = [
        _distribution(premises, pairs, people, today, n, *row) for n, row in enumerate(DISTRIBUTIONS)
    ]
    return {"recyclables": [r for r in requests if r is not None], "distributions": distributions}
