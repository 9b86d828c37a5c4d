"""Large-item release notes 大件物品放行条: every write and state change.

A company applies in the portal (or the desk writes one for it); the desk approves it, returns
it for correction or refuses it. Approval issues the paper: a kernel document of kind
``release_note``, single use, valid from the start of the note's date to the start of the next
day (the gate's verdict says "expired" after it, whatever runs at midnight). At the exit the
guard ticks the items and records the release (``document_use``: compare-and-swap, so of two
guards at once one releases) or refuses it with a reason (the paper is revoked: goods that do not
match need a new note). Unused notes are marked expired by a daily scan (``release_notes_expire``).

For a move-out only a note the center issues counts: a move-out note is linked to the
company's move-out in progress when the desk approves or creates it, and the desk sees the
company's arrears (billing's outstanding balance) before approving; with arrears it must give a
reason to approve anyway.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from billing.selectors import tenant_balance
from jinyuan.accounts.roles import Role
from jinyuan.accounts.selectors import staff_with_role
from jinyuan.documents.models import Document
from jinyuan.documents.services import document_issue, document_revoke
from jinyuan.workflow.services import TransitionRefused, check_transition, notify, record_event, transition
from tenants.models import MoveOut, Tenant
from tenants.services import notify_tenant

from .models import ReleaseNote, normalize_plate, validate_id_number, validate_plate

KIND = "release_note"
# What a company may correct on a returned note before sending it again.
CORRECTABLE = ("date", "purpose", "items", "vehicle_plate", "carrier_name", "carrier_id_number", "remarks")


# --- checks -----------------------------------------------------------------------------------


def clean_items(items: list[dict] | None) -> list[dict]:
    """Rows with a name, quantities as whole numbers ≥ 1; at least one item."""
    cleaned = []
    errors = []
    for row in items or []:
        name = str(row.get("name") or "").strip()
        quantity = row.get("quantity")
        if not name and quantity in (None, ""):
            continue
        try:
            quantity = int(quantity)
        except (TypeError, ValueError):
            quantity = 0
        if not name or quantity < 1:
            errors.append(_("Each item needs a name and a quantity of at least 1."))
            continue
        cleaned.append({"name": name[:60], "quantity": quantity})
    if errors:
        raise ValidationError({"items": errors[:1]})
    if not cleaned:
        raise ValidationError({"items": _("List at least one item leaving the building.")})
    if len(cleaned) > ReleaseNote.MAX_ITEMS:
        raise ValidationError(
            {"items": _("At most %(n)d items on one note; write a second note.") % {"n": ReleaseNote.MAX_ITEMS}}
        )
    return cleaned


def _check_fields(fields: dict[str, Any], today: date) -> dict[str, Any]:
    """Every rule on what the company writes, each error beside its field."""
    errors: dict[str, list[str]] = {}
    day = fields.get("date")
    if day is None:
        errors["date"] = [_("Give the day the goods leave.")]
    elif day < today:
        errors["date"] = [_("The date cannot be in the past.")]
    plate = normalize_plate(fields.get("vehicle_plate", ""))
    try:
        validate_plate(plate)
    except ValidationError as exc:
        errors["vehicle_plate"] = exc.messages
    carrier_id = (fields.get("carrier_id_number") or "").strip().upper()
    try:
        validate_id_number(carrier_id)
    except ValidationError as exc:
        errors["carrier_id_number"] = exc.messages
    name = (fields.get("carrier_name") or "").strip()
    if not name:
        errors["carrier_name"] = [_("Give the name of the person carrying the goods.")]
    try:
        items = clean_items(fields.get("items"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
        items = []
    purpose = fields.get("purpose") or ReleaseNote.Purpose.ORDINARY
    if purpose not in ReleaseNote.Purpose.values:
        errors["purpose"] = [_("Choose a purpose.")]
    if errors:
        raise ValidationError(errors)
    return {
        "date": day,
        "purpose": purpose,
        "items": items,
        "vehicle_plate": plate,
        "carrier_name": name,
        "carrier_id_number": carrier_id,
        "remarks": (fields.get("remarks") or "").strip()[:200],
    }


def open_move_out(tenant: Tenant | int) -> MoveOut | None:
    """The company's move-out in progress (the one a move-out note belongs to)."""
    tenant_id = getattr(tenant, "pk", tenant)
    return MoveOut.objects.filter(tenant_id=tenant_id, status=MoveOut.Status.OPEN).order_by("-created_at").first()


def arrears_of(tenant: Tenant) -> Decimal:
    """What the company owes on open bills (billing's outstanding balance)."""
    return tenant_balance(tenant)["owed"]


def validity(day: date) -> tuple[datetime, datetime]:
    """Valid on its date only: from that day's first second to the next day's."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tz)
    return start, datetime.combine(day + timedelta(days=1), time.min, tz)


# --- the company applies, the desk decides ----------------------------------------------------


def release_note_apply(*, tenant: Tenant, by: Any, **fields: Any) -> ReleaseNote:
    """A company's application in the portal: waits for the desk."""
    values = _check_fields(fields, timezone.localdate())
    with transaction.atomic():
        note = ReleaseNote(tenant=tenant, applicant=by, status=ReleaseNote.Status.SUBMITTED, **values)
        note.full_clean(exclude=["tenant", "applicant", "status"])
        note.save()
        record_event(
            note,
            "release_note.submitted",
            by=by,
            to_state=note.status,
            data={"date": values["date"].isoformat(), "items": len(values["items"])},
        )
        _tell_desk(note, "submitted")
    return note


def release_note_correct(*, obj: ReleaseNote, by: Any, note: str = "", **fields: Any) -> ReleaseNote:
    """A returned note corrected by the company (or the desk for it) and sent again."""
    check_transition(obj, "resubmit", by=by, note=note)
    values = _check_fields({**{k: getattr(obj, k) for k in CORRECTABLE}, **fields}, timezone.localdate())
    changes = {k: v for k, v in values.items() if getattr(obj, k) != v}
    with transaction.atomic():
        transition(
            obj,
            "resubmit",
            by=by,
            note=note,
            changes=changes,
            data={"corrected": sorted(changes)} if changes else None,
        )
        _tell_desk(obj, f"resubmitted-{timezone.now():%Y%m%d%H%M%S}")
    return obj


def release_note_create_for(*, tenant: Tenant, by: Any, note: str = "", **fields: Any) -> ReleaseNote:
    """The desk writes a note for the company (at the counter, or for its move-out) and issues
    it at once: the arrears rule of ``release_note_approve`` applies to it alike."""
    values = _check_fields(fields, timezone.localdate())
    with transaction.atomic():
        obj = ReleaseNote(tenant=tenant, applicant=by, status=ReleaseNote.Status.SUBMITTED, **values)
        obj.full_clean(exclude=["tenant", "applicant", "status"])
        obj.save()
        record_event(obj, "release_note.created", by=by, to_state=obj.status, data={"date": values["date"].isoformat()})
        release_note_approve(obj=obj, by=by, note=note)
    return obj


def release_note_approve(*, obj: ReleaseNote, by: Any, note: str = "") -> ReleaseNote:
    """Approve and issue the paper. A move-out note is linked to the company's move-out in
    progress; with arrears outstanding the desk must say why it approves anyway."""
    check_transition(obj, "approve", by=by, note=note)
    if obj.date < timezone.localdate():
        raise TransitionRefused(_("The note's date has passed: return it for a new date or refuse it."))
    changes: dict[str, Any] = {}
    data: dict[str, Any] = {}
    if obj.purpose == ReleaseNote.Purpose.MOVE_OUT:
        move_out = open_move_out(obj.tenant_id)
        if move_out is None:
            raise TransitionRefused(
                _("The company has no move-out in progress: open the move-out first, or return the note.")
            )
        owed = arrears_of(obj.tenant)
        if owed > 0 and not (note or "").strip():
            raise ValidationError(
                {
                    "note": _(
                        "The company owes CNY %(owed)s: give a reason to release the goods of its move-out anyway."
                    )
                    % {"owed": owed}
                }
            )
        changes["move_out"] = move_out
        data = {"move_out": move_out.pk, "arrears": str(owed)}
    start, end = validity(obj.date)
    with transaction.atomic():
        # Drawn first so the state and its number save together; a lost race (another clerk
        # approved at the same moment) rolls the number back with it.
        doc = document_issue(kind=KIND, source=obj, by=by, valid_from=start, valid_until=end, single_use=True)
        transition(
            obj, "approve", by=by, note=note, changes={"document": doc, **changes}, data={**data, "number": doc.number}
        )
        _tell_tenant(
            obj,
            gettext_noop("Your release note %(number)s for %(date)s has been issued."),
            {"number": doc.number, "date": obj.date.isoformat()},
            "issued",
        )
    return obj


def release_note_send_back(*, obj: ReleaseNote, by: Any, note: str) -> ReleaseNote:
    with transaction.atomic():
        transition(obj, "send_back", by=by, note=note)
        _tell_tenant(
            obj,
            gettext_noop("Your release note was returned for correction: %(reason)s"),
            {"reason": note},
            f"returned-{timezone.now():%Y%m%d%H%M%S}",
        )
    return obj


def release_note_reject(*, obj: ReleaseNote, by: Any, note: str) -> ReleaseNote:
    with transaction.atomic():
        transition(obj, "reject", by=by, note=note)
        _tell_tenant(obj, gettext_noop("Your release note was refused: %(reason)s"), {"reason": note}, "rejected")
    return obj


def release_note_withdraw(*, obj: ReleaseNote, by: Any, note: str = "") -> ReleaseNote:
    with transaction.atomic():
        transition(obj, "withdraw", by=by, note=note)
    return obj


def release_note_revoke(*, obj: ReleaseNote, by: Any, note: str) -> ReleaseNote:
    """The desk takes an issued note back: its paper stops working at the exit at once."""
    with transaction.atomic():
        transition(obj, "revoke", by=by, note=note)
        if obj.document_id and obj.document.status in (Document.Status.VALID, Document.Status.SUSPENDED):
            document_revoke(document=obj.document, by=by, reason=note)
        _tell_tenant(obj, gettext_noop("Your release note %(number)s was revoked."), {"number": str(obj)}, "revoked")
    return obj


# --- at the exit (the document kind's hooks, inside the gate check's transaction) ---------------


def _note_of(document: Document) -> ReleaseNote:
    return ReleaseNote.objects.select_for_update(of=("self",)).select_related("document").get(document=document)


def release_note_release(document: Document, by: Any, data: dict) -> None:
    """``on_use``: the paper was just used (compare-and-swap); the note is released with it."""
    note = _note_of(document)
    transition(
        note,
        "release",
        by=by,
        changes={"released_at": timezone.now(), "released_by": by},
        data={"number": document.number, "items": len(note.items)},
    )
    _tell_tenant(
        note,
        gettext_noop("The goods of release note %(number)s left the building."),
        {"number": document.number},
        "released",
    )


def release_note_refuse(document: Document, by: Any, reason: str) -> None:
    """``on_refuse``: goods that do not match are turned back and need a new note, so a valid
    note refused at the exit is closed and its paper revoked. A refusal on a paper that is no
    longer valid (a second try with a used note) is only the gate's log entry."""
    note = _note_of(document)
    if note.status != ReleaseNote.Status.ISSUED or document.verdict != Document.Verdict.VALID:
        return
    transition(note, "refuse_at_gate", by=by, note=reason)
    document_revoke(document=document, by=by, reason=_("Refused at the exit: %(reason)s") % {"reason": reason})
    _tell_tenant(
        note,
        gettext_noop("Release note %(number)s was refused at the exit: %(reason)s. Apply for a new note."),
        {"number": document.number, "reason": reason},
        "refused",
    )


def revoke_from_admin(document: Document, by: Any, reason: str) -> None:
    """The kind's ``revoke`` hook (the admin's document action): the note's own workflow."""
    note = ReleaseNote.objects.select_related("document").get(document=document)
    release_note_revoke(obj=note, by=by, note=reason)


# --- the daily scan ---------------------------------------------------------------------------

EXPIRE_BATCH = 500


def release_notes_expire(now: datetime | None = None) -> int:
    """Mark the issued notes whose day has ended expired (one audit event each). Safe to run
    twice, also at once: the rows are taken with SKIP LOCKED and the transition is
    compare-and-swap, so a note expires once."""
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    expired = 0
    while True:
        with transaction.atomic():
            batch = list(
                ReleaseNote.objects.select_for_update(skip_locked=True)
                .filter(status=ReleaseNote.Status.ISSUED, date__lt=today)
                .order_by("date", "pk")[:EXPIRE_BATCH]
            )
            for note in batch:
                transition(note, "expire", by=None, data={"date": note.date.isoformat()})
            expired += len(batch)
        if len(batch) < EXPIRE_BATCH:
            return expired


# --- who is told ------------------------------------------------------------------------------


def _tell_desk(note: ReleaseNote, event: str) -> None:
    notify(
        staff_with_role(Role.FRONT_DESK),
        message=gettext_noop("Release note to approve: %(company)s, %(date)s"),
        args={"company": note.tenant.name, "date": note.date.isoformat()},
        url=reverse("desk:permits:release_note_detail", args=[note.pk]),
        dedup_key=f"release-note-{note.pk}-{event}",
    )


def _tell_tenant(note: ReleaseNote, message: str, args: dict, event: str) -> None:
    url = reverse("portal:permits:release_note_detail", args=[note.pk])
    notify_tenant(note, message=message, args=args, event=event, url=url)
