"""Twenty clerks issue a pass to the same worker at once: one live pass, one badge number,
one bill; the others are told beside the ID number (PostgreSQL, threads behind a barrier)."""

import pytest
from django.core.exceptions import ValidationError

from billing.models import Bill
from jinyuan.documents.models import Document
from permits import passes
from permits.models import WorkerPass
from renovation.models import Renovation
from tests.concurrency import run_at_once
from tests.permits.conftest import worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def price_list(db):
    """The pass fees of migration permits 0005 (a transactional test before this one flushes
    the tables, seeded rows included)."""
    from decimal import Decimal

    from billing.models import FeeItem

    for code, kind, price in (
        ("worker_pass", "one_off", "20.00"),
        ("worker_pass_reissue", "one_off", "50.00"),
        ("worker_pass_deposit", "deposit", "100.00"),
    ):
        FeeItem.objects.get_or_create(code=code, defaults={"name": code, "kind": kind, "price": Decimal(price)})


def test_twenty_simultaneous_issues_for_one_worker_make_one_live_pass(price_list, works, desk):
    results = run_at_once(
        20,
        lambda i: Renovation.objects.select_related("tenant", "unit__floor__building").get(pk=works.pk),
        lambda i, renovation: passes.worker_pass_issue(renovation=renovation, by=desk, **worker(1)),
    )
    issued = [r for r in results if isinstance(r, WorkerPass)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(issued) == 1, results
    assert len(refused) == 19, [r for r in results if not isinstance(r, WorkerPass | ValidationError)]
    assert all("id_number" in r.message_dict for r in refused)
    assert WorkerPass.objects.filter(status__in=WorkerPass.LIVE).count() == 1
    assert WorkerPass.objects.count() == 1
    # The losers drew no number: the one badge is the first of the year.
    [doc] = Document.objects.filter(kind="worker_pass")
    assert doc.number.endswith("-00001")
    # One pass billed once: its fee bill and its deposit bill.
    assert Bill.objects.filter(source_key__startswith="workerpass:").count() == 2
