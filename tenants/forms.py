from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from jinyuan.attachments.forms import AttachmentField
from jinyuan.uploads import IMAGE_TYPES

from .models import ArchiveKind, Building, Contact, Signboard, Tenant, Unit

DATE = forms.DateInput(attrs={"type": "date"})


def reading_field(label) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        min_value=0,
        error_messages={"invalid": _("Enter the number shown on the meter, e.g. 10234.5.")},
    )


def count_field(label) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, max_value=500)


class UnitNumbersField(forms.CharField):
    """Unit numbers typed the way the desk says them ("A-1203, A-1204"): no dropdown of
    thousands of units."""

    def clean(self, value):
        value = super().clean(value)
        numbers = [n.strip().upper() for n in value.replace("，", ",").replace("、", ",").split(",") if n.strip()]
        if not numbers:
            raise forms.ValidationError(_("Enter at least one unit number."))
        units = list(Unit.objects.filter(number__in=numbers, is_active=True).select_related("floor__building"))
        found = {u.number for u in units}
        unknown = [n for n in numbers if n not in found]
        if unknown:
            raise forms.ValidationError(_("Unknown unit numbers: %(units)s") % {"units": "、".join(unknown)})
        return units


class MoveInOpenForm(forms.Form):
    units = UnitNumbersField(
        label=_("Units"),
        help_text=_("Unit numbers separated by commas, e.g. A-1203, A-1204; the list offers vacant units"),
        widget=forms.TextInput(attrs={"list": "vacant-units", "autocomplete": "off"}),
    )
    start_date = forms.DateField(label=_("Lease start"), widget=DATE)
    lease_end = forms.DateField(label=_("Lease end"), widget=DATE, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("lease_end") and data["lease_end"] <= data["start_date"]:
            self.add_error("lease_end", _("The lease must end after it starts."))
        return data


class ArchiveUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=ArchiveKind.choices)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    file = AttachmentField()


def late_fee_fields() -> dict[str, forms.Field]:
    """The agreement's late-fee clause, checked as the model checks it (rate in (0, 0.001])."""
    from .models import Occupancy

    rate = Occupancy._meta.get_field("late_fee_daily_rate").formfield()
    rate.widget.attrs.update({"step": "0.0001", "min": "0", "max": "0.001", "inputmode": "decimal"})
    grace = Occupancy._meta.get_field("late_fee_grace_days").formfield(required=False)
    return {"late_fee_daily_rate": rate, "late_fee_grace_days": grace}


class AgreementForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    signer = forms.CharField(label=_("Signed by (tenant side)"), max_length=40)
    file = AttachmentField(label=_("Signed agreement (scan)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(late_fee_fields())

    def clean_late_fee_grace_days(self):
        return self.cleaned_data.get("late_fee_grace_days") or 0

    def clean_signed_on(self):
        value = self.cleaned_data["signed_on"]
        if value > date.today():
            raise forms.ValidationError(_("The signing date cannot be in the future."))
        return value


class HandoverForm(forms.Form):
    keys = count_field(_("Keys"))


class InspectionForm(forms.Form):
    water = reading_field(_("Water meter (m³)"))
    electricity = reading_field(_("Electricity meter (kWh)"))
    condition = forms.CharField(
        label=_("Condition"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    photo = AttachmentField(label=_("Photo"), allowed=IMAGE_TYPES, required=False)


class FinalInspectionForm(forms.Form):
    water = reading_field(_("Final water meter (m³)"))
    electricity = reading_field(_("Final electricity meter (kWh)"))
    damage = forms.CharField(
        label=_("Damage found"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    damage_charge = forms.DecimalField(
        label=_("Damage charge (CNY)"), max_digits=12, decimal_places=2, min_value=0, required=False, initial=0
    )

    def clean(self):
        data = super().clean()
        if data.get("damage_charge") and not (data.get("damage") or "").strip():
            self.add_error("damage", _("Describe the damage that is charged."))
        return data


class MoveOutForm(forms.Form):
    planned_date = forms.DateField(label=_("Planned move-out date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, tenant: Tenant | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if tenant is None:
            return
        # Some of the company's units may leave, not all: the move-out covers those chosen.
        from .selectors import current_occupancies

        occupied = Unit.objects.filter(pk__in=current_occupancies(tenant).values("unit_id")).order_by("number")
        self.fields["units"] = forms.ModelMultipleChoiceField(
            label=_("Units leaving"),
            queryset=occupied,
            widget=forms.CheckboxSelectMultiple,
            initial=list(occupied),
            required=False,
            help_text=_("All units by default; untick those the company keeps."),
        )

    def clean_units(self):
        # None ticked (or a form without the field): every unit the company holds.
        return list(self.cleaned_data.get("units") or []) or None


class SignboardForm(forms.Form):
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.all())
    position = forms.ChoiceField(label=_("Position"), choices=Signboard.Position.choices)
    floor_number = forms.IntegerField(label=_("Floor"), required=False, min_value=-5, max_value=200)
    text = forms.CharField(label=_("Text"), max_length=60, help_text=_("Normally the registered company name"))
    text_en = forms.CharField(label=_("English text"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if data.get("position") == Signboard.Position.FLOOR and data.get("floor_number") is None:
            self.add_error("floor_number", _("Give the floor of the directory."))
        return data


class TenantRegisterForm(forms.ModelForm):
    """A new company at the desk; the credit code is checked (length, characters, check digit)
    by the model's validator, and its uniqueness beside the field."""

    class Meta:
        model = Tenant
        fields = ["name", "credit_code", "legal_representative", "industry", "phone", "email"]

    def clean_credit_code(self):
        return (self.cleaned_data.get("credit_code") or "").strip().upper()


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "email", "is_primary"]


class BaseContactFormSet(forms.BaseModelFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        filled = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not filled:
            raise forms.ValidationError(_("Add at least one contact."))
        if sum(1 for c in filled if c.get("is_primary")) != 1:
            raise forms.ValidationError(_("Mark exactly one contact as the primary contact."))

    def contacts(self) -> list[dict]:
        keys = ContactForm.Meta.fields
        return [
            {k: f.cleaned_data[k] for k in keys}
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


ContactFormSet = forms.modelformset_factory(
    Contact, form=ContactForm, formset=BaseContactFormSet, extra=2, max_num=10, validate_max=True
)


class MoveInStartForm(forms.Form):
    """Which company moves in: its name or credit code, as the clerk is told."""

    tenant = forms.CharField(label=_("Company name or credit code"), max_length=100)

    def clean_tenant(self):
        text = self.cleaned_data["tenant"].strip()
        found = list(Tenant.objects.filter(is_active=True, credit_code=text.upper())[:1]) or list(
            Tenant.objects.filter(is_active=True, name__icontains=text).order_by("name")[:2]
        )
        if not found:
            raise forms.ValidationError(_("No company found; register it first."))
        if len(found) > 1 and found[0].name != text:
            raise forms.ValidationError(_("Several companies match; type the full name or the credit code."))
        return found[0]
