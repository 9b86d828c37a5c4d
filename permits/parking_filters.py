"""The parking permit registers' filters (desk and portal)."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ParkingPermit, normalize_plate
from .parking_selectors import EXPIRING_DAYS, with_overdue_bill


class ParkingPermitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Plate, number or company"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ParkingPermit.Status.choices)
    rental_type = django_filters.ChoiceFilter(label=_("Rental type"), choices=ParkingPermit.RentalType.choices)
    attention = django_filters.ChoiceFilter(
        label=_("Needs attention"),
        choices=(
            ("expiring", _("Expiring within %(days)d days") % {"days": EXPIRING_DAYS}),
            ("overdue", _("Rent overdue")),
        ),
        method="filter_attention",
    )
    valid_on = django_filters.DateFilter(
        label=_("Valid on"),
        method="filter_valid_on",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    ends = django_filters.DateFromToRangeFilter(
        label=_("Last day between"),
        method="filter_ends",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = ParkingPermit
        fields = ["q", "status", "rental_type", "attention", "valid_on", "ends"]

    def search(self, qs, name, value):
        """A plate (whole or its end: 12345 finds 桂A12345), a permit number or a company."""
        value = value.strip()
        if not value:
            return qs
        if value.upper().startswith("TC-"):
            return qs.filter(document__number=value.upper())
        plate = normalize_plate(value)
        if plate.isascii() and plate.isalnum() and len(plate) <= 6:
            return qs.filter(plate__endswith=plate)
        return qs.filter(Q(plate=plate) | Q(tenant__name__icontains=value))

    def filter_attention(self, qs, name, value):
        today = timezone.localdate()
        if value == "expiring":
            return qs.filter(
                status=ParkingPermit.Status.ISSUED, end__gt=today, end__lte=today + dt.timedelta(days=EXPIRING_DAYS)
            )
        if value == "overdue":
            return with_overdue_bill(qs)
        return qs

    def filter_valid_on(self, qs, name, value):
        return qs.filter(
            status__in=(ParkingPermit.Status.ISSUED, ParkingPermit.Status.EXPIRED), start__lte=value, end__gt=value
        )

    def filter_ends(self, qs, name, value):
        # The form shows the last day; ``end`` is the day after it.
        if value.start:
            qs = qs.filter(end__gt=value.start)
        if value.stop:
            qs = qs.filter(end__lte=value.stop + dt.timedelta(days=1))
        return qs


class PortalParkingPermitFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ParkingPermit.Status.choices)

    class Meta:
        model = ParkingPermit
        fields = ["status"]
