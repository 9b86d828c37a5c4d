"""What the renovation's workflow does to its worker passes, through the provider permits
registers with renovation.passes: stop-work suspends the badges, lifting restores them,
acceptance voids them, and the deposit refund forfeits each unreturned pass's own deposit."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from billing.models import DepositEntry
from billing.selectors import deposit_balance_of_source
from jinyuan.documents.models import Document
from permits import passes
from permits.models import WorkerPass
from renovation import passes as renovation_passes
from renovation import services
from tests.permits.test_worker_passes import pay

pytestmark = pytest.mark.django_db

S = WorkerPass.Status


def test_permits_is_the_registered_provider():
    assert passes.RENOVATION_PASSES in renovation_passes._providers


def test_stop_work_suspends_the_badges_and_lifting_restores_them(works, issue, desk, supervisor):
    worker_pass = issue()

    services.renovation_stop_works(obj=works, by=supervisor, note="未办动火证擅自焊接")
    worker_pass.refresh_from_db()
    assert worker_pass.status == S.SUSPENDED and worker_pass.document.status == Document.Status.SUSPENDED

    services.renovation_lift_stop(obj=works, by=supervisor, note="已整改")
    worker_pass.refresh_from_db()
    assert worker_pass.status == S.ISSUED and worker_pass.document.status == Document.Status.VALID


def test_acceptance_voids_the_badges_and_the_refund_forfeits_unreturned_pass_deposits(
    works, issue, desk, engineer, guard, tenant_a_admin
):
    kept, returned = issue(1), issue(2)
    pay(kept, desk)
    pay(returned, desk)
    passes.worker_pass_return(obj=returned, by=desk)
    kept_key = passes.source_key(kept)
    held_before = deposit_balance_of_source(works.tenant, kept_key)
    assert held_before > 0

    services.renovation_request_acceptance(obj=works, by=tenant_a_admin)
    services.renovation_pass_acceptance_engineering(obj=works, by=engineer)
    services.renovation_pass_acceptance_security(obj=works, by=guard)
    kept.refresh_from_db()
    assert kept.status == S.VOID and kept.document.status == Document.Status.REVOKED
    assert renovation_passes.unreturned(works)[0].amount == held_before

    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        services.renovation_refund(obj=works, by=desk)

    assert deposit_balance_of_source(works.tenant, kept_key) == 0
    forfeit = DepositEntry.objects.get(source_key=kept_key, kind=DepositEntry.Kind.DEDUCTED)
    assert forfeit.amount == held_before and str(kept) in forfeit.reason
    # The returned pass's deposit was refunded at its return, not forfeited.
    assert not DepositEntry.objects.filter(source_key=passes.source_key(returned), kind="deducted").exists()
    assert renovation_passes.unreturned(works) == []


def test_the_renovation_page_links_to_its_worker_passes(client_for, works, desk):
    html = client_for(desk).get(reverse("desk:renovation:renovation_detail", args=[works.pk])).content.decode()

    assert reverse("desk:permits:renovation_passes", args=[works.pk]) in html
