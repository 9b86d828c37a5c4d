"""The move-in and move-out checklist items tenants owns (registered in TenantsConfig.ready)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import checklists
from .checklists import ChecklistItem, ItemState
from .models import ArchiveKind, MoveIn, MoveInUnit, MoveOut, Signboard
from .selectors import archive_of, kept_occupancies

REQUIRED_DOCUMENTS = (ArchiveKind.LICENCE, ArchiveKind.LEASE, ArchiveKind.CONTACT_ID)


def _rows(process):
    # The process page prefetches its unit rows; use them when present.
    return list(process.units.all())


def documents(move_in: MoveIn) -> ItemState:
    files = archive_of(move_in.tenant, include_voided=False).filter(kind__in=REQUIRED_DOCUMENTS)
    have = set(files.values_list("kind", flat=True))
    missing = [str(ArchiveKind(k).label) for k in REQUIRED_DOCUMENTS if k not in have]
    if missing:
        return ItemState(False, _("Missing: %(docs)s") % {"docs": "、".join(missing)})
    return ItemState(True, _("Licence, lease and contact ID on file"))


def agreement(move_in: MoveIn) -> ItemState:
    if move_in.agreement_signed_on:
        return ItemState(
            True,
            _("Signed on %(date)s by %(signer)s")
            % {"date": move_in.agreement_signed_on.isoformat(), "signer": move_in.agreement_signer or "—"},
        )
    return ItemState(False)


def keys_handed(move_in: MoveIn) -> ItemState:
    rows = _rows(move_in)
    done = [r for r in rows if r.keys_handed is not None]
    detail = "；".join(_("%(unit)s: %(keys)s keys") % {"unit": r.unit.number, "keys": r.keys_handed} for r in done)
    return ItemState(len(done) == len(rows), detail)


def handover_inspection(move_in: MoveIn) -> ItemState:
    rows = _rows(move_in)
    done = [r for r in rows if r.inspected_at]
    detail = "；".join(
        _("%(unit)s: water %(w)s, electricity %(e)s")
        % {"unit": r.unit.number, "w": r.water_reading, "e": r.electricity_reading}
        for r in done
    )
    return ItemState(len(done) == len(rows), detail)


def signboard(move_in: MoveIn) -> ItemState:
    if move_in.signboard_not_needed:
        return ItemState(True, _("Not wanted"))
    board = (
        Signboard.objects.filter(tenant_id=move_in.tenant_id, created_at__gte=move_in.created_at)
        .exclude(status__in=[Signboard.Status.REJECTED, Signboard.Status.REMOVED])
        .first()
    )
    if board:
        return ItemState(True, f"{board.text} · {board.get_status_display()}")
    return ItemState(False)


def keys_returned(move_out: MoveOut) -> ItemState:
    rows = _rows(move_out)
    done = [r for r in rows if r.keys_returned is not None]
    handed = {
        r.unit_id: r
        for r in MoveInUnit.objects.filter(
            move_in__tenant_id=move_out.tenant_id, move_in__status=MoveIn.Status.CONFIRMED
        ).order_by("move_in__created_at")
    }
    parts = []
    for r in done:
        given = handed.get(r.unit_id)
        text = _("%(unit)s: %(keys)s keys returned") % {"unit": r.unit.number, "keys": r.keys_returned}
        if given and given.keys_handed != r.keys_returned:
            text += _(" (handed over: %(keys)s keys)") % {"keys": given.keys_handed}
        parts.append(text)
    return ItemState(len(done) == len(rows), "；".join(parts))


def final_inspection(move_out: MoveOut) -> ItemState:
    rows = _rows(move_out)
    done = [r for r in rows if r.inspected_at]
    detail = "；".join(
        _("%(unit)s: water %(w)s, electricity %(e)s, damage charge %(c)s")
        % {"unit": r.unit.number, "w": r.water_reading, "e": r.electricity_reading, "c": r.damage_charge}
        for r in done
    )
    return ItemState(len(done) == len(rows), detail)


def signboards_removed(move_out: MoveOut) -> ItemState:
    # A move-out of some units only: the company stays, and so does its signboard.
    if kept_occupancies(move_out).exists():
        return ItemState(True, _("The company keeps other units: its signboard stays"))
    up = Signboard.objects.filter(
        tenant_id=move_out.tenant_id,
        status__in=[Signboard.Status.APPROVED, Signboard.Status.PRODUCED, Signboard.Status.INSTALLED],
    ).values_list("text", flat=True)
    up = list(up)
    if up:
        return ItemState(False, _("Still up: %(texts)s") % {"texts": "、".join(up)})
    return ItemState(True, _("No signboard up"))


def register() -> None:
    move_in = [
        ChecklistItem("documents", gettext_lazy("Documents received"), 10, documents, form_step="documents"),
        ChecklistItem(
            "agreement", gettext_lazy("Property management agreement signed"), 20, agreement, form_step="agreement"
        ),
        ChecklistItem("keys", gettext_lazy("Keys handed over"), 40, keys_handed, form_step="handover"),
        ChecklistItem(
            "inspection",
            gettext_lazy("Handover inspection and meter readings"),
            50,
            handover_inspection,
            form_step="inspection",
        ),
        ChecklistItem("signboard", gettext_lazy("Directory signboard ordered"), 60, signboard, form_step="signboard"),
    ]
    for item in move_in:
        checklists.register(checklists.MOVE_IN, item)
    move_out = [
        ChecklistItem("keys", gettext_lazy("Keys returned"), 20, keys_returned, form_step="return"),
        ChecklistItem(
            "inspection",
            gettext_lazy("Unit inspected, final meter readings"),
            30,
            final_inspection,
            form_step="inspection",
        ),
        ChecklistItem("signboard", gettext_lazy("Signboard removed"), 40, signboards_removed),
    ]
    for item in move_out:
        checklists.register(checklists.MOVE_OUT, item)
