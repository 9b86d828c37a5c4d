"""The temporary-power registers' filters (desk and portal)."""

import django_filters
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from tenants.models import Building, Tenant, Unit

from .models import TemporaryPower
from .power_selectors import overdue_q


class PowerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number, company or place"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TemporaryPower.Status.choices)
    building = django_filters.ModelChoiceFilter(
        label=_("Building"), field_name="unit__floor__building", queryset=Building.objects.all()
    )
    overdue = django_filters.BooleanFilter(
        label=_("Switch-off overdue"),
        method="filter_overdue",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = TemporaryPower
        fields = ["q", "status", "building", "overdue"]

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        if value.upper().startswith("LD-"):
            return qs.filter(document__number=value.upper())
        # Subqueries on the few matching companies and units, not a join of every permit to them;
        # a unit number in any case, by unit_number_upper_idx (a plain ``number =`` read every unit).
        return qs.filter(
            Q(tenant__in=Tenant.objects.filter(name__icontains=value).values("pk"))
            | Q(unit__in=Unit.objects.annotate(upper=Upper("number")).filter(upper=value.upper()).values("pk"))
            | Q(location__icontains=value)
        )

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(overdue_q()) if value else qs.exclude(overdue_q())


class PortalPowerFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TemporaryPower.Status.choices)

    class Meta:
        model = TemporaryPower
        fields = ["status"]
