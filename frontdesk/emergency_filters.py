"""Filters of the emergency register."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Building

from .models import Emergency


class EmergencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number, place or text"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Emergency.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Emergency.Status.choices)
    building = django_filters.ModelChoiceFilter(label=_("Building"), queryset=Building.objects.order_by("code"))
    since = django_filters.DateFilter(label=_("From"), method="filter_since")

    class Meta:
        model = Emergency
        fields = ["q", "kind", "status", "building", "since"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["since"].field.widget.attrs["type"] = "date"

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        if value.upper().startswith("YJ-"):
            return qs.filter(number=value.upper())
        return qs.filter(Q(place__icontains=value) | Q(description__icontains=value) | Q(actions__icontains=value))

    def filter_since(self, qs, name, value):
        start = dt.datetime.combine(value, dt.time(0), timezone.get_current_timezone())
        return qs.filter(occurred_at__gte=start)
