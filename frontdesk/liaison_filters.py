"""Filters of the visits register and a plan's tenants."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .liaison_selectors import DUE, OVERDUE, VISITED
from .models import Visit

PLAN_STATES = ((VISITED, _("Visited")), (DUE, _("Due")), (OVERDUE, _("Overdue")))


class VisitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Company or topic"), method="search")
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Visit.Channel.choices)
    impression = django_filters.ChoiceFilter(label=_("Overall impression"), choices=Visit.Impression.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Visit.Status.choices)
    since = django_filters.DateFilter(label=_("From"), method="filter_since")
    until = django_filters.DateFilter(label=_("Until"), method="filter_until")

    class Meta:
        model = Visit
        fields = ["q", "channel", "impression", "status", "since", "until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("since", "until"):
            self.filters[name].field.widget.attrs["type"] = "date"

    def search(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(tenant__name__icontains=value) | Q(topics__icontains=value)) if value else qs

    def _day(self, value):
        return dt.datetime.combine(value, dt.time(0), timezone.get_current_timezone())

    def filter_since(self, qs, name, value):
        return qs.filter(visited_at__gte=self._day(value))

    def filter_until(self, qs, name, value):
        if value >= dt.date.max:  # the day after it does not exist: nothing is cut off
            return qs
        return qs.filter(visited_at__lt=self._day(value + dt.timedelta(days=1)))


class PlanTenantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Company"), field_name="name", lookup_expr="icontains")
    state = django_filters.ChoiceFilter(label=_("This period"), choices=PLAN_STATES, field_name="plan_state")


class PortalVisitFilter(django_filters.FilterSet):
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Visit.Channel.choices)

    class Meta:
        model = Visit
        fields = ["channel"]
