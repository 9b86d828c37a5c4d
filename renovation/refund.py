"""The deposit refund after the defect period: the arithmetic, apart from the writes."""

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Settlement:
    held: Decimal  # this renovation's deposit entries, as the ledger holds them now
    deductions: Decimal  # approved deductions
    deducted: Decimal  # taken from the deposit
    refund: Decimal  # paid back
    excess: Decimal  # deductions above the deposit, billed to the tenant


def settle(held: Decimal, deductions: Decimal) -> Settlement:
    """``refund - excess == held - deductions``; ``deducted + refund == held``; nothing negative."""
    if held < 0 or deductions < 0:
        raise ValueError("amounts cannot be negative")
    deducted = min(held, deductions)
    return Settlement(held, deductions, deducted, held - deducted, deductions - deducted)
