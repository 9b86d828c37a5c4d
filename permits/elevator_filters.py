"""The freight-elevator booking registers' filters (desk and portal)."""

import datetime as dt

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ElevatorBooking, FreightElevator


class ElevatorBookingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Company or purpose"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ElevatorBooking.Status.choices)
    # A handful of elevators: a select of them is cheap.
    elevator = django_filters.ModelChoiceFilter(label=_("Freight elevator"), queryset=FreightElevator.objects.all())
    day = django_filters.DateFilter(
        label=_("Day"), method="filter_day", widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = ElevatorBooking
        fields = ["q", "status", "elevator", "day"]

    def search(self, qs, name, value):
        value = value.strip()
        return qs.filter(tenant__name__icontains=value) if value else qs

    def filter_day(self, qs, name, value):
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(value, dt.time(0), tz)
        return qs.filter(start__gte=start, start__lt=start + dt.timedelta(days=1))


class PortalElevatorBookingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ElevatorBooking.Status.choices)

    class Meta:
        model = ElevatorBooking
        fields = ["status"]
