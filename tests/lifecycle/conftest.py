from decimal import Decimal

import pytest

from tenants import services
from tenants.models import MoveIn
from tests import factories
from tests.billing.helpers import ensure_price_list
from tests.lifecycle.helpers import finish_move_in, tenth_of_a_30_day_month


@pytest.fixture
def price_list(db):
    """The price list by code (property_fee 28.00/m²·month, deposits 5000 + 10000, signboard 300)."""
    return ensure_price_list()


@pytest.fixture
def start():
    """A lease start on the 10th of a 30-day month in the past."""
    return tenth_of_a_30_day_month()


@pytest.fixture
def newcomer(building, price_list):
    """A company registered with a primary contact, not yet in the building, and two vacant units."""
    floor = factories.FloorFactory(building=building, number=18)
    units = [
        factories.UnitFactory(floor=floor, number="A-1801", area=Decimal("150.00")),
        factories.UnitFactory(floor=floor, number="A-1802", area=Decimal("90.00")),
    ]
    tenant = factories.TenantFactory(name="广西邕江数字科技有限公司", email="")
    factories.ContactFactory(tenant=tenant, name="黄丽", email="huangli@example.com", is_primary=True)
    return tenant, units


@pytest.fixture
def move_in(newcomer, desk, start) -> MoveIn:
    """The newcomer's move-in into both units, just opened at the desk."""
    tenant, units = newcomer
    return services.movein_open(tenant=tenant, units=units, start_date=start, by=desk)


@pytest.fixture
def ready_move_in(move_in, desk) -> MoveIn:
    """Every checklist item done (no signboard wanted; first charges 19704.00 paid)."""
    finish_move_in(move_in, desk)
    return MoveIn.objects.get(pk=move_in.pk)


@pytest.fixture
def moved_in(ready_move_in, supervisor, django_capture_on_commit_callbacks):
    """The newcomer confirmed in: occupancies started, its admin invited. Returns (tenant, admin user)."""
    with django_capture_on_commit_callbacks(execute=True):
        services.movein_confirm(obj=ready_move_in, by=supervisor)
    tenant = ready_move_in.tenant
    return tenant, tenant.members.get().user
