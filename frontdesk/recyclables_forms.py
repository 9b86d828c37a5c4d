"""Forms of recyclables requests: the request, the schedule, the weighing, the settlement.
Every rule is the service's (frontdesk.recyclables): these only parse what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, RecycleRequest
from .recyclables import Weighed

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.floor.building.code} {obj.number}" if obj.floor_id else obj.number


class RequestForm(forms.Form):
    unit = UnitChoiceField(label=_("Pickup at unit"), queryset=None, empty_label=None)
    categories = forms.MultipleChoiceField(
        label=_("Categories"), choices=Category.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    estimated_kg = forms.DecimalField(label=_("Estimated weight (kg)"), max_digits=9, decimal_places=2, required=False)
    preferred_time = forms.DateTimeField(label=_("Preferred time"), widget=DATETIME, required=False)
    settlement = forms.ChoiceField(
        label=_("Settlement"),
        choices=RecycleRequest.Settlement.choices,
        initial=RecycleRequest.Settlement.CREDIT,
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class ScheduleForm(forms.Form):
    recycler = forms.ModelChoiceField(label=_("Recycler"), queryset=None, required=False)
    pickup_at = forms.DateTimeField(label=_("Pickup at"), widget=DATETIME, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, recyclers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recycler"].queryset = recyclers


class CollectForm(forms.Form):
    """One weight per category (empty: not collected); the price in force is shown, a
    supervisor may change it with a reason. The recycler's vehicle and carrier go on the
    release note."""

    vehicle_plate = forms.CharField(label=_("Vehicle plate"), max_length=10)
    carrier_name = forms.CharField(label=_("Carrier's name"), max_length=40)
    carrier_id_number = forms.CharField(label=_("Carrier's ID card number"), max_length=18)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, prices: dict, may_change_price: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for value, label in Category.choices:
            weight = forms.DecimalField(label=_("%(category)s: weight (kg)") % {"category": label}, required=False)
            price = forms.DecimalField(
                label=_("%(category)s: price per kg (CNY)") % {"category": label},
                required=False,
                initial=prices.get(value),
                disabled=not may_change_price,
            )
            reason = forms.CharField(
                label=_("%(category)s: reason for the price") % {"category": label},
                max_length=200,
                required=False,
                disabled=not may_change_price,
            )
            self.fields[f"weight_{value}"] = weight
            self.fields[f"price_{value}"] = price
            self.fields[f"reason_{value}"] = reason
            self.rows.append((value, label))

    def weighed(self) -> list[Weighed]:
        data = self.cleaned_data
        return [
            Weighed(
                category=value,
                weight_kg=data.get(f"weight_{value}"),
                price=data.get(f"price_{value}") if not self.fields[f"price_{value}"].disabled else None,
                price_reason=data.get(f"reason_{value}") or "",
            )
            for value, _label in self.rows
        ]

    def field_rows(self):
        """(weight, price, reason) bound fields per category, for the template."""
        return [(self[f"weight_{v}"], self[f"price_{v}"], self[f"reason_{v}"]) for v, _label in self.rows]


class SettleForm(forms.Form):
    settlement = forms.ChoiceField(
        label=_("Settlement"), choices=RecycleRequest.Settlement.choices, widget=forms.RadioSelect
    )
    received_by = forms.CharField(
        label=_("Cash received by (the company's person who signs)"), max_length=40, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class CreditVoidForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=500)
