"""Invoice requests 发票 for tests: paid payments, a request through the service, an e-invoice."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from billing import invoice_services
from tests import factories
from tests.factories import MINIMAL_PDF


def buyer(tenant, kind: str = "normal", **overrides) -> dict:
    fields = {"kind": kind, "title": tenant.name, "taxpayer_number": tenant.credit_code}
    if kind == "special":
        fields.update(address="南宁市青秀区民族大道136号", phone="0771-5551234", bank_name="工商银行南宁分行")
        fields["bank_account"] = "2102100109000012345"
    return {**fields, **overrides}


def paid(tenant, by, amount: str = "1200.00"):
    """A payment of ``amount`` by ``tenant`` (kept as credit: invoices are against money paid)."""
    return factories.make_payment(tenant, by, amount)


def request_invoice(tenant, by, payments=None, amount=None, **fields):
    payments = payments if payments is not None else [paid(tenant, by)]
    if amount is None:
        amount = sum((p.amount - p.invoiced for p in payments), Decimal(0))
    return invoice_services.invoice_request_create(
        tenant=tenant, payments=payments, amount=amount, by=by, **buyer(tenant, **fields)
    )


def e_invoice(name: str = "发票.pdf", content: bytes = MINIMAL_PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def issue(request, by, number: str = "25452000000012345678", amount=None):
    return invoice_services.invoice_issue(
        obj=request,
        by=by,
        number=number,
        date=timezone.localdate(),
        amount=request.amount if amount is None else amount,
        pdf=e_invoice(),
    )
