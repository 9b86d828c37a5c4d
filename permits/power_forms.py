"""Forms of temporary power: the application (portal and desk), the inspection, switch-on and
switch-off. The service checks the rules across fields (supply, certificate, period) and its
errors go beside these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jinyuan.phones import validate_phone
from renovation.models import Renovation
from tenants.models import Tenant, Unit
from tenants.selectors import current_occupancies

from .models import TemporaryPower
from .temporary_power import FIELDS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PowerApplicationForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("None: a public location"),
    )
    location = forms.CharField(
        label=_("Public location or part of the unit"),
        max_length=100,
        required=False,
        help_text=_("E.g. 12F corridor east, loading dock."),
    )
    renovation = forms.ModelChoiceField(
        label=_("For the renovation"), queryset=Renovation.objects.none(), required=False, empty_label=_("None")
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=200, help_text=_("E.g. welding machine, site lighting."))
    load_kw = forms.DecimalField(label=_("Load (kW)"), max_digits=7, decimal_places=1, min_value=0)
    voltage = forms.TypedChoiceField(label=_("Voltage"), choices=TemporaryPower.Voltage.choices, coerce=int)
    phases = forms.TypedChoiceField(label=_("Phases"), choices=TemporaryPower.Phases.choices, coerce=int)
    starts_at = forms.DateTimeField(label=_("From"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Until"), widget=DATETIME)
    electrician_name = forms.CharField(label=_("Electrician"), max_length=40)
    certificate_number = forms.CharField(label=_("Electrician's certificate number"), max_length=40)
    certificate_expiry = forms.DateField(label=_("Certificate valid until"), widget=DATE)
    phone = forms.CharField(label=_("Phone"), max_length=20, validators=[validate_phone])

    def __init__(self, *args, tenant: Tenant, **kwargs):
        super().__init__(*args, **kwargs)
        unit_ids = current_occupancies(tenant).values("unit_id")
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=unit_ids).order_by("number")
        self.fields["unit"].error_messages["invalid_choice"] = _("Choose a unit your company occupies.")
        self.fields["renovation"].queryset = Renovation.objects.filter(
            tenant=tenant, status__in=Renovation.LIVE
        ).select_related("unit")

    @classmethod
    def initial_of(cls, permit: TemporaryPower) -> dict:
        return {f: getattr(permit, f) for f in FIELDS}


class InspectionForm(forms.Form):
    checklist = forms.MultipleChoiceField(
        label=_("Wiring checklist"),
        choices=TemporaryPower.CHECKLIST,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    note = forms.CharField(
        label=_("Inspection note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SwitchOnForm(forms.Form):
    meter_start = forms.DecimalField(
        label=_("Meter start reading (kWh)"), max_digits=12, decimal_places=1, required=False
    )
    no_meter = forms.BooleanField(label=_("No meter: billed by load × hours"), required=False)


class SwitchOffForm(forms.Form):
    meter_end = forms.DecimalField(label=_("Meter end reading (kWh)"), max_digits=12, decimal_places=1, required=False)
