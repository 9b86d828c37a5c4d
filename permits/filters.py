import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import Building

from .models import PremisesCertificate, ReleaseNote, WorkerPass


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
            Q(tenant__name__icontains=value) | Q(document__number=value.upper()) | Q(unit__number__iexact=value)
        )


class PortalCertificateFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PremisesCertificate.Status.choices)

    class Meta:
        model = PremisesCertificate
        fields = ["status"]


class WorkerPassFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=WorkerPass.Status.choices)
    trade = django_filters.ChoiceFilter(label=_("Trade"), choices=WorkerPass.Trade.choices)
    valid = django_filters.ChoiceFilter(
        label=_("Validity"),
        choices=(("current", _("Valid today")), ("expired", _("Past its last day"))),
        method="filter_valid",
    )

    class Meta:
        model = WorkerPass
        fields = ["q", "status", "trade", "valid"]

    def search(self, qs, name, value):
        """A badge number, a whole ID number, or a worker's, contractor's or company's name."""
        value = value.strip()
        if not value:
            return qs
        if value.upper().startswith("SG-"):
            return qs.filter(document__number=value.upper())
        if len(value) == 18 and value[:17].isdigit():
            return qs.filter(id_number=value.upper())
        return qs.filter(
            Q(worker_name__icontains=value)
            | Q(renovation__contractor_name__icontains=value)
            | Q(tenant__name__icontains=value)
        )

    def filter_valid(self, qs, name, value):
        today = timezone.localdate()
        if value == "current":
            return qs.filter(status=WorkerPass.Status.ISSUED, valid_until__gte=today)
        if value == "expired":
            return qs.filter(valid_until__lt=today)
        return qs


class PortalWorkerPassFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=WorkerPass.Status.choices)

    class Meta:
        model = WorkerPass
        fields = ["status"]


# --- release notes 大件物品放行条 -------------------------------------------------------------------


class ReleaseNoteFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Number, plate or company"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReleaseNote.Status.choices)
    purpose = django_filters.ChoiceFilter(label=_("Purpose"), choices=ReleaseNote.Purpose.choices)
    date = django_filters.DateFromToRangeFilter(
        label=_("Release date between"),
        field_name="date",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = ReleaseNote
        fields = ["q", "status", "purpose", "date", "overdue"]

    def search(self, qs, name, value):
        """A note number (FX-…), a vehicle plate, or a company's name: one or the other, never an OR."""
        from .models import normalize_plate

        value = value.strip()
        if not value:
            return qs
        if value.upper().startswith("FX-"):
            # Numbers are stored upper-case: the unique index answers, not a scan of UPPER().
            return qs.filter(document__number=value.upper())
        plate = normalize_plate(value)
        if 7 <= len(plate) <= 8 and any(ch.isdigit() for ch in plate) and not plate.isdigit():
            return qs.filter(vehicle_plate=plate)
        return qs.filter(tenant__name__icontains=value)

    def filter_overdue(self, qs, name, value):
        from .selectors import release_note_overdue_q

        return qs.filter(release_note_overdue_q()) if value else qs.exclude(release_note_overdue_q())


class PortalReleaseNoteFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReleaseNote.Status.choices)

    class Meta:
        model = ReleaseNote
        fields = ["status"]


# --- access passes 大厦出入证 -------------------------------------------------------------------

from datetime import timedelta  # noqa: E402

from .models import AccessPass  # noqa: E402

# A card whose last day is this near is "expiring": time to renew or collect it.
EXPIRING_DAYS = 30


class AccessPassFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AccessPass.Status.choices)
    card_type = django_filters.ChoiceFilter(label=_("Card type"), choices=AccessPass.CardType.choices)
    due = django_filters.ChoiceFilter(
        label=_("Due"),
        choices=(
            ("overdue", _("Overdue: past its last day, card not back")),
            ("expiring", _("Expiring within 30 days")),
            ("waiting", _("Waiting for the desk")),
        ),
        method="filter_due",
    )
    requested = django_filters.DateFromToRangeFilter(
        label=_("Requested between"),
        field_name="created_at__date",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )
    valid = django_filters.DateFromToRangeFilter(
        label=_("Last day between"),
        field_name="valid_until",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = AccessPass
        fields = ["q", "status", "card_type", "due", "requested", "valid"]

    def search(self, qs, name, value):
        """A card number (also a lost one), a holder's name or a company's name: one or the
        other, never an OR across both (an OR would read every row)."""
        value = value.strip()
        if not value:
            return qs
        number = "".join(value.split()).upper()
        if number.isalnum() and any(c.isdigit() for c in number) and number.isascii():
            return qs.filter(Q(card_number=number) | Q(dead_card_numbers__contains=[number]))
        by_holder = qs.filter(holder_name__icontains=value)
        return by_holder if by_holder.exists() else qs.filter(tenant__name__icontains=value)

    def filter_due(self, qs, name, value):
        today = timezone.localdate()
        S = AccessPass.Status
        if value == "overdue":
            return qs.filter(status__in=(S.ISSUED, S.EXPIRED), valid_until__lt=today)
        if value == "expiring":
            return qs.filter(
                status=S.ISSUED, valid_until__gte=today, valid_until__lte=today + timedelta(days=EXPIRING_DAYS)
            )
        if value == "waiting":
            return qs.filter(status__in=(S.REQUESTED, S.APPROVED, S.LOST))
        return qs


class PortalAccessPassFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AccessPass.Status.choices)

    class Meta:
        model = AccessPass
        fields = ["status"]
