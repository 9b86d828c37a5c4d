"""Follow-up visits (回访) on any record: scheduled, recorded once, a dissatisfied tenant runs
the record's app's hook, every step on the record's timeline."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jinyuan.followups import hooks, selectors, services
from jinyuan.followups.models import FollowUp
from jinyuan.workflow.models import AuditEvent
from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.services import TransitionRefused
from tenants.models import Tenant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def followup(tenant_a, desk):
    return services.followup_schedule(record=tenant_a, due=timezone.localdate(), by=desk)


@pytest.fixture
def reopened(monkeypatch):
    """A stand-in for the complaints app: it reopens the complaint when the tenant is unhappy."""
    calls = []
    monkeypatch.setitem(hooks._on_dissatisfied, Tenant, lambda *, followup, by: calls.append((followup.pk, by)))
    return calls


def test_scheduling_writes_an_event_on_the_record(tenant_a, desk, followup):
    assert followup.status == FollowUp.Status.OPEN
    assert followup.record == tenant_a
    event = timeline(tenant_a).get(action="tenant.followup_scheduled")
    assert event.action_label == "Follow-up visit scheduled"
    assert event.data == {"followup": followup.pk, "due_on": timezone.localdate().isoformat()}


def test_recording_closes_it_with_the_result(tenant_a, desk, followup):
    services.followup_record(followup=followup, result="satisfied", channel="phone", comments="很好", by=desk)
    followup.refresh_from_db()
    assert (followup.status, followup.result, followup.channel, followup.done_by) == (
        "done",
        "satisfied",
        "phone",
        desk,
    )
    assert followup.done_at is not None
    event = AuditEvent.objects.get(action="tenant.followup_recorded")
    assert ("Result", "Satisfied") in event.details


def test_a_second_recording_is_refused_and_changes_nothing(desk, supervisor, followup):
    services.followup_record(followup=followup, result="satisfied", channel="phone", by=desk)
    stale = FollowUp.objects.get(pk=followup.pk)
    stale.status = FollowUp.Status.OPEN  # the other clerk's page still shows it open
    with pytest.raises(TransitionRefused):
        services.followup_record(followup=stale, result="dissatisfied", channel="sms", comments="x", by=supervisor)
    followup.refresh_from_db()
    assert (followup.result, followup.done_by) == ("satisfied", desk)
    assert AuditEvent.objects.filter(action="tenant.followup_recorded").count() == 1


def test_dissatisfied_runs_the_records_hook_in_the_same_transaction(desk, followup, reopened):
    services.followup_record(followup=followup, result="dissatisfied", channel="phone", comments="漏水未修好", by=desk)
    assert reopened == [(followup.pk, desk)]


def test_satisfied_runs_no_hook(desk, followup, reopened):
    services.followup_record(followup=followup, result="fairly_satisfied", channel="in_person", by=desk)
    assert reopened == []


def test_a_failing_hook_undoes_the_recording(desk, followup, monkeypatch):
    def refuse(*, followup, by):
        raise TransitionRefused("the complaint is archived")

    monkeypatch.setitem(hooks._on_dissatisfied, Tenant, refuse)
    with pytest.raises(TransitionRefused):
        services.followup_record(followup=followup, result="dissatisfied", channel="phone", comments="x", by=desk)
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.OPEN
    assert not AuditEvent.objects.filter(action="tenant.followup_recorded").exists()


@pytest.mark.parametrize(
    ("result", "channel", "comments", "field"),
    [
        ("", "phone", "", "result"),
        ("great", "phone", "", "result"),
        ("satisfied", "fax", "", "channel"),
        ("dissatisfied", "phone", "  ", "comments"),
    ],
)
def test_bad_input_is_a_message_beside_the_field(desk, followup, result, channel, comments, field):
    with pytest.raises(ValidationError) as exc:
        services.followup_record(followup=followup, result=result, channel=channel, comments=comments, by=desk)
    assert field in exc.value.message_dict
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.OPEN


def test_cancelling_needs_a_reason_and_closes_it(tenant_a, desk, followup):
    with pytest.raises(ValidationError):
        services.followup_cancel(followup=followup, by=desk, reason="")
    services.followup_cancel(followup=followup, by=desk, reason="tenant moved out")
    followup.refresh_from_db()
    assert followup.status == FollowUp.Status.CANCELLED
    assert timeline(tenant_a).filter(action="tenant.followup_cancelled", note="tenant moved out").exists()
    with pytest.raises(TransitionRefused):
        services.followup_cancel(followup=followup, by=desk, reason="again")


def test_the_worklist_holds_open_follow_ups_due_today_or_overdue(tenant_a, tenant_b, desk):
    today = date(2026, 11, 10)
    overdue = services.followup_schedule(record=tenant_a, due=today - timedelta(days=3), by=desk)
    due = services.followup_schedule(record=tenant_b, due=today, by=desk)
    services.followup_schedule(record=tenant_a, due=today + timedelta(days=1), by=desk)  # not yet
    done = services.followup_schedule(record=tenant_b, due=today - timedelta(days=1), by=desk)
    services.followup_record(followup=done, result="satisfied", channel="phone", by=desk)
    assert list(selectors.worklist(on=today)) == [overdue, due]
    assert [f.pk for f in selectors.followups_of(tenant_b)] == [done.pk, due.pk]
