import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.models import Building, Tenant, Unit

from . import selectors
from .models import Department, Inspection, RectificationOrder, Renovation


class RenovationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Renovation.Status.choices)
    building = django_filters.ModelChoiceFilter(
        label=_("Building"), field_name="unit__floor__building", queryset=Building.objects.all()
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    extension = django_filters.BooleanFilter(label=_("Extension waiting"), method="filter_extension")
    period = django_filters.DateFromToRangeFilter(
        label=_("Works between"),
        method="filter_period",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = Renovation
        fields = ["q", "status", "building", "overdue", "extension", "period"]

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        if value.upper().startswith("ZX-"):
            return qs.filter(permit__number=value.upper())
        # Subqueries on the few matching tenants and units, not joins of every renovation to
        # them (as the bill ledger's search): each runs once, hashed. Text without case (Chinese)
        # is matched with a plain LIKE: UPPER() of every row's name costs the scan twice the time.
        contains = "icontains" if value.upper() != value.lower() else "contains"
        return qs.filter(
            Q(tenant__in=Tenant.objects.filter(**{f"name__{contains}": value}).values("pk"))
            | Q(**{f"contractor_name__{contains}": value})
            | Q(unit__in=Unit.objects.filter(number__iexact=value).values("pk"))
        )

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(selectors.overdue_q()) if value else qs.exclude(selectors.overdue_q())

    def filter_extension(self, qs, name, value):
        # The supervisor's worklist of extensions (延期) still to decide.
        if value is None:
            return qs
        waiting = selectors.extension_waiting_q()
        return qs.filter(waiting) if value else qs.exclude(waiting)

    def filter_period(self, qs, name, value):
        # Renovations whose planned period overlaps the range.
        if value and value.start:
            qs = qs.filter(planned_end__gte=value.start)
        if value and value.stop:
            qs = qs.filter(planned_start__lte=value.stop)
        return qs


class PortalRenovationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Renovation.Status.choices)

    class Meta:
        model = Renovation
        fields = ["status"]


class InspectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    department = django_filters.ChoiceFilter(label=_("Department"), choices=Department.choices)
    violation = django_filters.BooleanFilter(label=_("Violation"))
    inspected = django_filters.DateFromToRangeFilter(
        label=_("Inspected between"),
        field_name="inspected_at__date",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = Inspection
        fields = ["q", "department", "violation", "inspected"]

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(renovation__tenant__name__icontains=value)
            | Q(renovation__unit__number__iexact=value)
            | Q(findings__icontains=value)
        )


class OrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RectificationOrder.Status.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = RectificationOrder
        fields = ["q", "status", "overdue"]

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        if value.upper().startswith("ZG-"):
            return qs.filter(document__number=value.upper())
        return qs.filter(Q(tenant__name__icontains=value) | Q(renovation__unit__number__iexact=value))

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(selectors.order_overdue_q()) if value else qs.exclude(selectors.order_overdue_q())
