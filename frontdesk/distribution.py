"""Material distribution 代派资料: every write (PROCEDURES.md "Front desk and supervision").

The company asks the desk to hand its material (a PDF or image, uploaded through the kernel's
attachments) to other tenants: all, the floors of a building, or chosen companies. The
supervisor approves the content or rejects it with a reason (the desk cannot approve: e.g.
advertising is not allowed). The desk completes it with the count actually distributed (never
more than the quantity) and who did it.

The bill is made at completion, not at approval: the fee per copy is billed for the count
actually distributed, which is known only then; a batch is billed once, at the batch price in
force when the request was made (the price the company saw). The bill's line points back at the
request (its source key ``distribution:<pk>``), and a withdrawn or rejected request bills nothing.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from billing import services as billing
from billing.models import FeeItem
from billing.paid import price_in_force
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.attachments.services import attachment_add
from jinyuan.workflow.services import check_transition, next_number, record_event, transition
from tenants.models import Building, Floor, Tenant
from tenants.services import notify_tenant

from .models import MaterialDistribution

PREFIX = "DP"
MAX_COPIES = 10000
MATERIAL_KIND = "material"
# The price list's items (migration 0005 loads the same rows; here for a flushed test database).
FEE_ITEMS = {
    # code: (name, price, unit)
    MaterialDistribution.Charge.PER_COPY: ("distribution_copy", "代派资料费（按份）", "0.50", "元/份"),
    MaterialDistribution.Charge.PER_BATCH: ("distribution_batch", "代派资料费（按批）", "150.00", "元/批"),
}


def fee_item(charge: str) -> FeeItem:
    code, name, price, unit = FEE_ITEMS[charge]
    item, _created = FeeItem.objects.get_or_create(
        code=code,
        defaults={"name": name, "kind": FeeItem.Kind.ONE_OFF, "price": Decimal(price), "unit_label": unit},
    )
    return item


def prices_shown() -> list[dict]:
    """The two items with their prices in force today, for the request form."""
    today = timezone.localdate()
    return [
        {"name": item.name, "price": price_in_force(item, today).price, "unit_label": item.unit_label}
        for item in (fee_item(charge) for charge in MaterialDistribution.Charge.values)
    ]


def bill_key(obj: MaterialDistribution) -> str:
    return f"distribution:{obj.pk}"


def _tell(obj: MaterialDistribution, message: str, event: str, args: dict | None = None) -> None:
    notify_tenant(
        obj,
        message=message,
        args={"number": obj.number, **(args or {})},
        event=event,
        url=reverse("portal:frontdesk:distribution_detail", args=[obj.pk]),
    )


def _check(fields: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """Each rule on what the company writes, its error beside its field."""
    errors: dict[str, list[str]] = {}
    title = (fields.get("title") or "").strip()
    if not title:
        errors["title"] = [_("Give the material a title.")]
    quantity = fields.get("quantity")
    if quantity is None or quantity < 1:
        errors["quantity"] = [_("At least one copy.")]
    elif quantity > MAX_COPIES:
        errors["quantity"] = [_("At most %(n)d copies in one request.") % {"n": MAX_COPIES}]
    day = fields.get("preferred_date")
    if day is None:
        errors["preferred_date"] = [_("Give a preferred date.")]
    elif day < today:
        errors["preferred_date"] = [_("The date cannot be in the past.")]
    targets = fields.get("targets") or MaterialDistribution.Targets.ALL
    building: Building | None = fields.get("building")
    floors: list[Floor] = list(fields.get("floors") or [])
    companies: list[Tenant] = list(fields.get("target_tenants") or [])
    if targets not in MaterialDistribution.Targets.values:
        errors["targets"] = [_("Choose whom it goes to.")]
    elif targets == MaterialDistribution.Targets.FLOORS:
        if building is None:
            errors["building"] = [_("Choose the building.")]
        elif not floors:
            errors["floors"] = [_("Choose at least one floor.")]
        elif any(f.building_id != building.pk for f in floors):
            errors["floors"] = [_("Choose floors of the building chosen.")]
    elif targets == MaterialDistribution.Targets.TENANTS and not companies:
        errors["target_tenants"] = [_("Name at least one company.")]
    charge = fields.get("charge") or MaterialDistribution.Charge.PER_COPY
    if charge not in MaterialDistribution.Charge.values:
        errors["charge"] = [_("Choose how it is charged.")]
    if fields.get("material") is None:
        errors["material"] = [_("Upload the material (PDF or image).")]
    if errors:
        raise ValidationError(errors)
    return {
        "title": title[:100],
        "quantity": quantity,
        "preferred_date": day,
        "targets": targets,
        "building": building if targets == MaterialDistribution.Targets.FLOORS else None,
        "floors": floors if targets == MaterialDistribution.Targets.FLOORS else [],
        "target_tenants": companies if targets == MaterialDistribution.Targets.TENANTS else [],
        "charge": charge,
        "note": (fields.get("note") or "").strip()[:500],
    }


def distribution_request(*, tenant: Tenant, by: Any, material: Any = None, **fields: Any) -> MaterialDistribution:
    """The company (portal) or the desk (for it) asks for its material to be distributed; the
    price shown and billed is the list's on the day of the request."""
    values = _check({**fields, "material": material}, timezone.localdate())
    floors, companies = values.pop("floors"), values.pop("target_tenants")
    item = fee_item(values["charge"])
    price = price_in_force(item, timezone.localdate()).price
    with transaction.atomic():
        obj = MaterialDistribution.objects.create(
            number=next_number(PREFIX), tenant=tenant, applicant=by, fee_item=item, unit_price=price, **values
        )
        obj.floors.set(floors)
        obj.target_tenants.set(companies)
        record_event(
            obj,
            f"distribution.{'created' if by.has_role(*DESK_ROLES) else 'requested'}",
            by=by,
            to_state=obj.status,
            data={"copies": obj.quantity},
        )
        # A bad file is an error beside the upload field, and the whole request rolls back.
        try:
            attachment_add(record=obj, upload=material, by=by, kind=MATERIAL_KIND, label=values["title"])
        except ValidationError as exc:
            raise ValidationError({"material": exc.messages}) from exc
    return obj


def distribution_approve(*, obj: MaterialDistribution, by: Any, note: str = "") -> MaterialDistribution:
    with transaction.atomic():
        transition(obj, "approve", by=by, note=note)
        _tell(obj, gettext_noop("Your material %(number)s was approved for distribution."), "approved")
    return obj


def distribution_reject(*, obj: MaterialDistribution, by: Any, note: str = "") -> MaterialDistribution:
    with transaction.atomic():
        transition(obj, "reject", by=by, note=note, changes={"refusal_reason": (note or "").strip()[:500]})
        _tell(obj, gettext_noop("Your material %(number)s was not approved: %(reason)s"), "rejected", {"reason": note})
    return obj


def distribution_withdraw(*, obj: MaterialDistribution, by: Any, note: str = "") -> MaterialDistribution:
    return transition(obj, "withdraw", by=by, note=note)


def amount_for(obj: MaterialDistribution, count: int) -> tuple[Decimal, Decimal]:
    """(quantity, unit price) of the bill line: the copies distributed, or one batch."""
    if obj.charge == MaterialDistribution.Charge.PER_COPY:
        return Decimal(count), obj.unit_price
    return Decimal(1), obj.unit_price


def distribution_complete(
    *, obj: MaterialDistribution, by: Any, count: int | None, distributed_by: str, note: str = ""
) -> MaterialDistribution:
    """Completed with the count actually distributed and who did it; billed now."""
    check_transition(obj, "complete", by=by)
    errors = {}
    if count is None or count < 1:
        errors["count"] = [_("At least one copy must have been distributed.")]
    elif count > obj.quantity:
        errors["count"] = [_("At most the %(n)d copies asked for.") % {"n": obj.quantity}]
    distributed_by = (distributed_by or "").strip()
    if not distributed_by:
        errors["distributed_by"] = [_("Say who distributed it.")]
    if errors:
        raise ValidationError(errors)
    quantity, price = amount_for(obj, count)
    with transaction.atomic():
        bill = None
        if price > 0:
            bill = billing.bill_create(
                tenant=obj.tenant,
                title=_("Material distribution %(number)s") % {"number": obj.number},
                lines=[
                    billing.LineSpec(
                        fee_item=obj.fee_item,
                        description=f"{obj.number} {obj.title}"[:120],
                        quantity=quantity,
                        unit_price=price,
                    )
                ],
                by=by,
                source_key=bill_key(obj),
            )
        transition(
            obj,
            "complete",
            by=by,
            note=note,
            changes={
                "distributed_count": count,
                "distributed_by": distributed_by[:60],
                "completed_at": timezone.now(),
                "bill": bill,
            },
            data={"count": count, "bill": bill.number if bill else ""},
        )
        _tell(
            obj,
            gettext_noop("Your material %(number)s was distributed: %(count)s copies."),
            "completed",
            {"count": count},
        )
    return obj
