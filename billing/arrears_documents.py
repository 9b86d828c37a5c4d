"""The printed notice 缴费通知单/催缴通知书 and the demand letter 催告函 as document kinds of the
kernel (numbered, verifiable), and the batch of notices of a building or floor as one PDF."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from jinyuan.documents.registry import DocumentKind

from . import arrears_selectors as sel
from .money import rmb_upper

ISSUER = "广西南宁福源物业管理有限公司（金源CBD现代城服务中心）"
CENTER = "金源CBD现代城服务中心"
CENTER_PHONE = "0771-5561001"
CENTER_ADDRESS = "南宁市青秀区民族大道136号 金源CBD现代城服务中心前台"


def _day(d: date | None) -> str:
    return d.strftime("%Y-%m-%d") if d else ""


def _period(b: sel.OverdueBill) -> str:
    if b.period_start and b.period_end:
        return f"{_day(b.period_start)} 至 {_day(b.period_end)}"
    return ""


def _bill_rows(bills: list[sel.OverdueBill]) -> list[dict[str, Any]]:
    return [
        {
            "number": b.number,
            "title": b.title,
            "period": _period(b),
            "due": _day(b.due_date),
            "outstanding": f"{b.outstanding:,.2f}",
            "days": b.days_overdue,
            "late_fee": f"{b.late_fee:,.2f}",
        }
        for b in bills
    ]


def notice_payload(tenant: Any, bills: list[sel.OverdueBill], on: date) -> dict[str, Any]:
    outstanding = sum((b.outstanding for b in bills), Decimal("0.00"))
    late_fees = sum((b.late_fee for b in bills), Decimal("0.00"))
    total = outstanding + late_fees
    return {
        "tenant": tenant.name,
        "as_of": _day(on),
        "bills": _bill_rows(bills),
        "outstanding": f"{outstanding:,.2f}",
        "late_fees": f"{late_fees:,.2f}",
        "total": f"{total:,.2f}",
        "total_upper": rmb_upper(total),
        "center": CENTER,
        "phone": CENTER_PHONE,
        "address": CENTER_ADDRESS,
        "issuer": ISSUER,
    }


def notice_data(tenant: Any) -> dict[str, Any]:
    on = timezone.localdate()
    return notice_payload(tenant, sel.overdue_of(tenant, on), on)


NOTICE = DocumentKind(
    code=sel.NOTICE_KIND,
    prefix="CJ",
    title=_("Payment reminder notice"),
    template="billing/arrears/pdf/notice.html",
    build_data=notice_data,
    verify_fields=(("tenant", _("Tenant")), ("total", _("Amount overdue (CNY)")), ("as_of", _("As of"))),
)


def demand_data(letter: Any) -> dict[str, Any]:
    on = timezone.localdate()
    bills = sel.overdue_of(letter.tenant, on)
    return {
        **notice_payload(letter.tenant, bills, on),
        "oldest_due": _day(letter.oldest_due),
    }


DEMAND_LETTER = DocumentKind(
    code=sel.DEMAND_KIND,
    prefix="CG",
    title=_("Demand letter"),
    template="billing/arrears/pdf/demand_letter.html",
    build_data=demand_data,
    verify_fields=(("tenant", _("Tenant")), ("total", _("Amount overdue (CNY)")), ("as_of", _("As of"))),
)


def notices_batch_pdf(documents: list[Any]) -> tuple[bytes, int]:
    """One PDF of many notices and its number of pages: one section per tenant, each on a new
    page, in Chinese, from each notice's printed data. One HTML document for all of them:
    WeasyPrint loads the fonts and styles once, not once per notice."""
    from jinyuan.documents.pdf import qr_img, render_pdf_pages

    sections = [{"doc": d, "data": d.data, "qr": qr_img(d.verify_url)} for d in documents]
    with translation.override("zh-hans"):
        return render_pdf_pages("billing/arrears/pdf/notices_batch.html", {"sections": sections})
