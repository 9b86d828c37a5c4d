"""Payers (付款方): whom a bill, a payment or a deposit entry belongs to, a tenant or a customer.

Each of the three tables has two nullable foreign keys, ``tenant`` and ``customer``, and a CHECK
constraint that exactly one is set (``one_payer``). Code that only ever deals with tenants keeps
reading ``bill.tenant``; what shows or handles either kind goes through this module:

- ``Payer``: what a page, a ledger row or a receipt shows of a payer (name, kind, credit code,
  the desk page it links to), from the record it belongs to (``payer_of``) or the payer itself
  (``as_payer``);
- ``owned_by(owner)``: the filter of a payer's rows (``Bill.objects.filter(**owned_by(c))``), and
  ``owner_fields(owner)`` the fields a new row of the payer gets;
- ``lock(owner)``: every write of a payer's money takes its row lock first (billing.services).
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant

from .customer_models import Customer

TENANT, CUSTOMER = "tenant", "customer"
KIND_CHOICES = ((TENANT, _("Tenant")), (CUSTOMER, _("Customer")))
KIND_LABELS = dict(KIND_CHOICES)

Owner = Tenant | Customer


def one_payer(name: str) -> models.CheckConstraint:
    """The constraint of a table with both keys: exactly one of tenant and customer is set."""
    return models.CheckConstraint(
        condition=Q(tenant__isnull=False, customer__isnull=True) | Q(tenant__isnull=True, customer__isnull=False),
        name=name,
    )


def customer_key(verbose: Any, related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        Customer, verbose_name=verbose, null=True, blank=True, on_delete=models.PROTECT, related_name=related_name
    )


@dataclass(frozen=True)
class Payer:
    kind: str  # TENANT or CUSTOMER
    pk: int
    name: str
    credit_code: str

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def is_tenant(self) -> bool:
        return self.kind == TENANT

    @property
    def url(self) -> str:
        """The desk page of the payer's account: a tenant's billing account, a customer's page."""
        if self.is_tenant:
            return reverse("desk:billing:account", args=[self.pk])
        return reverse("desk:billing:customer_detail", args=[self.pk])

    @property
    def payment_url(self) -> str:
        """The desk's form to record a payment from the payer."""
        if self.is_tenant:
            return reverse("desk:billing:payment_new", args=[self.pk])
        return reverse("desk:billing:customer_payment_new", args=[self.pk])

    def __str__(self) -> str:
        return self.name


def as_payer(owner: Owner) -> Payer:
    kind = CUSTOMER if isinstance(owner, Customer) else TENANT
    return Payer(kind=kind, pk=owner.pk, name=owner.name, credit_code=owner.credit_code)


def payer_of(record: Any) -> Payer:
    """The payer of a bill, payment or deposit entry (select_related("tenant", "customer"))."""
    return as_payer(owner_of(record))


def owner_of(record: Any) -> Owner:
    return record.customer if record.customer_id else record.tenant


def owned_by(owner: Owner, prefix: str = "") -> dict[str, Owner]:
    """The filter of the owner's rows: ``{"tenant": t}`` or ``{"customer": c}``."""
    return {f"{prefix}{CUSTOMER if isinstance(owner, Customer) else TENANT}": owner}


def owner_fields(owner: Owner) -> dict[str, Owner | None]:
    """The payer fields of a new row of ``owner``: both keys, one of them None."""
    is_customer = isinstance(owner, Customer)
    return {"tenant": None if is_customer else owner, "customer": owner if is_customer else None}


def owns(owner: Owner, record: Any) -> bool:
    if isinstance(owner, Customer):
        return record.customer_id == owner.pk
    return record.tenant_id == owner.pk


def lock(owner: Owner) -> Owner:
    """The owner's row, locked: writes of one payer's money are serialised on it."""
    return type(owner).objects.select_for_update().get(pk=owner.pk)


def resolve(*, payer: Owner | None, tenant: Tenant | None) -> Owner:
    """A service's payer: ``payer=`` (a tenant or a customer) or, as before, ``tenant=``."""
    if (payer is None) == (tenant is None):
        raise TypeError("give exactly one of payer= and tenant=")
    return payer if payer is not None else tenant


def kind_expression() -> Case:
    """A row's payer kind in SQL (TENANT or CUSTOMER), for ledger rows read as plain tuples."""
    return Case(When(customer__isnull=False, then=Value(CUSTOMER)), default=Value(TENANT))


def kind_filter(qs, kind: str):
    """Rows of one kind of payer (the registers' "Payer" filter)."""
    if kind == TENANT:
        return qs.filter(customer__isnull=True)
    if kind == CUSTOMER:
        return qs.filter(customer__isnull=False)
    return qs


class PayerMixin:
    """``record.payer`` of a bill, payment or deposit entry (select_related both keys)."""

    @property
    def payer(self) -> Payer:
        return payer_of(self)
