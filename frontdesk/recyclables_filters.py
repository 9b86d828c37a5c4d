"""Filters of the recyclables register (desk) and the company's list (portal)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Category, RecycleRequest


class RecycleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number or company"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RecycleRequest.Status.choices)
    settlement = django_filters.ChoiceFilter(label=_("Settlement"), choices=RecycleRequest.Settlement.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Category.choices, method="filter_category")
    since = django_filters.DateFilter(label=_("Requested from"), field_name="created_at", lookup_expr="date__gte")

    class Meta:
        model = RecycleRequest
        fields = ["q", "status", "settlement", "category", "since"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["since"].field.widget.attrs["type"] = "date"

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        if value.upper().startswith("FP-"):
            return qs.filter(number=value.upper())
        return qs.filter(Q(tenant__name__icontains=value) | Q(unit__number__iexact=value))

    def filter_category(self, qs, name, value):
        return qs.filter(categories__contains=[value]) if value else qs


class PortalRecycleFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RecycleRequest.Status.choices)

    class Meta:
        model = RecycleRequest
        fields = ["status"]
