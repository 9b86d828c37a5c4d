"""Temporary power fixtures (imported by tests/permits/test_power_*.py): a valid application's
fields, and permits of tenant A in every state, made through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from permits import temporary_power as power
from permits.models import TemporaryPower


def power_fields(unit=None, **over) -> dict:
    """A valid application: unit A, 8 kW at 380 V three phase, from in an hour for two days."""
    start = (timezone.now() + dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    return {
        "unit": unit,
        "location": "",
        "renovation": None,
        "purpose": "装修用电焊机及照明",
        "load_kw": Decimal("8.0"),
        "voltage": 380,
        "phases": 3,
        "starts_at": start,
        "ends_at": start + dt.timedelta(days=2),
        "electrician_name": "覃志刚",
        "certificate_number": "T450102198506150011",
        "certificate_expiry": timezone.localdate() + dt.timedelta(days=365),
        "phone": "13877110001",
        **over,
    }


@pytest.fixture
def apply_power(tenant_a, unit_a, tenant_a_admin):
    """``apply_power(**overrides)``: tenant A's admin applies for unit A in the portal."""

    def make(**over) -> TemporaryPower:
        return power.power_apply(tenant=tenant_a, by=tenant_a_admin, **power_fields(unit_a, **over))

    return make


ALL_TICKED = [code for code, _label in TemporaryPower.CHECKLIST]


@pytest.fixture
def make_power(apply_power, engineer, tenant_a_admin, desk):
    """``make_power(state, **overrides)``: a permit of tenant A moved to ``state``."""

    def make(state: str = "approved", meter_start=Decimal("1000.0"), meter_end=Decimal("1100.0"), **over):
        permit = apply_power(**over)
        if state == "submitted":
            return permit
        if state == "returned":
            return power.power_send_back(obj=permit, by=engineer, note="负荷填写有误")
        if state == "rejected":
            return power.power_reject(obj=permit, by=engineer, note="配电容量不足")
        if state == "withdrawn":
            return power.power_withdraw(obj=permit, by=tenant_a_admin)
        power.power_approve(obj=permit, by=engineer)
        if state == "approved":
            return permit
        power.power_inspect(obj=permit, by=engineer, checklist=ALL_TICKED, note="线路规范")
        if state == "inspected":
            return permit
        power.power_switch_on(obj=permit, by=engineer, meter_start=meter_start, no_meter=meter_start is None)
        if state == "switched_on":
            return permit
        power.power_switch_off(obj=permit, by=engineer, meter_end=meter_end)
        if state == "switched_off":
            return permit
        return power.power_close(obj=permit, by=engineer)

    return make


def form_data(unit=None, **over) -> dict:
    """The application form's POST: ``power_fields`` as the browser sends them."""
    fields = power_fields(unit, **over)
    data = {}
    for key, value in fields.items():
        if value is None:
            data[key] = ""
        elif hasattr(value, "pk"):
            data[key] = value.pk
        elif isinstance(value, dt.datetime):
            data[key] = f"{timezone.localtime(value):%Y-%m-%dT%H:%M}"
        elif isinstance(value, dt.date):
            data[key] = value.isoformat()
        else:
            data[key] = str(value)
    return data
