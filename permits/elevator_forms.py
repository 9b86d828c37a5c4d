"""Forms of the freight-elevator slots: the booking (portal and desk) and the operator."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renovation.models import Renovation

from .elevator import LINKABLE_NOTES, operators
from .models import ReleaseNote


class BookingForm(forms.Form):
    """Day, start and end (on the elevator's slot grid), purpose and optional links. The service
    checks the rules; its errors go beside ``start``, ``end``, ``purpose`` and the links."""

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    purpose = forms.CharField(
        label=_("Purpose"), max_length=200, help_text=_("E.g. delivery of furniture, removal of renovation waste.")
    )
    renovation = forms.ModelChoiceField(
        label=_("Renovation"), queryset=Renovation.objects.none(), required=False, empty_label=_("None")
    )
    release_note = forms.ModelChoiceField(
        label=_("Release note"), queryset=ReleaseNote.objects.none(), required=False, empty_label=_("None")
    )

    def __init__(self, *args, tenant=None, elevator=None, **kwargs):
        super().__init__(*args, **kwargs)
        step = (elevator.slot_minutes if elevator else 30) * 60
        for name in ("start", "end"):
            self.fields[name].widget.attrs["step"] = str(step)
        if tenant is None:
            # The property's own booking: nothing of a company to link.
            del self.fields["renovation"], self.fields["release_note"]
            return
        self.fields["renovation"].queryset = Renovation.objects.filter(
            tenant=tenant, status__in=Renovation.LIVE
        ).select_related("unit", "permit")
        self.fields["release_note"].queryset = ReleaseNote.objects.filter(
            tenant=tenant, status__in=LINKABLE_NOTES, date__gte=timezone.localdate()
        ).select_related("document")
        self.fields["renovation"].label_from_instance = lambda r: f"{r} · {r.unit.number}"
        self.fields["release_note"].label_from_instance = lambda n: f"{n} · {n.date:%Y-%m-%d}"

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        day = self.cleaned_data["day"]
        return (
            dt.datetime.combine(day, self.cleaned_data["start"], tz),
            dt.datetime.combine(day, self.cleaned_data["end"], tz),
        )


class OperatorForm(forms.Form):
    operator = forms.ModelChoiceField(label=_("Operator"), queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operators()
        self.fields["operator"].label_from_instance = lambda u: u.get_full_name() or u.username
