from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant, Unit
from tenants.selectors import current_occupancies

from .models import PremisesCertificate


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
