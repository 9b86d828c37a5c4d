"""Billing reads, scoped to the user who asks."""

from decimal import Decimal
from typing import Any

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import Case, DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from tenants.models import Tenant

from . import payers
from .models import (
    ZERO,
    Bill,
    BillLine,
    Customer,
    DepositEntry,
    FeeItem,
    FeePrice,
    LateFeeCharge,
    Payment,
    ServiceCharge,
)
from .money import round_money
from .payers import Owner


def deposit_balance(tenant: Owner, fee_item: FeeItem | None = None) -> Decimal:
    """The deposit a payer (tenant or customer) holds, of one item or of all."""
    qs = DepositEntry.objects.filter(**payers.owned_by(tenant))
    if fee_item is not None:
        qs = qs.filter(fee_item=fee_item)
    sums = {row["kind"]: row["s"] for row in qs.values("kind").annotate(s=Sum("amount")).order_by()}
    return sums.get("received", ZERO) - sums.get("deducted", ZERO) - sums.get("refunded", ZERO)


def deposit_balance_of_source(tenant: Owner, source_key: str, fee_item: FeeItem | None = None) -> Decimal:
    """What the ledger holds for one record (entries carrying its ``source_key``), of a tenant
    or a customer."""
    qs = DepositEntry.objects.filter(**payers.owned_by(tenant), source_key=source_key)
    if fee_item is not None:
        qs = qs.filter(fee_item=fee_item)
    sums = {row["kind"]: row["s"] for row in qs.values("kind").annotate(s=Sum("amount")).order_by()}
    return sums.get("received", ZERO) - sums.get("deducted", ZERO) - sums.get("refunded", ZERO)


def _total(rows: QuerySet, amount: Any) -> Coalesce:
    """The sum of ``amount`` over ``rows`` as a subquery (zero when there are none)."""
    summed = rows.order_by().annotate(one=Value(1)).values("one").annotate(s=Sum(amount)).values("s")
    return Coalesce(Subquery(summed), ZERO, output_field=DecimalField(max_digits=14, decimal_places=2))


def tenant_balance(tenant: Owner) -> dict[str, Decimal]:
    """What the payer (a tenant or a customer) owes on open bills, what credit it holds and
    its deposits: one query (every account page shows the three)."""
    mine = payers.owned_by(tenant)
    deposit = Case(
        When(kind=DepositEntry.Kind.RECEIVED, then=F("amount")), default=-F("amount"), output_field=DecimalField()
    )
    return (
        type(tenant)
        .objects.filter(pk=tenant.pk)
        .values(
            owed=_total(
                Bill.objects.filter(**mine, status__in=[Bill.Status.OPEN, Bill.Status.PARTLY_PAID]),
                F("total") - F("paid"),
            ),
            credit=_total(Payment.objects.filter(**mine), F("amount") - F("allocated")),
            deposit=_total(DepositEntry.objects.filter(**mine), deposit),
        )
        .get()
    )


def bills() -> QuerySet[Bill]:
    return Bill.objects.select_related("tenant", "customer")


LEDGER_FIELDS = (
    *("number", "payer_kind", "payer_name", "unit_numbers", "title", "period_start", "period_end", "issued_on"),
    *("due_date", "total", "paid", "outstanding", "status", "late_fee_billed"),
)


def bill_ledger_rows(queryset: QuerySet[Bill]) -> QuerySet:
    """The bill ledger's export, a named row per bill (``LEDGER_FIELDS``): its payer's name (a
    tenant's or a customer's, ``payer_name``) and kind, the units its lines name, what is
    outstanding (nothing on a void bill) and the late fee 违约金 billed on it so far, all in the
    one statement: the export reads 88,000 bills through one cursor, as plain tuples (no model
    instance per row)."""
    units = (
        BillLine.objects.filter(bill=OuterRef("pk"), unit__isnull=False)
        .order_by()
        .values("bill")
        .annotate(numbers=StringAgg("unit__number", ", ", distinct=True, order_by="unit__number"))
        .values("numbers")
    )
    late_fees = (
        LateFeeCharge.objects.filter(source_bill=OuterRef("pk"))
        .order_by()
        .values("source_bill")
        .annotate(billed=Sum("amount"))
        .values("billed")
    )
    return queryset.annotate(
        payer_name=Coalesce(F("tenant__name"), F("customer__name")),
        payer_kind=payers.kind_expression(),
        unit_numbers=Subquery(units),
        outstanding=Case(When(status=Bill.Status.VOID, then=Value(ZERO)), default=F("total") - F("paid")),
        late_fee_billed=Subquery(late_fees),
    ).values_list(*LEDGER_FIELDS, named=True)


def bills_of(tenant: Owner) -> QuerySet[Bill]:
    return bills().filter(**payers.owned_by(tenant))


def bill_detail(pk: int, tenant: Tenant | None = None) -> Bill:
    """A bill with its lines and allocations; another tenant's bill is a 404."""
    qs = bills().prefetch_related("lines__fee_item", "lines__unit", "allocations__payment__receipt")
    if tenant is not None:
        qs = qs.filter(tenant=tenant)
    return get_object_or_404(qs, pk=pk)


def payments() -> QuerySet[Payment]:
    return Payment.objects.select_related("tenant", "customer", "receipt", "received_by")


def payments_of(tenant: Owner) -> QuerySet[Payment]:
    return payments().filter(**payers.owned_by(tenant))


def payment_detail(pk: int, tenant: Tenant | None = None) -> Payment:
    qs = payments().prefetch_related("allocations__bill")
    if tenant is not None:
        qs = qs.filter(tenant=tenant)
    return get_object_or_404(qs, pk=pk)


def deposit_entries() -> QuerySet[DepositEntry]:
    return DepositEntry.objects.select_related("tenant", "customer", "fee_item", "created_by")


def deposits_of(tenant: Owner) -> QuerySet[DepositEntry]:
    return deposit_entries().filter(**payers.owned_by(tenant))


def deposit_due(move_out: Any) -> Decimal:
    """The part of the deposit a move-out settles. Deposits are taken per move-in, not per unit
    (no deposit line names a unit), so a move-out of some units settles the deposit pro rata
    by area: the leaving units' area over the area of every unit the company holds now. A
    move-out of all units settles all of it."""
    from tenants.selectors import current_occupancies

    held = deposit_balance(move_out.tenant)
    leaving = {row.unit_id: row.unit.area for row in move_out.units.select_related("unit")}
    held_area = sum(o.unit.area for o in current_occupancies(move_out.tenant).select_related("unit"))
    leaving_area = sum(leaving.values())
    if held <= ZERO or not held_area or leaving_area >= held_area:
        return held
    return round_money(held * leaving_area / held_area)


def price_on(item: FeeItem, day) -> Decimal:
    """The item's price in force on `day`: the latest dated price from on or before it.

    An item without dated prices (or a day before the first one) has its plain current price.
    """
    row = FeePrice.objects.filter(fee_item=item, effective_from__lte=day).order_by("-effective_from").first()
    return row.price if row is not None else item.price


def price_list_as_of(day) -> list[FeeItem]:
    """Active fee items with the dated price in force on `day` (.price_today, .effective_from): two queries."""
    items = list(FeeItem.objects.filter(is_active=True).order_by("kind", "name"))
    latest: dict[int, FeePrice] = {}
    for row in FeePrice.objects.filter(effective_from__lte=day).order_by("fee_item_id", "-effective_from"):
        latest.setdefault(row.fee_item_id, row)
    for item in items:
        row = latest.get(item.pk)
        item.price_today = row.price if row else item.price
        item.effective_from = row.effective_from if row else None
        if row is not None and row.price_min is not None:
            item.price_min, item.price_max = row.price_min, row.price_max
    return items


def service_charges() -> QuerySet[ServiceCharge]:
    """The paid-service register's rows (one query with their tenant and bill)."""
    return ServiceCharge.objects.select_related("tenant", "bill")


def service_charge_detail(pk: int) -> ServiceCharge:
    qs = (
        service_charges()
        .select_related("created_by", "source_type")
        .prefetch_related("bill__lines__fee_item", "bill__lines__unit", "bill__allocations__payment__receipt")
    )
    return get_object_or_404(qs, pk=pk)


def paid_service_items() -> QuerySet[FeeItem]:
    """What the desk may charge as a paid service: active one-off items, materials apart."""
    from .paid import MATERIALS_CODE

    return FeeItem.objects.filter(is_active=True, kind=FeeItem.Kind.ONE_OFF).exclude(code=MATERIALS_CODE)


def upcoming_prices(day) -> list[FeePrice]:
    """Dated prices that come into force after ``day`` (announced in advance), soonest first."""
    return list(
        FeePrice.objects.filter(effective_from__gt=day).select_related("fee_item").order_by("effective_from", "id")
    )


# --- customers: payers who are not tenants (billing.payers) -------------------------------------


def customers() -> QuerySet[Customer]:
    """The customer register's rows (one query: no related rows shown)."""
    return Customer.objects.all()


def customer_detail(pk: int) -> Customer:
    return get_object_or_404(Customer.objects.select_related("created_by"), pk=pk)
