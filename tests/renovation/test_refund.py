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
# Each worker pass's deposit and whether its badge came back before the refund.
pass_deposits = st.lists(st.tuples(st.decimals(min_value=0, max_value=1000, places=2), st.booleans()), max_size=6)


def settled(paid_renovation: Decimal, deductions: Decimal, passes: list[tuple[Decimal, bool]]) -> dict:
    """The whole settlement as the issue states it, in its words: what was ``paid`` (the
    renovation deposit and every pass deposit), the approved ``deductions``, the ``forfeited``
    deposits of passes not returned, what is refunded (the renovation deposit's rest by
    ``settle`` and each returned pass's own deposit) and the ``billed_excess``."""
    s = settle(paid_renovation, deductions)
    return {
        "paid": paid_renovation + sum((d for d, _ in passes), Decimal("0")),
        "deductions": deductions,
        "forfeited": sum((d for d, returned in passes if not returned), Decimal("0")),
        "refund": s.refund + sum((d for d, returned in passes if returned), Decimal("0")),
        "billed_excess": s.excess,
        "deducted": s.deducted,
    }


@given(paid=money, deductions=money, passes=pass_deposits)
def test_deposit_arithmetic_as_the_issue_states_it(paid, deductions, passes):
    """Issue 8: refund + billed excess = paid − deductions − forfeited pass deposits.

    The billed excess is money flowing the other way (the tenant pays it), so it enters the
    sum as a negative refund: with deductions of 6,000 on a 5,000 deposit nothing is refunded,
    1,000 is billed, and paid − deductions = −1,000 = 0 + (−1,000)."""
    x = settled(paid, deductions, passes)
    assert x["refund"] + (-x["billed_excess"]) == x["paid"] - x["deductions"] - x["forfeited"]
    # Nothing negative; never both a refund of the deposit and a bill; the deposit covers
    # the deductions first.
    assert min(x["refund"], x["billed_excess"], x["deducted"]) >= 0
    assert x["deducted"] == min(paid, deductions)
    assert x["deducted"] + x["billed_excess"] == deductions


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


@pytest.mark.django_db
@pytest.mark.parametrize("deduction", ["1200", "20000"], ids=["within-the-deposit", "above-the-deposit"])
def test_the_ledger_settles_as_the_issue_states(in_works, tenant_a_admin, engineer, guard, supervisor, desk, deduction):
    """refund + billed excess (a negative refund) = paid − deductions − forfeited pass deposits,
    read from the deposit ledger and the bills after a real refund with two worker passes, one
    returned and one not."""
    from billing.services import payment_record
    from permits import passes
    from tests.permits.conftest import worker

    issued = [passes.worker_pass_issue(renovation=in_works, by=desk, **worker(n)) for n in (31, 32)]
    for p in issued:
        bill = Bill.objects.get(source_key=passes.source_key(p))
        payment_record(tenant=in_works.tenant, amount=bill.total, method="cash", by=desk, bills=[bill])
    passes.worker_pass_return(obj=issued[0], by=desk)
    _deduct(in_works, engineer, supervisor, deduction)
    services.renovation_request_acceptance(obj=in_works, by=tenant_a_admin)
    services.renovation_pass_acceptance_engineering(obj=in_works, by=engineer)
    services.renovation_pass_acceptance_security(obj=in_works, by=guard)
    with _after_period(in_works):
        services.renovation_refund(obj=in_works, by=desk)

    keys = [f"renovation:{in_works.pk}", *(passes.source_key(p) for p in issued)]
    entries = DepositEntry.objects.filter(source_key__in=keys)

    def total(kind, key_prefix=""):
        rows = [e.amount for e in entries if e.kind == kind and e.source_key.startswith(key_prefix)]
        return sum(rows, Decimal("0"))

    paid = total("received")
    deductions = Decimal(deduction)
    forfeited = total("deducted", "workerpass:")
    refund = total("refunded")
    excess = Bill.objects.filter(source_key=f"renovation-excess:{in_works.pk}").first()
    billed_excess = excess.total if excess else Decimal("0")
    assert forfeited > 0 and paid > 0
    assert refund + (-billed_excess) == paid - deductions - forfeited
