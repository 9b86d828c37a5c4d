"""Settling one record's deposit with a deduction (billing.services.deposit_settle_source), for a
tenant and a customer: the deduction kept with its reason, the rest refunded, what the deposit
does not cover returned; the payer's other deposits untouched; a second settlement changes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from billing.models import DepositEntry, FeeItem
from billing.selectors import deposit_balance, deposit_balance_of_source
from billing.services import LineSpec, bill_create, deposit_settle_source, payment_record
from tests import factories
from tests.billing.payer_helpers import make_customer

pytestmark = pytest.mark.django_db
D = Decimal
KEY = "venueapp:7"


def _held(payer, by, amount="1000.00"):
    item, _ = FeeItem.objects.get_or_create(
        code="event_deposit", defaults={"name": "活动保证金", "kind": FeeItem.Kind.DEPOSIT, "price": D(amount)}
    )
    bill = bill_create(
        payer=payer, title="活动保证金", lines=[LineSpec(item, item.name, D(1), D(amount))], by=by, source_key=KEY
    )
    payment_record(payer=payer, amount=D(amount), method="bank", by=by, bills=[bill])


@pytest.mark.parametrize("payer_kind", ["tenant", "customer"])
@pytest.mark.parametrize(
    ("deduction", "kept", "refunded", "rest"),
    [
        ("0", None, "1000.00", "0"),
        ("400", "400.00", "600.00", "0"),
        ("1000", "1000.00", None, "0"),
        ("1500", "1000.00", None, "500.00"),
    ],
)
def test_a_source_settled_with_a_deduction(tenant_a, desk, payer_kind, deduction, kept, refunded, rest):
    payer = tenant_a if payer_kind == "tenant" else make_customer(desk)
    if payer_kind == "tenant":
        factories.make_deposit(tenant_a, desk)  # another deposit of the tenant, left alone
    _held(payer, desk)
    entries, left = deposit_settle_source(
        payer=payer, source_key=KEY, deduction=D(deduction), reason="地毯污损", by=desk
    )
    by_kind = {e.kind: e.amount for e in entries}
    assert by_kind.get("deducted") == (D(kept) if kept else None)
    assert by_kind.get("refunded") == (D(refunded) if refunded else None)
    assert left == D(rest)
    assert deposit_balance_of_source(payer, KEY) == D("0")
    if payer_kind == "tenant":
        assert deposit_balance(tenant_a) == D("5000.00")
    again, left_again = deposit_settle_source(payer=payer, source_key=KEY, deduction=D(deduction), reason="x", by=desk)
    assert again == [] and left_again == D(deduction)


def test_a_deduction_needs_a_reason_and_is_not_negative(tenant_a, desk):
    _held(tenant_a, desk)
    with pytest.raises(ValidationError):
        deposit_settle_source(payer=tenant_a, source_key=KEY, deduction=D("10"), reason=" ", by=desk)
    with pytest.raises(ValidationError):
        deposit_settle_source(payer=tenant_a, source_key=KEY, deduction=D("-1"), reason="x", by=desk)
    assert not DepositEntry.objects.exclude(kind="received").exists()
