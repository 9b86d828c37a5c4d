"""Renovations of the demo: one in each state (under review, one review passed, reviewed,
returned, approved with fees due, in works with its permit, in works extended (an approved
extension, the permit issued again), in works with an extension waiting for the supervisor,
in works with an open rectification order, stopped, acceptance requested, accepted in the
defect period with an approved deduction, refunded, rejected, withdrawn), walked through
``renovation.services`` by the demo users at the time of each step.

Their worker passes 施工人员出入证 are issued through ``permits.passes`` in every pass state:
issued, lost and reissued, lost, returned (deposit refunded), expired by date, suspended by
the stop-work order, void at acceptance (one forfeiting its deposit at the refund)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from billing.models import Bill
from billing.services import payment_record
from jinyuan.workflow.services import transition
from permits import passes as worker_passes
from permits.models import WorkerPass, id_number_check_char
from renovation import extensions, services
from renovation.models import Renovation
from tenants.selectors import occupancy_of

from . import clock
from .premises import Premises, local_dt

# A one-page PDF: the demo's drawings and papers (attachments check the content).
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
FILES = {
    "licence": "施工单位营业执照.pdf",
    "drawing_plan": "平面布置图.pdf",
    "drawing_electrical": "电气系统图.pdf",
    "drawing_fire": "消防平面图.pdf",
    "undertaking": "消防安全责任保证书.pdf",
    "agreement": "装修管理协议.pdf",
}
CONTRACTORS = (
    ("南宁精工装饰工程有限公司", "赵志明", "13977130003"),
    ("广西华美建筑装饰有限公司", "黄国强", "13807710021"),
    ("南宁雅居室内设计工程有限公司", "陆海波", "18977150032"),
)
WORKS = (
    ["轻钢龙骨隔墙", "石膏板吊顶", "照明线路改造"],
    ["会议室玻璃隔断", "地毯铺设", "墙面乳胶漆"],
    ["办公区网络布线", "空调风口调整", "前台背景墙"],
)


@dataclass(frozen=True)
class People:
    desk: Any
    supervisor: Any
    engineer: Any
    guard: Any


# Final state, days ago the application came in.
PLAN = (
    ("refunded", 160),
    ("accepted", 60),
    ("acceptance_requested", 45),
    ("stopped", 35),
    ("order_open", 30),
    ("in_works_extended", 20),
    ("in_works_extension_applied", 12),
    ("approved", 6),
    ("reviewed", 4),
    ("engineering_passed", 2),
    ("security_passed", 2),
    ("applied", 0),
    ("returned", 3),
    ("rejected", 9),
    ("withdrawn", 8),
)


def _files() -> dict:
    return {kind: SimpleUploadedFile(name, PDF, content_type="application/pdf") for kind, name in FILES.items()}


def through_services(premises: Premises, people: People, admins: list[Any], today: date) -> list[Renovation]:
    made = []
    used: set[int] = set()
    _issued[0] = 0
    for n, (final, days_ago) in enumerate(PLAN):
        applied = today - timedelta(days=days_ago)
        # The first company from the n-th on with a unit free of renovations; the lifecycle
        # demo ran first (a move-out may have ended a stay): ask the occupancies.
        for index in [(n + k) % len(admins) for k in range(len(admins))]:
            stays = [
                s
                for s in premises.current_stays_of(index, today)
                if s.unit not in used and _occupies(premises, s, applied) and _occupies(premises, s, today)
            ]
            if stays:
                used.add(stays[0].unit)
                made.append(_walk(premises, stays[0], admins[index], people, final, applied, n))
                break
    return made


def _occupies(premises: Premises, stay, day: date) -> bool:
    return occupancy_of(premises.tenants[stay.tenant], premises.units[stay.unit], on=day) is not None


def _walk(premises: Premises, stay, admin: Any, people: People, final: str, applied: date, n: int) -> Renovation:
    tenant, unit = premises.tenants[stay.tenant], premises.units[stay.unit]
    contractor, person, phone = CONTRACTORS[n % len(CONTRACTORS)]
    contact = (premises.contacts.get(stay.tenant) or [None])[0]
    start = applied + timedelta(days=3 if final in ("approved", "reviewed", "engineering_passed") else 4)
    with clock.at(local_dt(applied, 10)):
        r = services.renovation_apply(
            tenant=tenant,
            unit=unit,
            by=admin,
            files=_files(),
            contact_name=contact.name if contact else "王建国",
            contact_phone=(contact.phone if contact else "") or "13877110001",
            contractor_name=contractor,
            contractor_person=person,
            contractor_phone=phone,
            planned_start=start,
            planned_end=start + timedelta(days=45),
            work_items=WORKS[n % len(WORKS)],
            electrical_load_kw=Decimal("15.0"),
            fire_safety_person=person,
            fire_safety_phone=phone,
            intended_use="office",
        )
    if final == "applied":
        return r
    if final == "withdrawn":
        with clock.at(local_dt(applied, 16)):
            transition(r, "withdraw", by=admin, note="合同工期调整，撤回后重新申请。")
        return r
    day = applied + timedelta(days=1)
    if final == "returned":
        with clock.at(local_dt(day, 9, 30)):
            services.renovation_return_engineering(
                obj=r, by=people.engineer, note="电气系统图未标明配电箱位置及回路负荷，请补充。"
            )
        return r
    if final == "security_passed":
        with clock.at(local_dt(day, 10)):
            services.renovation_pass_security(obj=r, by=people.guard, note="不影响消防通道和疏散指示。")
        return r
    with clock.at(local_dt(day, 9, 30)):
        services.renovation_pass_engineering(obj=r, by=people.engineer, note="图纸齐全，用电负荷在容量以内。")
    if final == "engineering_passed":
        return r
    with clock.at(local_dt(day, 11)):
        services.renovation_pass_security(obj=r, by=people.guard, note="不影响消防通道和疏散指示。")
    if final == "reviewed":
        return r
    day += timedelta(days=1)
    if final == "rejected":
        with clock.at(local_dt(day, 15)):
            return services.renovation_reject(
                obj=r, by=people.supervisor, note="拟拆除承重墙体，不符合大厦装修管理规定。"
            )
    with clock.at(local_dt(day, 15)):
        services.renovation_approve(obj=r, by=people.supervisor)
    if final == "approved":
        return r
    r = Renovation.objects.select_related("fees_bill", "tenant", "unit").get(pk=r.pk)
    with clock.at(local_dt(day + timedelta(days=1), 10)):
        payment_record(tenant=r.tenant, amount=r.fees_bill.total, method="bank", by=people.desk, bills=[r.fees_bill])
    r = Renovation.objects.select_related("fees_bill", "tenant", "unit").get(pk=r.pk)
    with clock.at(local_dt(r.granted_start, 9)):
        services.renovation_start_works(obj=r, by=people.desk)
    if final == "in_works_extended":
        return _extended(r, people, admin)
    if final == "in_works_extension_applied":
        _issue_passes(r, people, r.granted_start + timedelta(days=1), ["issued"])
        with clock.at(local_dt(r.granted_start + timedelta(days=6), 11)):
            extensions.extension_apply(
                renovation=Renovation.objects.get(pk=r.pk),
                by=admin,
                new_end=r.granted_end + timedelta(days=15),
                reason="定制玻璃隔断到货延迟约两周，申请顺延工期。",
            )
        return r
    if final == "in_works":
        return r
    return _works(r, people, final, admin)


# --- worker passes and extensions ----------------------------------------------------------------

WORKERS = (
    ("李建军", "carpenter"),
    ("黄文华", "painter"),
    ("韦国强", "electrician"),
    ("覃志勇", "mason"),
    ("蒙小龙", "general"),
    ("陆德明", "plumber"),
    ("农海涛", "welder"),
)
_issued = [0]  # a serial for the workers' ID numbers across the demo


def _photo() -> SimpleUploadedFile:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (120, 160), (190, 205, 220)).save(out, format="JPEG")
    return SimpleUploadedFile("工人照片.jpg", out.getvalue(), content_type="image/jpeg")


def _id_number() -> str:
    """A valid 18-digit ID number (check digit per GB 11643), a new one each call."""
    _issued[0] += 1
    first17 = f"4501021985061{_issued[0]:04d}"
    return first17 + id_number_check_char(first17)


def _issue_passes(r: Renovation, people: People, day: date, kinds: list[str]) -> list[WorkerPass]:
    """One pass per entry of ``kinds`` issued by the desk on ``day`` (its fee and deposit paid
    at once); "expired" is valid for three days only (its verdict says expired today)."""
    made = []
    for n, kind in enumerate(kinds):
        name, trade = WORKERS[(_issued[0] + n) % len(WORKERS)]
        certified = trade in WorkerPass.CERTIFIED_TRADES
        with clock.at(local_dt(day, 9, 10 + n)):
            renovation = Renovation.objects.select_related("tenant", "unit").get(pk=r.pk)
            p = worker_passes.worker_pass_issue(
                renovation=renovation,
                worker_name=name,
                id_number=_id_number(),
                trade=trade,
                photo=_photo(),
                by=people.desk,
                certificate_number=f"T45010219850{_issued[0]:04d}" if certified else "",
                certificate_expiry=day + timedelta(days=700) if certified else None,
                valid_until=day + timedelta(days=3) if kind == "expired" else None,
            )
            bill = Bill.objects.filter(source_key=worker_passes.source_key(p)).first()
            if bill is not None:
                payment_record(tenant=renovation.tenant, amount=bill.total, method="cash", by=people.desk, bills=[bill])
        made.append(p)
    return made


def _pass_history(made: list[WorkerPass], kinds: list[str], people: People, day: date) -> None:
    """Lost (and reissued the next day) and returned passes, ``day`` onwards."""
    for p, kind in zip(made, kinds, strict=True):
        p = WorkerPass.objects.get(pk=p.pk)
        if kind in ("lost", "reissued"):
            with clock.at(local_dt(day, 14)):
                worker_passes.worker_pass_report_lost(obj=p, by=people.desk, note="工人在电梯厅遗失出入证。")
            if kind == "reissued":
                with clock.at(local_dt(day + timedelta(days=1), 9, 30)):
                    worker_passes.worker_pass_reissue(obj=WorkerPass.objects.get(pk=p.pk), by=people.desk)
        elif kind == "returned":
            with clock.at(local_dt(day, 17)):
                worker_passes.worker_pass_return(obj=p, by=people.desk, note="工人离场，交回出入证。")


def _extended(r: Renovation, people: People, admin: Any) -> Renovation:
    """In works with passes in every day-to-day state, and an approved extension."""
    kinds = ["issued", "reissued", "returned", "expired", "lost"]
    made = _issue_passes(r, people, r.granted_start + timedelta(days=1), kinds)
    _pass_history(made, kinds, people, r.granted_start + timedelta(days=5))
    with clock.at(local_dt(r.granted_start + timedelta(days=9), 10)):
        ext = extensions.extension_apply(
            renovation=Renovation.objects.get(pk=r.pk),
            by=admin,
            new_end=r.granted_end + timedelta(days=20),
            reason="业主追加会议室隔音改造，需顺延工期二十天。",
        )
    with clock.at(local_dt(r.granted_start + timedelta(days=10), 15)):
        extensions.extension_approve(obj=ext, by=people.supervisor, note="同意延期，按新许可证施工。")
    return r


def _works(r: Renovation, people: People, final: str, admin: Any) -> Renovation:
    """Part 2: an inspection finds a violation, the order, then per ``final`` a stop-work, the
    re-inspection, a deduction, acceptance and the refund after the defect period."""
    day = r.granted_start + timedelta(days=5)
    kinds = {"order_open": ["issued", "lost"], "acceptance_requested": ["issued", "returned"]}.get(
        final, ["issued", "issued"] if final == "stopped" else ["issued", "returned"]
    )
    made = _issue_passes(r, people, r.granted_start + timedelta(days=1), kinds)
    _pass_history(made, kinds, people, r.granted_start + timedelta(days=3))
    with clock.at(local_dt(day, 10)):
        order = services.renovation_inspect(
            renovation=r,
            by=people.engineer,
            department="engineering",
            inspected_at=local_dt(day, 9, 30),
            findings="强电井内临时电线未穿管，配电箱未加盖。",
            violation=True,
            requirement="临时用电线路穿管敷设，配电箱加盖上锁。",
            due_on=day + timedelta(days=3),
        ).order
    if final == "order_open":
        return r
    if final == "stopped":
        with clock.at(local_dt(day + timedelta(days=4), 15)):
            return services.renovation_stop_works(
                obj=r, by=people.supervisor, note="整改通知书逾期未整改，私拉电线存在火灾隐患，责令停工。"
            )
    with clock.at(local_dt(day + timedelta(days=3), 10)):
        services.renovation_inspect(
            renovation=r,
            by=people.engineer,
            department="engineering",
            inspected_at=local_dt(day + timedelta(days=3), 9, 30),
            findings="已穿管敷设，配电箱已加盖。",
            violation=False,
            reinspects=order,
        )
    with clock.at(local_dt(day + timedelta(days=6), 11)):
        d = services.deduction_propose(
            renovation=r,
            by=people.guard,
            department="security",
            items=[("施工材料堆放于消防通道", Decimal("500")), ("损坏电梯厅地砖 2 块", Decimal("360"))],
        )
    with clock.at(local_dt(day + timedelta(days=6), 16)):
        services.deduction_approve(obj=d, by=people.supervisor)
    with clock.at(local_dt(day + timedelta(days=10), 10)):
        services.renovation_request_acceptance(obj=r, by=admin)
    if final == "acceptance_requested":
        return r
    with clock.at(local_dt(day + timedelta(days=11), 10)):
        services.renovation_pass_acceptance_engineering(obj=r, by=people.engineer, note="按图施工，电气验收合格。")
    with clock.at(local_dt(day + timedelta(days=11), 14)):
        services.renovation_pass_acceptance_security(obj=r, by=people.guard, note="消防设施完好，疏散通道畅通。")
    if final == "accepted":
        return r
    r = Renovation.objects.get(pk=r.pk)
    with clock.at(local_dt(r.defect_period_ends + timedelta(days=1), 10)):
        return services.renovation_refund(obj=r, by=people.desk)
