"""Demo price list (收费标准): a few ranged paid-service items with materials extra, and a price change."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from billing.models import FeeItem
from billing.services import fee_price_add

# code: (name, unit, price, min, max, materials extra)
RANGED = {
    "repair_plumbing": ("水管维修", "次", "80.00", "50.00", "200.00", True),
    "repair_lighting": ("灯具更换", "盏", "30.00", "20.00", "60.00", True),
    "lock_change": ("门锁更换", "把", "120.00", None, None, True),
}


def through_services(finance: Any, today: date) -> None:
    for code, (name, unit, price, low, high, materials) in RANGED.items():
        item, made = FeeItem.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": FeeItem.Kind.ONE_OFF,
                "price": Decimal(price),
                "unit_label": f"元/{unit}",
                "materials_extra": materials,
            },
        )
        if made:
            fee_price_add(
                item=item,
                price=Decimal(price),
                price_min=Decimal(low) if low else None,
                price_max=Decimal(high) if high else None,
                effective_from=today - timedelta(days=365),
                by=finance,
            )
    # A price change: the lock change costs more from the first of this month (old bills keep 120).
    item = FeeItem.objects.get(code="lock_change")
    if item.prices.count() == 1:
        fee_price_add(item=item, price=Decimal("150.00"), effective_from=today.replace(day=1), by=finance)
