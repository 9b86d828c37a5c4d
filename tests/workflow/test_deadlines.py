"""Declared deadlines: started, stopped, paused and resumed by transitions; the scan sends each
step once. The premises certificate declares them (permits/models.py): ``review`` while
submitted, ``approval`` while checked, 8 working hours each; steps 1 h before (desk), when due
(desk) and 4 working hours late (supervisor).

Fixed dates around National Day 2026 (see test_calendar.py): Wed 30 Sep is the last working
day before the holiday, which runs Thu 1 - Wed 7 Oct; Thu 8 Oct is the first day back.
"""

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jinyuan.workflow import calendar, deadlines
from jinyuan.workflow import scan as scan_module
from jinyuan.workflow.deadlines import DeadlineSpec, Step
from jinyuan.workflow.models import Deadline, DeadlineStepSent, Notification
from jinyuan.workflow.scan import scan
from jinyuan.workflow.selectors import deadline_statistics
from permits import services as permit_services
from permits.models import PremisesCertificate
from tests import factories
from tests.concurrency import run_at_once

H = dt.timedelta(hours=1)


def at(y, m, d, hh=0, mm=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


@pytest.fixture
def calendar_2026(db):
    calendar.seed_year(2026)


def submitted_at(when: dt.datetime, **kwargs) -> PremisesCertificate:
    with time_machine.travel(when, tick=False):
        return factories.make_certificate("submitted", **kwargs)


def row(cert: PremisesCertificate, kind: str = "review") -> Deadline:
    ct = ContentType.objects.get_for_model(PremisesCertificate)
    return Deadline.objects.filter(content_type=ct, object_id=cert.pk, kind=kind).latest("id")


def sent(cert: PremisesCertificate) -> list[tuple[str, str]]:
    notes = Notification.objects.filter(dedup_key__startswith="deadline-", url__endswith=f"/{cert.pk}/")
    return sorted((n.recipient.username, n.message) for n in notes.select_related("recipient"))


def test_a_request_starts_its_review_deadline_in_working_hours(calendar_2026):
    """Wed 30 Sep 15:00 + 8 working hours: 2.5 h that day, holiday 1-7 Oct, 5.5 h on Thu 8 Oct
    from 08:30 -> 14:00."""
    cert = submitted_at(at(2026, 9, 30, 15))
    d = row(cert)
    assert (d.state, d.started_at, d.due_at) == ("running", at(2026, 9, 30, 15), at(2026, 10, 8, 14))
    assert d.next_step_at == at(2026, 10, 8, 13)  # the reminder an hour before


def test_leaving_the_state_stops_the_deadline_and_records_it_met(calendar_2026, desk):
    cert = submitted_at(at(2026, 9, 30, 15), desk=desk)
    with time_machine.travel(at(2026, 10, 8, 10), tick=False):
        permit_services.certificate_pass_check(obj=cert, by=desk)
    review, approval = row(cert), row(cert, "approval")
    assert (review.state, review.met, review.stopped_at) == ("stopped", True, at(2026, 10, 8, 10))
    assert review.next_step_at is None
    assert (approval.state, approval.due_at) == ("running", at(2026, 10, 9, 9))  # 7.5 h + 0.5 h


def test_a_deadline_stopped_late_is_not_met_and_counts_in_the_on_time_figures(calendar_2026, desk):
    late = submitted_at(at(2026, 9, 30, 15), desk=desk)
    in_time = submitted_at(at(2026, 9, 30, 15), desk=desk)
    with time_machine.travel(at(2026, 10, 8, 13), tick=False):
        permit_services.certificate_pass_check(obj=in_time, by=desk)
    with time_machine.travel(at(2026, 10, 8, 16), tick=False):
        permit_services.certificate_pass_check(obj=late, by=desk)
    assert row(late).met is False
    assert deadline_statistics(PremisesCertificate, "review") == {"met": 1, "missed": 1}


def test_a_withdrawn_request_stops_its_deadline_with_no_outcome_and_counts_nowhere(calendar_2026, desk):
    """Withdrawn by the tenant before anyone acted: neither met nor missed, so the on-time rate
    is the rate of the requests the desk actually served (one met, one late)."""
    from jinyuan.workflow.selectors import deadline_outcomes
    from jinyuan.workflow.services import transition

    served = submitted_at(at(2026, 9, 30, 15), desk=desk)
    late = submitted_at(at(2026, 9, 30, 15), desk=desk)
    early = submitted_at(at(2026, 9, 30, 15), desk=desk)
    overdue = submitted_at(at(2026, 9, 30, 15), desk=desk)
    with time_machine.travel(at(2026, 10, 8, 10), tick=False):
        permit_services.certificate_pass_check(obj=served, by=desk)
        transition(early, "withdraw", by=early.applicant)
    with time_machine.travel(at(2026, 10, 9, 10), tick=False):
        permit_services.certificate_pass_check(obj=late, by=desk)
        transition(overdue, "withdraw", by=overdue.applicant)
    assert (row(early).state, row(early).met, row(early).stopped_at) == ("stopped", None, at(2026, 10, 8, 10))
    assert row(overdue).met is None  # withdrawn after its due time: still no outcome
    assert deadline_statistics(PremisesCertificate, "review") == {"met": 1, "missed": 1}
    periods = {"oct": (at(2026, 10, 1), at(2026, 11, 1))}
    rows = deadline_outcomes(PremisesCertificate, ("review",), periods, now=at(2026, 10, 20))
    assert (sum(r["met_oct"] for r in rows), sum(r["missed_oct"] for r in rows)) == (1, 1)


def test_on_time_figures_count_each_run_in_the_period_its_outcome_was_decided(calendar_2026, desk):
    """Met: in the period it stopped in time. Missed: in the period its due time passed, whether
    it stopped late later or still runs; a run not yet due counts nowhere."""
    from jinyuan.workflow.selectors import deadline_outcomes

    late = submitted_at(at(2026, 9, 30, 15), desk=desk)  # review due 8 Oct 14:00
    in_time = submitted_at(at(2026, 9, 30, 15), desk=desk)
    submitted_at(at(2026, 9, 30, 15), desk=desk)  # still running past its due time
    submitted_at(at(2026, 10, 30, 15), desk=desk)  # due in November: undecided on 2 November
    with time_machine.travel(at(2026, 10, 8, 13), tick=False):
        permit_services.certificate_pass_check(obj=in_time, by=desk)
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        permit_services.certificate_pass_check(obj=late, by=desk)
    periods = {"sep": (at(2026, 9, 1), at(2026, 10, 1)), "oct": (at(2026, 10, 1), at(2026, 11, 1))}
    periods["nov"] = (at(2026, 11, 1), at(2026, 12, 1))
    rows = deadline_outcomes(PremisesCertificate, ("review",), periods, by=("status",), now=at(2026, 11, 2, 12))
    totals = {key: sum(r[key] for r in rows) for key in rows[0] if key.startswith(("met_", "missed_"))}
    assert totals == {"met_sep": 0, "missed_sep": 0, "met_oct": 1, "missed_oct": 2, "met_nov": 0, "missed_nov": 0}
    assert {r["record_status"] for r in rows} == {"checked", "submitted"}


def test_the_scan_sends_each_step_once_at_its_time(calendar_2026, desk, supervisor):
    cert = submitted_at(at(2026, 9, 30, 15), desk=desk, supervisor=supervisor)
    before, due, late = scan_module.MSG_BEFORE, scan_module.MSG_DUE, scan_module.MSG_OVERDUE

    assert scan(now=at(2026, 10, 8, 12, 59)) == 0
    assert scan(now=at(2026, 10, 8, 13)) == 1
    assert sent(cert) == [("desk", before)]
    assert scan(now=at(2026, 10, 8, 13, 30)) == 0  # run again: nothing twice
    assert scan(now=at(2026, 10, 8, 14)) == 1
    # 4 working hours after 14:00: 3.5 h on Thursday, 0.5 h on Friday -> Fri 9 Oct 09:00.
    assert row(cert).next_step_at == at(2026, 10, 9, 9)
    assert scan(now=at(2026, 10, 9, 9)) == 1
    assert sent(cert) == [("desk", before), ("desk", due), ("supervisor", late)]
    assert row(cert).next_step_at is None
    assert scan(now=at(2026, 10, 20)) == 0
    assert DeadlineStepSent.objects.filter(deadline=row(cert)).count() == 3


def test_a_late_scan_tells_each_audience_only_the_latest_step_once(calendar_2026, desk, supervisor):
    cert = submitted_at(at(2026, 9, 30, 15), desk=desk, supervisor=supervisor)
    assert scan(now=at(2026, 10, 12)) == 3  # every step that came due is claimed ...
    assert scan(now=at(2026, 10, 12)) == 0
    # ... but the desk is not told "due soon" and "due now" after the fact: only "due now".
    assert sent(cert) == [("desk", scan_module.MSG_DUE), ("supervisor", scan_module.MSG_OVERDUE)]
    assert DeadlineStepSent.objects.filter(deadline=row(cert)).count() == 3


def test_a_stopped_deadline_sends_nothing_more(calendar_2026, desk):
    cert = submitted_at(at(2026, 9, 30, 15), desk=desk)
    with time_machine.travel(at(2026, 10, 8, 9), tick=False):
        permit_services.certificate_send_back(obj=cert, by=desk, note="营业执照复印件不清楚")
    assert scan(now=at(2026, 10, 20)) == 0


@pytest.fixture
def review_pauses_while_returned(monkeypatch):
    """The review clock pauses while the request is back with the tenant (like a complaint's
    reply clock while waiting for the complainant)."""
    spec = DeadlineSpec(
        kind="review",
        states=("submitted",),
        pause_in=("returned",),
        allowed=8 * H,
        working_hours=True,
        steps=(Step(to=("role:front_desk",)),),
    )
    monkeypatch.setattr(PremisesCertificate, "deadlines", (spec,))


def test_a_pause_keeps_the_working_time_left_and_resume_counts_it_from_the_next_working_hour(
    calendar_2026, review_pauses_while_returned, desk, tenant_a_admin, tenant_a, unit_a
):
    """Submitted Wed 30 Sep 15:00, due Thu 8 Oct 14:00. Returned Wed 30 Sep 16:00: 1.5 h that
    day + 5.5 h on 8 Oct = 7 h left. Resubmitted Sat 3 Oct 10:00 (holiday): counting starts Thu
    8 Oct 08:30 -> due 15:30."""
    cert = submitted_at(at(2026, 9, 30, 15), tenant=tenant_a, unit=unit_a, applicant=tenant_a_admin, desk=desk)
    with time_machine.travel(at(2026, 9, 30, 16), tick=False):
        permit_services.certificate_send_back(obj=cert, by=desk, note="请补充材料")
    paused = row(cert)
    assert (paused.state, paused.remaining) == ("paused", 7 * H)
    assert scan(now=at(2026, 10, 8, 14)) == 0  # a paused deadline is not reminded

    with time_machine.travel(at(2026, 10, 3, 10), tick=False):
        permit_services.certificate_resubmit(obj=cert, by=tenant_a_admin)
    resumed = row(cert)
    assert resumed.pk == paused.pk
    assert (resumed.state, resumed.due_at, resumed.remaining) == ("running", at(2026, 10, 8, 15, 30), None)
    assert resumed.next_step_at == at(2026, 10, 8, 15, 30)


def test_deadline_start_runs_to_an_explicit_date_and_restarting_replaces_the_run(db, desk, monkeypatch):
    spec = DeadlineSpec(kind="expiry", steps=(Step(offset=-dt.timedelta(days=7), to=("applicant",)),))
    monkeypatch.setattr(PremisesCertificate, "deadlines", (spec,))
    cert = factories.make_certificate("submitted")
    first = deadlines.deadline_start(cert, "expiry", due_at=at(2026, 12, 31), now=at(2026, 12, 1))
    assert first.next_step_at == at(2026, 12, 24)
    second = deadlines.deadline_start(cert, "expiry", due_at=at(2027, 6, 30), now=at(2026, 12, 2))
    first.refresh_from_db()
    assert (first.state, first.met) == ("stopped", True)
    assert scan(now=at(2027, 6, 24)) == 1
    assert Notification.objects.get(dedup_key=f"deadline-{second.pk}-0").recipient_id == cert.applicant_id
    stopped = deadlines.deadline_stop(cert, "expiry", now=at(2027, 7, 1))
    assert (stopped.state, stopped.met) == ("stopped", False)
    assert deadlines.deadline_stop(cert, "expiry") is None


def test_registered_recipients_are_resolved_in_one_call_per_model(db, monkeypatch, tenant_a_admin):
    calls = []

    def admins(model, records):
        calls.append(len(records))
        return {r.pk: [tenant_a_admin.pk] for r in records}

    monkeypatch.setitem(deadlines._resolvers, "tenant_admins", admins)
    spec = DeadlineSpec(kind="expiry", steps=(Step(to=("tenant_admins",)),))
    monkeypatch.setattr(PremisesCertificate, "deadlines", (spec,))
    certs = [factories.make_certificate("submitted") for _ in range(3)]
    for cert in certs:
        deadlines.deadline_start(cert, "expiry", due_at=at(2026, 12, 1), now=at(2026, 11, 1))
    assert scan(now=at(2026, 12, 2)) == 3
    assert calls == [3]
    assert Notification.objects.filter(recipient=tenant_a_admin, dedup_key__startswith="deadline-").count() == 3


def test_the_scan_costs_the_same_queries_for_one_due_deadline_as_for_many(calendar_2026, desk, supervisor):
    def queries_for(n: int, day: int) -> int:
        Deadline.objects.update(state="stopped")
        for _ in range(n):
            submitted_at(at(2026, 11, day, 9), desk=desk, supervisor=supervisor)
        with CaptureQueriesContext(connection) as ctx:
            assert scan(now=at(2026, 11, day, 16, 30)) == n  # the 1-h-before step
        return len(ctx.captured_queries)

    assert queries_for(1, 2) == queries_for(6, 3)


@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_send_nothing_twice(desk, supervisor):
    calendar.seed_year(2026)
    certs = [submitted_at(at(2026, 9, 30, 15), desk=desk, supervisor=supervisor) for _ in range(4)]
    results = run_at_once(4, lambda i: None, lambda i, _: scan(now=at(2026, 10, 12)))
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(results) == 12  # 4 deadlines x 3 steps, whoever sent them
    assert DeadlineStepSent.objects.count() == 12
    # Each deadline's desk hears "due now" and its supervisor "overdue" (the latest per audience).
    assert Notification.objects.filter(dedup_key__startswith="deadline-").count() == 8
    assert all(len(sent(c)) == 2 for c in certs)


def test_tenant_admins_are_the_records_tenants_portal_admins(
    db, monkeypatch, tenant_a, unit_a, tenant_a_admin, tenant_b_admin
):
    spec = DeadlineSpec(kind="expiry", steps=(Step(to=("tenant_admins",)),))
    monkeypatch.setattr(PremisesCertificate, "deadlines", (spec,))
    cert = factories.make_certificate("submitted", tenant=tenant_a, unit=unit_a, applicant=tenant_a_admin)
    d = deadlines.deadline_start(cert, "expiry", due_at=at(2026, 12, 1), now=at(2026, 11, 1))
    assert scan(now=at(2026, 12, 1)) == 1
    assert list(Notification.objects.filter(dedup_key=f"deadline-{d.pk}-0").values_list("recipient", flat=True)) == [
        tenant_a_admin.pk
    ]


def test_the_desk_sees_when_a_request_is_due(calendar_2026, client_for, desk):
    cert = submitted_at(at(2026, 9, 30, 15), desk=desk)
    from django.urls import reverse

    html = client_for(desk).get(reverse("desk:permits:certificate_detail", args=[cert.pk])).content.decode()
    assert "2026-10-08 14:00" in html


def test_register_deadline_kind_labels_an_app_kind_and_refuses_a_second_label():
    from django.utils import translation

    # renovation registers its review kinds at startup; the label is rendered per reader.
    assert deadlines.KIND_LABELS["engineering_review"] == "Engineering review"
    with translation.override("zh-hans"):
        assert deadlines.kind_label("security_review") == "秩序部审核"
    deadlines.register_deadline_kind("engineering_review", "Engineering review")  # same label: fine
    with pytest.raises(ValueError):
        deadlines.register_deadline_kind("engineering_review", "Something else")
    deadlines.register_deadline_kind("test_only_kind", "Test only kind")
    try:
        assert deadlines.kind_label("test_only_kind") == "Test only kind"
    finally:
        del deadlines.KIND_LABELS["test_only_kind"]
