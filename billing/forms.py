import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from jinyuan.templatetags.money import format_money
from tenants.models import Occupancy, Tenant
from tenants.selectors import current_q

from . import payers
from .customer_models import Customer
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
    method = forms.ChoiceField(label=_("Method"), choices=Payment.RECEIVED_METHODS)
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    bills = forms.ModelMultipleChoiceField(
        label=_("Pay these bills"),
        queryset=Bill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the oldest open bills are paid first; any rest is kept as credit."),
    )

    def __init__(self, *args, tenant: Tenant | Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bills"].queryset = Bill.objects.filter(
            **payers.owned_by(tenant), status__in=[Bill.Status.OPEN, Bill.Status.PARTLY_PAID]
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


# --- paid services 有偿服务 -------------------------------------------------------------------


def tenant_choices() -> list[tuple[str, Tenant]]:
    """What the tenant box suggests while the clerk types: "unit · company" of every current
    occupancy (one query)."""
    rows = (
        Occupancy.objects.filter(current_q(), tenant__is_active=True)
        .select_related("tenant", "unit")
        .order_by("unit__number", "id")
    )
    return [(f"{o.unit.number} · {o.tenant.name}", o.tenant) for o in rows]


def find_tenants(text: str) -> list[Tenant]:
    """Tenants the typed text names: a suggestion picked ("1201 · 公司"), a unit number held now,
    or (part of) a company name."""
    text = text.strip()
    if not text:
        return []
    unit, sep, name = text.partition(" · ")
    if sep:
        found = Tenant.objects.filter(
            name=name.strip(), occupancies__in=Occupancy.objects.filter(current_q(), unit__number=unit.strip())
        ).distinct()
        if found:
            return list(found[:2])
    by_unit = Tenant.objects.filter(
        pk__in=Occupancy.objects.filter(current_q(), unit__number__iexact=text).values("tenant_id")
    )
    if by_unit:
        return list(by_unit[:5])
    exact = list(Tenant.objects.filter(name=text)[:2])
    if exact:
        return exact
    return list(Tenant.objects.filter(name__icontains=text, is_active=True).order_by("name")[:6])


class TenantLookupField(forms.CharField):
    """A tenant typed as a unit number or a company name (suggestions from a datalist; no
    script needed). Cleans to the Tenant, or says why the text names none or several."""

    widget = forms.TextInput(attrs={"list": "tenant-suggestions", "autocomplete": "off", "autofocus": True})

    def clean(self, value):
        text = super().clean(value)
        found = find_tenants(text)
        if not found:
            raise forms.ValidationError(_("No tenant has that unit number or name."))
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several tenants match: %(names)s. Type more of the name or the unit number.")
                % {"names": "、".join(t.name for t in found)}
            )
        return found[0]


class ServiceChargeForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    tenant = TenantLookupField(label=_("Tenant (unit number or company name)"), max_length=120)
    title = forms.CharField(label=_("Service done"), max_length=100)
    description = forms.CharField(
        label=_("Details"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    done_on = forms.DateField(
        label=_("Done on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date such as 2026-11-30.")},
    )
    pay_now = forms.BooleanField(label=_("Paid now"), required=False)
    method = forms.ChoiceField(label=_("Method"), choices=[("", "—"), *Payment.Method.choices], required=False)
    amount = forms.DecimalField(
        label=_("Amount received (CNY)"),
        max_digits=12,
        decimal_places=2,
        required=False,
        error_messages={"invalid": _("Enter an amount such as 1280.50.")},
    )
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)

    def clean_done_on(self):
        from django.utils import timezone

        day = self.cleaned_data["done_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A service cannot be done in the future."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("pay_now"):
            if not data.get("method"):
                self.add_error("method", _("Choose a payment method."))
            amount = data.get("amount")
            if amount is None and "amount" not in self.errors:
                self.add_error("amount", _("Enter the amount received."))
            elif amount is not None and amount <= 0:
                self.add_error("amount", _("The amount must be more than zero."))
        return data


class PaidLineForm(forms.Form):
    """One line of a paid service: an item of the price list × quantity (price and reason
    optional). Checked by billing.paid on the day given, errors beside the fields."""

    fee_item = forms.ModelChoiceField(label=_("Item"), queryset=FeeItem.objects.none())
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=12,
        decimal_places=4,
        error_messages={"invalid": _("Enter a number such as 2 or 1.5.")},
    )
    unit_price = forms.DecimalField(
        label=_("Unit price"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Empty: the listed price."),
        error_messages={"invalid": _("Enter an amount such as 120.00.")},
    )
    reason = forms.CharField(label=_("Reason for another price"), max_length=200, required=False)

    def __init__(self, *args, day=None, labels=None, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day
        field = self.fields["fee_item"]
        field.queryset = items if items is not None else FeeItem.objects.none()
        if labels:
            field.label_from_instance = lambda item: labels.get(item.pk, item.name)

    def clean(self):
        from .paid import PaidItem, check_paid_item

        data = super().clean()
        item, quantity = data.get("fee_item"), data.get("quantity")
        if item is None or quantity is None or self.day is None or "unit_price" in self.errors:
            return data
        line = PaidItem(item, quantity, data.get("unit_price"), data.get("reason") or "")
        for field, message in check_paid_item(line, self.day).items():
            self.add_error(field if field in self.fields else None, message)
        return data

    def paid_item(self):
        from .paid import PaidItem

        d = self.cleaned_data
        return PaidItem(d["fee_item"], d["quantity"], d.get("unit_price"), d.get("reason") or "")


class MaterialLineForm(forms.Form):
    description = forms.CharField(label=_("Material"), max_length=120)
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=12, decimal_places=4, error_messages={"invalid": _("Enter a number.")}
    )
    unit_price = forms.DecimalField(
        label=_("Unit price"), max_digits=12, decimal_places=2, error_messages={"invalid": _("Enter an amount.")}
    )

    def clean(self):
        from .paid import MaterialLine, check_material

        data = super().clean()
        if {"description", "quantity", "unit_price"} <= set(data):
            line = MaterialLine(data["description"], data["quantity"], data["unit_price"])
            for field, message in check_material(line).items():
                self.add_error(field, message)
        return data

    def material_line(self):
        from .paid import MaterialLine

        d = self.cleaned_data
        return MaterialLine(d["description"], d["quantity"], d["unit_price"])


PaidLineFormSet = forms.formset_factory(PaidLineForm, extra=3, max_num=30)
MaterialLineFormSet = forms.formset_factory(MaterialLineForm, extra=2, max_num=30)


def item_labels(day, prices: dict[str, str] | None = None) -> dict[int, str]:
    """Each paid-service item's name with its price (or range) on ``day`` and unit, for the
    item select: the clerk sees the allowed range while choosing (two queries). ``prices``,
    when given, receives each item's price that day (the unit price box shows it)."""
    from .selectors import price_list_as_of

    labels = {}
    for item in price_list_as_of(day):
        if prices is not None:
            prices[str(item.pk)] = f"{item.price_today:.2f}"
        if item.price_min is not None and item.price_max is not None:
            price = f"{format_money(item.price_min)}–{format_money(item.price_max)}"
        else:
            price = format_money(item.price_today)
        unit = f"/{item.unit_label}" if item.unit_label else ""
        labels[item.pk] = f"{item.name} · {price}{unit}"
    return labels


def paid_line_formsets(data=None, *, day, prefix_lines="lines", prefix_materials="materials"):
    """The item and material formsets of a paid service (the desk's charge, a repair's quote).
    ``lines.prices`` maps each item's id to its price that day (static/js/formset.js shows it
    in the unit price box of the row)."""
    from .selectors import paid_service_items

    prices: dict[str, str] = {}
    kwargs = {"day": day, "labels": item_labels(day, prices), "items": paid_service_items()}
    lines = PaidLineFormSet(data, prefix=prefix_lines, form_kwargs=kwargs)
    lines.prices = prices
    materials = MaterialLineFormSet(data, prefix=prefix_materials)
    return lines, materials


def collect_lines(lines, materials) -> tuple[list, list]:
    """The filled rows of valid formsets as billing.paid lines (empty extra rows skipped)."""
    items = [f.paid_item() for f in lines if f.cleaned_data]
    used = [f.material_line() for f in materials if f.cleaned_data]
    return items, used


class LateFeeWaiverForm(forms.Form):
    """The supervisor waives part or all of a bill's late fee (违约金) not yet billed."""

    amount = forms.DecimalField(
        label=_("Amount to waive (CNY)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"invalid": _("Enter an amount such as 12.50.")},
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


# --- customers: payers who are not tenants (billing.payers) ------------------------------------


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        fields = ["name", "contact_person", "phone", "credit_code", "address", "note", "is_active"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper()


class DepositTakeForm(forms.Form):
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    fee_item = forms.ModelChoiceField(
        label=_("Deposit"), queryset=FeeItem.objects.filter(is_active=True, kind=FeeItem.Kind.DEPOSIT)
    )
    title = forms.CharField(label=_("For"), max_length=100, required=False, help_text=_("e.g. the event's name"))
    amount = forms.DecimalField(
        label=_("Amount (CNY)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"invalid": _("Enter an amount such as 1280.50.")},
    )
    method = forms.ChoiceField(label=_("Method"), choices=Payment.RECEIVED_METHODS)
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)
