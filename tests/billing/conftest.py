import pytest

from tests.billing.helpers import ensure_price_list


@pytest.fixture
def price_list(db):
    """The price list by code (property_fee 28.00/m²·month, deposits 5000 + 10000, signboard 300)."""
    return ensure_price_list()


# The shared fixtures build units with area="186.40" (a str until read back); services do arithmetic.
@pytest.fixture
def unit_a(unit_a):
    unit_a.refresh_from_db()
    return unit_a


@pytest.fixture
def unit_b(unit_b):
    unit_b.refresh_from_db()
    return unit_b
