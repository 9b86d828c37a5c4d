"""Money on screen as the PDFs print it: ``{{ bill.total|money }}`` → ``¥12,345.60``.

A builtin (settings.TEMPLATES ``builtins``): every template has it without ``{% load %}``.
Python code that puts an amount into a message uses ``format_money`` so both read the same.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

CENT = Decimal("0.01")


def format_money(value, symbol: str = "¥") -> str:
    """``Decimal("12345.6")`` → ``¥12,345.60``; a negative amount keeps its sign before the symbol.
    Anything that is not a number comes back as it was (a template never breaks on it)."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{abs(amount):,.2f}"


@register.filter(is_safe=False)
def money(value) -> str:
    return format_money(value)


@register.filter
def amount(value) -> str:
    """The number alone (``12,345.60``), for table columns whose header says CNY."""
    return format_money(value, symbol="")


@register.filter
def percent(value) -> str:
    """A share already in per cent (``Decimal("96.7")``) → ``96.7%``; None (nothing to divide
    by) → ``—``."""
    if value is None or value == "":
        return "—"
    return f"{value}%"
