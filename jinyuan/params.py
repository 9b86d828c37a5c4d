"""Parsing query-string values that users (and crawlers) can type anything into.

``str.isdigit()`` accepts "²" and "١", which ``int()`` then refuses or reads as something
else; a 30-digit number overflows a date or a bigint. These helpers say None instead.
"""

import re
from datetime import date

_PK = re.compile(r"[0-9]{1,18}")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")


def parse_pk(value: str | None) -> int | None:
    """A primary key from a query string: ASCII digits that fit a bigint, else None."""
    value = (value or "").strip()
    return int(value) if _PK.fullmatch(value) else None


def safe_next(request) -> str:
    """The ``next`` page a sub-step returns to (the move-in checklist that sent the clerk to the
    payment form), only when it is a path on this site; "" otherwise."""
    from django.utils.http import url_has_allowed_host_and_scheme

    value = request.POST.get("next") or request.GET.get("next") or ""
    if value.startswith("/") and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return ""


def parse_month(value: str | None) -> date | None:
    """``2026-11`` → 2026-11-01; anything else (``2026-13``, 30 digits, ``２０２６-11``) → None."""
    match = _MONTH.fullmatch((value or "").strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        return None
    return date(year, month, 1)
