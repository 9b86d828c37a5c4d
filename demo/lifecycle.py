"""Move-ins, a move-out and signboards (水牌) of the demo.

The directory as it stands (every current tenant's lobby board, many floor boards) is written
in bulk with its audit events: it went up before the system did. What is in progress goes
through ``tenants.services`` as the desk and the tenants would have done it today, so
checklists, bills, notifications and the archive are the real thing.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from billing import checklist as billing_checklist
from billing.models import Bill
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import transition
from tenants import services
from tenants.models import ArchiveFile, MoveIn, MoveOut, Signboard, Tenant, Unit

from . import bills
from .bulk import copy_insert
from .premises import Premises, anniversary, office_time

Position = Signboard.Position
FLOOR_BOARD_SHARE = 0.5  # of current tenants above the podium with a board on their floor too
OFFICE_FROM_FLOOR = 3

# Brand texts a tenant may want instead of its registered name (the supervisor must allow them).
BRANDS = ("邕城咖啡 Yongcheng Coffee", "五象设计工作室", "东盟跨境电商服务中心")
CONDITIONS = ("墙面、地面完好，空调、照明正常。", "交付时为毛坯，消防喷淋完好。", "隔墙一处有划痕，已拍照留存。")


@dataclass(frozen=True)
class People:
    desk: Any  # the front desk clerk who records every step
    admins: list[Any]  # portal administrators, in tenant order: they ask for boards and move-outs

    def admin_of(self, index: int) -> Any:
        return self.admins[index] if index < len(self.admins) else self.desk


# --- the directory as it stands ---------------------------------------------------------------------


def directory_in_bulk(rng: random.Random, premises: Premises, today: date, desk_id: int) -> dict[int, Signboard]:
    """An installed lobby board for every current tenant in the building of its first unit,
    and a floor board for about half of them. Returns the lobby boards by tenant index."""
    lobby: dict[int, Signboard] = {}
    boards: list[Signboard] = []
    seen: set[int] = set()
    for stay in sorted(premises.stays, key=lambda s: (s.tenant, s.since)):
        if stay.tenant in seen or not stay.is_current(today):
            continue
        seen.add(stay.tenant)
        tenant, unit = premises.tenants[stay.tenant], premises.units[stay.unit]
        building = unit.floor.building
        lobby[stay.tenant] = _installed(rng, tenant, building, Position.LOBBY, None, stay.since, today, desk_id)
        boards.append(lobby[stay.tenant])
        floor = unit.floor.number
        if floor >= OFFICE_FROM_FLOOR and rng.random() < FLOOR_BOARD_SHARE:
            boards.append(_installed(rng, tenant, building, Position.FLOOR, floor, stay.since, today, desk_id))
    copy_insert(Signboard, boards)
    copy_insert(AuditEvent, _directory_events(boards))
    return lobby


def _installed(
    rng: random.Random,
    tenant: Tenant,
    building: Any,
    position: str,
    floor: int | None,
    since: date,
    today: date,
    desk_id: int,
) -> Signboard:
    ordered = min(since + timedelta(days=rng.randint(1, 10)), today - timedelta(days=20))
    installed = min(ordered + timedelta(days=rng.randint(5, 18)), today - timedelta(days=1))
    return Signboard(
        tenant=tenant,
        building=building,
        position=position,
        floor_number=floor,
        text=tenant.name,
        status=Signboard.Status.INSTALLED,
        applicant_id=desk_id,
        created_at=office_time(rng, ordered),
        updated_at=office_time(rng, installed),
        installed_on=installed,
    )


def _directory_events(boards: list[Signboard]) -> list[AuditEvent]:
    """Ordered and installed, as ``signboard_order`` and the install transition record them."""
    ct = ContentType.objects.get_for_model(Signboard)
    events = []
    for board in boards:
        common = {"content_type": ct, "object_id": board.pk, "actor_id": board.applicant_id}
        events.append(
            AuditEvent(
                **common,
                action="signboard.ordered",
                at=board.created_at,
                to_state=Signboard.Status.ORDERED,
                data={"text": board.text},
            )
        )
        events.append(
            AuditEvent(
                **common,
                action="signboard.installed",
                at=board.updated_at,
                from_state=Signboard.Status.PRODUCED,
                to_state=Signboard.Status.INSTALLED,
            )
        )
    return events


# --- move-ins in progress -------------------------------------------------------------------------


def move_ins_through_services(
    rng: random.Random, premises: Premises, people: People, clerks: bills.Clerks, today: date
) -> list[MoveIn]:
    """Three former tenants coming back into vacant units, at different steps:

    1. everything done but the supervisor's confirmation (documents on file, agreement, keys,
       inspection, signboard ordered, first charges billed and paid, so its deposits are held);
    2. agreement signed and keys handed over, first charges billed but not paid;
    3. just opened.
    """
    returning = _returning_tenants(premises, today)[:3]
    vacant = _vacant_units(premises, today)
    plans = ((2, today + timedelta(days=7)), (1, _next_month(today)), (1, today + timedelta(days=21)))
    made = []
    for step, (index, (count, start)) in enumerate(zip(returning, plans, strict=False), start=1):
        units = _take_adjacent(vacant, count)
        if not units:
            break
        tenant = premises.tenants[index]
        move_in = services.movein_open(
            tenant=tenant,
            units=units,
            start_date=start,
            lease_end=anniversary(start, 3) - timedelta(days=1),
            by=people.desk,
            note="原业户回迁，租期三年。",
        )
        if step <= 2:
            _agreement_and_keys(rng, move_in, premises.contacts[index][0].name, today - timedelta(days=step), people)
            bill = billing_checklist.bill_first_charges(move_in=move_in, by=people.desk)
            if step == 1:
                _ready_to_confirm(rng, move_in, units[0].floor.building, people)
                bills.pay(rng, tenant, bill.total, "bank", clerks.finance, [bill])
        made.append(move_in)
    return made


def _agreement_and_keys(rng: random.Random, move_in: MoveIn, signer: str, signed_on: date, people: People) -> None:
    services.movein_record_agreement(move_in=move_in, signed_on=signed_on, signer=signer, by=people.desk)
    for row in move_in.units.select_related("unit", "move_in"):
        services.movein_record_handover(row=row, keys=2, cards=rng.randint(3, 8), by=people.desk)


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
        (ArchiveFile.Kind.LICENCE, "营业执照（副本）"),
        (ArchiveFile.Kind.LEASE, "房屋租赁合同"),
        (ArchiveFile.Kind.CONTACT_ID, "联系人身份证"),
    ):
        upload = SimpleUploadedFile(f"{title}.pdf", scan_pdf(title, tenant.name), content_type="application/pdf")
        services.archive_upload(tenant=tenant, kind=kind, upload=upload, by=by, title=title)


# --- a move-out in progress --------------------------------------------------------------------------

MOVING_OUT = 2  # tenant C: not A, whose portal login must keep its units


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
    services.moveout_record_return(row=first, keys=2, cards=4, by=people.desk)
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
