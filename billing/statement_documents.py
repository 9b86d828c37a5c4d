"""The statement 对账单 as a PDF. Not an issued document (no number, no QR code): it is a view
of the ledger, printed again whenever asked, so it goes straight through the kernel's
WeasyPrint helper (``render_pdf``: its URL fetcher reads only our static files), in Chinese
whatever the reader's language, as every paper of the center.

The ledger's lines are set as preformatted text in columns of one monospaced face (WenQuanYi
Micro Hei Mono, the Micro Hei's own monospaced face), not as a table: WeasyPrint spends about
0.7 ms on each table cell (cascade, layout, borders), so three years of a tenant (about 100
lines of 7 cells) took 0.6 s; the same lines as text take under 0.1 s. In that face every
Chinese character is 1 em and every other character 0.6 em: widths are counted in fifths of an
em (5 and 3), and a gap is filled with ideographic spaces (5) and spaces (3), so the columns
line up whatever mix of Chinese and digits a line holds.
"""

import unicodedata
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jinyuan.documents.pdf import render_pdf
from jinyuan.documents.services import PRINT_LANGUAGE

from .arrears_documents import CENTER, CENTER_ADDRESS, CENTER_PHONE, ISSUER
from .customer_models import Customer
from .services import month_end
from .statements import VOID, Statement, StatementLine

TEMPLATE = "billing/statement/pdf/statement.html"

WIDE, NARROW = 5, 3  # a Chinese character and any other, in fifths of an em
IDEOGRAPHIC_SPACE = "\u3000"
SEPARATOR = "  "
MIN_GAP = 10  # any gap of 10 fifths or more is ideographic spaces and spaces, exactly
# (width in fifths of an em, right-aligned): date, entry, number, description, charges,
# payments and credits, balance. 7.5 pt on A4 less 14 mm margins holds 344 fifths a line.
COLUMNS = ((30, False), (30, False), (39, False), (98, False), (36, True), (36, True), (39, True))


def text_width(text: str) -> int:
    return sum(WIDE if unicodedata.east_asian_width(c) in "WF" else NARROW for c in text)


def fill(gap: int) -> str:
    """Blank of exactly ``gap`` fifths of an em (ideographic spaces are 5, spaces 3): exact
    for 0, 3, 5, 6, 8, 9 and every gap from 10 on; the nearest wider one otherwise."""
    for wide in range(3):
        rest = gap - wide * WIDE
        if rest >= 0 and rest % NARROW == 0:
            return IDEOGRAPHIC_SPACE * wide + " " * (rest // NARROW)
    return fill(gap + 1)


def cell(text: str, width: int, right: bool = False) -> str:
    blank = fill(max(width - text_width(text), 0))
    return blank + text if right else text + blank


def wrap(text: str, width: int) -> list[str]:
    """``text`` in pieces no wider than ``width`` fifths of an em: at the last space that fits
    (a date stays whole), else anywhere (Chinese has no spaces to break at)."""
    pieces, piece = [], ""
    for char in text:
        if piece and text_width(piece + char) > width:
            head, space, tail = piece.rpartition(" ")
            if space and head.strip():
                pieces.append(head.rstrip())
                piece = tail
            else:
                pieces.append(piece.rstrip())
                piece = ""
            if char == " " and not piece:
                continue
        piece += char
    return [*pieces, piece.rstrip()]


def row(*values: str) -> str:
    return SEPARATOR.join(cell(v, w, right) for v, (w, right) in zip(values, COLUMNS, strict=True)).rstrip()


def _money(value: Decimal) -> str:
    return f"{value:,.2f}" if value else ""


def _period(line: StatementLine) -> str:
    """``2026-01`` for a whole month, else ``2026-01-05–02-04`` or the two full dates."""
    start, end = line.period_start, line.period_end
    if not start or not end:
        return ""
    if start.day == 1 and end == month_end(start):
        return f"{start:%Y-%m}"
    if start.year == end.year:
        return f"{start:%Y-%m-%d}–{end:%m-%d}"
    return f"{start:%Y-%m-%d}–{end:%Y-%m-%d}"


def _description(line: StatementLine) -> str:
    parts = [str(line.description)]
    period = _period(line)
    if period and period not in parts[0]:
        parts.append(period)
    if line.kind == VOID and line.note:
        parts.append(f"（{line.note}）")
    return " ".join(parts)


def _day(day: date) -> str:
    return f"{day:%Y-%m-%d}"


def ledger_lines(statement: Statement) -> Iterator[str]:
    """The ledger as lines of text: the opening balance, each movement (a description too wide
    runs on below, in its column), the closing balance with the period's sums."""
    t = statement.totals
    yield row(_day(statement.period.first), _("Opening balance"), "", "", "", "", _money(t.opening) or "0.00")
    indent = fill(sum(w for w, _right in COLUMNS[:3]) + 3 * text_width(SEPARATOR))
    for line in statement.lines:
        first, *more = wrap(_description(line), COLUMNS[3][0] - MIN_GAP)
        yield row(
            _day(line.day),
            line.kind_label,
            line.number,
            first,
            _money(line.charge),
            _money(line.credit),
            f"{line.balance:,.2f}",
        )
        for piece in more:
            yield indent + piece
    yield row(
        _day(statement.as_of),
        _("Closing balance"),
        "",
        "",
        _money(t.charges) or "0.00",
        _money(t.credits) or "0.00",
        f"{t.closing:,.2f}",
    )


def ledger_header() -> str:
    return row(
        _("Date"), _("Entry"), _("Number"), _("Description"), _("Charges"), _("Payments and credits"), _("Balance")
    )


def statement_pdf(statement: Statement) -> bytes:
    with translation.override(PRINT_LANGUAGE):
        return render_pdf(
            TEMPLATE,
            {
                "statement": statement,
                "ledger_header": ledger_header(),
                "ledger": "\n".join(ledger_lines(statement)),
                "printed_at": timezone.localtime(),
                "center": CENTER,
                "phone": CENTER_PHONE,
                "address": CENTER_ADDRESS,
                "issuer": ISSUER,
            },
        )


def statement_filename(statement: Statement) -> str:
    """``statement-<tenant pk>-2026-01.pdf``, a customer's ``statement-c<pk>-…`` (ASCII: a
    company name in a header is trouble)."""
    period = statement.period
    months = f"{period.first:%Y-%m}" if period.is_one_month else f"{period.first:%Y-%m}-{period.last_month:%Y-%m}"
    who = f"c{statement.tenant.pk}" if isinstance(statement.tenant, Customer) else statement.tenant.pk
    return f"statement-{who}-{months}.pdf"
