"""Release notes for tests: a valid application's fields, and a note of tenant A in any state,
moved there through the services by the personas (``make_note``)."""

from datetime import date, timedelta

import time_machine
from django.utils import timezone

from jinyuan.documents.services import gate_check
from permits import release_notes
from permits.models import ReleaseNote, id_number_check_char

STATES = [s.value for s in ReleaseNote.Status]


def carrier_id(seq: int = 3) -> str:
    first17 = f"450103199002020{seq % 100:02d}"
    return first17 + id_number_check_char(first17)


def note_fields(day: date | None = None, **over) -> dict:
    return {
        "date": day or timezone.localdate(),
        "purpose": "ordinary",
        "items": [{"name": "办公桌", "quantity": 4}, {"name": "文件柜", "quantity": 2}],
        "vehicle_plate": "桂A12345",
        "carrier_name": "黄师傅",
        "carrier_id_number": carrier_id(),
        **over,
    }


def make_note(state: str, *, tenant, applicant, desk, guard, **over) -> ReleaseNote:
    """Tenant ``tenant``'s note in ``state`` (an expired one was issued for two days ago)."""
    if state == "expired":
        past = timezone.now() - timedelta(days=2)
        with time_machine.travel(past, tick=False):
            note = make_note("issued", tenant=tenant, applicant=applicant, desk=desk, guard=guard, **over)
        release_notes.release_notes_expire()
        note.refresh_from_db()
        return note
    note = release_notes.release_note_apply(tenant=tenant, by=applicant, **note_fields(**over))
    if state == "submitted":
        return note
    if state in ("returned", "withdrawn"):
        release_notes.release_note_send_back(obj=note, by=desk, note="请补充车牌")
        if state == "withdrawn":
            release_notes.release_note_withdraw(obj=note, by=applicant)
        return note
    if state == "rejected":
        return release_notes.release_note_reject(obj=note, by=desk, note="非本单位物品")
    release_notes.release_note_approve(obj=note, by=desk)
    if state == "released":
        gate_check(document=note.document, action="release", by=guard, ticked=range(len(note.items)))
    elif state == "refused":
        gate_check(document=note.document, action="refuse", by=guard, reason="多出一台空调")
    elif state == "revoked":
        release_notes.release_note_revoke(obj=note, by=desk, note="租户取消")
    note.refresh_from_db()
    assert note.status == state, (state, note.status)
    return note
