"""Renovation fees: what approval bills, from the supervisors' fee schedule.

- deposit 装修保证金: the tier of the unit's area, less the part of a renovation deposit paid at
  move-in that no earlier renovation of the company has counted yet (bill only the difference);
- management fee 装修管理费: per m² per month of the granted period (part months count as
  whole months: 不足一月按一月计), or flat;
- waste removal 垃圾清运费: a fixed amount.

Lines of zero are left off; the bill's lines name the renovation's unit.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Sum

from billing.models import ZERO, DepositEntry, FeeItem
from billing.money import round_money
from billing.services import LineSpec

from .models import DepositTier, FeeSchedule, Renovation

DEPOSIT_ITEM = "renovation_deposit"
MANAGEMENT_ITEM = "renovation_management"
WASTE_ITEM = "renovation_waste"
# Deposits the move-in billed (Bill.source_key "movein:<pk>", copied onto the ledger entries).
MOVE_IN_SOURCE = "movein:"


@dataclass(frozen=True)
class Fees:
    tier: Decimal
    from_move_in: Decimal
    deposit: Decimal
    months: int
    management: Decimal
    waste: Decimal
    lines: tuple[LineSpec, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


def deposit_tier(area: Decimal) -> Decimal:
    for tier in DepositTier.objects.all():
        if tier.area_up_to is None or area <= tier.area_up_to:
            return tier.amount
    return ZERO


def months_in(start: date, end: date) -> int:
    """Months from ``start`` to ``end`` inclusive, a part month counting as a whole one:
    03-10..04-09 is 1, 03-10..04-10 is 2."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day >= start.day:
        months += 1
    return max(months, 1)


def move_in_deposit_available(renovation: Renovation) -> Decimal:
    """The renovation deposit the company paid at move-in and still holds, less what its other
    renovations (approved or later) already counted toward their tiers."""
    entries = DepositEntry.objects.filter(
        tenant_id=renovation.tenant_id, fee_item__code=DEPOSIT_ITEM, source_key__startswith=MOVE_IN_SOURCE
    )
    sums = {row["kind"]: row["s"] for row in entries.values("kind").annotate(s=Sum("amount")).order_by()}
    held = sums.get("received", ZERO) - sums.get("deducted", ZERO) - sums.get("refunded", ZERO)
    counted = (
        Renovation.objects.filter(
            tenant_id=renovation.tenant_id, status__in=[Renovation.Status.APPROVED, Renovation.Status.IN_WORKS]
        )
        .exclude(pk=renovation.pk)
        .aggregate(s=Sum("deposit_from_move_in"))["s"]
        or ZERO
    )
    return max(held - counted, ZERO)


def _item(code: str) -> FeeItem:
    return FeeItem.objects.get(code=code)


def fees_for(renovation: Renovation, start: date, end: date) -> Fees:
    unit = renovation.unit
    area = Decimal(str(unit.area))
    schedule = FeeSchedule.current()
    tier = deposit_tier(area)
    from_move_in = min(move_in_deposit_available(renovation), tier)
    deposit = tier - from_move_in
    months = months_in(start, end)
    if schedule.management_basis == FeeSchedule.Basis.FLAT:
        management = round_money(schedule.management_rate)
        quantity, price = Decimal(1), schedule.management_rate
    else:
        management = round_money(area * schedule.management_rate * months)
        quantity, price = (area * months).quantize(Decimal("0.0001")), schedule.management_rate
    waste = round_money(schedule.waste_removal_fee)
    lines = []
    if deposit > 0:
        item = _item(DEPOSIT_ITEM)
        text = f"{item.name} {unit.number}（{unit.area} m²）"
        if from_move_in:
            text += f"，已抵入驻时缴纳 {from_move_in}"
        lines.append(LineSpec(item, text[:120], Decimal(1), deposit, unit))
    if management > 0:
        item = _item(MANAGEMENT_ITEM)
        if schedule.management_basis == FeeSchedule.Basis.FLAT:
            text = f"{item.name} {unit.number}"
        else:
            text = f"{item.name} {unit.number} {unit.area} m² × {months} 个月"
        lines.append(LineSpec(item, text[:120], quantity, price, unit, start, end, exact_amount=management))
    if waste > 0:
        item = _item(WASTE_ITEM)
        lines.append(LineSpec(item, f"{item.name} {unit.number}", Decimal(1), waste, unit))
    return Fees(tier, from_move_in, deposit, months, management, waste, tuple(lines))


@dataclass(frozen=True)
class ExtensionFees:
    months: int  # months the longer period adds (part months as whole ones over the whole period)
    management: Decimal
    lines: tuple[LineSpec, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)


def extension_fees(renovation: Renovation, new_end: date) -> ExtensionFees:
    """The fee recalculated for an extension 延期: the management fee per m² per month of the
    months the new end adds to the granted period (counted over the whole period, so a part
    month already billed is not billed twice), at today's rate. A flat management fee is per
    renovation: an extension adds none. The deposit and the waste removal do not change."""
    unit = renovation.unit
    schedule = FeeSchedule.current()
    start, old_end = renovation.granted_start, renovation.granted_end
    months = months_in(start, new_end) - months_in(start, old_end)
    if schedule.management_basis == FeeSchedule.Basis.FLAT or months <= 0:
        return ExtensionFees(max(months, 0), ZERO, ())
    area = Decimal(str(unit.area))
    management = round_money(area * schedule.management_rate * months)
    if management <= 0:
        return ExtensionFees(months, ZERO, ())
    item = _item(MANAGEMENT_ITEM)
    text = f"{item.name}（延期至 {new_end.isoformat()}）{unit.number} {unit.area} m² × {months} 个月"
    line = LineSpec(
        item,
        text[:120],
        (area * months).quantize(Decimal("0.0001")),
        schedule.management_rate,
        unit,
        old_end + timedelta(days=1),
        new_end,
        exact_amount=management,
    )
    return ExtensionFees(months, management, (line,))
