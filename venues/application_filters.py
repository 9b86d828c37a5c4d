"""Filters of the applications register (desk) and the company's list (portal)."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import VenueApplication

PAYER_KINDS = (("tenant", _("Company (tenant)")), ("customer", _("Customer")))


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number, title or payer"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=VenueApplication.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VenueApplication.Status.choices)
    day = django_filters.DateFilter(label=_("In use on"), method="filter_day")
    payer = django_filters.ChoiceFilter(label=_("Payer"), choices=PAYER_KINDS, method="filter_payer")

    class Meta:
        model = VenueApplication
        fields = ["q", "kind", "status", "day", "payer"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["day"].field.widget.attrs["type"] = "date"

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        if value.upper().startswith("CD-"):
            return qs.filter(number=value.upper())
        return qs.filter(
            Q(title__icontains=value)
            | Q(organiser__icontains=value)
            | Q(tenant__name__icontains=value)
            | Q(customer__name__icontains=value)
        )

    def filter_day(self, qs, name, value):
        """Uses running on that day (their window meets the day)."""
        start = dt.datetime.combine(value, dt.time(0), timezone.get_current_timezone())
        return qs.filter(use_start__lt=start + dt.timedelta(days=1), use_end__gt=start)

    def filter_payer(self, qs, name, value):
        if value == "tenant":
            return qs.filter(tenant__isnull=False)
        if value == "customer":
            return qs.filter(customer__isnull=False)
        return qs


class PortalApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VenueApplication.Status.choices)

    class Meta:
        model = VenueApplication
        fields = ["status"]
