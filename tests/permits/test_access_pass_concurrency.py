"""Twenty clerks give one card number to twenty approved cards at once: one card gets it and is
billed; the others are told beside the card number and stay approved (PostgreSQL, threads
behind a barrier)."""

import pytest
from django.core.exceptions import ValidationError

from billing.models import Bill
from permits import access_passes as services
from permits.models import AccessPass
from tests import factories
from tests.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def price_list(db):
    """The card fees of migration permits 0006 (a transactional test flushes seeded rows)."""
    from importlib import import_module

    from django.apps import apps

    import_module("permits.migrations.0007_access_pass").load_fees(apps, None)


def test_twenty_simultaneous_issues_of_one_card_number_give_it_once(price_list, tenant_a, tenant_a_admin, desk):
    approved = [
        factories.make_access_pass(tenant_a, tenant_a_admin, "approved", desk=desk, holder_name=f"员工{i}")
        for i in range(20)
    ]
    results = run_at_once(
        20,
        lambda i: AccessPass.objects.select_related("tenant").get(pk=approved[i].pk),
        lambda i, obj: services.access_pass_issue(obj=obj, by=desk, card_number="77770001", charge="deposit"),
    )
    issued = [r for r in results if isinstance(r, AccessPass)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(issued) == 1, results
    assert len(refused) == 19, [r for r in results if not isinstance(r, AccessPass | ValidationError)]
    assert all("card_number" in r.message_dict for r in refused)
    assert AccessPass.objects.filter(card_number="77770001").count() == 1
    assert AccessPass.objects.filter(status=AccessPass.Status.APPROVED).count() == 19
    # billed once: the winner's deposit
    assert Bill.objects.filter(source_key__startswith="accesspass:").count() == 1


def test_two_scans_at_once_expire_each_card_once(price_list, tenant_a, tenant_a_admin, desk):
    from datetime import timedelta

    from django.utils import timezone

    from jinyuan.workflow.models import AuditEvent

    cards = [factories.make_access_pass(tenant_a, tenant_a_admin, "issued", desk=desk) for _ in range(6)]
    AccessPass.objects.filter(pk__in=[c.pk for c in cards]).update(valid_until=timezone.localdate() - timedelta(days=1))
    results = run_at_once(2, lambda i: None, lambda i, _: services.expire_due(batch=2))
    assert sum(results) == 6, results
    assert AuditEvent.objects.filter(action="access_pass.expired").count() == 6
