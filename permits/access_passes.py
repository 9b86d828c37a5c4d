"""Building access passes 大厦出入证: every write and state change.

The company (its admin, or staff holding the "access passes" grant) requests cards for its
staff in the portal, one by one or as an Excel list (``jinyuan.imports``: all rows or none).
The desk approves or refuses, then issues the card: a card number unique among cards that are
out (a partial unique index, so of twenty clerks giving one number at once one succeeds; the
others see the message beside the card number) and the charge the desk chose: a deposit
(``source_key`` ``accesspass:<pk>``, refunded when the card comes back), a card fee
(``accesspass:<pk>:fee``) or nothing. A lost card is dead at once; its reissue bills the
reissue fee and gets a new number (the old one is kept on the pass, never given out again).

A card is valid no later than the company's occupancy of the floors it opens: the last day
asked for is capped to that end (said on the timeline), and the daily scan (``expire_due``,
Celery beat) marks issued cards past their last day expired, one audit event each; running it
twice changes nothing more. At a partial move-out cards opening only floors the company leaves
must be back (the move-out checklist item), and cards that also open a floor it keeps lose the
leaving floors when the move-out completes (``narrow_floors_on_move_out``).
"""

import re
from datetime import date, timedelta
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from billing.models import Bill
from jinyuan.accounts.roles import Role
from jinyuan.accounts.selectors import staff_with_role
from jinyuan.attachments.services import attachment_add
from jinyuan.phones import normalize_mobile
from jinyuan.uploads import IMAGE_TYPES
from jinyuan.workflow.services import TransitionRefused, check_transition, notify, record_event, transition
from tenants.models import Floor, Occupancy, Tenant
from tenants.selectors import current_q, kept_occupancies
from tenants.services import notify_tenant

from . import fees
from .models import AccessPass

FEE_ITEM = "access_pass"
REISSUE_ITEM = "access_pass_reissue"
DEPOSIT_ITEM = "access_pass_deposit"
PHOTO = "photo"
# Card numbers as printed on IC cards: digits and letters, 4 to 20 of them.
CARD_NUMBER = re.compile(r"[0-9A-Z]{4,20}")

S = AccessPass.Status


def source_key(access_pass: AccessPass) -> str:
    """The card deposit's bill and ledger entries."""
    return f"accesspass:{access_pass.pk}"


def fee_source_key(access_pass: AccessPass) -> str:
    return f"{source_key(access_pass)}:fee"


# --- floors and the occupancy's end --------------------------------------------------------------


def tenant_floors(tenant: Tenant | int, on: date | None = None) -> QuerySet[Floor]:
    """The floors of the units the company occupies now: what its cards may open."""
    tenant_id = getattr(tenant, "pk", tenant)
    units = Occupancy.objects.filter(current_q(on=on), tenant_id=tenant_id).values("unit__floor_id")
    return Floor.objects.filter(pk__in=units).select_related("building").order_by("building__code", "number")


def occupancy_end(tenant: Tenant | int, floor_ids: list[int], on: date | None = None) -> date | None:
    """The last day the company holds any unit on these floors: None while one of them runs
    open-ended (no cap)."""
    tenant_id = getattr(tenant, "pk", tenant)
    ends = list(
        Occupancy.objects.filter(current_q(on=on), tenant_id=tenant_id, unit__floor_id__in=floor_ids).values_list(
            "end", flat=True
        )
    )
    if not ends or any(end is None for end in ends):
        return None
    return max(ends) - timedelta(days=1)


def _last_day(
    *, tenant: Tenant, floor_ids: list[int], card_type: str, valid_until: date | None, today: date
) -> tuple[date | None, bool]:
    """The card's last day and whether the date asked for was capped; errors beside the field."""
    if valid_until is not None and valid_until < today:
        raise ValidationError({"valid_until": _("The last day cannot be in the past.")})
    if card_type == AccessPass.CardType.TEMPORARY:
        if valid_until is None:
            raise ValidationError({"valid_until": _("A temporary card needs its last day.")})
        if valid_until > today + timedelta(days=AccessPass.TEMPORARY_MAX_DAYS):
            raise ValidationError(
                {
                    "valid_until": _("A temporary card is valid for at most %(days)d days; ask for a staff card.")
                    % {"days": AccessPass.TEMPORARY_MAX_DAYS}
                }
            )
    end = occupancy_end(tenant, floor_ids, on=today)
    if end is not None and (valid_until is None or valid_until > end):
        return end, valid_until is not None
    return valid_until, False


# --- requests ------------------------------------------------------------------------------------


def access_pass_request(
    *,
    tenant: Tenant,
    by: Any,
    holder_name: str,
    mobile: str,
    floors: list[Floor] | QuerySet[Floor],
    card_type: str = AccessPass.CardType.STAFF,
    department: str = "",
    valid_until: date | None = None,
    photo: UploadedFile | None = None,
    imported: bool = False,
) -> AccessPass:
    """A card asked for one member of the company's staff; the desk approves it."""
    today = timezone.localdate()
    allowed = {f.pk for f in tenant_floors(tenant, on=today)}
    floor_ids = sorted({f.pk for f in floors})
    if not floor_ids:
        raise ValidationError({"floors": _("Choose at least one floor the card opens.")})
    if not set(floor_ids) <= allowed:
        raise ValidationError({"floors": _("A card opens only floors where your company occupies a unit.")})
    last, capped = _last_day(
        tenant=tenant, floor_ids=floor_ids, card_type=card_type, valid_until=valid_until, today=today
    )
    access_pass = AccessPass(
        tenant=tenant,
        applicant=by,
        holder_name=(holder_name or "").strip(),
        department=(department or "").strip(),
        mobile=normalize_mobile(mobile),
        card_type=card_type,
        valid_until=last,
        status=S.REQUESTED,
    )
    if not access_pass.holder_name:
        raise ValidationError({"holder_name": _("Give the card holder's name.")})
    access_pass.full_clean(exclude=["status", "tenant", "applicant", "floors"], validate_constraints=False)
    with transaction.atomic():
        access_pass.save()
        access_pass.floors.set(floor_ids)
        if photo is not None:
            try:
                attachment_add(
                    record=access_pass,
                    upload=photo,
                    by=by,
                    kind=PHOTO,
                    label=access_pass.holder_name,
                    allowed=IMAGE_TYPES,
                )
            except ValidationError as exc:
                raise ValidationError({"photo": exc.message_dict.get("file", exc.messages)}) from exc
        data = {"holder": access_pass.holder_name, "card_type": card_type}
        if capped:
            data["asked_until"] = valid_until.isoformat()
        if last:
            data["valid_until"] = last.isoformat()
        record_event(
            access_pass,
            "access_pass.imported" if imported else "access_pass.requested",
            by=by,
            to_state=access_pass.status,
            data=data,
        )
        if capped:
            record_event(access_pass, "access_pass.end_capped", by=by, data={"valid_until": last.isoformat()})
        if not imported:  # an imported list tells the desk once, for all its rows
            _tell_desk_requested(tenant, count=1, by=by)
    return access_pass


def _tell_desk_requested(tenant: Tenant, *, count: int, by: Any) -> None:
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    notify(
        staff_with_role(Role.FRONT_DESK),
        message=gettext_noop("Access cards requested: %(company)s, %(count)s"),
        args={"company": tenant.name, "count": count},
        url=reverse("desk:permits:access_pass_list") + f"?status=requested&q={tenant.name}",
        dedup_key=f"accesspass-requested-{tenant.pk}-{stamp}",
    )


def access_pass_import(*, tenant: Tenant, by: Any, upload: UploadedFile) -> list[AccessPass]:
    """The Excel list: every row checked and requested in one transaction, or none (raises
    ``jinyuan.imports.ImportFailed`` with each row's errors)."""
    from jinyuan.imports import import_rows

    from .forms import ACCESS_PASS_SHEET

    def save(number: int, data: dict[str, Any]) -> AccessPass:
        return access_pass_request(tenant=tenant, by=by, imported=True, **data)

    with transaction.atomic():
        passes = import_rows(ACCESS_PASS_SHEET, upload, save, form_kwargs={"tenant": tenant})
        record_event(tenant, "tenant.access_passes_imported", by=by, data={"count": len(passes)})
        _tell_desk_requested(tenant, count=len(passes), by=by)
    return passes


def access_pass_approve(*, obj: AccessPass, by: Any, note: str = "") -> AccessPass:
    with transaction.atomic():
        transition(obj, "approve", by=by, note=note)
        notify_tenant(
            obj,
            message=gettext_noop("Access card for %(name)s approved: collect it at the service center"),
            args={"name": obj.holder_name},
            event="approved",
            url=reverse("portal:permits:access_pass_detail", args=[obj.pk]),
        )
    return obj


def access_pass_refuse(*, obj: AccessPass, by: Any, note: str) -> AccessPass:
    with transaction.atomic():
        transition(obj, "refuse", by=by, note=note)
        notify_tenant(
            obj,
            message=gettext_noop("Access card for %(name)s refused: %(reason)s"),
            args={"name": obj.holder_name, "reason": note},
            event="refused",
            url=reverse("portal:permits:access_pass_detail", args=[obj.pk]),
        )
    return obj


def access_pass_withdraw(*, obj: AccessPass, by: Any, note: str = "") -> AccessPass:
    with transaction.atomic():
        transition(obj, "withdraw", by=by, note=note)
    return obj


# --- the card ------------------------------------------------------------------------------------


def clean_card_number(value: str, *, access_pass: AccessPass | None = None) -> str:
    """Upper-case, no spaces; refused beside the field when it is not a card number, belongs
    to a card that is out, or was reported lost (a dead card is never given out again)."""
    number = re.sub(r"[\s-]", "", value or "").upper()
    if not CARD_NUMBER.fullmatch(number):
        raise ValidationError({"card_number": _("A card number has 4 to 20 letters or digits.")})
    live = AccessPass.objects.filter(card_number=number, status__in=AccessPass.CARD_OUT)
    if access_pass is not None:
        live = live.exclude(pk=access_pass.pk)
    holder = live.select_related("tenant").first()
    if holder is not None:
        raise ValidationError({"card_number": _live_message(holder)})
    dead = AccessPass.objects.filter(dead_card_numbers__contains=[number]).first()
    if dead is not None:
        raise ValidationError(
            {"card_number": _("Card %(number)s was reported lost; it never opens a door again.") % {"number": number}}
        )
    return number


def _live_message(holder: AccessPass) -> str:
    return _("Card %(number)s is already out (%(holder)s, %(company)s); take another card.") % {
        "number": holder.card_number,
        "holder": holder.holder_name or _("(no name)"),
        "company": holder.tenant.name,
    }


def _card_taken(number: str) -> ValidationError:
    holder = (
        AccessPass.objects.filter(card_number=number, status__in=AccessPass.CARD_OUT).select_related("tenant").first()
    )
    message = _live_message(holder) if holder else _("This card number belongs to a card that is still out.")
    return ValidationError({"card_number": message})


def access_pass_issue(
    *, obj: AccessPass, by: Any, card_number: str, charge: str, valid_until: date | None = None
) -> AccessPass:
    """Hand the approved card over: its number, its last day (capped to the occupancy), and the
    deposit or fee billed. Of clerks giving one number at once, one wins: the others get the
    message beside the card number and nothing is billed for them."""
    today = timezone.localdate()
    number = clean_card_number(card_number, access_pass=obj)
    if charge not in AccessPass.Charge.values:
        raise ValidationError({"charge": _("Choose how the card is charged.")})
    check_transition(obj, "issue", by=by)
    last, capped = _last_day(
        tenant=obj.tenant,
        floor_ids=list(obj.floors.values_list("pk", flat=True)),
        card_type=obj.card_type,
        valid_until=valid_until if valid_until is not None else obj.valid_until,
        today=today,
    )
    try:
        with transaction.atomic():
            # The row first: a concurrent issue of the same number waits on the unique index
            # here and fails before any bill is drawn.
            transition(
                obj,
                "issue",
                by=by,
                changes={"card_number": number, "charge": charge, "valid_until": last, "issued_at": timezone.now()},
                data={"card_number": number, "charge": str(AccessPass.Charge(charge).label)},
            )
            bill = _bill_charge(obj, charge, by)
            if bill is not None:
                record_event(obj, "access_pass.billed", by=by, data={"bill": bill.number, "total": str(bill.total)})
            if capped:
                record_event(obj, "access_pass.end_capped", by=by, data={"valid_until": last.isoformat()})
            notify_tenant(
                obj,
                message=gettext_noop("Access card %(number)s issued to %(name)s"),
                args={"number": number, "name": obj.holder_name},
                event="issued",
                url=reverse("portal:permits:access_pass_detail", args=[obj.pk]),
            )
    except IntegrityError as exc:
        obj.refresh_from_db()  # the transition's changes were rolled back with the row
        raise _card_taken(number) from exc
    return obj


def _bill_charge(obj: AccessPass, charge: str, by: Any) -> Bill | None:
    holder = obj.holder_name or str(obj)
    if charge == AccessPass.Charge.DEPOSIT:
        title = _("Access card deposit %(name)s") % {"name": holder}
        return fees.bill_item(
            tenant=obj.tenant, code=DEPOSIT_ITEM, title=title, holder=holder, key=source_key(obj), by=by
        )
    if charge == AccessPass.Charge.FEE:
        title = _("Access card %(name)s") % {"name": holder}
        return fees.bill_item(
            tenant=obj.tenant, code=FEE_ITEM, title=title, holder=holder, key=fee_source_key(obj), by=by
        )
    return None


def access_pass_report_lost(*, obj: AccessPass, by: Any, note: str) -> AccessPass:
    """The card is dead at once; the desk reissues it with a new number (and the reissue fee)."""
    with transaction.atomic():
        transition(obj, "report_lost", by=by, note=note, data={"card_number": obj.card_number})
        if by is not None and not by.has_role(Role.FRONT_DESK, Role.SUPERVISOR):
            notify(
                staff_with_role(Role.FRONT_DESK),
                message=gettext_noop("Access card %(number)s reported lost by %(company)s"),
                args={"number": obj.card_number, "company": obj.tenant.name},
                url=reverse("desk:permits:access_pass_detail", args=[obj.pk]),
                dedup_key=f"accesspass-{obj.pk}-lost-{obj.reissues}",
            )
    return obj


def access_pass_reissue(*, obj: AccessPass, by: Any, card_number: str, note: str = "") -> AccessPass:
    """A new card for a lost one: a new number (the lost one stays dead, kept on the pass), the
    reissue fee billed; the deposit paid at issue stays with the pass."""
    number = clean_card_number(card_number, access_pass=obj)
    if number == obj.card_number:
        raise ValidationError({"card_number": _("The lost card's number cannot be given again; take a new card.")})
    check_transition(obj, "reissue", by=by, note=note)
    today = timezone.localdate()
    if obj.valid_until is not None and obj.valid_until < today:
        raise TransitionRefused(_("The card's validity has ended; request a new card instead."))
    old = obj.card_number
    try:
        with transaction.atomic():
            transition(
                obj,
                "reissue",
                by=by,
                note=note,
                changes={
                    "card_number": number,
                    "dead_card_numbers": [*obj.dead_card_numbers, old] if old else obj.dead_card_numbers,
                    "reissues": obj.reissues + 1,
                    "issued_at": timezone.now(),
                },
                data={"card_number": number, "lost_card": old},
            )
            holder = obj.holder_name or str(obj)
            bill = fees.bill_item(
                tenant=obj.tenant,
                code=REISSUE_ITEM,
                title=_("Access card reissued %(name)s") % {"name": holder},
                holder=holder,
                key=f"{source_key(obj)}:reissue:{obj.reissues}",
                by=by,
            )
            if bill is not None:
                record_event(obj, "access_pass.billed", by=by, data={"bill": bill.number, "total": str(bill.total)})
    except IntegrityError as exc:
        obj.refresh_from_db()
        raise _card_taken(number) from exc
    return obj


def access_pass_return(*, obj: AccessPass, by: Any, note: str = "") -> AccessPass:
    """The card is handed back: the deposit held is refunded (a deposit bill never paid is voided)."""
    with transaction.atomic():
        transition(obj, "give_back", by=by, note=note)
        reason = _("Access card %(number)s returned") % {"number": obj.card_number or str(obj)}
        void_reason = _("Card returned before the card deposit was paid")
        fees.settle_deposit(obj, key=source_key(obj), by=by, reason=reason, void_reason=void_reason)
    return obj


def access_pass_cancel(*, obj: AccessPass, by: Any, note: str) -> AccessPass:
    """The desk closes a card: it stops opening doors. The deposit is refunded, except for a card
    reported lost, which is not coming back: its deposit is kept (an unpaid one is voided)."""
    lost = obj.status == S.LOST
    with transaction.atomic():
        transition(obj, "cancel", by=by, note=note)
        reason = _("Access card %(number)s cancelled: %(note)s") % {"number": obj.card_number or str(obj), "note": note}
        fees.settle_deposit(obj, key=source_key(obj), by=by, reason=reason, keep=lost)
    return obj


# --- the daily scan -----------------------------------------------------------------------------


def expire_due(today: date | None = None, *, batch: int = 1000) -> int:
    """Issued cards past their last day become expired, one audit event each (``by`` none: the
    system). Rows are taken with SKIP LOCKED, so two scans at once never expire a card twice;
    a second run finds nothing left. Returns how many expired."""
    today = today or timezone.localdate()
    expired = 0
    while True:
        with transaction.atomic():
            due = list(
                AccessPass.objects.select_for_update(skip_locked=True)
                .filter(status=S.ISSUED, valid_until__lt=today)
                .order_by("valid_until", "pk")[:batch]
            )
            for access_pass in due:
                transition(access_pass, "expire", by=None, data={"valid_until": access_pass.valid_until.isoformat()})
        expired += len(due)
        if len(due) < batch:
            return expired


# --- move-out -----------------------------------------------------------------------------------


def leaving_floor_ids(move_out: Any) -> set[int]:
    """Floors the company leaves with this move-out: those of its leaving units where it keeps
    no other unit. One query (the move-out page has its unit rows prefetched)."""
    leaving_units = [row.unit_id for row in move_out.units.all()]
    kept = kept_occupancies(move_out).values("unit__floor_id")
    return set(
        Floor.objects.filter(units__in=leaving_units).exclude(pk__in=kept).values_list("pk", flat=True).distinct()
    )


def cards_of_move_out(move_out: Any) -> tuple[list[AccessPass], list[AccessPass]]:
    """The company's cards not closed, split into those that must come back (every floor they
    open is left) and those that stay with their leaving floors removed (they also open a kept
    floor). Two queries whatever the number of cards."""
    leaving = leaving_floor_ids(move_out)
    if not leaving:
        return [], []
    cards = (
        AccessPass.objects.filter(tenant_id=move_out.tenant_id)
        .exclude(status__in=AccessPass.CLOSED)
        .filter(Exists(AccessPass.floors.through.objects.filter(accesspass_id=OuterRef("pk"), floor_id__in=leaving)))
        .annotate(floor_ids=ArrayAgg("floors__id", default=Value([])))
        .order_by("pk")
    )
    back, narrowed = [], []
    for card in cards:
        (back if set(card.floor_ids) <= leaving else narrowed).append(card)
    return back, narrowed


def narrow_floors_on_move_out(move_out: Any, by: Any) -> int:
    """The move-out is complete: cards that also open a floor the company keeps no longer open
    the floors it left (an audit event each). Idempotent: a narrowed card opens no left floor."""
    leaving = leaving_floor_ids(move_out)
    _back, narrowed = cards_of_move_out(move_out)
    for card in narrowed:
        removed = [f for f in card.floors.select_related("building") if f.pk in leaving]
        card.floors.remove(*removed)
        record_event(
            card,
            "access_pass.floors_narrowed",
            by=by,
            data={"floors": "、".join(str(f) for f in removed), "move_out": move_out.pk},
        )
    return len(narrowed)
