"""Forms of the meeting-room bookings (portal and desk). The service checks the rules; its
errors go beside ``start``, ``end``, ``attendees``, ``equipment`` and ``accept_fee``."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.customer_models import Customer

from .models import Space


class RoomBookingForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    title = forms.CharField(label=_("Subject"), max_length=100, required=False)
    attendees = forms.IntegerField(
        label=_("Attendees"), min_value=1, required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    equipment = forms.MultipleChoiceField(
        label=_("Equipment"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    accept_fee = forms.BooleanField(label=_("I accept the fee beyond the free hours"), required=False)

    def __init__(self, *args, space: Space, customers: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.space = space
        step = space.slot_minutes * 60
        for name in ("start", "end"):
            self.fields[name].widget.attrs["step"] = str(step)
        if space.capacity:
            self.fields["attendees"].widget.attrs["max"] = str(space.capacity)
            self.fields["attendees"].help_text = _("At most %(n)d.") % {"n": space.capacity}
        if space.equipment:
            self.fields["equipment"].choices = [(e, e) for e in space.equipment]
        else:
            del self.fields["equipment"]
        if customers:
            # The desk may book for a customer (a non-tenant payer, at the non-tenant rate).
            self.fields["customer"] = forms.ModelChoiceField(
                label=_("Customer (non-tenant payer)"),
                queryset=Customer.objects.filter(is_active=True).order_by("name"),
                required=False,
                empty_label=_("None: the property's own use"),
            )

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        day = self.cleaned_data["day"]
        return (
            dt.datetime.combine(day, self.cleaned_data["start"], tz),
            dt.datetime.combine(day, self.cleaned_data["end"], tz),
        )
