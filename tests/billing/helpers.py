"""Plain helpers shared by the billing and lifecycle tests: the price list and quick bills."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from billing.models import Bill, FeeItem
from billing.services import LineSpec, bill_create

# code: (name, kind, price, charged at move-in). The same as billing/migrations/0002_price_list.py,
# written here because a transactional test (flush) elsewhere in the run empties the table.
PRICE_LIST = {
    "property_fee": ("物业管理费", FeeItem.Kind.AREA_MONTHLY, "28.00", True),
    "ac_fee": ("空调能耗费", FeeItem.Kind.AREA_MONTHLY, "12.00", False),
    "move_in_deposit": ("入驻保证金", FeeItem.Kind.DEPOSIT, "5000.00", True),
    "renovation_deposit": ("装修保证金", FeeItem.Kind.DEPOSIT, "10000.00", True),
    "signboard": ("水牌制作费", FeeItem.Kind.ONE_OFF, "300.00", False),
    "access_card": ("门禁卡工本费", FeeItem.Kind.ONE_OFF, "20.00", False),
    "damage": ("损坏赔偿", FeeItem.Kind.ONE_OFF, "0.00", False),
    "paid_service": ("有偿服务费", FeeItem.Kind.ONE_OFF, "0.00", False),
}


def D(value: Any) -> Decimal:
    return Decimal(str(value))


def ensure_price_list() -> dict[str, FeeItem]:
    items = {}
    for code, (name, kind, price, at_move_in) in PRICE_LIST.items():
        items[code], _ = FeeItem.objects.update_or_create(
            code=code,
            defaults={"name": name, "kind": kind, "price": D(price), "at_move_in": at_move_in, "is_active": True},
        )
    # Items added by other tests must not change what a move-in charges.
    FeeItem.objects.exclude(code__in=PRICE_LIST).update(at_move_in=False)
    return items


def service_lines(*amounts: Any, item: FeeItem | None = None) -> list[LineSpec]:
    """One line per amount (quantity 1) of the paid-service item, or of ``item``."""
    item = item or FeeItem.objects.get(code="paid_service")
    return [LineSpec(item, f"{item.name} {i + 1}", Decimal(1), D(a)) for i, a in enumerate(amounts)]


def issue_bill(tenant, by, *amounts: Any, lines: Sequence[LineSpec] | None = None, **kwargs) -> Bill:
    """A bill for ``tenant`` with one paid-service line per amount (or the given lines)."""
    kwargs.setdefault("title", "有偿服务")
    return bill_create(tenant=tenant, by=by, lines=lines or service_lines(*amounts), **kwargs)
