"""The repair registers' filters (desk and portal). Every filter is served by an index on
200,000 tickets: no ModelChoiceFilter over a large table (categories and engineers are few)."""

import re
from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant, Unit

from . import selectors
from .models import RepairCategory, RepairTicket

TICKET_NUMBER = re.compile(r"BX-\d{4}-\d+", re.IGNORECASE)
DIGITS = re.compile(r"\d{3,20}")
DATE = forms.DateInput(attrs={"type": "date"})


class TicketFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number, caller, phone, company or place"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RepairTicket.Status.choices)
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=RepairCategory.objects.order_by("name"))
    engineer = django_filters.ModelChoiceFilter(
        label=_("Engineer"), field_name="assignee", queryset=selectors.engineers()
    )
    urgency = django_filters.ChoiceFilter(label=_("Urgency"), choices=RepairTicket.Urgency.choices)
    overdue = django_filters.BooleanFilter(
        label=_("Late"), method="filter_overdue", widget=django_filters.widgets.BooleanWidget()
    )
    created_from = django_filters.DateFilter(label=_("Reported from"), widget=DATE, method="since")
    created_to = django_filters.DateFilter(label=_("Reported until"), widget=DATE, method="until")

    class Meta:
        model = RepairTicket
        fields = ["q", "status", "category", "engineer", "urgency", "overdue", "created_from", "created_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["engineer"].field.label_from_instance = str

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        if TICKET_NUMBER.fullmatch(value):
            return qs.filter(number=value.upper())
        if DIGITS.fullmatch(value):
            # A unit number when a unit is numbered so, else a phone number (or its start): each
            # on its own index. ORed, the two made PostgreSQL scan every ticket (33 ms at 200,000).
            units = list(Unit.objects.annotate(upper=Upper("number")).filter(upper=value).values_list("pk", flat=True))
            return qs.filter(unit__in=units) if units else qs.filter(phone__startswith=value)
        units = Unit.objects.annotate(upper=Upper("number")).filter(upper=value.upper()).values("pk")
        # Subqueries on the few matching companies and units; names and places by trigram index.
        return qs.filter(
            Q(tenant__in=Tenant.objects.filter(name__icontains=value).values("pk"))
            | Q(unit__in=units)
            | Q(reporter_name__icontains=value)
            | Q(place__icontains=value)
        )

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        late = selectors.late_q()
        return qs.filter(late) if value else qs.exclude(late)

    # A range on created_at itself (local midnights), not __date: the index serves it.
    def since(self, qs, name, value):
        return qs.filter(created_at__gte=_midnight(value)) if value else qs

    def until(self, qs, name, value):
        return qs.filter(created_at__lt=_midnight(value + timedelta(days=1))) if value else qs


def _midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class PortalTicketFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RepairTicket.Status.choices)

    class Meta:
        model = RepairTicket
        fields = ["status"]
