"""Filters of the material distribution register (desk) and the company's list (portal)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import MaterialDistribution


class DistributionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number, title or company"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MaterialDistribution.Status.choices)
    targets = django_filters.ChoiceFilter(label=_("To"), choices=MaterialDistribution.Targets.choices)

    class Meta:
        model = MaterialDistribution
        fields = ["q", "status", "targets"]

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        if value.upper().startswith("DP-"):
            return qs.filter(number=value.upper())
        return qs.filter(Q(title__icontains=value) | Q(tenant__name__icontains=value))


class PortalDistributionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MaterialDistribution.Status.choices)

    class Meta:
        model = MaterialDistribution
        fields = ["status"]
