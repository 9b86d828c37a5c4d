"""Forms of the parking permits: the application (portal and desk), the renewal, the plate check."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.attachments.forms import AttachmentField
from jinyuan.phones import validate_phone
from jinyuan.uploads import DOCUMENT_TYPES

from .models import ParkingPermit, ParkingSpace, normalize_plate, validate_plate

MONTH_CHOICES = [(n, _("%(n)d months") % {"n": n} if n > 1 else _("1 month")) for n in (1, 2, 3, 6, 12)]


class PlateField(forms.CharField):
    """A mainland plate, normalised (upper case, no spaces) before it is checked."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Plate number"))
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault(
            "help_text", _("E.g. 桂A12345, or 桂AD12345 for a new-energy car; spaces and case do not matter.")
        )
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"})

    def to_python(self, value):
        return normalize_plate(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validate_plate(value)


class ParkingApplicationForm(forms.Form):
    """What the tenant (or the desk for it) fills in; the service checks the rest (a live
    permit of the plate, the space's dates) and its errors go beside these fields."""

    plate = PlateField()
    brand = forms.CharField(label=_("Brand"), max_length=30, help_text=_("E.g. 比亚迪, 大众"))
    vehicle_model = forms.CharField(label=_("Model"), max_length=40, help_text=_("E.g. 汉EV, 帕萨特"))
    colour = forms.CharField(label=_("Colour"), max_length=20)
    driver_name = forms.CharField(label=_("Driver"), max_length=40)
    driver_phone = forms.CharField(label=_("Driver's phone"), max_length=20, validators=[validate_phone])
    licence = AttachmentField(
        label=_("Vehicle licence (行驶证)"), allowed=DOCUMENT_TYPES, help_text=_("A photo or PDF of both pages.")
    )
    rental_type = forms.ChoiceField(label=_("Rental type"), choices=ParkingPermit.RentalType.choices)
    space = forms.ModelChoiceField(
        label=_("Fixed space"),
        queryset=ParkingSpace.objects.none(),
        required=False,
        empty_label=_("Unassigned (any free space of the pool)"),
    )
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    months = forms.TypedChoiceField(
        label=_("Months (monthly rental)"),
        choices=[("", "—"), *MONTH_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )
    until = forms.DateField(
        label=_("Last day (internal or free)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Monthly permits run for whole months; the others to the day given here."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A few hundred spaces at most: the fixed ones in use.
        self.fields["space"].queryset = ParkingSpace.objects.filter(is_fixed=True, is_active=True)
        self.fields["space"].error_messages["invalid_choice"] = _("Choose a fixed space in use from the list.")
        if not self.is_bound:
            self.initial.setdefault("start", timezone.localdate())
            self.initial.setdefault("months", 3)

    def clean_start(self) -> dt.date:
        start = self.cleaned_data["start"]
        if start < timezone.localdate():
            raise ValidationError(_("The first day cannot be in the past."))
        return start

    def clean(self):
        data = super().clean()
        monthly = data.get("rental_type") == ParkingPermit.RentalType.MONTHLY
        if monthly and not data.get("months"):
            self.add_error("months", _("How many months? A monthly permit runs for whole months."))
        if data.get("rental_type") and not monthly and not data.get("until"):
            self.add_error("until", _("Give the permit's last day."))
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if data["rental_type"] == ParkingPermit.RentalType.MONTHLY:
            data["until"] = None
        else:
            data["months"] = None
        return data


class RenewForm(forms.Form):
    months = forms.TypedChoiceField(label=_("Renew for"), choices=MONTH_CHOICES, coerce=int, initial=3)
    # The end the user saw: two renewals sent at once extend the permit once.
    expected_end = forms.DateField(widget=forms.HiddenInput)


class PlateCheckForm(forms.Form):
    plate = PlateField(help_text=_("Type the plate as it reads; spaces, dots and case do not matter."))
