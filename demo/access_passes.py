"""Building access passes 大厦出入证 of the demo, through ``permits.access_passes`` at the time of
each step, in every state: requested (one by one and from an Excel list), approved, refused,
issued (deposit, card fee, free), lost, lost and reissued, returned (deposit refunded),
withdrawn, cancelled, and expired by the scan (a temporary card past its last day)."""

from datetime import date, timedelta
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from billing.models import Bill
from billing.services import payment_record
from permits import access_passes as services
from permits.models import AccessPass

from . import clock
from .premises import Premises, local_dt

DEPARTMENTS = ("行政部", "财务部", "市场部", "技术部", "人力资源部", "销售部")
STAFF = (
    "覃丽华", "韦志强", "黄晓燕", "陆建平", "蒙海燕", "梁文杰", "农雪梅", "罗振宇", "莫小兰", "唐国栋",
    "廖美玲", "钟伟", "甘秋菊", "潘永福", "卢静",
)  # fmt: skip

# (final state, days ago it was asked for, card type, charge)
PLAN = (
    ("issued", 200, "staff", "deposit"),
    ("issued", 150, "staff", "fee"),
    ("issued", 90, "staff", "free"),
    ("reissued", 120, "staff", "deposit"),
    ("lost", 60, "staff", "deposit"),
    ("returned", 300, "staff", "deposit"),
    ("cancelled", 80, "staff", "deposit"),
    ("expired", 45, "temporary", "deposit"),
    ("refused", 10, "staff", ""),
    ("withdrawn", 6, "staff", ""),
    ("approved", 3, "staff", ""),
    ("requested", 1, "staff", ""),
)


def _card_number(tenant_index: int, n: int) -> str:
    return f"{30000000 + tenant_index * 1000 + n:08d}"


def through_services(premises: Premises, desk: Any, admins: list[Any], today: date) -> list[AccessPass]:
    """Cards of the first companies with a portal admin: the whole plan for the first, a few
    issued cards for the next two, and an Excel list waiting at the desk."""
    made: list[AccessPass] = []
    companies = [i for i in range(len(admins)) if premises.current_stays_of(i, today)][:3]
    for rank, index in enumerate(companies):
        plan = PLAN if rank == 0 else PLAN[:3]
        for n, step in enumerate(plan):
            made.append(_walk(premises, index, admins[index], desk, step, n, today))
    if companies:
        made += _excel_list(premises, companies[0], admins[companies[0]], today)
    with clock.at(local_dt(today, 8, 0)):
        services.expire_due(today)
    return made


def _walk(premises: Premises, index: int, admin: Any, desk: Any, step: tuple, n: int, today: date) -> AccessPass:
    final, days_ago, card_type, charge = step
    tenant = premises.tenants[index]
    asked = today - timedelta(days=days_ago)
    floors = list(services.tenant_floors(tenant, on=today))
    valid_until = asked + timedelta(days=30) if card_type == "temporary" else None
    with clock.at(local_dt(asked, 10, n)):
        card = services.access_pass_request(
            tenant=tenant,
            by=admin,
            holder_name=STAFF[(index * 5 + n) % len(STAFF)],
            department=DEPARTMENTS[n % len(DEPARTMENTS)],
            mobile=f"13{(index * 7 + n) % 10}0771{index:02d}{n:02d}"[:11],
            card_type=card_type,
            floors=floors[:1] if n % 2 else floors,
            valid_until=valid_until,
        )
    if final == "requested":
        return card
    if final == "withdrawn":
        with clock.at(local_dt(asked, 15)):
            return services.access_pass_withdraw(obj=card, by=admin)
    if final == "refused":
        with clock.at(local_dt(asked + timedelta(days=1), 9)):
            return services.access_pass_refuse(obj=card, by=desk, note="非本公司在职员工，请核实后重新申请")
    with clock.at(local_dt(asked + timedelta(days=1), 9, 30)):
        services.access_pass_approve(obj=card, by=desk)
    if final == "approved":
        return card
    issued_on = asked + timedelta(days=2)
    with clock.at(local_dt(issued_on, 14)):
        services.access_pass_issue(obj=card, by=desk, card_number=_card_number(index, n), charge=charge)
    bill = Bill.objects.filter(source_key__startswith=services.source_key(card), status=Bill.Status.OPEN).first()
    if bill is not None and final != "cancelled":
        with clock.at(local_dt(issued_on, 14, 5)):
            payment_record(tenant=tenant, amount=bill.total, method="cash", by=desk, bills=[bill])
    half = asked + timedelta(days=max(3, days_ago // 2))
    if final in ("lost", "reissued"):
        with clock.at(local_dt(half, 11)):
            services.access_pass_report_lost(obj=card, by=admin, note="员工外出时遗失")
    if final == "reissued":
        with clock.at(local_dt(half + timedelta(days=1), 10)):
            services.access_pass_reissue(obj=card, by=desk, card_number=_card_number(index, n + 500))
    if final == "returned":
        with clock.at(local_dt(half, 16)):
            services.access_pass_return(obj=card, by=desk, note="员工离职，卡已收回")
    if final == "cancelled":
        with clock.at(local_dt(half, 16)):
            services.access_pass_cancel(obj=card, by=desk, note="公司申请注销：员工离职未交卡")
    return card


def _excel_list(premises: Premises, index: int, admin: Any, today: date) -> list[AccessPass]:
    """Three new staff asked for in one Excel list, this morning."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["持卡人", "部门", "手机号", "卡类型", "开通楼层", "有效期至"])
    for k, name in enumerate(("石磊", "麦嘉欣", "谢文斌")):
        ws.append([name, "技术部", f"1397711{index:02d}{k:02d}", "员工卡", "", ""])
    buf = BytesIO()
    wb.save(buf)
    upload = SimpleUploadedFile("新员工出入证名单.xlsx", buf.getvalue())
    with clock.at(local_dt(today, 9, 15)):
        return services.access_pass_import(tenant=premises.tenants[index], by=admin, upload=upload)
