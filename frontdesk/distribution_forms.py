"""Forms of material distribution: the request and its completion. The rules are the
service's (frontdesk.distribution); the form parses floors ("3, 5-8") and company names."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from jinyuan.attachments.forms import AttachmentField
from tenants.models import Building, Floor, Tenant

from .models import MaterialDistribution

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_COMPANIES = 200
RANGE = re.compile(r"^\s*(-?\d+)\s*(?:-\s*(-?\d+)\s*)?$")


def floor_numbers(text: str) -> list[int] | None:
    """``"3, 5-8"`` → [3, 5, 6, 7, 8]; None when it cannot be read."""
    numbers: list[int] = []
    for part in re.split(r"[,，、\s]+", text.strip()):
        if not part:
            continue
        match = RANGE.match(part)
        if not match:
            return None
        low = int(match.group(1))
        high = int(match.group(2)) if match.group(2) else low
        if high < low or high - low > 200:
            return None
        numbers.extend(range(low, high + 1))
    return sorted(set(numbers))


class DistributionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    material = AttachmentField(label=_("Material (PDF or image)"), required=False)
    quantity = forms.IntegerField(label=_("Copies"), required=False)
    targets = forms.ChoiceField(
        label=_("To"),
        choices=MaterialDistribution.Targets.choices,
        initial=MaterialDistribution.Targets.ALL,
        widget=forms.RadioSelect,
        required=False,
    )
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.order_by("code"), required=False)
    floor_numbers = forms.CharField(label=_("Floors"), max_length=200, required=False, help_text=_("e.g. 3, 5-8"))
    companies = forms.CharField(
        label=_("Companies"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One company name per line, as registered."),
    )
    charge = forms.ChoiceField(
        label=_("Charged"),
        choices=MaterialDistribution.Charge.choices,
        initial=MaterialDistribution.Charge.PER_COPY,
        widget=forms.RadioSelect,
        required=False,
    )
    preferred_date = forms.DateField(label=_("Preferred date"), widget=DATE, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        data["floors"], data["target_tenants"] = [], []
        targets = data.get("targets")
        if targets == MaterialDistribution.Targets.FLOORS and data.get("building"):
            numbers = floor_numbers(data.get("floor_numbers") or "")
            if numbers is None:
                self.add_error("floor_numbers", _("Write floor numbers such as 3, 5-8."))
            else:
                floors = list(Floor.objects.filter(building=data["building"], number__in=numbers).order_by("number"))
                missing = sorted(set(numbers) - {f.number for f in floors})
                if missing:
                    self.add_error(
                        "floor_numbers",
                        _("The building has no floor %(floors)s.") % {"floors": ", ".join(map(str, missing))},
                    )
                data["floors"] = floors
        if targets == MaterialDistribution.Targets.TENANTS:
            names = list(dict.fromkeys(n.strip() for n in (data.get("companies") or "").splitlines() if n.strip()))
            if len(names) > MAX_COMPANIES:
                self.add_error("companies", _("At most %(n)d companies.") % {"n": MAX_COMPANIES})
            else:
                found = list(Tenant.objects.filter(name__in=names, is_active=True))
                unknown = [n for n in names if n not in {t.name for t in found}]
                if unknown:
                    self.add_error(
                        "companies", _("No company is registered as: %(names)s") % {"names": "、".join(unknown[:5])}
                    )
                data["target_tenants"] = found
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data.get("title"),
            "material": data.get("material"),
            "quantity": data.get("quantity"),
            "targets": data.get("targets"),
            "building": data.get("building"),
            "floors": data.get("floors"),
            "target_tenants": data.get("target_tenants"),
            "charge": data.get("charge"),
            "preferred_date": data.get("preferred_date"),
            "note": data.get("note"),
        }


class CompleteForm(forms.Form):
    count = forms.IntegerField(label=_("Copies distributed"), required=False)
    distributed_by = forms.CharField(label=_("Distributed by"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
