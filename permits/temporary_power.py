"""Temporary power 临时用电: every write and state change.

A company applies in the portal (or the desk for it): a unit it occupies or a public location,
the load, voltage and phases, the period, a certified electrician. Engineering approves (the
numbered paper with QR is issued then, valid for the period, posted at the distribution board),
sends it back or rejects it; inspects the wiring (every checklist item ticked, a note),
switches on (the meter's start reading, or "no meter") and off (the end reading, never below
the start). Switching off bills the fee through billing in the same transaction (one bill,
``source_key`` ``temporarypower:<pk>``): metered kWh × rate, or without a meter load × hours
switched on (part hours rounded up) × rate, the rate being the fee item ``temp_power_kwh``.
The company may withdraw before switch-on (its paper is revoked).

The load may not exceed the unit's supply (``Unit.power_supply_kw``); where a unit has none
recorded, and for public locations, the building's limit for temporary connections
(``TEMPORARY_POWER_MAX_KW``, default 20 kW) applies instead.
"""

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from billing.models import ZERO, Bill, FeeItem
from billing.money import round_money
from billing.services import LineSpec, bill_create
from jinyuan.accounts.roles import Role
from jinyuan.accounts.selectors import staff_with_role
from jinyuan.documents.models import Document
from jinyuan.documents.services import document_issue, document_revoke
from jinyuan.phones import validate_phone
from jinyuan.workflow.services import TransitionRefused, check_transition, notify, record_event, transition
from tenants.models import Tenant, Unit
from tenants.selectors import current_occupancies
from tenants.services import notify_tenant

from .models import TemporaryPower

KIND = "temporary_power_permit"
FEE_ITEM = "temp_power_kwh"
DEFAULT_MAX_KW = Decimal("20")
# A temporary connection is for works, not a second supply: at most this long.
MAX_PERIOD = dt.timedelta(days=90)
FIELDS = (
    "unit",
    "location",
    "renovation",
    "purpose",
    "load_kw",
    "voltage",
    "phases",
    "starts_at",
    "ends_at",
    "electrician_name",
    "certificate_number",
    "certificate_expiry",
    "phone",
)
# Engineering may switch on a little before the period starts (to test the connection), never after it ends.
SWITCH_ON_EARLY = dt.timedelta(hours=1)


def bill_key(permit: TemporaryPower) -> str:
    return f"temporarypower:{permit.pk}"


def supply_limit(unit: Unit | None) -> Decimal:
    """What a temporary connection may draw: the unit's recorded supply, else the building's
    limit for temporary connections."""
    if unit is not None and unit.power_supply_kw is not None:
        return unit.power_supply_kw
    return Decimal(str(getattr(settings, "TEMPORARY_POWER_MAX_KW", DEFAULT_MAX_KW)))


# --- the fee ----------------------------------------------------------------------------------


def billed_hours(on: dt.datetime, off: dt.datetime) -> int:
    """Hours switched on, a started hour counting whole (at least one)."""
    seconds = max((off - on).total_seconds(), 0)
    return max(math.ceil(seconds / 3600), 1)


def fee_quantity(
    *,
    has_meter: bool,
    meter_start: Decimal | None = None,
    meter_end: Decimal | None = None,
    load_kw: Decimal | None = None,
    on: dt.datetime | None = None,
    off: dt.datetime | None = None,
) -> Decimal:
    """The kWh billed: the meter's difference, or load × started hours without a meter."""
    if has_meter:
        return Decimal(meter_end) - Decimal(meter_start)
    return Decimal(load_kw) * billed_hours(on, off)


def fee_amount(quantity: Decimal, rate: Decimal) -> Decimal:
    """kWh × rate, rounded to the fen (half up, as every bill line)."""
    return round_money(Decimal(quantity) * Decimal(rate))


def _rate() -> FeeItem | None:
    item = FeeItem.objects.filter(code=FEE_ITEM, is_active=True).first()
    return item if item is not None and item.price > ZERO else None


# --- checks -----------------------------------------------------------------------------------


def _check_fields(tenant: Tenant, fields: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """Every rule on what the company writes, each error beside its field."""
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    unit = fields.get("unit")
    location = (fields.get("location") or "").strip()
    if unit is not None:
        if not current_occupancies(tenant).filter(unit=unit).exists():
            err("unit", _("Choose a unit your company occupies."))
    elif not location:
        err("location", _("Choose your unit, or describe the public location."))
    renovation = fields.get("renovation")
    if renovation is not None and renovation.tenant_id != tenant.pk:
        err("renovation", _("Choose one of your company's renovations."))
    purpose = (fields.get("purpose") or "").strip()
    if not purpose:
        err("purpose", _("Say what the power is for."))
    load = fields.get("load_kw")
    if load is None:
        err("load_kw", _("Give the load in kW."))
    elif load <= 0:
        err("load_kw", _("The load must be more than 0 kW."))
    elif "unit" not in errors and load > (limit := supply_limit(unit)):
        if unit is not None and unit.power_supply_kw is not None:
            err(
                "load_kw",
                _("%(load)s kW is more than the unit's supply of %(supply)s kW.") % {"load": load, "supply": limit},
            )
        else:
            err(
                "load_kw",
                _("%(load)s kW is more than the %(supply)s kW a temporary connection may draw here.")
                % {"load": load, "supply": limit},
            )
    voltage, phases = fields.get("voltage"), fields.get("phases")
    if voltage not in TemporaryPower.Voltage.values:
        err("voltage", _("Choose 220 V or 380 V."))
    if phases not in TemporaryPower.Phases.values:
        err("phases", _("Choose single or three phase."))
    elif voltage == 380 and phases != 3:
        err("phases", _("380 V is three phase."))
    elif voltage == 220 and phases != 1:
        err("phases", _("220 V is single phase."))
    start, end = fields.get("starts_at"), fields.get("ends_at")
    if start is None:
        err("starts_at", _("Give the start of the period."))
    elif start < now - dt.timedelta(minutes=5):
        err("starts_at", _("The period cannot start in the past."))
    if end is None:
        err("ends_at", _("Give the end of the period."))
    elif start is not None and end <= start:
        err("ends_at", _("The end must be after the start."))
    elif start is not None and end - start > MAX_PERIOD:
        err("ends_at", _("At most %(days)d days at a time.") % {"days": MAX_PERIOD.days})
    name = (fields.get("electrician_name") or "").strip()
    if not name:
        err("electrician_name", _("Give the electrician's name."))
    number = (fields.get("certificate_number") or "").strip()
    if not number:
        err("certificate_number", _("Give the electrician's certificate number."))
    expiry = fields.get("certificate_expiry")
    if expiry is None:
        err("certificate_expiry", _("Give the date the certificate is valid until."))
    elif end is not None and expiry < timezone.localdate(end):
        err(
            "certificate_expiry",
            _("The certificate expires on %(day)s, before the period ends: another electrician, or a shorter period.")
            % {"day": expiry.isoformat()},
        )
    phone = (fields.get("phone") or "").strip()
    try:
        validate_phone(phone)
    except ValidationError as exc:
        errors.setdefault("phone", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return {
        "unit": unit,
        "location": location[:100],
        "renovation": renovation,
        "purpose": purpose[:200],
        "load_kw": load,
        "voltage": voltage,
        "phases": phases,
        "starts_at": start,
        "ends_at": end,
        "electrician_name": name[:40],
        "certificate_number": number[:40],
        "certificate_expiry": expiry,
        "phone": phone,
    }


# --- apply, correct -----------------------------------------------------------------------------


def power_apply(*, tenant: Tenant, by: Any, **fields: Any) -> TemporaryPower:
    """An application by the company (portal) or the desk for it, waiting for engineering."""
    if not current_occupancies(tenant).exists():
        raise TransitionRefused(_("Temporary power is for companies occupying a unit of the building."))
    values = _check_fields(tenant, fields, timezone.now())
    with transaction.atomic():
        permit = TemporaryPower.objects.create(tenant=tenant, applicant=by, **values)
        record_event(
            permit,
            "temporary_power.submitted",
            by=by,
            to_state=permit.status,
            data={"load_kw": str(permit.load_kw), "place": permit.place},
        )
        _tell_engineering(permit, "submitted")
    return permit


def power_correct(*, obj: TemporaryPower, by: Any, note: str = "", **fields: Any) -> TemporaryPower:
    """A returned application corrected and sent to engineering again."""
    check_transition(obj, "resubmit", by=by, note=note)
    values = _check_fields(obj.tenant, {**{f: getattr(obj, f) for f in FIELDS}, **fields}, timezone.now())
    changes = {k: v for k, v in values.items() if getattr(obj, k) != v}
    with transaction.atomic():
        transition(obj, "resubmit", by=by, note=note, changes=changes, data={"corrected": sorted(changes)})
        _tell_engineering(obj, f"resubmitted-{timezone.now():%Y%m%d%H%M%S}")
    return obj


# --- engineering decides ------------------------------------------------------------------------


def power_approve(*, obj: TemporaryPower, by: Any, note: str = "") -> TemporaryPower:
    """Approve and issue the numbered paper, valid for the period, in one transaction."""
    check_transition(obj, "approve", by=by, note=note)
    if obj.ends_at <= timezone.now():
        raise TransitionRefused(_("The period is over: return the application for a new period or reject it."))
    with transaction.atomic():
        doc = document_issue(kind=KIND, source=obj, by=by, valid_from=obj.starts_at, valid_until=obj.ends_at)
        transition(
            obj, "approve", by=by, note=note, changes={"document": doc, "engineer": by}, data={"number": doc.number}
        )
        _tell_tenant(
            obj,
            gettext_noop("Your temporary power %(number)s is approved; engineering inspects the wiring next."),
            {"number": doc.number},
            "approved",
        )
    return obj


def power_send_back(*, obj: TemporaryPower, by: Any, note: str) -> TemporaryPower:
    with transaction.atomic():
        transition(obj, "send_back", by=by, note=note)
        _tell_tenant(
            obj,
            gettext_noop("Your temporary power application was returned for correction: %(reason)s"),
            {"reason": note},
            f"returned-{timezone.now():%Y%m%d%H%M%S}",
        )
    return obj


def power_reject(*, obj: TemporaryPower, by: Any, note: str) -> TemporaryPower:
    with transaction.atomic():
        transition(obj, "reject", by=by, note=note)
        _tell_tenant(
            obj, gettext_noop("Your temporary power application was rejected: %(reason)s"), {"reason": note}, "rejected"
        )
    return obj


def power_withdraw(*, obj: TemporaryPower, by: Any, note: str = "") -> TemporaryPower:
    """Withdrawn before switch-on: an issued paper stops working at once."""
    with transaction.atomic():
        transition(obj, "withdraw", by=by, note=note)
        _revoke_paper(obj, by=by, reason=_("Withdrawn"))
    return obj


def _revoke_paper(obj: TemporaryPower, *, by: Any, reason: str) -> None:
    if obj.document_id and obj.document.status in (Document.Status.VALID, Document.Status.SUSPENDED):
        document_revoke(document=obj.document, by=by, reason=reason)


# --- on site ----------------------------------------------------------------------------------


def power_inspect(*, obj: TemporaryPower, by: Any, checklist: list[str], note: str = "") -> TemporaryPower:
    """The wiring inspected: every item of the checklist ticked, with a note."""
    check_transition(obj, "inspect", by=by)
    codes = [code for code, _label in TemporaryPower.CHECKLIST]
    ticked = [code for code in codes if code in set(checklist or [])]
    if len(ticked) != len(codes):
        raise ValidationError({"checklist": _("Tick every item once it is right; a fault is fixed first.")})
    with transaction.atomic():
        transition(
            obj,
            "inspect",
            by=by,
            note=note,
            changes={"checklist": ticked, "inspection_note": (note or "").strip()[:500]},
            data={"items": len(ticked)},
        )
    return obj


def power_switch_on(
    *, obj: TemporaryPower, by: Any, meter_start: Decimal | None = None, no_meter: bool = False, note: str = ""
) -> TemporaryPower:
    """Switched on: the meter's start reading, or no meter (billed by load × hours)."""
    check_transition(obj, "switch_on", by=by)
    if not no_meter and meter_start is None:
        raise ValidationError({"meter_start": _("Read the meter, or tick “no meter”.")})
    if meter_start is not None and meter_start < 0:
        raise ValidationError({"meter_start": _("A meter reading is not negative.")})
    now = timezone.now()
    if now < obj.starts_at - SWITCH_ON_EARLY:
        raise TransitionRefused(
            _("The period starts at %(at)s: switch on at most an hour before.")
            % {"at": f"{timezone.localtime(obj.starts_at):%Y-%m-%d %H:%M}"}
        )
    if now >= obj.ends_at:
        raise TransitionRefused(_("The period is over: the company applies again for a new period."))
    with transaction.atomic():
        transition(
            obj,
            "switch_on",
            by=by,
            note=note,
            changes={
                "has_meter": not no_meter,
                "meter_start": None if no_meter else meter_start,
                "switched_on_at": now,
            },
            data={"meter_start": "" if no_meter else str(meter_start), "no_meter": no_meter},
        )
        _tell_tenant(obj, gettext_noop("Temporary power %(number)s is switched on."), {"number": str(obj)}, "on")
    return obj


def power_switch_off(
    *, obj: TemporaryPower, by: Any, meter_end: Decimal | None = None, note: str = ""
) -> TemporaryPower:
    """Switched off: the end reading (never below the start) and the fee billed, in one
    transaction (a lost race bills nothing)."""
    check_transition(obj, "switch_off", by=by)
    if obj.has_meter:
        if meter_end is None:
            raise ValidationError({"meter_end": _("Read the meter at switch-off.")})
        if meter_end < obj.meter_start:
            raise ValidationError(
                {
                    "meter_end": _("The end reading is below the start reading of %(start)s kWh.")
                    % {"start": obj.meter_start}
                }
            )
    now = timezone.now()
    quantity = fee_quantity(
        has_meter=obj.has_meter,
        meter_start=obj.meter_start,
        meter_end=meter_end,
        load_kw=obj.load_kw,
        on=obj.switched_on_at,
        off=now,
    )
    item = _rate()
    with transaction.atomic():
        changes: dict[str, Any] = {"switched_off_at": now, "meter_end": meter_end if obj.has_meter else None}
        bill = None
        if item is not None:
            changes["fee"] = fee_amount(quantity, item.price)
        transition(
            obj,
            "switch_off",
            by=by,
            note=note,
            changes=changes,
            data={"meter_end": str(meter_end) if obj.has_meter else "", "kwh": str(quantity)},
        )
        if item is not None:
            bill = _bill(obj, item=item, quantity=quantity, by=by)
            TemporaryPower.objects.filter(pk=obj.pk).update(bill=bill)
            obj.bill = bill
            record_event(obj, "temporary_power.billed", by=by, data={"bill": bill.number, "total": str(bill.total)})
        _tell_tenant(
            obj,
            gettext_noop("Temporary power %(number)s is switched off: %(kwh)s kWh, CNY %(fee)s."),
            {"number": str(obj), "kwh": str(quantity), "fee": str(obj.fee or ZERO)},
            "off",
        )
    return obj


def _bill(permit: TemporaryPower, *, item: FeeItem, quantity: Decimal, by: Any) -> Bill:
    on, off = timezone.localtime(permit.switched_on_at), timezone.localtime(permit.switched_off_at)
    if permit.has_meter:
        how = _("meter %(start)s–%(end)s") % {"start": permit.meter_start, "end": permit.meter_end}
    else:
        how = _("no meter: %(load)s kW × %(hours)d h") % {"load": permit.load_kw, "hours": billed_hours(on, off)}
    line = LineSpec(
        fee_item=item,
        description=f"{item.name} {permit.place} {on:%Y-%m-%d %H:%M}–{off:%Y-%m-%d %H:%M}（{how}）",
        quantity=quantity,
        unit_price=item.price,
        unit=permit.unit,
        period_start=on.date(),
        period_end=off.date(),
    )
    return bill_create(
        tenant=permit.tenant,
        title=_("Temporary power %(number)s") % {"number": str(permit)},
        lines=[line],
        by=by,
        source_key=bill_key(permit),
    )


def power_close(*, obj: TemporaryPower, by: Any, note: str = "") -> TemporaryPower:
    with transaction.atomic():
        transition(obj, "close", by=by, note=note)
    return obj


# --- who is told --------------------------------------------------------------------------------


def _tell_engineering(permit: TemporaryPower, event: str) -> None:
    notify(
        staff_with_role(Role.ENGINEERING),
        message=gettext_noop("Temporary power to review: %(company)s, %(load)s kW"),
        args={"company": permit.tenant.name, "load": str(permit.load_kw)},
        url=reverse("desk:permits:power_detail", args=[permit.pk]),
        dedup_key=f"temporary-power-{permit.pk}-{event}",
    )


def _tell_tenant(permit: TemporaryPower, message: str, args: dict, event: str) -> None:
    url = reverse("portal:permits:power_detail", args=[permit.pk])
    notify_tenant(permit, message=message, args=args, event=event, url=url)
