"""Forms of VAT invoice requests 发票: the request (portal and desk) and finance's issue."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.templatetags.money import format_money
from jinyuan.uploads import PDF, CheckedFileField

from . import invoice_selectors as selectors
from .invoice_models import InvoiceKind, InvoiceRequest
from .invoice_services import BUYER_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT_ERRORS = {"invalid": _("Enter an amount such as 1280.50.")}


class InvoiceRequestForm(forms.Form):
    """Paid payments not yet fully invoiced, the amount (empty: all that is left of them) and
    the buyer's particulars, pre-filled from the company's invoice profile."""

    payments = forms.ModelMultipleChoiceField(
        label=_("Payments"), queryset=selectors.Payment.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    amount = forms.DecimalField(
        label=_("Amount (CNY)"),
        max_digits=12,
        decimal_places=2,
        required=False,
        error_messages=AMOUNT_ERRORS,
        help_text=_("Empty: everything left to invoice of the payments chosen."),
    )
    kind = forms.ChoiceField(label=_("Invoice type"), choices=InvoiceKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Invoice title"), max_length=100)
    taxpayer_number = forms.CharField(
        label=_("Taxpayer number"), max_length=18, help_text=_("The 18-character unified social credit code")
    )
    address = forms.CharField(label=_("Address"), max_length=120, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    bank_name = forms.CharField(label=_("Bank"), max_length=80, required=False)
    bank_account = forms.CharField(
        label=_("Bank account"),
        max_length=40,
        required=False,
        help_text=_("Address, phone, bank and account are required for a special VAT invoice (专用发票)."),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["payments"]
        field.queryset = selectors.invoiceable_payments(tenant)
        field.label_from_instance = lambda p: (
            _("%(receipt)s · %(date)s · ¥%(amount)s, ¥%(left)s left to invoice")
            % {
                "receipt": p.receipt.number if p.receipt else f"#{p.pk}",
                "date": f"{timezone.localdate(p.received_at):%Y-%m-%d}",
                "amount": format_money(p.amount),
                "left": format_money(p.amount - p.invoiced),
            }
        )

    @staticmethod
    def initial_for(tenant) -> dict:
        profile = selectors.invoice_profile(tenant)
        if profile is not None:
            return {k: getattr(profile, k) for k in BUYER_FIELDS}
        return {"kind": InvoiceKind.NORMAL, "title": tenant.name, "taxpayer_number": tenant.credit_code}

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        payments = list(data.pop("payments"))
        if data["amount"] is None:
            data["amount"] = sum((p.amount - p.invoiced for p in payments), 0)
        return {"payments": payments, **data}


class InvoiceIssueForm(forms.Form):
    number = forms.CharField(label=_("Invoice number"), max_length=30)
    date = forms.DateField(label=_("Invoice date"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount (CNY)"), max_digits=12, decimal_places=2, error_messages=AMOUNT_ERRORS)
    pdf = CheckedFileField(label=_("E-invoice (PDF)"), allowed=(PDF,))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    @staticmethod
    def initial_for(request: InvoiceRequest) -> dict:
        return {"amount": request.amount, "date": timezone.localdate()}
