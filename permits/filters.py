import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.models import Building

from .models import PremisesCertificate


class CertificateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PremisesCertificate.Status.choices)
    building = django_filters.ModelChoiceFilter(
        label=_("Building"), field_name="unit__floor__building", queryset=Building.objects.all()
    )
    purpose = django_filters.ChoiceFilter(label=_("Purpose"), choices=PremisesCertificate.Purpose.choices)
    created = django_filters.DateFromToRangeFilter(
        label=_("Requested between"),
        field_name="created_at__date",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = PremisesCertificate
        fields = ["q", "status", "building", "purpose", "created"]

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(
            Q(tenant__name__icontains=value) | Q(document__number__iexact=value.upper()) | Q(unit__number__iexact=value)
        )


class PortalCertificateFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PremisesCertificate.Status.choices)

    class Meta:
        model = PremisesCertificate
        fields = ["status"]
