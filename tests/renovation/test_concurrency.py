"""Renovation decisions made at the same moment (threads released together, PostgreSQL)."""

import pytest
from django.utils import timezone

from billing.models import Bill
from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.services import TransitionRefused
from renovation import services
from renovation.models import Renovation
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def seeded_fees(db):
    """A transactional test starts from an emptied database: the fee tables seeded by the
    migration are seeded again."""
    from importlib import import_module

    from django.apps import apps

    import_module("renovation.migrations.0002_seed_rules_and_fees").seed(apps, None)


def _load(renovation):
    return lambda i: Renovation.objects.get(pk=renovation.pk)


def test_engineering_and_security_passing_at_once_both_count(make_renovation, engineer, guard):
    r = make_renovation("applied")

    def decide(i, own):
        if i == 0:
            services.renovation_pass_engineering(obj=own, by=engineer, note="图纸符合要求")
        else:
            services.renovation_pass_security(obj=own, by=guard, note="消防通道不受影响")
        return "ok"

    assert run_at_once(2, _load(r), decide) == ["ok", "ok"]
    r.refresh_from_db()
    assert r.status == "reviewed"
    assert (r.engineering_remarks, r.security_remarks) == ("图纸符合要求", "消防通道不受影响")
    actions = set(AuditEvent.objects.filter(object_id=r.pk).values_list("action", flat=True))
    assert {"renovation.engineering_passed", "renovation.security_passed"} <= actions


def test_two_approvals_at_once_one_wins_one_clear_refusal(make_renovation, supervisor):
    r = make_renovation("reviewed")

    def approve(i, own):
        services.renovation_approve(obj=own, by=supervisor)
        return "approved"

    results = run_at_once(2, _load(r), approve)
    assert results.count("approved") == 1, results
    refused = [x for x in results if x != "approved"]
    assert isinstance(refused[0], TransitionRefused), results
    assert "not possible in the current state" in str(refused[0]) or "当前状态" in str(refused[0])
    r.refresh_from_db()
    assert r.status == "approved"
    assert r.fees_bill is not None
    assert Bill.objects.filter(tenant=r.tenant, source_key=f"renovation:{r.pk}").count() == 1
    assert AuditEvent.objects.filter(object_id=r.pk, action="renovation.fees_billed").count() == 1


def test_double_start_works_issues_one_permit(make_renovation, desk):
    r = make_renovation("approved", planned_start=timezone.localdate())
    from billing.services import payment_record

    r.refresh_from_db()
    payment_record(tenant=r.tenant, amount=r.fees_bill.total, method="cash", by=desk, bills=[r.fees_bill])

    def start(i, own):
        services.renovation_start_works(obj=own, by=desk)
        return "started"

    results = run_at_once(2, _load(r), start)
    assert results.count("started") == 1, results
    assert all(isinstance(x, TransitionRefused) for x in results if x != "started"), results
    r.refresh_from_db()
    assert r.status == "in_works"
    assert Document.objects.filter(kind="renovation_permit").count() == 1
    assert AuditEvent.objects.filter(object_id=r.pk, action="renovation.permit_issued").count() == 1


def _requested(make_renovation, tenant_a_admin):
    r = make_renovation("in_works", planned_start=timezone.localdate())
    return services.renovation_request_acceptance(obj=r, by=tenant_a_admin)


def test_both_acceptance_inspections_at_once_both_count(make_renovation, tenant_a_admin, engineer, guard):
    r = _requested(make_renovation, tenant_a_admin)

    def decide(i, own):
        if i == 0:
            services.renovation_pass_acceptance_engineering(obj=own, by=engineer)
        else:
            services.renovation_pass_acceptance_security(obj=own, by=guard)
        return "ok"

    assert run_at_once(2, _load(r), decide) == ["ok", "ok"]
    r.refresh_from_db()
    assert r.status == "accepted"
    assert AuditEvent.objects.filter(object_id=r.pk, action="renovation.accepted").count() == 1


def test_double_acceptance_one_wins(make_renovation, tenant_a_admin, engineer, guard):
    r = _requested(make_renovation, tenant_a_admin)
    services.renovation_pass_acceptance_engineering(obj=r, by=engineer)

    def accept(i, own):
        services.renovation_pass_acceptance_security(obj=own, by=guard)
        return "accepted"

    results = run_at_once(2, _load(r), accept)
    assert results.count("accepted") == 1, results
    assert all(isinstance(x, TransitionRefused) for x in results if x != "accepted"), results
    assert AuditEvent.objects.filter(object_id=r.pk, action="renovation.accepted").count() == 1


def test_double_refund_one_wins(make_renovation, tenant_a_admin, engineer, guard, desk):
    import time_machine

    from billing.models import DepositEntry

    r = _requested(make_renovation, tenant_a_admin)
    services.renovation_pass_acceptance_engineering(obj=r, by=engineer)
    services.renovation_pass_acceptance_security(obj=r, by=guard)
    held = services.renovation_deposit_held(r)
    assert held > 0

    def refund(i, own):
        services.renovation_refund(obj=own, by=desk)
        return "refunded"

    with time_machine.travel(timezone.now() + timezone.timedelta(days=91), tick=False):
        results = run_at_once(2, _load(r), refund)
    assert results.count("refunded") == 1, results
    assert all(isinstance(x, TransitionRefused) for x in results if x != "refunded"), results
    refunds = DepositEntry.objects.filter(source_key=f"renovation:{r.pk}", kind="refunded")
    assert [e.amount for e in refunds] == [held]


def test_double_extension_approval_one_applies(make_renovation, tenant_a_admin, supervisor):
    from renovation import extensions
    from renovation.models import Extension

    r = make_renovation("in_works", planned_start=timezone.localdate())
    new_end = r.granted_end + timezone.timedelta(days=40)
    ext = extensions.extension_apply(renovation=r, by=tenant_a_admin, new_end=new_end, reason="材料延迟")

    def approve(i, own):
        extensions.extension_approve(obj=own, by=supervisor)
        return "approved"

    results = run_at_once(2, lambda i: Extension.objects.get(pk=ext.pk), approve)
    assert results.count("approved") == 1, results
    assert all(isinstance(x, TransitionRefused) for x in results if x != "approved"), results
    r.refresh_from_db()
    assert r.granted_end == new_end
    assert Bill.objects.filter(source_key=f"renovation-extension:{ext.pk}").count() == 1
    assert Document.objects.filter(kind="renovation_permit", status="valid").count() == 1
    assert AuditEvent.objects.filter(object_id=r.pk, action="renovation.extended").count() == 1


def test_two_extensions_applied_at_once_one_is_pending(make_renovation, tenant_a_admin, desk):
    from django.core.exceptions import ValidationError

    from renovation import extensions
    from renovation.models import Extension

    r = make_renovation("in_works", planned_start=timezone.localdate())

    def apply(i, own):
        extensions.extension_apply(
            renovation=own,
            by=(tenant_a_admin, desk)[i],
            new_end=own.granted_end + timezone.timedelta(days=20 + i),
            reason="延期",
        )
        return "applied"

    results = run_at_once(2, _load(r), apply)
    assert results.count("applied") == 1, results
    assert all(isinstance(x, ValidationError) for x in results if x != "applied"), results
    assert Extension.objects.filter(renovation=r, status="applied").count() == 1
