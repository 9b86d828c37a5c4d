"""Reads of VAT invoice requests 发票, scoped to the user (another company's request is a 404).

Whose payments a request may take is decided in one place, ``payments_of_payer``: today a
payer is a tenant; payers who are not tenants need only this selector and ``payer_of`` (in
billing.invoice_services) adapted.
"""

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from tenants.models import Tenant

from .invoice_models import InvoiceProfile, InvoiceRequest
from .models import Payment

# What every page of a request shows: its company and the e-invoice file.
JOINED = ("tenant", "pdf")


def payments_of_payer(tenant: Tenant | int) -> QuerySet[Payment]:
    """The payments of one payer: the one scoping of what a request may invoice."""
    # A credit note 贷项通知单 is money the center owes, never money received: nothing to invoice.
    return Payment.objects.filter(tenant_id=getattr(tenant, "pk", tenant)).exclude(method=Payment.Method.CREDIT_NOTE)


def invoiceable_payments(tenant: Tenant | int) -> QuerySet[Payment]:
    """The payer's payments not yet fully invoiced, oldest first, with their receipts."""
    return (
        payments_of_payer(tenant)
        .filter(invoiced__lt=F("amount"))
        .select_related("receipt")
        .defer("receipt__data")
        .order_by("received_at", "pk")
    )


def invoice_requests() -> QuerySet[InvoiceRequest]:
    return InvoiceRequest.objects.all()


def invoice_requests_of(tenant: Tenant | int) -> QuerySet[InvoiceRequest]:
    return InvoiceRequest.objects.filter(tenant_id=getattr(tenant, "pk", tenant))


def _detail(qs: QuerySet[InvoiceRequest], pk: int) -> InvoiceRequest:
    return get_object_or_404(
        qs.select_related(*JOINED, "applicant", "issued_by").prefetch_related("lines__payment__receipt"), pk=pk
    )


def invoice_request_for_desk(pk: int) -> InvoiceRequest:
    return _detail(invoice_requests(), pk)


def invoice_request_for_tenant(pk: int, tenant: Tenant) -> InvoiceRequest:
    """Another company's request is a 404."""
    return _detail(invoice_requests_of(tenant), pk)


def invoice_profile(tenant: Tenant) -> InvoiceProfile | None:
    return InvoiceProfile.objects.filter(tenant=tenant).first()
