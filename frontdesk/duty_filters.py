"""Filters of the duty log's registers (shifts and entries)."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import DutyEntry, Shift

DATE_INPUT = django_filters.widgets.forms.DateInput(attrs={"type": "date"})


def _day_start(value: dt.date) -> dt.datetime:
    return dt.datetime.combine(value, dt.time(0), timezone.get_current_timezone())


class ShiftFilter(django_filters.FilterSet):
    start = django_filters.DateFilter(label=_("From"), field_name="date", lookup_expr="gte", widget=DATE_INPUT)
    end = django_filters.DateFilter(label=_("To"), field_name="date", lookup_expr="lte", widget=DATE_INPUT)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Shift.Status.choices)
    # The desk home's panel: ended without a signed handover (open or handed over, not accepted).
    unsigned = django_filters.BooleanFilter(label=_("Ended without a signed handover"), method="filter_unsigned")

    class Meta:
        model = Shift
        fields = ["start", "end", "status", "unsigned"]

    def filter_unsigned(self, qs, name, value):
        unsigned = Q(ends_at__lte=timezone.now()) & ~Q(status=Shift.Status.ACCEPTED)
        return qs.filter(unsigned) if value else qs.exclude(unsigned)


class EntryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Text"), field_name="text", lookup_expr="icontains")
    start = django_filters.DateFilter(label=_("From"), method="filter_start", widget=DATE_INPUT)
    end = django_filters.DateFilter(label=_("To"), method="filter_end", widget=DATE_INPUT)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DutyEntry.Kind.choices)
    still_open = django_filters.BooleanFilter(label=_("Open items"), method="filter_open")

    class Meta:
        model = DutyEntry
        fields = ["q", "start", "end", "kind", "still_open"]

    def filter_start(self, qs, name, value):
        return qs.filter(at__gte=_day_start(value))

    def filter_end(self, qs, name, value):
        return qs.filter(at__lt=_day_start(value + dt.timedelta(days=1)))

    def filter_open(self, qs, name, value):
        if value is None:
            return qs
        if value:
            return qs.filter(is_open=True, closed_at__isnull=True)
        return qs.exclude(is_open=True, closed_at__isnull=True)
