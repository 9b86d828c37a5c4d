"""Filters of the invoice-request register (desk) and the company's list (portal)."""

import datetime as dt

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .invoice_models import InvoiceKind, InvoiceRequest


class InvoiceRequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title or taxpayer number"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InvoiceRequest.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Invoice type"), choices=InvoiceKind.choices)
    requested = django_filters.DateFromToRangeFilter(
        label=_("Requested between"),
        method="filter_requested",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = InvoiceRequest
        fields = ["q", "status", "kind", "requested"]

    def search(self, qs, name, value):
        """A taxpayer number (18 characters, no spaces) exactly, else a part of the title."""
        value = value.strip()
        if not value:
            return qs
        if len(value) == 18 and value.isalnum():
            return qs.filter(taxpayer_number=value.upper())
        return qs.filter(title__icontains=value)

    def filter_requested(self, qs, name, value):
        """A range on the indexed time, not a cast of every row."""
        tz = timezone.get_current_timezone()
        if value.start:
            qs = qs.filter(created_at__gte=dt.datetime.combine(value.start, dt.time(0), tz))
        # The last day a date can be has no next day to stop before: no upper bound then.
        if value.stop and value.stop.date() < dt.date.max:
            qs = qs.filter(created_at__lt=dt.datetime.combine(value.stop + dt.timedelta(days=1), dt.time(0), tz))
        return qs


class PortalInvoiceRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InvoiceRequest.Status.choices)

    class Meta:
        model = InvoiceRequest
        fields = ["status"]
