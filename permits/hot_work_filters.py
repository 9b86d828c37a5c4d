"""Filters of the hot-work register (desk) and the company's list (portal)."""

import datetime as dt

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Building

from .models import HotWorkPermit


class HotWorkFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number or company"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=HotWorkPermit.Status.choices)
    day = django_filters.DateFilter(label=_("Day of the work"), method="filter_day")
    building = django_filters.ModelChoiceFilter(
        label=_("Building"), field_name="unit__floor__building", queryset=Building.objects.all()
    )
    method = django_filters.ChoiceFilter(label=_("Method"), choices=HotWorkPermit.Method.choices)

    class Meta:
        model = HotWorkPermit
        fields = ["q", "status", "day", "building", "method"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["day"].field.widget.attrs["type"] = "date"

    def search(self, qs, name, value):
        """A permit number (DH-…) or a company's name."""
        value = value.strip()
        if not value:
            return qs
        if value.upper().startswith("DH-"):
            return qs.filter(document__number=value.upper())
        return qs.filter(tenant__name__icontains=value)

    def filter_day(self, qs, name, value):
        """Windows on that day (a range on the indexed start, not a cast of every row)."""
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(value, dt.time(0), tz)
        return qs.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))


class PortalHotWorkFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=HotWorkPermit.Status.choices)

    class Meta:
        model = HotWorkPermit
        fields = ["status"]
