"""A deadline step may name an action (``Step(action=...)``): the scan claims the step once and
queues one task per action and model with the records' ids; a second scan queues nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from jinyuan.workflow import deadlines
from jinyuan.workflow.deadlines import DeadlineSpec, Step
from jinyuan.workflow.scan import scan
from permits.models import PremisesCertificate
from tests import factories

pytestmark = pytest.mark.django_db


def at(y, m, d, hh=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, hh))


def test_a_step_action_runs_once_per_claimed_step_with_the_records(monkeypatch, django_capture_on_commit_callbacks):
    calls = []
    monkeypatch.setitem(deadlines._actions, "test.close", lambda model, pks, now: calls.append((model, list(pks), now)))
    spec = DeadlineSpec(kind="expiry", steps=(Step(to=(), action="test.close"),))
    monkeypatch.setattr(PremisesCertificate, "deadlines", (spec,))
    certs = [factories.make_certificate("submitted") for _ in range(3)]
    for cert in certs:
        deadlines.deadline_start(cert, "expiry", due_at=at(2026, 12, 1), now=at(2026, 11, 1))
    with django_capture_on_commit_callbacks(execute=True):
        assert scan(now=at(2026, 11, 30)) == 0
    assert calls == []
    with django_capture_on_commit_callbacks(execute=True):
        assert scan(now=at(2026, 12, 1, 1)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        assert scan(now=at(2026, 12, 1, 2)) == 0  # run again: nothing twice
    assert len(calls) == 1  # one task for the model, the three records in it
    model, pks, now = calls[0]
    assert model is PremisesCertificate and pks == sorted(c.pk for c in certs) and now == at(2026, 12, 1, 1)


def test_an_unregistered_action_is_a_programming_error():
    with pytest.raises(KeyError):
        deadlines.run_step_action("nobody.registered", PremisesCertificate, [], at(2026, 1, 1))
