"""Temporary power 临时用电 of the demo, one permit in every state (waiting for engineering,
returned, approved and starting tomorrow, wiring inspected, switched on on a meter, switched on
without a meter and overdue for switch-off, switched off and billed, closed, rejected,
withdrawn), walked through ``permits.temporary_power`` by the demo users at the time of each
step. The rate is the price list's ``temp_power_kwh`` (seeded by permits' migration 0010)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from permits import temporary_power as power
from permits.models import TemporaryPower
from renovation.models import Renovation

from . import clock
from .parking import _company
from .premises import Premises, local_dt

ALL_TICKED = [code for code, _label in TemporaryPower.CHECKLIST]
ELECTRICIANS = (
    ("覃志刚", "T450102198506150011", "13877110021"),
    ("黄海峰", "T450103199002281234", "13977130045"),
    ("陆永明", "T450105198711080567", "18977150063"),
)
PURPOSES = ("装修施工用电（电焊机、切割机）", "施工照明及电动工具", "展会布展临时照明", "服务器机房割接临时供电")


@dataclass(frozen=True)
class Plan:
    final: str
    applied: int  # days before today the application came in
    starts: int  # days from today the period starts (08:00)
    days: int  # the period's length in days (ends 18:00)
    load: str = "6.0"
    meter: str | None = "1000.0"  # the start reading; None: no meter
    used: str = "120.5"  # kWh used when switched off (metered)
    location: str = ""  # a public location instead of the company's unit


PLAN = (
    Plan("submitted", 0, 1, 2),
    Plan("returned", 1, 2, 2, load="12.0"),
    Plan("approved", 1, 1, 1, location="12楼东侧走廊"),
    Plan("inspected", 2, 0, 3),
    Plan("switched_on", 3, -2, 5, meter="1523.4"),
    Plan("overdue", 4, -3, 2, load="4.5", meter=None),
    Plan("switched_off", 10, -9, 4, meter="880.0", used="132.6"),
    Plan("closed", 20, -19, 1, load="5.0", meter=None),
    Plan("rejected", 6, -4, 2, load="18.0"),
    Plan("withdrawn", 3, 2, 1),
)


@dataclass(frozen=True)
class People:
    desk: Any
    engineer: Any


def through_services(premises: Premises, people: People, admins: list[Any], today: date) -> list[TemporaryPower]:
    made = []
    for n, plan in enumerate(PLAN):
        applied = today - timedelta(days=plan.applied)
        index = _company(premises, admins, n, applied, today)
        if index is None:
            continue
        made.append(_walk(premises, index, admins[index], people, plan, applied, n, today))
    return made


def _walk(premises, index, admin, people: People, plan: Plan, applied: date, n: int, today: date) -> TemporaryPower:
    tenant = premises.tenants[index]
    stay = premises.current_stays_of(index, today)[0]
    unit = None if plan.location else premises.units[stay.unit]
    start = local_dt(today + timedelta(days=plan.starts), 8)
    end = local_dt(today + timedelta(days=plan.starts + plan.days - 1), 18)
    name, certificate, phone = ELECTRICIANS[n % len(ELECTRICIANS)]
    renovation = Renovation.objects.filter(tenant=tenant, unit=unit, status__in=Renovation.LIVE).first()
    engineer = people.engineer
    with clock.at(local_dt(applied, 9, 10)):
        permit = power.power_apply(
            tenant=tenant,
            by=people.desk if n % 4 == 3 else admin,
            unit=unit,
            location=plan.location,
            renovation=renovation,
            purpose=PURPOSES[n % len(PURPOSES)],
            load_kw=Decimal(plan.load),
            voltage=380 if Decimal(plan.load) > 5 else 220,
            phases=3 if Decimal(plan.load) > 5 else 1,
            starts_at=start,
            ends_at=end,
            electrician_name=name,
            certificate_number=certificate,
            certificate_expiry=today + timedelta(days=400 + n),
            phone=phone,
        )
    if plan.final == "submitted":
        return permit
    with clock.at(local_dt(applied, 14)):
        if plan.final == "returned":
            return power.power_send_back(obj=permit, by=engineer, note="负荷超过单元配电容量，请核减后重新提交。")
        if plan.final == "rejected":
            return power.power_reject(obj=permit, by=engineer, note="该区域配电箱检修中，本期不能接驳临时用电。")
        power.power_approve(obj=permit, by=engineer)
    if plan.final in ("approved", "withdrawn"):
        if plan.final == "withdrawn":
            with clock.at(local_dt(applied, 16)):
                power.power_withdraw(obj=permit, by=admin, note="施工计划推迟，撤回申请。")
        return permit
    with clock.at(start - timedelta(minutes=30)):
        power.power_inspect(obj=permit, by=engineer, checklist=ALL_TICKED, note="漏电保护测试正常，线缆架空。")
    if plan.final == "inspected":
        return permit
    with clock.at(start + timedelta(minutes=20)):
        meter = Decimal(plan.meter) if plan.meter else None
        power.power_switch_on(obj=permit, by=engineer, meter_start=meter, no_meter=meter is None)
    if plan.final in ("switched_on", "overdue"):
        return permit
    with clock.at(end + timedelta(minutes=15)):
        meter_end = Decimal(plan.meter) + Decimal(plan.used) if plan.meter else None
        power.power_switch_off(obj=permit, by=engineer, meter_end=meter_end)
    if plan.final == "closed":
        with clock.at(end + timedelta(days=1)):
            power.power_close(obj=permit, by=people.desk, note="电费已出账，现场已拆除临时线路。")
    permit.refresh_from_db()
    return permit
