"""The receipt (收据) as a document kind of the kernel."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.documents.registry import DocumentKind

from .money import rmb_upper

ISSUER = "广西南宁福源物业管理有限公司"


def receipt_data(payment) -> dict:
    allocations = payment.allocations.select_related("bill").order_by("id")
    return {
        "payer": payment.payer.name,  # a tenant's or a customer's (billing.payers)
        "amount": f"{payment.amount:,.2f}",
        "amount_upper": rmb_upper(payment.amount),
        "method": str(payment.get_method_display()),
        "reference": payment.reference,
        "items": [{"bill": a.bill.number, "title": a.bill.title, "amount": f"{a.amount:,.2f}"} for a in allocations],
        "credit": f"{payment.amount - payment.allocated:,.2f}",
        "received_by": str(payment.received_by),
        "received_on": timezone.localtime(payment.received_at).strftime("%Y-%m-%d %H:%M"),
        "issuer": ISSUER,
    }


RECEIPT = DocumentKind(
    code="receipt",
    prefix="SJ",
    title=_("Receipt"),
    template="billing/pdf/receipt.html",
    build_data=receipt_data,
    verify_fields=(
        ("payer", _("Payer")),
        ("amount", _("Amount (CNY)")),
        ("method", _("Method")),
        ("received_on", _("Received on")),
    ),
)
