import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .models import (
    Building,
    Contact,
    Meter,
    MeterKind,
    MoveIn,
    MoveOut,
    Occupancy,
    ReadingRound,
    Signboard,
    Tenant,
    Unit,
)
from .selectors import current_q, vacant_q


class TenantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    building = django_filters.ModelChoiceFilter(
        label=_("Building"), queryset=Building.objects.all(), method="in_building"
    )
    occupying = django_filters.BooleanFilter(label=_("Occupying a unit now"), method="filter_occupying")
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Tenant
        fields = ["q", "building", "occupying", "is_active"]

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        # Subqueries on the few matching contacts and units, not joins (a join would repeat
        # tenants) nor EXISTS per tenant: each runs once, hashed, whatever the number of tenants.
        # Credit codes are stored upper-case, so an exact match lets their unique index serve it.
        contacts = Contact.objects.filter(name__icontains=value).values("tenant_id")
        units = Occupancy.objects.filter(unit__number__iexact=value).values("tenant_id")
        return qs.filter(Q(name__icontains=value) | Q(credit_code=value.upper()) | Q(pk__in=contacts) | Q(pk__in=units))

    def in_building(self, qs, name, value):
        if not value:
            return qs
        current = Occupancy.objects.filter(current_q(), tenant=OuterRef("pk"), unit__floor__building=value)
        return qs.filter(Exists(current))

    def filter_occupying(self, qs, name, value):
        if value is None:
            return qs
        current = Occupancy.objects.filter(current_q(), tenant=OuterRef("pk"))
        return qs.filter(Exists(current)) if value else qs.exclude(Exists(current))


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Unit number"), field_name="number", lookup_expr="icontains")
    building = django_filters.ModelChoiceFilter(
        label=_("Building"), field_name="floor__building", queryset=Building.objects.all()
    )
    floor = django_filters.NumberFilter(label=_("Floor"), field_name="floor__number")
    use = django_filters.ChoiceFilter(label=_("Use"), choices=Unit.Use.choices)
    vacant = django_filters.BooleanFilter(label=_("Vacant"), method="filter_vacant")

    class Meta:
        model = Unit
        fields = ["q", "building", "floor", "use", "vacant"]

    def filter_vacant(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(vacant_q()) if value else qs.exclude(vacant_q())


class MoveInFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tenant"), field_name="tenant__name", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MoveIn.Status.choices)
    ready = django_filters.BooleanFilter(
        label=_("Ready to confirm"), field_name="ready_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = MoveIn
        fields = ["q", "status", "ready"]


class MoveOutFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tenant"), field_name="tenant__name", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MoveOut.Status.choices)

    class Meta:
        model = MoveOut
        fields = ["q", "status"]


class SignboardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tenant or text"), method="search")
    building = django_filters.ModelChoiceFilter(label=_("Building"), queryset=Building.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Signboard.Status.choices)

    class Meta:
        model = Signboard
        fields = ["q", "building", "status"]

    def search(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(tenant__name__icontains=value) | Q(text__icontains=value)) if value else qs


class MeterFilter(django_filters.FilterSet):
    """The meter register: by building, floor, kind, unit or meter number."""

    q = django_filters.CharFilter(label=_("Unit or meter number"), method="search")
    building = django_filters.ModelChoiceFilter(
        label=_("Building"), field_name="unit__floor__building", queryset=Building.objects.all()
    )
    floor = django_filters.NumberFilter(label=_("Floor"), field_name="unit__floor__number")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MeterKind.choices)
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Meter
        fields = ["q", "building", "floor", "kind", "is_active"]

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(unit__number__iexact=value) | Q(number__icontains=value))


class ReadingRoundFilter(django_filters.FilterSet):
    """The reading rounds: by building and status."""

    building = django_filters.ModelChoiceFilter(label=_("Building"), queryset=Building.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReadingRound.Status.choices)

    class Meta:
        model = ReadingRound
        fields = ["building", "status"]
