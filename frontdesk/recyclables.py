"""Recyclables collection 废品收购: every write (PROCEDURES.md "Front desk and supervision").

requested → scheduled (an active recycler and a time) → collected (each category weighed × the
price per kg in force; the goods leave on a release note) → settled, in cash (a numbered payout
voucher signed by the tenant's person) or by a credit note 贷项通知单 on the company's account
(billing.credit_notes). Withdrawn by the company before the pickup, cancelled by the desk with
a reason."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from billing.credit_notes import credit_note_issue, credit_note_void
from billing.models import ZERO
from billing.money import round_money
from jinyuan.accounts.roles import DESK_ROLES, SUPERVISOR_ROLES
from jinyuan.documents.services import document_issue
from jinyuan.workflow.services import TransitionRefused, check_transition, next_number, record_event, transition
from permits import release_notes
from tenants.models import Occupancy, Tenant, Unit
from tenants.selectors import current_q
from tenants.services import notify_tenant

from .models import Category, RecycleLine, RecyclePrice, Recycler, RecycleRequest

PREFIX = "FP"
PAYOUT_KIND = "recycle_payout"
MAX_KG = Decimal("100000")
# A price per kg above this is a typing slip (recyclables fetch a few yuan a kg); it also keeps
# weight × price inside the amount columns.
MAX_PRICE = Decimal("9999.99")


def prices_in_force(day: dt.date) -> dict[str, Decimal]:
    """The price per kg of each category on ``day`` (the latest row from before it): one query."""
    rows = (
        RecyclePrice.objects.filter(effective_from__lte=day)
        .order_by("category", "-effective_from")
        .distinct("category")
        .values_list("category", "price_per_kg")
    )
    return dict(rows)


def source_key(obj: RecycleRequest) -> str:
    return f"recycle:{obj.pk}"


def _tell(obj: RecycleRequest, message: str, event: str, args: dict | None = None) -> None:
    notify_tenant(
        obj,
        message=message,
        args={"number": obj.number, **(args or {})},
        event=event,
        url=reverse("portal:frontdesk:recycle_detail", args=[obj.pk]),
    )


# --- the request ---------------------------------------------------------------------------------


def _check_request(tenant: Tenant, fields: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """Each rule on what the company writes, its error beside its field."""
    errors: dict[str, list[str]] = {}
    categories = [c for c in fields.get("categories") or [] if c]
    if not categories:
        errors["categories"] = [_("Choose at least one category.")]
    elif any(c not in Category.values for c in categories):
        errors["categories"] = [_("Choose among the categories listed.")]
    estimate = fields.get("estimated_kg")
    if estimate is None or estimate <= 0:
        errors["estimated_kg"] = [_("The weight must be more than zero.")]
    elif estimate > MAX_KG:
        errors["estimated_kg"] = [_("That is more than one pickup can take.")]
    preferred = fields.get("preferred_time")
    if preferred is None:
        errors["preferred_time"] = [_("Give a preferred time.")]
    elif preferred < now:
        errors["preferred_time"] = [_("The time cannot be in the past.")]
    unit = fields.get("unit")
    if unit is None:
        errors["unit"] = [_("Choose the unit where the goods are.")]
    elif not Occupancy.objects.filter(current_q(), tenant=tenant, unit=unit).exists():
        errors["unit"] = [_("The company does not occupy this unit.")]
    settlement = fields.get("settlement") or RecycleRequest.Settlement.CREDIT
    if settlement not in RecycleRequest.Settlement.values:
        errors["settlement"] = [_("Choose how to be paid.")]
    if errors:
        raise ValidationError(errors)
    return {
        "unit": unit,
        "categories": list(dict.fromkeys(categories)),
        "estimated_kg": round_money(estimate),
        "preferred_time": preferred,
        "settlement": settlement,
        "note": (fields.get("note") or "").strip()[:500],
    }


def units_of(tenant: Tenant):
    """The units the company occupies now (where a pickup may be)."""
    occupied = Occupancy.objects.filter(current_q(), tenant=tenant).values("unit_id")
    return Unit.objects.filter(pk__in=occupied).select_related("floor__building").order_by("sort_key")


def recycle_request(*, tenant: Tenant, by: Any, now: dt.datetime | None = None, **fields: Any) -> RecycleRequest:
    """The company (in the portal) or the desk (for it) asks for a pickup."""
    values = _check_request(tenant, fields, now or timezone.now())
    by_desk = by.has_role(*DESK_ROLES)
    with transaction.atomic():
        obj = RecycleRequest.objects.create(number=next_number(PREFIX), tenant=tenant, applicant=by, **values)
        record_event(
            obj,
            f"recycle_request.{'created' if by_desk else 'requested'}",
            by=by,
            to_state=obj.status,
            data={"weight": str(values["estimated_kg"])},
        )
    return obj


# --- scheduling, withdrawing, cancelling ---------------------------------------------------------


def recycle_schedule(
    *, obj: RecycleRequest, by: Any, recycler: Recycler | None, pickup_at: dt.datetime | None, note: str = ""
) -> RecycleRequest:
    check_transition(obj, "schedule", by=by)
    errors = {}
    if recycler is None or not recycler.is_active:
        errors["recycler"] = [_("Choose an active approved recycler.")]
    if pickup_at is None:
        errors["pickup_at"] = [_("Give the pickup time.")]
    elif pickup_at < timezone.now():
        errors["pickup_at"] = [_("The time cannot be in the past.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        transition(
            obj,
            "schedule",
            by=by,
            note=note,
            changes={"recycler": recycler, "pickup_at": pickup_at},
            data={"recycler": recycler.name, "time": timezone.localtime(pickup_at).strftime("%Y-%m-%d %H:%M")},
        )
        _tell(
            obj,
            gettext_noop("Pickup of recyclables %(number)s scheduled for %(time)s."),
            "scheduled",
            {"time": timezone.localtime(pickup_at).strftime("%Y-%m-%d %H:%M")},
        )
    return obj


def recycle_withdraw(*, obj: RecycleRequest, by: Any, note: str = "") -> RecycleRequest:
    return transition(obj, "withdraw", by=by, note=note)


def recycle_cancel(*, obj: RecycleRequest, by: Any, note: str = "") -> RecycleRequest:
    with transaction.atomic():
        transition(obj, "cancel", by=by, note=note)
        _tell(obj, gettext_noop("Your recyclables request %(number)s was cancelled by the desk."), "cancelled")
    return obj


# --- the pickup: weighing and the release note ----------------------------------------------------


@dataclass(frozen=True)
class Weighed:
    """One category as weighed at the pickup; ``price`` only when a supervisor changes it."""

    category: str
    weight_kg: Any
    price: Any = None
    price_reason: str = ""


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _check_lines(weighed: list[Weighed], prices: dict[str, Decimal], by: Any) -> list[RecycleLine]:
    """Weights > 0 with at most 2 decimals; the price in force, or a supervisor's with a reason."""
    errors: dict[str, list[str]] = {}
    lines = []
    supervisor = by.has_role(*SUPERVISOR_ROLES)
    for row in weighed:
        key = f"weight_{row.category}"
        if row.weight_kg in (None, "") and (row.price in (None, "") or _decimal(row.price) == prices.get(row.category)):
            # Not collected: a supervisor's form shows the price in force in every row.
            continue
        weight = _decimal(row.weight_kg)
        if row.category not in Category.values:
            errors["__all__"] = [_("Choose among the categories listed.")]
            continue
        if weight is None or weight <= 0:
            errors[key] = [_("The weight must be more than zero.")]
            continue
        if weight > MAX_KG or weight != weight.quantize(Decimal("0.01")):
            errors[key] = [_("Give the weight in kg with at most two decimals.")]
            continue
        list_price = prices.get(row.category)
        price = _decimal(row.price)
        reason = (row.price_reason or "").strip()
        pkey = f"price_{row.category}"
        if price is not None and price != list_price:
            if not supervisor:
                errors[pkey] = [_("Only a supervisor may change the price in force.")]
                continue
            if price <= 0 or price > MAX_PRICE or price != price.quantize(Decimal("0.01")):
                errors[pkey] = [_("The price must be more than zero, with at most two decimals.")]
                continue
            if not reason:
                errors[f"reason_{row.category}"] = [_("Give the reason for the changed price.")]
                continue
        else:
            price, reason = list_price, ""
            if price is None:
                errors[pkey] = [_("No price is in force for this category: a supervisor gives one.")]
                continue
        lines.append(
            RecycleLine(
                category=row.category,
                weight_kg=weight,
                list_price=list_price if list_price is not None else price,
                price_per_kg=price,
                amount=round_money(weight * price),
                price_reason=reason[:200],
            )
        )
    if not lines and not errors:
        errors["__all__"] = [_("Weigh at least one category.")]
    if errors:
        raise ValidationError(errors)
    return lines


def recycle_collect(
    *,
    obj: RecycleRequest,
    by: Any,
    weighed: list[Weighed],
    vehicle_plate: str,
    carrier_name: str,
    carrier_id_number: str,
    note: str = "",
) -> RecycleRequest:
    """Record the weights at the pickup, and issue the release note listing the weighed goods so
    the guard lets the recycler out with them."""
    check_transition(obj, "collect", by=by)
    prices = prices_in_force(timezone.localdate())
    lines = _check_lines(weighed, prices, by)
    total = sum((line.amount for line in lines), ZERO)
    labels = dict(Category.choices)
    items = [{"name": f"{labels[line.category]} {line.weight_kg} kg", "quantity": 1} for line in lines]
    with transaction.atomic():
        # Locked first: a second submit waits here and is refused, instead of failing on the
        # lines' unique constraint after issuing a release note of its own.
        if not RecycleRequest.objects.select_for_update().filter(pk=obj.pk, status=obj.status).exists():
            raise TransitionRefused(_("Someone else has just acted on this record. Reload and check."))
        note_obj = release_notes.release_note_create_for(
            tenant=obj.tenant,
            by=by,
            date=timezone.localdate(),
            items=items,
            vehicle_plate=vehicle_plate,
            carrier_name=carrier_name,
            carrier_id_number=carrier_id_number,
            remarks=_("Recyclables %(number)s collected by %(recycler)s")
            % {"number": obj.number, "recycler": obj.recycler.name if obj.recycler_id else ""},
        )
        for line in lines:
            line.request = obj
        RecycleLine.objects.bulk_create(lines)
        # Against the prices in force, not the lines' list price: where none was in force the
        # line keeps the supervisor's price as its list price, and that is a change too.
        changed = [line for line in lines if line.price_per_kg != prices.get(line.category)]
        transition(
            obj,
            "collect",
            by=by,
            note=note,
            changes={"total": total, "collected_at": timezone.now(), "release_note": note_obj},
            data={"total": str(total), "release_note": note_obj.document.number if note_obj.document_id else ""},
        )
        for line in changed:
            record_event(
                obj,
                "recycle_request.price_changed",
                by=by,
                note=line.price_reason,
                data={
                    "category": line.category,
                    "from": str(prices.get(line.category) or "—"),
                    "to": str(line.price_per_kg),
                },
            )
        _tell(
            obj,
            gettext_noop("Recyclables %(number)s collected and weighed: CNY %(total)s."),
            "collected",
            {"total": str(total)},
        )
    return obj


# --- settlement -------------------------------------------------------------------------------------


def recycle_settle(
    *, obj: RecycleRequest, by: Any, settlement: str = "", received_by: str = "", note: str = ""
) -> RecycleRequest:
    """Pay the company: cash against a numbered payout voucher its person signs, or a credit note
    on its account that its bills consume. Two clicks settle once (the transition is
    compare-and-swap and the credit note is one per request)."""
    check_transition(obj, "settle", by=by)
    settlement = settlement or obj.settlement
    errors = {}
    if settlement not in RecycleRequest.Settlement.values:
        errors["settlement"] = [_("Choose how to be paid.")]
    received_by = (received_by or "").strip()[:40]
    if settlement == RecycleRequest.Settlement.CASH and not received_by:
        errors["received_by"] = [_("Give the name of the company's person who receives the cash and signs.")]
    if errors:
        raise ValidationError(errors)
    changes: dict[str, Any] = {"settlement": settlement, "settled_at": timezone.now()}
    with transaction.atomic():
        if settlement == RecycleRequest.Settlement.CREDIT:
            changes["credit_note"] = credit_note_issue(
                tenant=obj.tenant,
                amount=obj.total,
                title=_("Recyclables %(number)s") % {"number": obj.number},
                by=by,
                source_key=source_key(obj),
            )
        else:
            # The voucher prints the name; a lost race rolls its number back with the transition.
            changes["received_by"] = obj.received_by = received_by
            changes["voucher"] = document_issue(kind=PAYOUT_KIND, source=obj, by=by)
        done = changes.get("credit_note") or changes.get("voucher")
        transition(
            obj,
            "settle",
            by=by,
            note=note,
            changes=changes,
            data={"settlement": settlement, "total": str(obj.total), "number": done.number if done else ""},
        )
        _tell(
            obj,
            gettext_noop("Recyclables %(number)s settled: CNY %(total)s."),
            "settled",
            {"total": str(obj.total)},
        )
    return obj


def recycle_credit_void(*, obj: RecycleRequest, by: Any, note: str) -> RecycleRequest:
    """Void the request's credit note (only while none of it has paid a bill: billing refuses
    otherwise) and take the request back to "collected", so it is settled again, in cash or by
    a new credit note: the company is still owed the money. The company is told."""
    reason = (note or "").strip()
    if not reason:
        raise ValidationError({"note": _("Give the reason.")})
    check_transition(obj, "reopen_settlement", by=by, note=reason)
    with transaction.atomic():
        locked = RecycleRequest.objects.select_for_update().get(pk=obj.pk)
        if locked.credit_note_id is None or locked.status != RecycleRequest.Status.SETTLED:
            raise TransitionRefused(_("Someone else has just acted on this record. Reload and check."))
        number = locked.credit_note.number
        credit_note_void(note=locked.credit_note, by=by, reason=reason)
        transition(
            obj,
            "reopen_settlement",
            by=by,
            note=reason,
            changes={"credit_note": None, "settled_at": None},
            data={"number": number},
        )
        _tell(
            obj,
            gettext_noop(
                "The credit note %(note_number)s of recyclables %(number)s was voided; it will be settled again."
            ),
            "credit_voided",
            {"note_number": number},
        )
    return obj
