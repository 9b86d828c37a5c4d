import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from jinyuan.templatetags.money import format_money
from tenants.models import Tenant

from .models import Bill, FeeItem, Payment


class PaymentForm(forms.Form):
    # Made when the form is shown and sent back with it: the payment's idempotency key.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    amount = forms.DecimalField(
        label=_("Amount (CNY)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"invalid": _("Enter an amount such as 1280.50.")},
    )
    method = forms.ChoiceField(label=_("Method"), choices=Payment.Method.choices)
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    bills = forms.ModelMultipleChoiceField(
        label=_("Pay these bills"),
        queryset=Bill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the oldest open bills are paid first; any rest is kept as credit."),
    )

    def __init__(self, *args, tenant: Tenant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bills"].queryset = Bill.objects.filter(
            tenant=tenant, status__in=[Bill.Status.OPEN, Bill.Status.PARTLY_PAID]
        ).order_by("due_date", "id")
        self.fields["bills"].label_from_instance = lambda b: (
            _("%(number)s · %(title)s · outstanding %(amount)s · due %(date)s")
            % {
                "number": b.number,
                "title": b.title,
                "amount": format_money(b.outstanding),
                "date": f"{b.due_date:%Y-%m-%d}",
            }
        )


class BillLineForm(forms.Form):
    fee_item = forms.ModelChoiceField(label=_("Fee item"), queryset=FeeItem.objects.filter(is_active=True))
    description = forms.CharField(label=_("Description"), max_length=120, required=False)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=4, min_value=Decimal("0.0001"))
    unit_price = forms.DecimalField(
        label=_("Unit price"), max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False
    )

    def clean(self):
        data = super().clean()
        item = data.get("fee_item")
        if item and data.get("unit_price") is None:
            data["unit_price"] = item.price
        if item and not data.get("description"):
            data["description"] = item.name
        return data


BillLineFormSet = forms.formset_factory(BillLineForm, extra=3, max_num=20, min_num=1, validate_min=True)


class BillForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class DepositRefundForm(forms.Form):
    refund = forms.DecimalField(
        label=_("Refund paid out (CNY)"), max_digits=12, decimal_places=2, min_value=Decimal("0")
    )
    deduction_1 = forms.DecimalField(
        label=_("Deduction"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"), required=False
    )
    reason_1 = forms.CharField(label=_("Reason"), max_length=200, required=False)
    deduction_2 = forms.DecimalField(
        label=_("Deduction"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"), required=False
    )
    reason_2 = forms.CharField(label=_("Reason"), max_length=200, required=False)
    deduction_3 = forms.DecimalField(
        label=_("Deduction"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"), required=False
    )
    reason_3 = forms.CharField(label=_("Reason"), max_length=200, required=False)

    ROWS = (1, 2, 3)

    def clean(self):
        data = super().clean()
        for i in self.ROWS:
            if data.get(f"deduction_{i}") and not (data.get(f"reason_{i}") or "").strip():
                self.add_error(f"reason_{i}", _("Every deduction needs a reason."))
        return data

    def deductions(self) -> list[tuple[Decimal, str]]:
        return [
            (self.cleaned_data[f"deduction_{i}"], self.cleaned_data[f"reason_{i}"])
            for i in self.ROWS
            if self.cleaned_data.get(f"deduction_{i}")
        ]
