"""Customers (payers who are not tenants): every write. Their money goes through the same
services as a tenant's (``billing.services`` with ``payer=``)."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jinyuan.workflow.services import record_event

from . import services
from .models import Bill, Customer, FeeItem, Payment
from .money import round_money

CUSTOMER_FIELDS = ("name", "contact_person", "phone", "credit_code", "address", "note", "is_active")
MSG_CODE_TAKEN = "A customer with this credit code is already registered."


def _checked(customer: Customer) -> Customer:
    """Field errors before anything is written (the credit code's check character ...)."""
    customer.clean()
    customer.full_clean(exclude=["created_by"], validate_unique=False, validate_constraints=False)
    return customer


def _saved(customer: Customer, **kwargs) -> None:
    try:
        with transaction.atomic():
            customer.save(**kwargs)
    except IntegrityError as exc:  # two clerks registering one company at once
        raise ValidationError({"credit_code": _(MSG_CODE_TAKEN)}) from exc


def _code_taken(code: str, pk: int | None) -> bool:
    return bool(code) and Customer.objects.filter(credit_code=code).exclude(pk=pk).exists()


def customer_create(*, by: Any, **fields: Any) -> Customer:
    customer = _checked(Customer(**{k: v for k, v in fields.items() if k in CUSTOMER_FIELDS}, created_by=by))
    if _code_taken(customer.credit_code, None):
        raise ValidationError({"credit_code": _(MSG_CODE_TAKEN)})
    with transaction.atomic():
        _saved(customer)
        record_event(customer, "customer.created", by=by, data={"name": customer.name})
    return customer


def customer_update(*, customer: Customer, by: Any, **fields: Any) -> Customer:
    """Change a customer's details; only the fields that changed are written (and listed in its
    timeline). A customer is never deleted: ``is_active`` off takes it out of the choices."""
    changed = [k for k in CUSTOMER_FIELDS if k in fields and getattr(customer, k) != fields[k]]
    for k in changed:
        setattr(customer, k, fields[k])
    _checked(customer)
    if not changed:
        return customer
    if "credit_code" in changed and _code_taken(customer.credit_code, customer.pk):
        raise ValidationError({"credit_code": _(MSG_CODE_TAKEN)})
    with transaction.atomic():
        _saved(customer, update_fields=changed)
        record_event(customer, "customer.updated", by=by, data={"fields": changed})
    return customer


def deposit_take(
    *,
    payer: Any,
    fee_item: FeeItem,
    amount: Decimal,
    method: str,
    by: Any,
    title: str = "",
    reference: str = "",
    submission_key=None,
) -> tuple[Bill, Payment]:
    """Take a deposit (an event's deposit, a venue's): a bill of one deposit line, paid at once
    with a receipt, so the deposit enters the ledger as received. All or nothing."""
    amount = round_money(amount)
    if not fee_item.is_deposit:
        raise ValidationError({"fee_item": _("Choose a deposit item.")})
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    line = services.LineSpec(
        fee_item=fee_item, description=title or fee_item.name, quantity=Decimal(1), unit_price=amount
    )
    with transaction.atomic():
        bill = services.bill_create(payer=payer, title=title or fee_item.name, lines=[line], by=by)
        payment = services.payment_record(
            payer=payer,
            amount=amount,
            method=method,
            reference=reference,
            bills=[bill],
            by=by,
            submission_key=submission_key,
        )
    bill.refresh_from_db()
    return bill, payment
