"""Move-ins, a move-out and signboards (水牌) of the demo.

The directory as it stands (every current tenant's lobby board, many floor boards) is written
in bulk with its audit events: it went up before the system did. What is in progress goes
through ``tenants.services`` as the desk and the tenants would have done it today, so
checklists, bills, notifications and the archive are the real thing.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from billing import checklist as billing_checklist
from billing import services as billing_services
from billing.models import Bill, FeeItem
from billing.selectors import deposit_balance
from billing.services import LineSpec
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import transition
from tenants import services
from tenants.models import ArchiveKind, MoveIn, MoveOut, Signboard, Tenant, Unit

from . import bills, clock, names
from .bulk import copy_insert, reserve_ids
from .premises import LATE_FEE_GRACE_DAYS, LATE_FEE_RATE, Premises, anniversary, office_time

Position = Signboard.Position
FLOOR_BOARD_SHARE = 0.5  # of current tenants above the podium with a board on their floor too
OFFICE_FROM_FLOOR = 3
# ``billing.checklist``'s title of a board's fee bill, looked up through a variable so the bulk
# bills read as the service's in the active language without this module entering the catalogue.
SIGNBOARD_TITLE = "Signboard: %(text)s"

# Brand texts a tenant may want instead of its registered name (the supervisor must allow them).
BRANDS = ("邕城咖啡 Yongcheng Coffee", "五象设计工作室", "东盟跨境电商服务中心")
CONDITIONS = ("墙面、地面完好，空调、照明正常。", "交付时为毛坯，消防喷淋完好。", "隔墙一处有划痕，已拍照留存。")


@dataclass(frozen=True)
class People:
    desk: Any  # the front desk clerk who records every step
    supervisor: Any  # confirms move-ins and completes move-outs
    admins: list[Any]  # portal administrators, in tenant order: they ask for boards and move-outs

    def admin_of(self, index: int) -> Any:
        return self.admins[index] if index < len(self.admins) else self.desk


# --- the directory as it stands ---------------------------------------------------------------------


@dataclass
class BoardPlan:
    """A directory board the desk ordered when its tenant moved in, with the dates of its steps
    and of the payment of its production fee."""

    tenant: int  # tenant index
    building: Any
    position: str
    floor_number: int | None
    ordered: datetime
    approved: datetime
    produced: datetime
    installed: datetime
    paid: datetime
    method: str
    reference: str


def plan_directory(rng: random.Random, premises: Premises, today: date) -> list[BoardPlan]:
    """A lobby board for every current tenant in the building of its first unit, and a floor
    board for about half of those above the podium."""
    plans: list[BoardPlan] = []
    seen: set[int] = set()
    for stay in sorted(premises.stays, key=lambda s: (s.tenant, s.since)):
        if stay.tenant in seen or not stay.is_current(today):
            continue
        seen.add(stay.tenant)
        unit = premises.units[stay.unit]
        building = unit.floor.building
        plans.append(_board_plan(rng, stay.tenant, building, Position.LOBBY, None, stay.since, today))
        floor = unit.floor.number
        if floor >= OFFICE_FROM_FLOOR and rng.random() < FLOOR_BOARD_SHARE:
            plans.append(_board_plan(rng, stay.tenant, building, Position.FLOOR, floor, stay.since, today))
    return plans


def _board_plan(
    rng: random.Random, tenant: int, building: Any, position: str, floor: int | None, since: date, today: date
) -> BoardPlan:
    ordered_on = min(since + timedelta(days=rng.randint(1, 10)), today - timedelta(days=20))
    installed_on = min(ordered_on + timedelta(days=rng.randint(5, 18)), today - timedelta(days=1))
    ordered = office_time(rng, ordered_on)
    approved = ordered + timedelta(minutes=rng.randint(30, 240))
    installed = office_time(rng, installed_on)
    produced = installed - timedelta(hours=rng.randint(2, 20))
    method = rng.choice(("wechat", "cash", "bank"))
    paid = approved + timedelta(days=rng.randint(0, 10))
    return BoardPlan(
        tenant, building, position, floor, ordered, approved, produced, installed, paid, method,
        bills.reference(rng, method, paid.date()),
    )  # fmt: skip


def directory_through_services(
    premises: Premises, plans: list[BoardPlan], desk: Any, clerks: bills.Clerks
) -> dict[int, Signboard]:
    """Each board ordered, approved (its fee billed), produced and installed by the desk, and
    the fee paid, in the order it all happened, each at its time. Returns the lobby boards by
    tenant index."""
    boards: dict[int, Signboard] = {}
    steps = ("ordered", "approved", "produced", "installed", "paid")
    for at, n, step in sorted((getattr(plan, step), n, step) for n, plan in enumerate(plans) for step in steps):
        plan, tenant = plans[n], premises.tenants[plans[n].tenant]
        with clock.at(at):
            if step == "ordered":
                boards[n] = services.signboard_order(
                    tenant=tenant,
                    building=plan.building,
                    text=tenant.name,
                    by=desk,
                    position=plan.position,
                    floor_number=plan.floor_number,
                )
            elif step == "approved":
                services.signboard_approve(obj=boards[n], by=desk)
            elif step == "produced":
                transition(boards[n], "produce", by=desk)
            elif step == "installed":
                services.signboard_install(obj=boards[n], by=desk)
            elif fee := _signboard_bill(boards[n]):
                by = clerks.finance if plan.method == "bank" else clerks.desk
                billing_services.payment_record(
                    tenant=tenant, amount=fee.total, method=plan.method, by=by, reference=plan.reference, bills=[fee]
                )
    return {plan.tenant: boards[n] for n, plan in enumerate(plans) if plan.position == Position.LOBBY}


def directory_in_bulk(
    premises: Premises, plans: list[BoardPlan], desk: Any, clerks: bills.Clerks
) -> dict[int, Signboard]:
    """The rows ``directory_through_services`` makes, with COPY: boards, their events, the
    production fee bills and their payments."""
    boards = []
    for plan, pk in zip(plans, reserve_ids(Signboard, len(plans)), strict=True):
        tenant = premises.tenants[plan.tenant]
        boards.append(
            Signboard(
                pk=pk,
                tenant=tenant,
                building=plan.building,
                position=plan.position,
                floor_number=plan.floor_number,
                text=tenant.name,
                status=Signboard.Status.INSTALLED,
                applicant_id=desk.pk,
                created_at=plan.ordered,
                updated_at=plan.installed,
                installed_on=timezone.localdate(plan.installed),
            )
        )
    copy_insert(Signboard, boards)
    copy_insert(AuditEvent, _directory_events(boards, plans))
    fee = FeeItem.objects.filter(code="signboard", is_active=True).first()
    if fee is not None and fee.price > 0:
        _fees_in_bulk(boards, plans, fee, desk, clerks)
    return {plan.tenant: board for plan, board in zip(plans, boards, strict=True) if plan.position == Position.LOBBY}


def _fees_in_bulk(
    boards: list[Signboard], plans: list[BoardPlan], fee: FeeItem, desk: Any, clerks: bills.Clerks
) -> None:
    """The bills ``billing.checklist`` issues when a board's text is approved, and their payments."""
    planned = []
    for board, plan in zip(boards, plans, strict=True):
        title = gettext(SIGNBOARD_TITLE) % {"text": board.text}
        line = LineSpec(fee, f"{fee.name}：{board.text}", Decimal(1), fee.price)
        planned.append(
            bills.planned_bill(
                board.tenant,
                title,
                [line],
                issued_on=timezone.localdate(plan.approved),
                source_key=f"signboard:{board.pk}",
                created_at=plan.approved,
                created_by=desk,
            )
        )
    payments = []
    for bill, plan in zip(planned, plans, strict=True):
        bill.paid = bill.total
        by = clerks.finance if plan.method == "bank" else clerks.desk
        payments.append(bills.PastPayment(bill, bill.total, plan.method, plan.reference, plan.paid, by))
    bills.write_bills(planned)
    bills.write_payments(sorted(payments, key=lambda p: p.received_at))


def _directory_events(boards: list[Signboard], plans: list[BoardPlan]) -> list[AuditEvent]:
    """The events ``signboard_order`` and the transitions record, on the board and the tenant."""
    ct, tenant_ct = ContentType.objects.get_for_model(Signboard), ContentType.objects.get_for_model(Tenant)
    S = Signboard.Status
    events = []
    for board, plan in zip(boards, plans, strict=True):
        common = {"content_type": ct, "object_id": board.pk, "actor_id": board.applicant_id}
        events += [
            AuditEvent(
                **common, action="signboard.ordered", at=plan.ordered, to_state=S.ORDERED, data={"text": board.text}
            ),
            AuditEvent(
                content_type=tenant_ct,
                object_id=board.tenant.pk,
                actor_id=board.applicant_id,
                action="tenant.signboard_ordered",
                at=plan.ordered,
                data={"signboard": board.pk, "text": board.text},
            ),
            AuditEvent(
                **common, action="signboard.approved", at=plan.approved, from_state=S.ORDERED, to_state=S.APPROVED
            ),
            AuditEvent(
                **common, action="signboard.produced", at=plan.produced, from_state=S.APPROVED, to_state=S.PRODUCED
            ),
            AuditEvent(
                **common, action="signboard.installed", at=plan.installed, from_state=S.PRODUCED, to_state=S.INSTALLED
            ),
        ]
    return events


# --- move-ins in progress -------------------------------------------------------------------------


def move_ins_through_services(
    rng: random.Random, premises: Premises, people: People, clerks: bills.Clerks, today: date
) -> list[MoveIn]:
    """Former tenants coming back into vacant units (or new companies, if too few come back),
    at different steps:

    0. confirmed ten days ago: everything done, occupancy started, portal login invited;
    1. everything done but the supervisor's confirmation (documents on file, agreement, keys,
       inspection, signboard ordered, first charges billed and paid, so its deposits are held);
    2. agreement signed and keys handed over, first charges billed but not paid;
    3. just opened.
    """
    returning = _returning_tenants(premises, today)[:4]
    vacant = _vacant_units(premises, today)
    plans = (
        (1, today - timedelta(days=10)),
        (2, today + timedelta(days=7)),
        (1, _next_month(today)),
        (1, today + timedelta(days=21)),
    )
    now = timezone.now()
    made = []
    for step, (count, start) in enumerate(plans):
        units = _take_adjacent(vacant, count)
        if not units:
            break
        # The confirmed one was opened a month ago; the others today.
        opened = now - timedelta(days=30 if step == 0 else 0)
        index = returning[step] if step < len(returning) else _newcomer(rng, premises, opened, people.desk)
        tenant = premises.tenants[index]
        with clock.at(opened):
            move_in = services.movein_open(
                tenant=tenant,
                units=units,
                start_date=start,
                lease_end=anniversary(start, 3) - timedelta(days=1),
                by=people.desk,
                note="原业户回迁，租期三年。",
            )
        if step <= 2:
            signed = opened + timedelta(days=5 if step == 0 else 0) - timedelta(hours=step)
            with clock.at(signed):
                _agreement_and_keys(rng, move_in, premises.contacts[index][0].name, signed.date(), people)
                bill = billing_checklist.bill_first_charges(move_in=move_in, by=people.desk)
            if step <= 1:
                with clock.at(signed + timedelta(hours=2)):
                    _ready_to_confirm(rng, move_in, units[0].floor.building, people)
                with clock.at(signed + timedelta(days=3 if step == 0 else 0, hours=3)):
                    bills.pay(rng, tenant, bill.total, "bank", clerks.finance, [bill])
        if step == 0:
            with clock.at(now - timedelta(days=10)):
                services.movein_confirm(obj=move_in, by=people.supervisor, note="手续齐全，准予入驻。")
        made.append(move_in)
    return made


def _agreement_and_keys(rng: random.Random, move_in: MoveIn, signer: str, signed_on: date, people: People) -> None:
    services.movein_record_agreement(
        move_in=move_in,
        signed_on=signed_on,
        signer=signer,
        by=people.desk,
        late_fee_daily_rate=LATE_FEE_RATE,
        late_fee_grace_days=LATE_FEE_GRACE_DAYS,
    )
    for row in move_in.units.select_related("unit", "move_in"):
        services.movein_record_handover(row=row, keys=2, by=people.desk)


def _ready_to_confirm(rng: random.Random, move_in: MoveIn, building: Any, people: People) -> None:
    """The rest of the checklist but the first charges: documents, inspections, a signboard."""
    tenant = move_in.tenant
    _documents_on_file(tenant, people.desk)
    for row in move_in.units.select_related("unit", "move_in"):
        services.movein_record_inspection(
            row=row,
            water=Decimal(f"{rng.uniform(0, 40):.2f}"),
            electricity=Decimal(f"{rng.uniform(0, 900):.2f}"),
            condition=rng.choice(CONDITIONS),
            by=people.desk,
        )
    services.signboard_order(tenant=tenant, building=building, text=tenant.name, by=people.desk)


def _newcomer(rng: random.Random, premises: Premises, opened: datetime, desk: Any) -> int:
    """A company new to the building, registered by the desk just before its move-in opens.
    Returns its index in ``premises``."""
    taken = {t.name for t in premises.tenants}
    company = names.company(rng)
    while company.name in taken:
        company = names.company(rng)
    with clock.at(opened - timedelta(hours=1)):
        tenant = services.tenant_create(
            by=desk,
            name=company.name,
            credit_code=names.credit_code(rng, law_firm=company.law_firm),
            legal_representative=names.person_name(rng),
            industry=company.industry,
            phone=names.landline(rng),
            email=f"office@{company.email_domain}",
        )
        contact = services.contact_add(
            tenant=tenant,
            by=desk,
            name=names.person_name(rng),
            title=rng.choice(names.TITLES),
            phone=names.mobile(rng),
            email=f"admin@{company.email_domain}",
            is_primary=True,
        )
    premises.tenants.append(tenant)
    premises.contacts[len(premises.tenants) - 1] = [contact]
    return len(premises.tenants) - 1


def _returning_tenants(premises: Premises, today: date) -> list[int]:
    """Active former tenants: every stay of theirs has ended."""
    ended: dict[int, bool] = {}
    for stay in premises.stays:
        ended[stay.tenant] = ended.get(stay.tenant, True) and stay.end is not None and stay.end <= today
    return [i for i, done in sorted(ended.items()) if done and premises.tenants[i].is_active]


def _vacant_units(premises: Premises, today: date) -> list[Unit]:
    """Units nobody holds today or later, in building and number order."""
    taken = {s.unit for s in premises.stays if s.end is None or s.end > today}
    return [u for i, u in enumerate(premises.units) if i not in taken]


def _take_adjacent(vacant: list[Unit], count: int) -> list[Unit]:
    """``count`` neighbouring office units on one floor, taken out of ``vacant``."""
    for i in range(len(vacant) - count + 1):
        group = vacant[i : i + count]
        floors = {u.floor_id for u in group}
        if len(floors) == 1 and group[0].use == Unit.Use.OFFICE:
            del vacant[i : i + count]
            return group
    return []


def _next_month(today: date) -> date:
    return (today.replace(day=28) + timedelta(days=4)).replace(day=1)


def scan_pdf(title: str, company: str) -> bytes:
    """A one-page stand-in for a scanned paper, in Chinese like the real ones."""
    from weasyprint import HTML

    html = (
        "<html><body style=\"font-family: 'WenQuanYi Micro Hei'; padding: 3cm\">"
        f"<h1>{escape(title)}</h1><p>{escape(company)}</p><p>（演示数据：扫描件示例）</p></body></html>"
    )
    return HTML(string=html).write_pdf()


def _documents_on_file(tenant: Tenant, by: Any) -> None:
    """Licence, lease and the contact's ID in the archive: the move-in's document item."""
    for kind, title in (
        (ArchiveKind.LICENCE, "营业执照（副本）"),
        (ArchiveKind.LEASE, "房屋租赁合同"),
        (ArchiveKind.CONTACT_ID, "联系人身份证"),
    ):
        upload = SimpleUploadedFile(f"{title}.pdf", scan_pdf(title, tenant.name), content_type="application/pdf")
        services.archive_upload(tenant=tenant, kind=kind, upload=upload, by=by, title=title)


# --- move-outs ----------------------------------------------------------------------------------------

MOVING_OUT = 2  # tenant C: not A, whose portal login must keep its units
MOVED_OUT = 6  # tenant G: left today, everything settled


def move_out_through_services(premises: Premises, people: People, today: date) -> MoveOut | None:
    """Tenant C asked in the portal to leave in two weeks; the keys of one unit are back.
    Its deposit is still held and its lobby board still up: the checklist shows both."""
    if len(premises.tenants) <= MOVING_OUT or not premises.current_stays_of(MOVING_OUT, today):
        return None
    tenant = premises.tenants[MOVING_OUT]
    move_out = services.moveout_open(
        tenant=tenant,
        planned_date=today + timedelta(days=14),
        by=people.admin_of(MOVING_OUT),
        reason="公司整体搬迁至五象新区总部基地。",
    )
    first = move_out.units.select_related("unit", "move_out").first()
    services.moveout_record_return(row=first, keys=2, by=people.desk)
    return move_out


def completed_move_out_through_services(
    rng: random.Random, premises: Premises, people: People, clerks: bills.Clerks, today: date
) -> MoveOut | None:
    """Tenant G asked two weeks ago to leave today: keys back, units inspected, boards taken
    down, last bills paid, deposit refunded, completed by the supervisor this morning."""
    if len(premises.tenants) <= MOVED_OUT or not premises.current_stays_of(MOVED_OUT, today):
        return None
    tenant = premises.tenants[MOVED_OUT]
    now = timezone.now()
    with clock.at(now - timedelta(days=14)):
        move_out = services.moveout_open(
            tenant=tenant, planned_date=today, by=people.admin_of(MOVED_OUT), reason="合同到期，不再续租。"
        )
    with clock.at(now - timedelta(days=1)):
        for row in move_out.units.select_related("unit", "move_out"):
            services.moveout_record_return(row=row, keys=2, by=people.desk)
            services.moveout_record_inspection(
                row=row,
                water=Decimal(f"{rng.uniform(0, 40):.2f}"),
                electricity=Decimal(f"{rng.uniform(0, 900):.2f}"),
                damage="",
                damage_charge=Decimal(0),
                by=people.desk,
            )
        for board in Signboard.objects.filter(tenant=tenant, status=Signboard.Status.INSTALLED):
            transition(board, "remove", by=people.desk, note="业户退租，拆除水牌。")
        owed = bills.open_bills(tenant)
        if owed:
            bills.pay(rng, tenant, bills.outstanding(owed), "bank", clerks.finance, owed)
        held = deposit_balance(tenant)
        if held:
            billing_services.deposit_refund(
                tenant=tenant, refund=held, deductions=[], by=clerks.finance, source_key=f"moveout:{move_out.pk}"
            )
    with clock.at(now - timedelta(hours=1)):
        services.moveout_complete(obj=move_out, by=people.supervisor, note="退租手续已办结。")
    return move_out


# --- signboards in progress --------------------------------------------------------------------------


def signboards_through_services(
    rng: random.Random,
    premises: Premises,
    people: People,
    clerks: bills.Clerks,
    lobby: dict[int, Signboard],
    today: date,
) -> list[Signboard]:
    """Boards in every state the desk meets (the move-in's ordered board comes on top):

    - tenant A: a floor board, text approved (its production fee billed and paid today);
    - tenant B: an English line added to its lobby board, produced, waiting to go up;
    - tenant D: a new lobby board installed today, replacing (and removing) the old one;
    - tenant E: a brand text, waiting for the supervisor to allow it;
    - tenant F: rejected.
    """
    made = []

    def order(index: int, text: str, **kwargs: Any) -> Signboard | None:
        if index >= len(premises.tenants) or index not in lobby:
            return None
        old = lobby[index]
        board = services.signboard_order(
            tenant=premises.tenants[index], building=old.building, text=text, by=people.admin_of(index), **kwargs
        )
        made.append(board)
        return board

    def name(index: int) -> str:
        return premises.tenants[index].name if index < len(premises.tenants) else ""

    board = order(0, name(0), position=Position.FLOOR, floor_number=_floor_of(premises, 0, today))
    if board:
        services.signboard_approve(obj=board, by=people.desk)
        fee = _signboard_bill(board)
        if fee is not None:
            bills.pay(rng, board.tenant, fee.total, "wechat", clerks.desk, [fee])
    board = order(1, name(1), text_en=english_name(premises.tenants[1]), replaces=lobby.get(1))
    if board:
        services.signboard_approve(obj=board, by=people.desk)
        transition(board, "produce", by=people.desk)
    board = order(3, name(3), replaces=lobby.get(3))
    if board:
        services.signboard_approve(obj=board, by=people.desk)
        transition(board, "produce", by=people.desk)
        services.signboard_install(obj=board, by=people.desk, note="原水牌褪色，更换新牌。")
    order(4, rng.choice(BRANDS))
    board = order(5, name(5), position=Position.FLOOR, floor_number=_floor_of(premises, 5, today))
    if board:
        transition(board, "reject", by=people.desk, note="该楼层目录牌已满，请改订大堂水牌。")
    return made


# English words of the demo's trades (names.TRADES slugs), for the English line of a board.
TRADE_EN = {
    "tech": "Technology", "it": "Information Technology", "net": "Network Technology", "trade": "Trading",
    "trading": "Commerce", "consult": "Management Consulting", "design": "Architectural Design",
    "eng": "Engineering Consulting", "media": "Culture & Media", "ad": "Advertising", "invest": "Investment",
    "lease": "Financial Leasing", "pharma": "Pharmaceutical", "edu": "Education Technology",
    "hr": "Human Resources", "logistics": "Logistics", "food": "Catering Management", "realty": "Real Estate",
    "tax": "Tax Services", "law": "Law Firm", "cpa": "CPA Firm",
}  # fmt: skip


def english_name(tenant: Tenant) -> str:
    """ "Boyuan Human Resources Co., Ltd." from the demo's e-mail domain (pinyin-trade.example)."""
    domain = tenant.email.split("@")[-1].split(".")[0]
    pinyin, _sep, slug = domain.partition("-")
    trade = TRADE_EN.get(slug, "")
    suffix = "" if slug in ("law", "cpa") else " Co., Ltd."
    return f"{pinyin.title()} {trade}{suffix}".strip()


def _floor_of(premises: Premises, index: int, today: date) -> int:
    stays = premises.current_stays_of(index, today)
    return premises.units[stays[0].unit].floor.number if stays else 1


def _signboard_bill(board: Signboard) -> Bill | None:
    return Bill.objects.filter(tenant_id=board.tenant_id, source_key=f"signboard:{board.pk}").first()
