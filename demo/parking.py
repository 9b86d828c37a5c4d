"""Parking permits 停车证 of the demo: the car park's spaces (fixed spaces on B1, the pool on
B2) and permits in every state, walked through ``permits.parking`` by the demo users at the
time of each step: waiting for approval, refused, withdrawn, issued (monthly on the pool, on a
fixed space, internal, free), issued and expiring within the reminders, renewed, with a written
payment reminder (rent unpaid two weeks), expired at its end by the scan's step, revoked."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from billing.models import Bill
from billing.services import payment_record
from permits import parking
from permits.models import ParkingPermit, ParkingSpace
from tenants.selectors import occupancy_of

from . import clock
from .premises import Premises, local_dt
from .renovations import PDF

FIXED_SPACES = 30  # B1-001 ... B1-030
POOL_SPACES = 12  # B2-001 ... (not let to one permit)

VEHICLES = (
    ("比亚迪", "汉EV", "白色", "黄志强", "13877110001"),
    ("大众", "帕萨特", "黑色", "李建军", "13977130003"),
    ("丰田", "凯美瑞", "银色", "韦国庆", "18977150032"),
    ("特斯拉", "Model 3", "红色", "覃明辉", "13607710021"),
    ("本田", "雅阁", "灰色", "陆海涛", "13768820045"),
    ("蔚来", "ES6", "蓝色", "蒙春燕", "18707710088"),
)


@dataclass(frozen=True)
class Plan:
    final: str  # the state the permit ends in (and a few variants)
    days_ago: int  # when the application came in
    plate: str
    rental_type: str = "monthly"
    months: int = 3
    fixed: bool = False
    last_day_in: int = 0  # internal and free permits: days from the start to the last day


PLAN = (
    Plan("submitted", 1, "桂A6K218"),
    Plan("submitted", 0, "桂AD35721", fixed=True),  # new-energy, on a fixed space
    Plan("refused", 20, "桂A3N771"),
    Plan("withdrawn", 9, "桂B27F35"),
    Plan("issued", 30, "桂A8Q602", months=6),
    Plan("issued", 50, "桂AF02198", months=12, fixed=True),
    Plan("internal", 40, "桂A1G315", rental_type="internal", last_day_in=300),
    Plan("free", 15, "桂A52R88", rental_type="free", last_day_in=120),
    Plan("expiring", 85, "桂A7H119", months=3),  # ends within the 15-day reminder
    Plan("renewed", 80, "桂A09M66", months=3, fixed=True),
    Plan("unpaid", 25, "桂A31P57", months=1),  # a written payment reminder
    Plan("expired", 100, "桂A4T230", months=3),
    Plan("revoked", 45, "桂A66C09", fixed=True),
)


@dataclass(frozen=True)
class People:
    desk: Any
    finance: Any


def create_spaces() -> tuple[list[ParkingSpace], list[ParkingSpace]]:
    fixed = [ParkingSpace(number=f"B1-{n:03d}", zone="B1", is_fixed=True) for n in range(1, FIXED_SPACES + 1)]
    pool = [
        ParkingSpace(number=f"B2-{n:03d}", zone="B2", is_fixed=False, note="公共车位")
        for n in range(1, POOL_SPACES + 1)
    ]
    ParkingSpace.objects.bulk_create([*fixed, *pool])
    return fixed, pool


def _licence() -> SimpleUploadedFile:
    return SimpleUploadedFile("行驶证.pdf", PDF, content_type="application/pdf")


def through_services(premises: Premises, people: People, admins: list[Any], today: date) -> list[ParkingPermit]:
    fixed, _pool = create_spaces()
    made = []
    for n, plan in enumerate(PLAN):
        applied = today - timedelta(days=plan.days_ago)
        index = _company(premises, admins, n, applied, today)
        if index is None:
            continue
        space = fixed[n] if plan.fixed else None
        made.append(_walk(premises.tenants[index], admins[index], people, plan, applied, space, n, today))
    return made


def _company(premises: Premises, admins: list[Any], n: int, applied: date, today: date) -> int | None:
    """A company with a portal admin occupying a unit from the application to today."""
    for index in [(n + k) % len(admins) for k in range(len(admins))]:
        for stay in premises.current_stays_of(index, today):
            tenant, unit = premises.tenants[stay.tenant], premises.units[stay.unit]
            if occupancy_of(tenant, unit, on=applied) and occupancy_of(tenant, unit, on=today):
                return index
    return None


def _walk(tenant, admin, people: People, plan: Plan, applied: date, space, n: int, today: date) -> ParkingPermit:
    brand, model, colour, driver, phone = VEHICLES[n % len(VEHICLES)]
    by_desk = n % 3 == 2  # a call or a walk-in: the desk applies for the company
    with clock.at(local_dt(applied, 10)):
        permit = parking.parking_apply(
            tenant=tenant,
            by=people.desk if by_desk else admin,
            plate=plan.plate,
            brand=brand,
            vehicle_model=model,
            colour=colour,
            driver_name=driver,
            driver_phone=phone,
            licence=_licence(),
            rental_type=plan.rental_type,
            start=applied + timedelta(days=1),
            space=space,
            months=plan.months if plan.rental_type == "monthly" else None,
            until=applied + timedelta(days=plan.last_day_in) if plan.last_day_in else None,
        )
    if plan.final == "submitted":
        return permit
    with clock.at(local_dt(applied, 15)):
        if plan.final == "refused":
            return parking.parking_refuse(obj=permit, by=people.desk, note="行驶证照片不清晰，请重新上传后再申请。")
        if plan.final == "withdrawn":
            return parking.parking_withdraw(obj=permit, by=admin, note="车辆已更换，撤回重新申请。")
        parking.parking_approve(obj=permit, by=people.desk)
    if plan.final != "unpaid":
        _pay(permit, people, applied + timedelta(days=2))
    if plan.final == "renewed":
        with clock.at(local_dt(permit.end - timedelta(days=10), 11)):
            parking.parking_renew(obj=permit, by=admin, months=3, expected_end=permit.end)
        _pay(permit, people, today)
    elif plan.final == "revoked":
        with clock.at(local_dt(applied + timedelta(days=20), 16)):
            parking.parking_revoke(obj=permit, by=people.desk, note="多次占用他人固定车位，经警告未改正。")
    elif plan.final == "expired":
        # what the scan's step does at 00:00 of the end day
        with clock.at(local_dt(permit.end, 0)):
            parking.expire_due(ParkingPermit, [permit.pk], local_dt(permit.end, 0))
    elif plan.final == "unpaid":
        moment = local_dt(applied + timedelta(days=15), 0)
        with clock.at(moment):
            parking.payment_notice_due(ParkingPermit, [permit.pk], moment)
    permit.refresh_from_db()
    return permit


def _pay(permit: ParkingPermit, people: People, day: date) -> None:
    for bill in Bill.objects.filter(source_key__startswith=parking.bill_prefix(permit), status="open"):
        with clock.at(local_dt(max(day, bill.issued_on), 14)):
            payment_record(tenant=permit.tenant, amount=bill.total, method="wechat", by=people.finance, bills=[bill])
