"""The payout voucher 废品收购付款凭证 as a document kind of the kernel: the cash paid to the company
for its recyclables, line by line, signed by the company's person who receives it."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.documents.masking import mask_name

ISSUER = "广西南宁福源物业管理有限公司（金源CBD现代城服务中心）"


def payout_data(obj) -> dict:
    """What the voucher says, frozen at issue."""
    from .models import Category

    labels = dict(Category.choices)
    lines = [
        {
            "category": str(labels.get(line.category, line.category)),
            "weight": str(line.weight_kg),
            "price": str(line.price_per_kg),
            "amount": str(line.amount),
        }
        for line in obj.lines.order_by("pk")
    ]
    return {
        "number": obj.number,
        "tenant": obj.tenant.name,
        "unit": obj.unit.number,
        "recycler": obj.recycler.name if obj.recycler_id else "",
        "lines": lines,
        "total": str(obj.total),
        "received_by": obj.received_by,
        "collected_on": timezone.localtime(obj.collected_at).strftime("%Y-%m-%d") if obj.collected_at else "",
        "issued_on": timezone.localdate().strftime("%Y-%m-%d"),
        "issuer": ISSUER,
    }


def payout_kind():
    from jinyuan.documents.registry import DocumentKind

    return DocumentKind(
        code="recycle_payout",
        prefix="FK",
        title=_("Recyclables payout voucher"),
        template="frontdesk/recyclables/pdf/payout.html",
        build_data=payout_data,
        verify_fields=(
            ("number", _("Request")),
            ("tenant", _("Company")),
            ("total", _("Total (CNY)")),
            ("received_by", _("Received by"), mask_name),
            ("issued_on", _("Issued on")),
        ),
    )
