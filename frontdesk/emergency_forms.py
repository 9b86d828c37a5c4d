"""Forms of emergency records: record one, update the response, make a repair ticket, link a
record. The services judge; their errors go beside the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.models import Building, Floor, Occupancy, Tenant
from tenants.selectors import current_q

from . import action_services, emergency_links
from .action_forms import DATETIME
from .models import Emergency


class AffectedUnitsMixin:
    """The tenants affected, given by the unit numbers the desk knows ("1201, 1305"): the
    companies occupying them today in the emergency's building (no list of every tenant)."""

    def affected_tenants(self, building) -> list[Tenant]:
        raw = self.cleaned_data.get("units") or ""
        numbers = [n.strip() for n in raw.replace("，", ",").replace("、", ",").split(",") if n.strip()]
        if not numbers or building is None:
            return []
        rows = (
            Occupancy.objects.filter(current_q(), unit__floor__building=building, unit__number__in=numbers)
            .select_related("tenant", "unit")
            .order_by("tenant__name")
        )
        found = {o.unit.number for o in rows}
        missing = [n for n in numbers if n not in found]
        if missing:
            self.add_error("units", _("No company occupies these units: %(units)s") % {"units": ", ".join(missing)})
            return []
        return list({o.tenant_id: o.tenant for o in rows}.values())


class EmergencyForm(AffectedUnitsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "---------"), *Emergency.Kind.choices])
    occurred_at = forms.DateTimeField(label=_("Happened at"), widget=DATETIME)
    building = forms.ModelChoiceField(label=_("Building"), queryset=None)
    floor = forms.ModelChoiceField(label=_("Floor"), queryset=None, required=False)
    place = forms.CharField(
        label=_("Place"), max_length=100, required=False, help_text=_("e.g. men's toilet, 12F east")
    )
    description = forms.CharField(label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    responders = forms.ModelMultipleChoiceField(
        label=_("Staff who responded"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    outside_help = forms.CharField(
        label=_("Outside help"),
        max_length=200,
        required=False,
        help_text=_("e.g. 119 fire brigade, 120 ambulance, 110 police"),
    )
    actions = forms.CharField(
        label=_("Actions taken"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    units = forms.CharField(
        label=_("Tenants affected (unit numbers)"),
        max_length=200,
        required=False,
        help_text=_("Comma-separated, e.g. 1201, 1305"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.order_by("code")
        self.fields["floor"].queryset = Floor.objects.select_related("building").order_by("building__code", "number")
        self.fields["responders"].queryset = action_services.staff_users().order_by("display_name", "username")

    def clean(self):
        data = super().clean()
        data["tenants"] = self.affected_tenants(data.get("building"))
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "occurred_at": d["occurred_at"],
            "building": d["building"],
            "floor": d["floor"],
            "place": d["place"],
            "description": d["description"],
            "responders": list(d["responders"]),
            "outside_help": d["outside_help"],
            "actions": d["actions"],
            "tenants": d["tenants"],
        }


class ResponseForm(AffectedUnitsMixin, forms.Form):
    responders = forms.ModelMultipleChoiceField(
        label=_("Staff who responded"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    outside_help = forms.CharField(label=_("Outside help"), max_length=200, required=False)
    actions = forms.CharField(
        label=_("Actions taken"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    units = forms.CharField(label=_("Tenants affected (unit numbers)"), max_length=200, required=False)

    def __init__(self, *args, emergency: Emergency, **kwargs):
        super().__init__(*args, **kwargs)
        self.emergency = emergency
        self.fields["responders"].queryset = action_services.staff_users().order_by("display_name", "username")

    def clean(self):
        data = super().clean()
        data["tenants"] = self.affected_tenants(self.emergency.building)
        return data


class TicketForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Repair category"), queryset=None)

    def __init__(self, *args, **kwargs):
        from repairs.models import RepairCategory

        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = RepairCategory.objects.filter(active=True).order_by("name")


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), choices=())
    # A number, or an announcement's exact title (section_links): as long as a title may be.
    number = forms.CharField(label=_("Number"), max_length=120)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in emergency_links.linkable_kinds()]
