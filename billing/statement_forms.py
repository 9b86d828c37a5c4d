"""The period of a statement 对账单: ``?month=YYYY-MM`` (default: this month), or whole months
``?start=YYYY-MM&end=YYYY-MM`` (at most ``MAX_MONTHS``). A malformed, future or reversed period
is a field error beside the picker, never a 500."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .statements import EARLIEST, MAX_MONTHS, Period, first_of, months_between


class MonthField(forms.DateField):
    """A month typed or picked as ``YYYY-MM``: its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM.")}

    def clean(self, value):
        month = super().clean(value)
        if month is None:
            return None
        month = first_of(month)
        if month > first_of(timezone.localdate()):
            raise forms.ValidationError(_("Choose this month or an earlier one."))
        if month < EARLIEST:
            raise forms.ValidationError(_("Choose a month from 2000 on."))
        return month


class StatementPeriodForm(forms.Form):
    month = MonthField(label=_("Month"), required=False)
    start = MonthField(label=_("From (month)"), required=False)
    end = MonthField(label=_("To (month)"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if self.errors or not (start or end):
            return data
        start, end = start or end, end or start
        if end < start:
            self.add_error("end", _("The last month cannot come before the first."))
        elif months_between(start, end) > MAX_MONTHS:
            self.add_error("end", _("At most %(n)d months in one statement.") % {"n": MAX_MONTHS})
        else:
            data["start"], data["end"] = start, end
        return data

    def period(self, today: date | None = None) -> Period:
        """The period asked for (call after ``is_valid()``): a range, a month, or this month."""
        today = today or timezone.localdate()
        data = self.cleaned_data
        if data.get("start"):
            return Period.of_months(data["start"], data["end"], today)
        return Period.of_month(data.get("month") or first_of(today), today)


def period_form(params) -> StatementPeriodForm:
    """The form bound to the query string (unbound when it names no period: this month)."""
    asked = any(params.get(name) not in (None, "") for name in ("month", "start", "end"))
    return StatementPeriodForm(params if asked else None)
