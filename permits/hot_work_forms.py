"""Forms of the hot-work permits: the application (portal and desk), the on-site check, the recheck."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.phones import validate_phone
from renovation.models import Renovation
from tenants.models import Unit

from .models.hot_work import HotWorkPermit, Measure, SiteCheck

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class HotWorkForm(forms.Form):
    """What the company (or the desk for it) fills in; the service checks the rules (notice,
    window, certificate, extinguishers) and its errors go beside these fields. The window is
    a day and two times: an end before the start runs past midnight and is refused."""

    renovation = forms.ModelChoiceField(
        label=_("Renovation"),
        queryset=Renovation.objects.none(),
        required=False,
        empty_label=_("None: the company's own works"),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    part = forms.CharField(label=_("Part of the unit"), max_length=60, help_text=_("E.g. kitchen, east wall"))
    work = forms.CharField(label=_("Work"), max_length=120, help_text=_("E.g. welding the steel frame of the counter"))
    method = forms.ChoiceField(label=_("Method"), choices=HotWorkPermit.Method.choices)
    day = forms.DateField(label=_("Day of the work"), widget=DATE)
    starts_at = forms.TimeField(label=_("From"), widget=TIME)
    ends_at = forms.TimeField(label=_("Until"), widget=TIME, help_text=_("Within the same day, at most 8 hours."))
    operator_name = forms.CharField(label=_("Operator"), max_length=40)
    certificate_number = forms.CharField(label=_("Welder certificate number"), max_length=40)
    certificate_expiry = forms.DateField(label=_("Certificate valid until"), widget=DATE)
    fire_watch_name = forms.CharField(label=_("Fire watch"), max_length=40)
    fire_watch_phone = forms.CharField(label=_("Fire watch's phone"), max_length=20, validators=[validate_phone])
    area_m2 = forms.DecimalField(label=_("Area (m²)"), max_digits=8, decimal_places=1, min_value=0.1)
    extinguishers = forms.IntegerField(
        label=_("Extinguishers (2 kg)"), min_value=0, max_value=100, help_text=_("At least one per 50 m².")
    )
    measures = forms.MultipleChoiceField(
        label=_("Measures"), choices=Measure.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, tenant, **kwargs):
        super().__init__(*args, **kwargs)
        from tenants.selectors import current_occupancies

        self.tenant = tenant
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=current_occupancies(tenant).values("unit_id")
        ).select_related("floor__building")
        self.fields["renovation"].queryset = Renovation.objects.filter(
            tenant=tenant, status__in=Renovation.LIVE
        ).select_related("unit")
        self.fields["unit"].error_messages["invalid_choice"] = _("Choose one of the company's units.")
        self.fields["renovation"].error_messages["invalid_choice"] = _("Choose one of the company's renovations.")

    @classmethod
    def initial_from(cls, permit: HotWorkPermit) -> dict:
        start, end = timezone.localtime(permit.starts_at), timezone.localtime(permit.ends_at)
        fields = ("renovation", "unit", "part", "work", "method", "operator_name", "certificate_number")
        fields += ("certificate_expiry", "fire_watch_name", "fire_watch_phone", "area_m2", "extinguishers", "measures")
        return {
            **{f: getattr(permit, f) for f in fields},
            "day": start.date(),
            "starts_at": start.time(),
            "ends_at": end.time(),
        }

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        tz = timezone.get_current_timezone()
        day = data.pop("day")
        start_time, end_time = data["starts_at"], data["ends_at"]
        data["starts_at"] = dt.datetime.combine(day, start_time, tz)
        # An end before the start is the next day: the service refuses it as past midnight.
        end_day = day + dt.timedelta(days=1) if end_time <= start_time else day
        data["ends_at"] = dt.datetime.combine(end_day, end_time, tz)
        return data


class SiteCheckForm(forms.Form):
    """The on-site check before the start, on a phone: every item ticked."""

    checks = forms.MultipleChoiceField(
        label=_("On-site check"), choices=SiteCheck.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class RecheckForm(forms.Form):
    detectors_restored = forms.BooleanField(label=_("Smoke detectors restored, no embers left"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
