"""Release notes 大件物品放行条 of the demo, one in every state (waiting for the desk, returned,
issued for today and for a later day, released at the exit with its items ticked, refused at
the exit, expired unused, refused by the desk, withdrawn, revoked) and a move-out note written
by the desk for the move-out in progress, walked through ``permits.release_notes`` and the
gate check by the demo users at the time of each step."""

from datetime import date, timedelta
from typing import Any

from jinyuan.documents.services import gate_check
from permits import release_notes
from permits.models import ReleaseNote, id_number_check_char
from tenants.models import MoveOut

from . import clock
from .premises import Premises, local_dt

CARGO = (
    [{"name": "办公桌", "quantity": 6}, {"name": "办公椅", "quantity": 12}],
    [{"name": "服务器机柜", "quantity": 1}, {"name": "UPS 电源", "quantity": 2}],
    [{"name": "展示柜", "quantity": 2}],
    [{"name": "样品箱", "quantity": 15}, {"name": "打印机", "quantity": 1}],
)
CARRIERS = (("黄师傅", "桂A3K821"), ("覃建新", "桂AD12345"), ("陆明", "桂B59203"), ("韦志坚", "桂A7Q566"))

# Final state, days from today of the note's date, days before that it was applied for.
PLAN = (
    ("submitted", 1, 1),
    ("submitted", 0, 0),
    ("returned", 2, 1),
    ("issued", 0, 1),
    ("issued", 3, 1),
    ("released", -3, 1),
    ("released", -1, 0),
    ("refused", -2, 1),
    ("expired", -4, 1),
    ("rejected", -6, 1),
    ("withdrawn", 5, 2),
    ("revoked", 1, 2),
)


def carrier_id(n: int) -> str:
    first17 = f"4501031988{(n % 12) + 1:02d}1{n % 10}0{n % 100:02d}"[:17]
    return first17 + id_number_check_char(first17)


def through_services(premises: Premises, admins: list[Any], desk: Any, guard: Any, today: date) -> list[ReleaseNote]:
    made = [
        _walk(premises, admins, desk, guard, today, n, final, ahead, lead)
        for n, (final, ahead, lead) in enumerate(PLAN)
    ]
    move_out = MoveOut.objects.filter(status=MoveOut.Status.OPEN).select_related("tenant").order_by("pk").first()
    if move_out is not None:
        with clock.at(local_dt(today, 9, 15)):
            made.append(
                release_notes.release_note_create_for(
                    tenant=move_out.tenant,
                    by=desk,
                    note="迁出物品清单已与业户核对，押金足以抵扣未结费用。",
                    **_fields(max(move_out.planned_date, today), 99, purpose="move_out"),
                )
            )
    return made


def _fields(day: date, n: int, purpose: str = "ordinary") -> dict:
    name, plate = CARRIERS[n % len(CARRIERS)]
    return {
        "date": day,
        "purpose": purpose,
        "items": CARGO[n % len(CARGO)],
        "vehicle_plate": plate,
        "carrier_name": name,
        "carrier_id_number": carrier_id(n),
    }


def _walk(premises, admins, desk, guard, today, n, final, ahead, lead) -> ReleaseNote:
    index = n % len(admins)
    admin, tenant = admins[index], premises.tenants[index]
    day = today + timedelta(days=ahead)
    applied = day - timedelta(days=lead)
    with clock.at(local_dt(applied, 9)):
        note = release_notes.release_note_apply(tenant=tenant, by=admin, **_fields(day, n))
    if final == "submitted":
        return note
    with clock.at(local_dt(applied, 10, 30)):
        if final in ("returned", "withdrawn"):
            release_notes.release_note_send_back(obj=note, by=desk, note="搬运人身份证号码与车辆登记不符，请核对。")
        elif final == "rejected":
            release_notes.release_note_reject(obj=note, by=desk, note="所列物品为大厦公共设施，不属于贵司。")
        else:
            release_notes.release_note_approve(obj=note, by=desk)
    if final == "withdrawn":
        with clock.at(local_dt(applied, 14)):
            release_notes.release_note_withdraw(obj=note, by=admin)
    elif final in ("released", "refused"):
        with clock.at(local_dt(day, 15, 20)):
            if final == "released":
                gate_check(document=note.document, action="release", by=guard, ticked=range(len(note.items)))
            else:
                gate_check(
                    document=note.document, action="refuse", by=guard, reason="车上多出两台空调外机，未列入放行条。"
                )
    elif final == "revoked":
        with clock.at(local_dt(applied, 16)):
            release_notes.release_note_revoke(obj=note, by=desk, note="业户来电取消搬运安排。")
    elif final == "expired":
        with clock.at(local_dt(day + timedelta(days=1), 1)):
            release_notes.release_notes_expire()
    note.refresh_from_db()
    return note
