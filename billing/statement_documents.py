"""The statement 对账单 as a PDF. Not an issued document (no number, no QR code): it is a view
of the ledger, printed again whenever asked, so it goes straight through the kernel's
WeasyPrint helper (``render_pdf``: its URL fetcher reads only our static files), in Chinese
whatever the reader's language, as every paper of the center."""

from django.utils import timezone, translation

from jinyuan.documents.pdf import render_pdf
from jinyuan.documents.services import PRINT_LANGUAGE

from .arrears_documents import CENTER, CENTER_ADDRESS, CENTER_PHONE, ISSUER
from .statements import Statement

TEMPLATE = "billing/statement/pdf.html"


def statement_pdf(statement: Statement) -> bytes:
    with translation.override(PRINT_LANGUAGE):
        return render_pdf(
            TEMPLATE,
            {
                "statement": statement,
                "printed_at": timezone.localtime(),
                "center": CENTER,
                "phone": CENTER_PHONE,
                "address": CENTER_ADDRESS,
                "issuer": ISSUER,
            },
        )


def statement_filename(statement: Statement) -> str:
    """``statement-<tenant pk>-2026-01.pdf`` (ASCII: a company name in a header is trouble)."""
    period = statement.period
    months = f"{period.first:%Y-%m}" if period.is_one_month else f"{period.first:%Y-%m}-{period.last_month:%Y-%m}"
    return f"statement-{statement.tenant.pk}-{months}.pdf"
