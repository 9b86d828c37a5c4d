"""The arrears records the admin pages of the access matrix open (tests/test_access_matrix.py)."""

from tests.billing.arrears_helpers import ensure_schedule
from tests.billing.helpers import ensure_price_list


def make_arrears_with_reminder(tenant, desk, supervisor) -> dict:
    from tests.billing.test_access_arrears import make_arrears

    ensure_price_list()
    ensure_schedule()
    return make_arrears(tenant, desk, supervisor)
