from django import forms
from django.utils.translation import gettext_lazy as _

from jinyuan.attachments.forms import AttachmentField
from jinyuan.uploads import IMAGE_TYPES
from tenants.models import Tenant, Unit
from tenants.selectors import current_occupancies

from .models import PremisesCertificate, ReleaseNote, WorkerPass, validate_id_number


class CertificateRequestForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=_("Choose a unit"))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=PremisesCertificate.Purpose.choices)
    purpose_detail = forms.CharField(
        label=_("Details of the purpose"),
        max_length=200,
        required=False,
        help_text=_("E.g. the registration authority or bank. Required when the purpose is Other."),
    )
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=5, initial=1)

    def __init__(self, *args, tenant: Tenant, instance: PremisesCertificate | None = None, **kwargs):
        # A returned request being corrected starts from what the tenant sent.
        if instance is not None:
            sent = {f: getattr(instance, f) for f in ("unit", "purpose", "purpose_detail", "copies")}
            kwargs["initial"] = {**sent, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        unit_ids = current_occupancies(tenant).values("unit_id")
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=unit_ids).select_related("floor__building")
        self.fields["unit"].label_from_instance = lambda u: f"{u.floor.building.name} {u.number}（{u.area} m²）"
        self.fields["unit"].error_messages["invalid_choice"] = _("Choose one of the units your company occupies.")

    def clean(self):
        data = super().clean()
        if data.get("purpose") == PremisesCertificate.Purpose.OTHER and not data.get("purpose_detail", "").strip():
            self.add_error("purpose_detail", _("Please describe the purpose."))
        return data


class WorkerPassForm(forms.Form):
    """One worker of a renovation in works; the service checks the rest (live pass, trade
    certificate, validity) and its errors go beside these fields."""

    worker_name = forms.CharField(label=_("Worker's name"), max_length=40)
    id_number = forms.CharField(
        label=_("ID card number"), max_length=18, min_length=18, help_text=_("18 characters; the last may be X.")
    )
    trade = forms.ChoiceField(label=_("Trade"), choices=WorkerPass.Trade.choices)
    certificate_number = forms.CharField(
        label=_("Special-operation certificate number"),
        max_length=40,
        required=False,
        help_text=_("Electricians and welders only."),
    )
    certificate_expiry = forms.DateField(
        label=_("Certificate valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Pass valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the renovation's last day."),
    )
    photo = AttachmentField(label=_("Photo"), allowed=IMAGE_TYPES)

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip().upper()
        validate_id_number(value)
        return value

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


# --- release notes 大件物品放行条 -------------------------------------------------------------------


class ReleaseNoteForm(forms.Form):
    """The note's head; its items are ``ReleaseItemFormSet``. The service checks everything
    again (date, plate, ID number, items) and its errors go beside these fields."""

    # ISO in the value: a browser's date field shows nothing for a localised "2026年12月5日".
    date = forms.DateField(label=_("Release date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=ReleaseNote.Purpose.choices,
        help_text=_("A move-out note is approved only while the company's move-out is in progress."),
    )
    vehicle_plate = forms.CharField(
        label=_("Vehicle plate"), max_length=12, widget=forms.TextInput(attrs={"autocapitalize": "characters"})
    )
    carrier_name = forms.CharField(label=_("Carrier's name"), max_length=40)
    carrier_id_number = forms.CharField(
        label=_("Carrier's ID card number"),
        max_length=18,
        help_text=_("18 characters; the last may be X. The guard compares it with the card shown."),
    )
    remarks = forms.CharField(label=_("Remarks"), max_length=200, required=False)

    def clean_date(self):
        from django.utils import timezone

        day = self.cleaned_data["date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the past."))
        return day

    def clean_carrier_id_number(self) -> str:
        value = self.cleaned_data["carrier_id_number"].strip().upper()
        validate_id_number(value)
        return value


class DeskReleaseNoteForm(ReleaseNoteForm):
    """The desk writes and issues at once: the reason to issue a move-out note despite arrears
    goes here (the service's refusal is shown beside it)."""

    note = forms.CharField(
        label=_("Note (required to issue a move-out note with arrears)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReleaseItemForm(forms.Form):
    name = forms.CharField(label=_("Item name"), max_length=60, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=9999, required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("quantity"):
            self.add_error("quantity", _("How many?"))
        if data.get("quantity") and not (data.get("name") or "").strip():
            self.add_error("name", _("Name the item."))
        return data


class BaseReleaseItemFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.items():
            raise forms.ValidationError(_("List at least one item leaving the building."))

    def items(self) -> list[dict]:
        return [
            {"name": f.cleaned_data["name"].strip(), "quantity": f.cleaned_data["quantity"]}
            for f in self.forms
            if getattr(f, "cleaned_data", None) and (f.cleaned_data.get("name") or "").strip()
        ]


ReleaseItemFormSet = forms.formset_factory(
    ReleaseItemForm, formset=BaseReleaseItemFormSet, extra=4, max_num=ReleaseNote.MAX_ITEMS, validate_max=True
)


def release_item_initial(note) -> list[dict]:
    return [{"name": item["name"], "quantity": item["quantity"]} for item in note.items]
