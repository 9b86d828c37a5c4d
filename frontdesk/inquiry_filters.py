"""Filters of the inquiry register."""

import datetime as dt

import django_filters
from django.utils.translation import gettext_lazy as _

from .duty_filters import DATE_INPUT, _day_start
from .models import Inquiry


class InquiryFilter(django_filters.FilterSet):
    company = django_filters.CharFilter(label=_("Company"), field_name="tenant__name", lookup_expr="icontains")
    start = django_filters.DateFilter(label=_("From"), method="filter_start", widget=DATE_INPUT)
    end = django_filters.DateFilter(label=_("To"), method="filter_end", widget=DATE_INPUT)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Inquiry.Channel.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Inquiry.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Inquiry.Status.choices)

    class Meta:
        model = Inquiry
        fields = ["company", "start", "end", "channel", "kind", "status"]

    def filter_start(self, qs, name, value):
        return qs.filter(received_at__gte=_day_start(value))

    def filter_end(self, qs, name, value):
        return qs.filter(received_at__lt=_day_start(value + dt.timedelta(days=1)))
