"""The booking registers' filters (desk and portal)."""

import datetime as dt

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Booking, Space


class BookingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Company or subject"), method="search")
    # Spaces are a few dozen rows: a select of them is cheap.
    space = django_filters.ModelChoiceFilter(
        label=_("Space"), queryset=Space.objects.select_related("building").order_by("kind", "name")
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Space.Kind.choices, field_name="space__kind")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Booking.Status.choices)
    day = django_filters.DateFilter(
        label=_("Day"), method="filter_day", widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"})
    )
    tenant = django_filters.NumberFilter(field_name="tenant_id", widget=django_filters.widgets.forms.HiddenInput)

    class Meta:
        model = Booking
        fields = ["q", "space", "kind", "status", "day", "tenant"]

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        from django.db.models import Q

        return qs.filter(
            Q(tenant__name__icontains=value) | Q(customer__name__icontains=value) | Q(title__icontains=value)
        )

    def filter_day(self, qs, name, value):
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(value, dt.time(0), tz)
        return qs.filter(start__lt=start + dt.timedelta(days=1), end__gt=start)


class PortalBookingFilter(django_filters.FilterSet):
    WHEN = (("upcoming", _("Upcoming")), ("past", _("Past")))
    when = django_filters.ChoiceFilter(label=_("When"), choices=WHEN, method="filter_when", empty_label=_("All"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Booking.Status.choices)

    class Meta:
        model = Booking
        fields = ["when", "status"]

    def filter_when(self, qs, name, value):
        now = timezone.now()
        if value == "upcoming":
            return qs.filter(end__gt=now).order_by("start", "id")
        if value == "past":
            return qs.filter(end__lte=now)
        return qs
