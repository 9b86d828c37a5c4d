"""The demo's past, told through the services.

Services stamp what they write with the current time (``created_at``, audit events, receipts,
the year of a number). So that the small demo's history goes through them and still reads as
history, each past step runs with Python's clock set to the moment it happened. The database's
own clock is not moved: no service reads ``now()`` from SQL.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from unittest import mock

import time_machine
from django.utils import timezone

from jinyuan.documents.tasks import render_document_pdf
from jinyuan.workflow.tasks import deliver_notifications


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Run the block at ``moment`` (never later than now: the demo has no future events)."""
    with time_machine.travel(min(moment, timezone.now()), tick=False):
        yield


@contextmanager
def no_tasks() -> Iterator[None]:
    """Queue nothing while seeding. The download view renders a PDF on demand, so hundreds of
    receipts need not render now (eagerly, that would take minutes; queued, it would keep the
    worker busy after `make run` starts); nobody reads the e-mails of demo notifications."""
    from billing.tasks import bill_late_fees_at_payoff

    # Late fees are billed by the month-end run, not by the history's payoffs at seeding time
    # (they would all be billed today, at the end of the seeding transaction).
    with (
        mock.patch.object(render_document_pdf, "delay_on_commit"),
        mock.patch.object(deliver_notifications, "delay_on_commit"),
        mock.patch.object(bill_late_fees_at_payoff, "delay_on_commit"),
    ):
        yield
