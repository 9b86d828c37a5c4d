"""Hot-work permits 动火作业: the rules of the application and every transition, allowed and refused."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent, CalendarDay, Deadline
from jinyuan.workflow.scan import scan
from jinyuan.workflow.services import TransitionRefused
from permits import hot_work
from permits.models import HotWorkPermit
from permits.models.hot_work import FIRE_WATCH, SiteCheck, extinguishers_needed
from tests.permits.hot_work_data import STATES, make_hot_work, permit_fields

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
# A Monday morning; the calendar has no exception unless a test adds one.
MONDAY = dt.datetime(2026, 12, 7, 10, 0, tzinfo=TZ)


@pytest.fixture
def people(tenant_a_admin, engineer, guard):
    return {"applicant": tenant_a_admin, "engineer": engineer, "guard": guard}


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def apply(tenant, user, unit, **over):
    return hot_work.hot_work_apply(tenant=tenant, by=user, **permit_fields(unit, **over))


# --- the application's rules ----------------------------------------------------------------


def test_an_application_waits_for_engineering_with_its_event(tenant_a, tenant_a_admin, unit_a):
    permit = apply(tenant_a, tenant_a_admin, unit_a)
    assert permit.status == HotWorkPermit.Status.SUBMITTED
    assert AuditEvent.objects.filter(object_id=permit.pk, action="hot_work.submitted").exists()


@time_machine.travel(MONDAY, tick=False)
def test_a_start_before_the_day_after_the_next_working_day_is_refused(tenant_a, tenant_a_admin, unit_a):
    start = dt.datetime(2026, 12, 7, 15, 0, tzinfo=TZ)  # today, Monday
    with pytest.raises(ValidationError) as excinfo:
        apply(tenant_a, tenant_a_admin, unit_a, starts_at=start, ends_at=start + dt.timedelta(hours=2))
    assert "2026-12-08" in errors_of(excinfo)["starts_at"][0]
    tuesday = dt.datetime(2026, 12, 8, 9, 0, tzinfo=TZ)
    assert apply(tenant_a, tenant_a_admin, unit_a, starts_at=tuesday, ends_at=tuesday + dt.timedelta(hours=2))


def test_the_notice_follows_the_working_calendar():
    saturday = dt.datetime(2026, 12, 5, 10, 0, tzinfo=TZ)
    # Monday is the reviewers' day: Tuesday is the earliest start.
    assert hot_work.earliest_start(saturday).date() == dt.date(2026, 12, 8)
    CalendarDay.objects.create(date=dt.date(2026, 12, 7), is_working=False, name="假日")
    assert hot_work.earliest_start(saturday).date() == dt.date(2026, 12, 9)


@pytest.mark.parametrize(
    ("hours", "field"),
    [(9, "ends_at"), (-1, "ends_at")],
    ids=["over 8 hours", "ends before it starts"],
)
def test_a_bad_window_is_a_field_error(tenant_a, tenant_a_admin, unit_a, hours, field):
    fields = permit_fields(unit_a)
    with pytest.raises(ValidationError) as excinfo:
        hot_work.hot_work_apply(
            tenant=tenant_a, by=tenant_a_admin, **{**fields, "ends_at": fields["starts_at"] + dt.timedelta(hours=hours)}
        )
    assert field in errors_of(excinfo)


def test_a_window_across_midnight_is_refused(tenant_a, tenant_a_admin, unit_a, english):
    fields = permit_fields(unit_a)
    late = fields["starts_at"].replace(hour=22)
    with pytest.raises(ValidationError) as excinfo:
        hot_work.hot_work_apply(
            tenant=tenant_a, by=tenant_a_admin, **{**fields, "starts_at": late, "ends_at": late + dt.timedelta(hours=3)}
        )
    assert "midnight" in errors_of(excinfo)["ends_at"][0]


def test_a_window_in_the_past_is_refused(tenant_a, tenant_a_admin, unit_a, english):
    past = timezone.now() - dt.timedelta(days=2)
    with pytest.raises(ValidationError) as excinfo:
        apply(tenant_a, tenant_a_admin, unit_a, starts_at=past, ends_at=past + dt.timedelta(hours=1))
    assert "past" in errors_of(excinfo)["starts_at"][0]


def test_a_certificate_expiring_before_the_window_ends_is_refused(tenant_a, tenant_a_admin, unit_a):
    fields = permit_fields(unit_a)
    expiry = timezone.localdate(fields["ends_at"]) - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        apply(tenant_a, tenant_a_admin, unit_a, certificate_expiry=expiry)
    assert "certificate_expiry" in errors_of(excinfo)


@pytest.mark.parametrize(("area", "needed"), [("0.5", 1), ("50", 1), ("50.1", 2), ("120", 3), ("150", 3)])
def test_one_extinguisher_per_started_50_square_metres(area, needed):
    from decimal import Decimal

    assert extinguishers_needed(Decimal(area)) == needed


def test_fewer_extinguishers_than_the_area_needs_are_refused(tenant_a, tenant_a_admin, unit_a):
    with pytest.raises(ValidationError) as excinfo:
        apply(tenant_a, tenant_a_admin, unit_a, area_m2="120", extinguishers=2)
    assert "3" in errors_of(excinfo)["extinguishers"][0]
    with pytest.raises(ValidationError):
        apply(tenant_a, tenant_a_admin, unit_a, area_m2="10", extinguishers=0)
    assert apply(tenant_a, tenant_a_admin, unit_a, area_m2="120", extinguishers=3)


def test_every_measure_is_required(tenant_a, tenant_a_admin, unit_a):
    with pytest.raises(ValidationError) as excinfo:
        apply(tenant_a, tenant_a_admin, unit_a, measures=["cover"])
    assert "measures" in errors_of(excinfo)


def test_the_permit_links_the_companys_own_renovation_only(
    works, tenant_a, tenant_a_admin, unit_a, tenant_b, tenant_b_admin, unit_b
):
    with pytest.raises(ValidationError) as excinfo:
        apply(tenant_b, tenant_b_admin, unit_b, renovation=works)
    assert "renovation" in errors_of(excinfo)
    assert apply(tenant_a, tenant_a_admin, unit_a, renovation=works).renovation == works


# --- the reviews ------------------------------------------------------------------------------


def test_engineering_then_security_issue_the_paper_over_the_window(tenant_a, people):
    permit = make_hot_work("approved", tenant=tenant_a, **people)
    doc = permit.document
    assert doc.kind == "hot_work_permit" and doc.number.startswith("DH-")
    assert (doc.valid_from, doc.valid_until) == (permit.starts_at, permit.ends_at)
    assert doc.data["fire_watch_name"] == "黄看火"
    codes = list(AuditEvent.objects.filter(object_id=permit.pk).values_list("action", flat=True))
    assert "hot_work.engineering_passed" in codes and "hot_work.approved" in codes


def test_security_cannot_pass_engineering_review_and_engineering_cannot_issue(tenant_a, people, engineer, guard):
    permit = make_hot_work("submitted", tenant=tenant_a, **people)
    with pytest.raises(PermissionDenied):
        hot_work.hot_work_engineering_approve(obj=permit, by=guard)
    hot_work.hot_work_engineering_approve(obj=permit, by=engineer)
    with pytest.raises(PermissionDenied):
        hot_work.hot_work_security_approve(obj=permit, by=engineer)
    assert not Document.objects.exists()


def test_security_cannot_approve_before_engineering(tenant_a, people, guard):
    permit = make_hot_work("submitted", tenant=tenant_a, **people)
    with pytest.raises(TransitionRefused):
        hot_work.hot_work_security_approve(obj=permit, by=guard)


def test_send_back_and_reject_need_a_reason(tenant_a, people, engineer):
    permit = make_hot_work("submitted", tenant=tenant_a, **people)
    with pytest.raises(ValidationError):
        hot_work.hot_work_send_back(obj=permit, by=engineer, note="")
    with pytest.raises(ValidationError):
        hot_work.hot_work_reject(obj=permit, by=engineer, note=" ")


def test_a_returned_permit_is_corrected_and_sent_again(tenant_a, people, tenant_a_admin):
    permit = make_hot_work("returned", tenant=tenant_a, **people)
    hot_work.hot_work_correct(obj=permit, by=tenant_a_admin, extinguishers=3)
    permit.refresh_from_db()
    assert permit.status == "submitted" and permit.extinguishers == 3


def test_the_company_withdraws_before_the_start_and_the_paper_is_revoked(tenant_a, people, tenant_a_admin):
    permit = make_hot_work("approved", tenant=tenant_a, **people)
    hot_work.hot_work_withdraw(obj=permit, by=tenant_a_admin)
    permit.refresh_from_db()
    assert permit.status == "withdrawn" and permit.document.status == Document.Status.REVOKED


def test_no_withdrawal_once_the_work_runs(tenant_a, people, tenant_a_admin):
    permit = make_hot_work("in_progress", tenant=tenant_a, **people)
    with pytest.raises(TransitionRefused):
        hot_work.hot_work_withdraw(obj=permit, by=tenant_a_admin)


def test_another_company_cannot_withdraw(tenant_a, people, tenant_b_admin):
    permit = make_hot_work("submitted", tenant=tenant_a, **people)
    with pytest.raises(PermissionDenied):
        hot_work.hot_work_withdraw(obj=permit, by=tenant_b_admin)


# --- on site ----------------------------------------------------------------------------------


def test_the_on_site_check_needs_every_item(tenant_a, people, guard):
    permit = make_hot_work("approved", tenant=tenant_a, **people)
    inside = permit.starts_at + dt.timedelta(minutes=5)
    with pytest.raises(ValidationError) as excinfo:
        hot_work.hot_work_site_check(obj=permit, by=guard, ticked=SiteCheck.values[:-1], now=inside)
    assert "checks" in errors_of(excinfo)
    permit.refresh_from_db()
    assert permit.status == "approved"
    hot_work.hot_work_site_check(obj=permit, by=guard, ticked=SiteCheck.values, now=inside)
    assert permit.status == "in_progress" and permit.checked_by == guard
    assert all(done for _label, done in permit.checks_done)


def test_the_on_site_check_is_refused_long_before_the_start_and_after_the_end(tenant_a, people, guard):
    permit = make_hot_work("approved", tenant=tenant_a, **people)
    with pytest.raises(TransitionRefused):
        hot_work.hot_work_site_check(
            obj=permit, by=guard, ticked=SiteCheck.values, now=permit.starts_at - dt.timedelta(hours=3)
        )
    with pytest.raises(TransitionRefused):
        hot_work.hot_work_site_check(obj=permit, by=guard, ticked=SiteCheck.values, now=permit.ends_at)


def test_the_tenant_and_the_desk_do_not_check_the_site(tenant_a, people, tenant_a_admin, desk):
    permit = make_hot_work("approved", tenant=tenant_a, **people)
    for user in (tenant_a_admin, desk):
        with pytest.raises(PermissionDenied):
            hot_work.hot_work_site_check(obj=permit, by=user, ticked=SiteCheck.values, now=permit.starts_at)


def test_the_recheck_is_refused_before_30_minutes_of_fire_watch(tenant_a, people, guard):
    permit = make_hot_work("fire_watch", tenant=tenant_a, **people)
    early = permit.work_ended_at + FIRE_WATCH - dt.timedelta(seconds=1)
    with pytest.raises(TransitionRefused) as excinfo:
        hot_work.hot_work_recheck(obj=permit, by=guard, detectors_restored=True, now=early)
    assert "30" in excinfo.value.message
    permit.refresh_from_db()
    assert permit.status == "fire_watch" and permit.rechecked_at is None
    hot_work.hot_work_recheck(obj=permit, by=guard, detectors_restored=True, now=early + dt.timedelta(seconds=1))
    assert permit.status == "closed"


def test_the_recheck_by_the_servers_clock(tenant_a, people, guard):
    """Without ``now`` the server's clock decides: just after the work ended, refused."""
    permit = make_hot_work("in_progress", tenant=tenant_a, **people)
    hot_work.hot_work_end(obj=permit, by=guard)
    with pytest.raises(TransitionRefused):
        hot_work.hot_work_recheck(obj=permit, by=guard, detectors_restored=True)
    with time_machine.travel(timezone.now() + FIRE_WATCH + dt.timedelta(minutes=1)):
        hot_work.hot_work_recheck(obj=permit, by=guard, detectors_restored=True)
    assert permit.status == "closed"


def test_the_recheck_needs_the_smoke_detectors_restored(tenant_a, people, guard):
    permit = make_hot_work("fire_watch", tenant=tenant_a, **people)
    with pytest.raises(ValidationError) as excinfo:
        hot_work.hot_work_recheck(
            obj=permit, by=guard, detectors_restored=False, now=permit.work_ended_at + dt.timedelta(hours=1)
        )
    assert "detectors_restored" in errors_of(excinfo)


@pytest.mark.parametrize("state", ["approved", "in_progress"])
def test_security_stops_the_work_on_the_spot_with_a_reason(tenant_a, people, guard, state):
    permit = make_hot_work(state, tenant=tenant_a, **people)
    with pytest.raises(ValidationError):
        hot_work.hot_work_stop(obj=permit, by=guard, note="")
    hot_work.hot_work_stop(obj=permit, by=guard, note="可燃物未清理")
    permit.refresh_from_db()
    assert permit.status == "stopped" and permit.stop_reason == "可燃物未清理"
    assert permit.document.status == Document.Status.REVOKED


def test_engineering_cannot_stop_and_a_closed_permit_cannot_be_stopped(tenant_a, people, engineer, guard):
    permit = make_hot_work("in_progress", tenant=tenant_a, **people)
    with pytest.raises(PermissionDenied):
        hot_work.hot_work_stop(obj=permit, by=engineer, note="x")
    closed = make_hot_work("closed", tenant=tenant_a, **people)
    with pytest.raises(TransitionRefused):
        hot_work.hot_work_stop(obj=closed, by=guard, note="x")


@pytest.mark.parametrize("state", STATES)
def test_every_state_can_be_reached(tenant_a, people, state):
    assert make_hot_work(state, tenant=tenant_a, **people).status == state


# --- expiry and reminders (the deadline scan) --------------------------------------------------


def test_a_permit_not_started_expires_at_the_windows_end_by_the_scan_and_security_is_told(
    tenant_a, people, guard, django_capture_on_commit_callbacks
):
    from jinyuan.workflow.models import Notification

    def run(at):
        with django_capture_on_commit_callbacks(execute=True):
            scan(now=at)

    permit = make_hot_work("approved", tenant=tenant_a, **people)
    assert Deadline.objects.filter(object_id=permit.pk, kind="expiry", state="running").exists()
    run(permit.ends_at - dt.timedelta(minutes=1))
    permit.refresh_from_db()
    assert permit.status == "approved"
    run(permit.ends_at + dt.timedelta(minutes=1))
    run(permit.ends_at + dt.timedelta(minutes=2))  # twice: nothing more
    permit.refresh_from_db()
    assert permit.status == "expired"
    assert AuditEvent.objects.filter(object_id=permit.pk, action="hot_work.expired").count() == 1
    assert Notification.objects.filter(recipient=guard, url__contains=f"/hot-work/{permit.pk}/").exists()


def test_the_expiry_action_leaves_a_started_permit_alone(tenant_a, people):
    permit = make_hot_work("in_progress", tenant=tenant_a, **people)
    assert hot_work.expire_due(HotWorkPermit, [permit.pk], permit.ends_at + dt.timedelta(hours=1)) == 0
    permit.refresh_from_db()
    assert permit.status == "in_progress"


def test_the_recheck_deadline_reminds_security(tenant_a, people, guard):
    from jinyuan.workflow.models import Notification

    permit = make_hot_work("fire_watch", tenant=tenant_a, **people)
    row = Deadline.objects.get(object_id=permit.pk, kind="recheck")
    assert row.due_at == permit.work_ended_at + FIRE_WATCH
    scan(now=row.due_at + dt.timedelta(minutes=1))
    assert Notification.objects.filter(recipient=guard, url__contains=f"/hot-work/{permit.pk}/").exists()
