"""The complaint registers' filters (desk and portal). Each is served by an index on 30,000
complaints (bench): the created, status, department and tenant indexes of the model, a trigram
index on the content (migration 0003); categories are few, no filter lists a large table."""

import re
from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tenants.models import Tenant

from . import selectors
from .models import Complaint, ComplaintCategory, Department

COMPLAINT_NUMBER = re.compile(r"TS-\d{4}-\d+", re.IGNORECASE)
DATE = forms.DateInput(attrs={"type": "date"})
# "Open": any state still waiting on someone (Complaint.OPEN), beside the single states.
OPEN = "open"
STATUS_CHOICES = [(OPEN, _("Open (any open state)")), *Complaint.Status.choices]


# Dates a filter field accepts beyond any record (year 1, year 9999) would overflow when made
# aware and converted to UTC: a bound beyond these is no bound.
EARLIEST, LATEST = date(1900, 1, 1), date(9000, 1, 1)


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class ComplaintFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number, content or company"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, method="filter_status")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Complaint.Kind.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=ComplaintCategory.objects.order_by("name")
    )
    department = django_filters.ChoiceFilter(label=_("Department"), choices=Department.choices)
    channel = django_filters.ChoiceFilter(
        label=pgettext_lazy("complaint", "Channel"), choices=Complaint.Channel.choices
    )
    urgent = django_filters.BooleanFilter(label=_("Urgent"), widget=django_filters.widgets.BooleanWidget())
    late = django_filters.BooleanFilter(
        label=_("Late"), method="filter_late", widget=django_filters.widgets.BooleanWidget()
    )
    validity = django_filters.ChoiceFilter(label=_("Validity"), choices=Complaint.Validity.choices)
    created_from = django_filters.DateFilter(label=_("Recorded from"), widget=DATE, method="since")
    created_to = django_filters.DateFilter(label=_("Recorded until"), widget=DATE, method="until")

    class Meta:
        model = Complaint
        fields = [
            "q",
            "status",
            "kind",
            "category",
            "department",
            "channel",
            "urgent",
            "late",
            "validity",
            "created_from",
            "created_to",
        ]

    def search(self, qs, name, value):
        """A complaint number exactly; else words of the content or a company's name (the
        complainant's name is not searched: it would find an anonymous complainant)."""
        value = value.strip()
        if not value:
            return qs
        if COMPLAINT_NUMBER.fullmatch(value):
            return qs.filter(number=value.upper())
        companies = Tenant.objects.filter(name__icontains=value).values("pk")
        return qs.filter(Q(content__icontains=value) | Q(tenant__in=companies))

    def filter_status(self, qs, name, value):
        if not value:
            return qs
        if value == OPEN:
            return qs.filter(status__in=Complaint.OPEN)
        return qs.filter(status=value)

    def filter_late(self, qs, name, value):
        """Late: an acknowledgement or reply past its due time (running) or met late."""
        if value is None:
            return qs
        late = selectors.late_q()
        return qs.filter(late) if value else qs.exclude(late)

    # A range on created_at itself (local midnights), not __date: the index serves it.
    def since(self, qs, name, value):
        return qs.filter(created_at__gte=_midnight(value)) if value and value > EARLIEST else qs

    def until(self, qs, name, value):
        if not value or value > LATEST:
            return qs
        return qs.filter(created_at__lt=_midnight(max(value, EARLIEST) + timedelta(days=1)))


class PortalComplaintFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, method="filter_status")

    class Meta:
        model = Complaint
        fields = ["status"]

    filter_status = ComplaintFilter.filter_status
