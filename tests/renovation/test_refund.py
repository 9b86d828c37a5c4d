"""The deposit refund after the defect period: arithmetic (hypothesis), the ledger entries of
this renovation only, forfeited pass deposits first, excess billed, time moved past the period."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from billing.models import Bill, DepositEntry
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from renovation import services
from renovation.refund import settle

money = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)


@given(held=money, deductions=money)
def test_settlement_arithmetic(held, deductions):
    s = settle(held, deductions)
    assert s.refund - s.excess == held - deductions
    assert s.deducted + s.refund == held
    assert s.deducted + s.excess == deductions
    assert min(s.refund, s.excess, s.deducted) >= 0
    assert s.refund == 0 or s.excess == 0


@pytest.fixture
def accepted(in_works, tenant_a_admin, engineer, guard):
    services.renovation_request_acceptance(obj=in_works, by=tenant_a_admin)
    services.renovation_pass_acceptance_engineering(obj=in_works, by=engineer)
    services.renovation_pass_acceptance_security(obj=in_works, by=guard)
    in_works.refresh_from_db()
    return in_works


def _deduct(r, engineer, supervisor, amount):
    d = services.deduction_propose(
        renovation=r, by=engineer, department="engineering", items=[("损坏公共走廊地砖", Decimal(amount))]
    )
    return services.deduction_approve(obj=d, by=supervisor)


def _after_period(r):
    return time_machine.travel(timezone.now() + timedelta(days=91), tick=False)


@pytest.mark.django_db
def test_refund_only_after_the_defect_period_and_only_by_the_desk(accepted, desk, engineer):
    with pytest.raises(TransitionRefused):
        services.renovation_refund(obj=accepted, by=desk)
    with _after_period(accepted):
        with pytest.raises(PermissionDenied):
            services.renovation_refund(obj=accepted, by=engineer)
        services.renovation_refund(obj=accepted, by=desk)
    accepted.refresh_from_db()
    assert accepted.status == "refunded"


@pytest.mark.django_db
def test_refund_less_deductions_settles_this_renovations_entries_only(
    accepted, desk, engineer, supervisor, passes_provider
):
    held = services.renovation_deposit_held(accepted)
    assert held > 0
    other = DepositEntry.objects.exclude(source_key=f"renovation:{accepted.pk}").count()
    passes_provider.issue(accepted, "张三", "200")["state"] = "void"  # voided at acceptance, never returned
    _deduct(accepted, engineer, supervisor, "1200")
    with _after_period(accepted):
        services.renovation_refund(obj=accepted, by=desk)
    entries = DepositEntry.objects.filter(source_key=f"renovation:{accepted.pk}")
    assert {(e.kind, e.amount) for e in entries if e.kind != "received"} == {
        ("deducted", Decimal("1200.00")),
        ("refunded", held - Decimal("1200.00")),
    }
    assert services.renovation_deposit_held(accepted) == 0
    assert DepositEntry.objects.exclude(source_key=f"renovation:{accepted.pk}").count() == other
    assert [p["state"] for p in passes_provider.passes[accepted.pk]] == ["forfeited"]
    event = AuditEvent.objects.get(object_id=accepted.pk, action="renovation.deposit_refunded")
    assert event.data["forfeited_passes"] == [f"P{accepted.pk}-1 200"]
    assert event.data["billed"] == "0.00"


@pytest.mark.django_db
def test_deductions_above_the_deposit_are_billed(accepted, desk, engineer, supervisor):
    held = services.renovation_deposit_held(accepted)
    _deduct(accepted, engineer, supervisor, str(held + Decimal("800")))
    with _after_period(accepted):
        services.renovation_refund(obj=accepted, by=desk)
    bill = Bill.objects.get(source_key=f"renovation-excess:{accepted.pk}")
    assert bill.total == Decimal("800.00")
    assert not DepositEntry.objects.filter(source_key=f"renovation:{accepted.pk}", kind="refunded").exists()
    assert services.renovation_deposit_held(accepted) == 0


@pytest.mark.django_db
def test_the_tenant_sees_the_settlement(client_for, accepted, desk, engineer, supervisor, tenant_a_admin):
    from django.urls import reverse

    _deduct(accepted, engineer, supervisor, "1200")
    with _after_period(accepted):
        services.renovation_refund(obj=accepted, by=desk)
    held = services.renovation_deposit_held
    page = client_for(tenant_a_admin, HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("portal:renovation:renovation_detail", args=[accepted.pk])
    )
    text = page.content.decode()
    assert "Deposit settled" in text and "1200.00" in text
    assert held(accepted) == 0
