"""Forms of the monthly service statistics: the month shown, the supervisor's sign-off."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ServiceReport
from .statistics import first_of

EARLIEST = dt.date(2000, 1, 1)


class MonthForm(forms.Form):
    """``?month=YYYY-MM``: a month up to the current one."""

    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": _("Enter a month as YYYY-MM.")},
    )

    def clean_month(self) -> dt.date:
        month = first_of(self.cleaned_data["month"])
        if month > first_of(timezone.localdate()):
            raise forms.ValidationError(_("Choose this month or an earlier one."))
        if month < EARLIEST:
            raise forms.ValidationError(_("Choose a month from 2000 on."))
        return month


class SignOffForm(forms.Form):
    remarks = forms.CharField(
        label=_("Supervisor's remarks"),
        required=False,
        max_length=ServiceReport._meta.get_field("remarks").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What stands out this month and what follows from it; printed on the report."),
    )
