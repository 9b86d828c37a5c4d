from django import forms
from django.utils.translation import gettext_lazy as _

from jinyuan.attachments.forms import AttachmentField
from jinyuan.uploads import IMAGE_TYPES
from tenants.models import Tenant, Unit
from tenants.selectors import current_occupancies

from .models import PremisesCertificate, WorkerPass, validate_id_number


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
