"""VAT invoice requests 发票 of the demo: issued (each with its e-invoice PDF), one refused, two
waiting for finance (one past its five working days, so finance has the deadline step).
Walked through ``billing.invoice_services`` by the companies' admins, the desk and finance at
the time of each step."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from billing import invoice_selectors, invoice_services
from billing.models import InvoiceRequest
from jinyuan.documents.pdf import render_pdf

from . import clock
from .premises import Premises, local_dt

# Final state, days ago it was requested, the company (index), the invoice type, who asks.
PLAN = (
    ("issued", 40, 0, "normal", "tenant"),
    ("issued", 26, 1, "special", "tenant"),
    ("issued", 15, 2, "normal", "desk"),
    ("refused", 11, 3, "special", "tenant"),
    ("requested", 12, 4, "normal", "tenant"),  # past its five working days
    ("requested", 1, 0, "special", "tenant"),
)
KIND_PRINTED = {"normal": "增值税普通发票", "special": "增值税专用发票"}
REFUSAL = "发票抬头与营业执照名称不一致，请核对后重新申请"
BANK = ("中国工商银行南宁民族支行", "2102 1001 0900 0{:06d}")


@dataclass(frozen=True)
class People:
    desk: Any
    finance: Any


def through_services(premises: Premises, people: People, admins: list[Any], today: dt.date) -> list[InvoiceRequest]:
    made = []
    for n, (final, days, index, kind, who) in enumerate(PLAN):
        tenant, admin = premises.tenants[index], admins[index % len(admins)]
        asked_at = local_dt(today - dt.timedelta(days=days), 10, 5 * n)
        payments = [
            p for p in invoice_selectors.invoiceable_payments(tenant) if p.received_at < asked_at - dt.timedelta(days=1)
        ][:2]
        if not payments:
            continue
        fields = {"kind": kind, "title": tenant.name, "taxpayer_number": tenant.credit_code}
        if kind == "special":
            fields |= {
                "address": "南宁市青秀区民族大道136号金源CBD现代城",
                "phone": "0771-5710000",
                "bank_name": BANK[0],
                "bank_account": BANK[1].format(tenant.pk),
            }
        with clock.at(asked_at):
            request = invoice_services.invoice_request_create(
                tenant=tenant,
                payments=payments,
                amount=sum(p.amount - p.invoiced for p in payments),
                by=people.desk if who == "desk" else admin,
                by_desk=who == "desk",
                **fields,
            )
        decided_at = asked_at + dt.timedelta(days=2, hours=4)
        if final == "issued":
            with clock.at(decided_at):
                number = f"2645200000{request.pk:010d}"
                invoice_services.invoice_issue(
                    obj=request,
                    by=people.finance,
                    number=number,
                    date=timezone.localdate(decided_at),
                    amount=request.amount,
                    pdf=_e_invoice(request, number, timezone.localdate(decided_at)),
                )
        elif final == "refused":
            with clock.at(decided_at):
                invoice_services.invoice_refuse(obj=request, by=people.finance, note=REFUSAL)
        made.append(request)
    return made


def _e_invoice(request: InvoiceRequest, number: str, date: dt.date) -> SimpleUploadedFile:
    pdf = render_pdf(
        "demo/pdf/e_invoice.html",
        {
            "kind": KIND_PRINTED[request.kind],
            "number": number,
            "date": date,
            "title": request.title,
            "taxpayer_number": request.taxpayer_number,
            "amount": request.amount,
        },
    )
    return SimpleUploadedFile(f"{number}.pdf", pdf, content_type="application/pdf")
