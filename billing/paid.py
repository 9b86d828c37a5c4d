"""Paid services 有偿服务: lines charged from the dated price list (明码标价).

One place checks a paid line, so the desk's charge screen and a repair's quote refuse the same
things the same way: a quantity that is not positive, a price outside the item's range without a
reason, an item that is not on the price list that day. Materials go on their own lines, only
for items the price list marks "materials extra".
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import ZERO, FeeItem, FeePrice
from .services import LineSpec

MATERIALS_CODE = "materials"
# The largest amount a bill (line) holds: DecimalField(max_digits=12, decimal_places=2).
MAX_AMOUNT = Decimal("9999999999.99")


@dataclass(frozen=True)
class PriceInForce:
    price: Decimal
    low: Decimal | None
    high: Decimal | None

    @property
    def ranged(self) -> bool:
        return self.low is not None and self.high is not None


@dataclass(frozen=True)
class PaidItem:
    """One priced line: an item of the price list × quantity, at its price or one the staff chose."""

    fee_item: FeeItem
    quantity: Decimal
    unit_price: Decimal | None = None  # None: the price in force that day
    reason: str = ""  # why the price lies outside the item's range


@dataclass(frozen=True)
class MaterialLine:
    """Materials used, charged at cost on top of an item marked "materials extra"."""

    description: str
    quantity: Decimal
    unit_price: Decimal


def price_in_force(item: FeeItem, day: date) -> PriceInForce:
    """The item's price and range on ``day`` (the latest dated price from on or before it)."""
    row = FeePrice.objects.filter(fee_item=item, effective_from__lte=day).order_by("-effective_from").first()
    if row is None:
        return PriceInForce(item.price, item.price_min, item.price_max)
    return PriceInForce(row.price, row.price_min, row.price_max)


def materials_item() -> FeeItem:
    """The price-list entry materials are billed under (a bill line needs a fee item)."""
    item, _made = FeeItem.objects.get_or_create(
        code=MATERIALS_CODE,
        defaults={"name": "材料费", "kind": FeeItem.Kind.ONE_OFF, "price": ZERO, "unit_label": "元"},
    )
    return item


def check_paid_item(item: PaidItem, day: date) -> dict[str, str]:
    """Errors of one line by field name (``quantity``, ``unit_price``, ``reason``, ``fee_item``);
    empty when the line may be charged. Forms attach these beside their fields."""
    errors: dict[str, str] = {}
    fee_item = item.fee_item
    if not fee_item.is_active or fee_item.kind != FeeItem.Kind.ONE_OFF or fee_item.code == MATERIALS_CODE:
        errors["fee_item"] = _("This item is not a paid service on the price list.")
        return errors
    if item.quantity is None or item.quantity <= ZERO:
        errors["quantity"] = _("The quantity must be more than zero.")
    if item.unit_price is not None and item.unit_price < ZERO:
        errors["unit_price"] = _("A price cannot be negative.")
        return errors
    force = price_in_force(fee_item, day)
    price = force.price if item.unit_price is None else item.unit_price
    if item.quantity is not None and item.quantity > ZERO and item.quantity * price > MAX_AMOUNT:
        errors["quantity"] = _("This line comes to more than a bill can hold.")
    outside = (force.ranged and not (force.low <= price <= force.high)) or (not force.ranged and price != force.price)
    if outside and not item.reason.strip():
        if force.ranged:
            errors["reason"] = _("The price lies outside %(low)s–%(high)s: say why.") % {
                "low": force.low,
                "high": force.high,
            }
        else:
            errors["reason"] = _("The listed price is %(price)s: say why this one differs.") % {"price": force.price}
    return errors


def check_material(line: MaterialLine) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not line.description.strip():
        errors["description"] = _("Name the material.")
    if line.quantity is None or line.quantity <= ZERO:
        errors["quantity"] = _("The quantity must be more than zero.")
    if line.unit_price is None or line.unit_price < ZERO:
        errors["unit_price"] = _("A price cannot be negative.")
    elif line.quantity is not None and line.quantity > ZERO and line.quantity * line.unit_price > MAX_AMOUNT:
        errors["quantity"] = _("This line comes to more than a bill can hold.")
    return errors


def paid_lines(items: list[PaidItem], materials: list[MaterialLine] = (), *, on: date) -> list[LineSpec]:
    """Bill lines for a paid service on day ``on``; raises ValidationError naming the line."""
    if not items:
        raise ValidationError({"lines": _("Choose at least one item from the price list.")})
    problems = []
    for number, item in enumerate(items, start=1):
        for message in check_paid_item(item, on).values():
            problems.append(_("Line %(n)d: %(message)s") % {"n": number, "message": message})
    if materials and not any(item.fee_item.materials_extra for item in items):
        problems.append(_("None of these items charges materials extra."))
    for number, line in enumerate(materials, start=1):
        for message in check_material(line).values():
            problems.append(_("Material %(n)d: %(message)s") % {"n": number, "message": message})
    if problems:
        raise ValidationError({"lines": problems})
    lines = []
    total = ZERO
    for item in items:
        price = item.unit_price if item.unit_price is not None else price_in_force(item.fee_item, on).price
        # BillLine.description holds 120 characters; the reason is kept whole on the quote line.
        description = (item.fee_item.name + (f" ({item.reason.strip()})" if item.reason.strip() else ""))[:120]
        lines.append(
            LineSpec(fee_item=item.fee_item, description=description, quantity=item.quantity, unit_price=price)
        )
    if materials:
        material = materials_item()
        lines += [
            LineSpec(fee_item=material, description=x.description[:120], quantity=x.quantity, unit_price=x.unit_price)
            for x in materials
        ]
    if sum((line.amount for line in lines), total) > MAX_AMOUNT:
        raise ValidationError({"lines": [_("The lines come to more than a bill can hold.")]})
    return lines
