"""Filters of the management log register: a month, signed or not."""

import datetime as dt

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ManagementLog


class MonthField(forms.CharField):
    """A month as ``YYYY-MM`` (the browser's month input); the first day of it."""

    widget = forms.TextInput(attrs={"type": "month"})
    default_error_messages = {"invalid": _("Give a month as YYYY-MM.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(f"{value}-01")
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs, value):
        if not value:
            return qs
        following = (value.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return qs.filter(date__gte=value, date__lt=following)


class ManagementLogFilter(django_filters.FilterSet):
    month = MonthFilter(label=_("Month"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ManagementLog.Status.choices)

    class Meta:
        model = ManagementLog
        fields = ["month", "status"]
