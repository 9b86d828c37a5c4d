"""Temporary power under concurrency (PostgreSQL, threads behind a barrier): twenty switch-offs
of one permit at once record one end reading and bill once; twenty approvals issue one paper."""

from decimal import Decimal

import pytest

from billing.models import Bill, FeeItem
from jinyuan.documents.models import Document
from jinyuan.workflow.services import TransitionRefused
from permits import temporary_power as power
from permits.models import TemporaryPower
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rate(db):
    """The rate of migration permits 0010 (a transactional test before this one flushes the
    tables, seeded rows included)."""
    FeeItem.objects.get_or_create(
        code="temp_power_kwh", defaults={"name": "临时用电电费", "kind": "one_off", "price": Decimal("1.20")}
    )


def test_twenty_switch_offs_at_once_bill_once(rate, make_power, engineer):
    permit = make_power("switched_on", meter_start=Decimal("100.0"))
    results = run_at_once(
        20,
        lambda i: TemporaryPower.objects.select_related("tenant", "unit", "document").get(pk=permit.pk),
        lambda i, obj: power.power_switch_off(obj=obj, by=engineer, meter_end=Decimal(200 + i)),
    )
    done = [r for r in results if isinstance(r, TemporaryPower)]
    assert len(done) == 1, results
    assert all(isinstance(r, TransitionRefused) for r in results if r not in done), results
    permit.refresh_from_db()
    bill = Bill.objects.get(source_key=f"temporarypower:{permit.pk}")
    assert permit.bill == bill and bill.total == permit.fee == (permit.meter_end - Decimal(100)) * Decimal("1.20")


def test_twenty_approvals_at_once_issue_one_paper(rate, make_power, engineer):
    permit = make_power("submitted")
    results = run_at_once(
        20,
        lambda i: TemporaryPower.objects.select_related("tenant", "unit").get(pk=permit.pk),
        lambda i, obj: power.power_approve(obj=obj, by=engineer),
    )
    assert len([r for r in results if isinstance(r, TemporaryPower)]) == 1, results
    assert Document.objects.filter(kind="temporary_power_permit", object_id=permit.pk).count() == 1
