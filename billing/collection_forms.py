"""The collection dashboard's picker: ``?month=YYYY-MM&building=<id>``."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Building

from .collection import first_of

EARLIEST = dt.date(2000, 1, 1)


class CollectionForm(forms.Form):
    """A month up to the current one (default: the current month) and a building (default: all).
    The buildings are given (the page lists them anyway), so the choices cost no query."""

    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Enter a month as YYYY-MM.")},
    )
    building = forms.TypedChoiceField(label=_("Building"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, buildings: list[Building], **kwargs):
        super().__init__(*args, **kwargs)
        self.buildings = {b.pk: b for b in buildings}
        self.fields["building"].choices = [("", _("All buildings")), *((b.pk, b.name) for b in buildings)]

    def clean_month(self) -> dt.date | None:
        month = self.cleaned_data["month"]
        if month is None:
            return None
        month = first_of(month)
        if month > first_of(timezone.localdate()):
            raise forms.ValidationError(_("Choose this month or an earlier one."))
        if month < EARLIEST:
            raise forms.ValidationError(_("Choose a month from 2000 on."))
        return month

    def chosen(self) -> tuple[dt.date, Building | None]:
        """The month and building to show: what was asked where valid, else the defaults."""
        data: dict = {}
        if self.is_bound:
            self.is_valid()
            # A bad month keeps a good building and the other way round: cleaned_data holds
            # the fields that are valid.
            data = self.cleaned_data
        month = data.get("month") or first_of(timezone.localdate())
        building = self.buildings.get(data.get("building")) if data.get("building") else None
        return month, building
