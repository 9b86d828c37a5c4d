import re
from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.documents.models import Document
from jinyuan.params import parse_month
from tenants.models import Building, Occupancy, Tenant
from tenants.selectors import current_q

from . import payers
from .models import Bill, BillLine, Customer, DepositEntry, Payment, ServiceCharge
from .selectors import paid_service_items

# Bill and receipt numbers (ZD-2026-00042, SJ-2026-00042) never look like a company name.
DOCUMENT_NUMBER = re.compile(r"[A-Z]{2,4}-\d{4}-\d+")


def is_document_number(value: str) -> bool:
    """Search by number or by company name, never both in one OR: an OR across the two
    subqueries cannot use either index, and scans every bill (or payment) of the ledger."""
    return bool(DOCUMENT_NUMBER.fullmatch(value.upper()))


def _named(qs, value: str):
    """The rows (bills, payments, deposit entries) of the payers whose name holds ``value``.

    The customers are few: read first (one small query). None named (a tenant's name, the
    usual search): the tenants' subquery alone, which PostgreSQL turns into a join on the payer
    key's index as before customers existed. Some named: the tenants' rows and theirs as one
    UNION ALL of ids, each arm through its key's index (about 3 ms more on the large ledger);
    never an OR of the two IN-subqueries, which cannot become joins and tests every row."""
    tenants = qs.model.objects.filter(tenant__in=Tenant.objects.filter(name__icontains=value).values("pk"))
    customers = list(Customer.objects.filter(name__icontains=value).values_list("pk", flat=True))
    if not customers:
        return qs.filter(tenant__in=Tenant.objects.filter(name__icontains=value).values("pk"))
    theirs = qs.model.objects.filter(customer__in=customers)
    return qs.filter(pk__in=tenants.order_by().values("pk").union(theirs.order_by().values("pk"), all=True))


class PayerKindFilter(django_filters.ChoiceFilter):
    """The registers' "Payer" filter: tenants' rows or customers' (billing.payers)."""

    def __init__(self, **kwargs):
        super().__init__(label=_("Payer"), choices=payers.KIND_CHOICES, method=self.by_kind, **kwargs)

    @staticmethod
    def by_kind(qs, name, value):
        return payers.kind_filter(qs, value)


def _in_building(qs, building):
    current = Occupancy.objects.filter(current_q(), tenant=OuterRef("tenant"), unit__floor__building=building)
    return qs.filter(Exists(current))


class BillFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Payer or bill number"), method="search")
    payer = PayerKindFilter()
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Bill.Status.choices)
    building = django_filters.ModelChoiceFilter(
        label=_("Building"), queryset=Building.objects.all(), method="building_f"
    )
    period = django_filters.CharFilter(
        label=_("Month"), method="month", widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"})
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="overdue_f")

    class Meta:
        model = Bill
        fields = ["q", "payer", "status", "building", "period", "overdue"]

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        if is_document_number(value):
            return qs.filter(number=value.upper())
        # A subquery on the few matching payers, not a join of every bill to its tenant.
        return _named(qs, value)

    def building_f(self, qs, name, value):
        # The bill's own building (the units it charges, else its tenant's occupancy then: set
        # at issue, migration 0012), as the collection dashboard counts it: a tenant in two
        # buildings, or gone, would otherwise show its bills under both or neither.
        return qs.filter(building=value) if value else qs

    def month(self, qs, name, value):
        first = parse_month(value)
        if first is None:
            return qs.none()
        # A range, not __month (EXTRACT): the (issued_on, id) index serves the month's bills.
        after = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        return qs.filter(issued_on__gte=first, issued_on__lt=after)

    def overdue_f(self, qs, name, value):
        if value is None:
            return qs
        late = Q(status__in=[Bill.Status.OPEN, Bill.Status.PARTLY_PAID], due_date__lt=timezone.localdate())
        return qs.filter(late) if value else qs.exclude(late)


class PaymentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Payer or receipt number"), method="search")
    payer = PayerKindFilter()
    method = django_filters.ChoiceFilter(label=_("Method"), choices=Payment.Method.choices)
    building = django_filters.ModelChoiceFilter(
        label=_("Building"), queryset=Building.objects.all(), method="building_f"
    )
    received = django_filters.DateFromToRangeFilter(
        label=_("Received between"),
        field_name="received_at__date",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = Payment
        fields = ["q", "payer", "method", "building", "received"]

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        if is_document_number(value):
            return qs.filter(receipt__in=Document.objects.filter(number=value.upper()).values("pk"))
        return _named(qs, value)

    def building_f(self, qs, name, value):
        return _in_building(qs, value) if value else qs


class DepositFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Payer name"), method="search")
    payer = PayerKindFilter()
    kind = django_filters.ChoiceFilter(label=_("Entry"), choices=DepositEntry.Kind.choices)
    building = django_filters.ModelChoiceFilter(
        label=_("Building"), queryset=Building.objects.all(), method="building_f"
    )

    class Meta:
        model = DepositEntry
        fields = ["q", "payer", "kind", "building"]

    def search(self, qs, name, value):
        value = value.strip()
        return _named(qs, value) if value else qs

    def building_f(self, qs, name, value):
        return _in_building(qs, value) if value else qs


class PortalBillFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Bill.Status.choices)

    class Meta:
        model = Bill
        fields = ["status"]


class ServiceChargeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tenant, unit or number"), method="search")
    done = django_filters.DateFromToRangeFilter(
        label=_("Done between"),
        field_name="done_on",
        widget=django_filters.widgets.RangeWidget(attrs={"type": "date"}),
    )
    # The paid-service items only: a few dozen rows, never the whole price list.
    item = django_filters.ModelChoiceFilter(
        label=_("Item"), queryset=lambda request: paid_service_items(), method="item_f"
    )

    class Meta:
        model = ServiceCharge
        fields = ["q", "done", "item"]

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        if is_document_number(value):
            return qs.filter(number=value.upper())
        units = Occupancy.objects.filter(current_q(), unit__number__iexact=value).values("tenant_id")
        names = Tenant.objects.filter(name__icontains=value).values("pk")
        return qs.filter(Q(tenant__in=names) | Q(tenant__in=units))

    def item_f(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(bill__in=BillLine.objects.filter(fee_item=value).values("bill_id"))


class CustomerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or credit code"), method="search")
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Customer
        fields = ["q", "is_active"]

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(name__icontains=value) | Q(credit_code=value.upper()))
