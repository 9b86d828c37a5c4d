"""Customers (payers who are not tenants) for the billing tests."""

import itertools

from billing.customer_services import customer_create
from billing.models import Customer
from tests.factories import credit_code

# Credit codes far from the tenant factory's sequence (which counts up from 0).
_codes = itertools.count(700_000_001)


def make_customer(by, name: str = "南宁会展策划有限公司", **fields) -> Customer:
    """A customer registered through the service (a valid credit code unless one is given)."""
    fields.setdefault("credit_code", credit_code(next(_codes)))
    fields.setdefault("contact_person", "李娜")
    fields.setdefault("phone", "13907710000")
    return customer_create(by=by, name=name, **fields)


def bad_check_char(code: str) -> str:
    """The code with a wrong last (check) character."""
    return code[:17] + ("1" if code[17] != "1" else "2")
