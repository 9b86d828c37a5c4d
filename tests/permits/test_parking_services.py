"""Parking permits through their services: allowed and refused transitions, rent billed in
advance, renewals, expiry and reminders by the scan (each once), move-out."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from billing.models import Bill
from jinyuan.documents.models import Document
from jinyuan.workflow.models import AuditEvent, Deadline, Notification
from jinyuan.workflow.scan import scan
from jinyuan.workflow.services import TransitionRefused
from permits import parking
from permits.models import ParkingPermit
from permits.parking_selectors import plate_verdict
from tenants import checklists
from tests.permits.parking_fixtures import vehicle

pytestmark = pytest.mark.django_db


def events(permit) -> list[str]:
    """The permit's workflow events (its attachment's event left out)."""
    qs = AuditEvent.objects.filter(object_id=permit.pk, action__startswith="parking_permit.")
    return list(qs.exclude(action="parking_permit.attachment_added").values_list("action", flat=True))


def at(day: dt.date, hour: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), timezone.get_current_timezone())


# --- application -----------------------------------------------------------------------------------


def test_an_application_is_saved_with_its_licence_and_the_desk_told(apply_parking, desk):
    permit = apply_parking(1, plate="桂a·d12345")
    assert permit.status == ParkingPermit.Status.SUBMITTED
    assert permit.plate == "桂AD12345" and permit.is_new_energy
    assert permit.end == parking.add_months(timezone.localdate(), 3)
    assert events(permit) == ["parking_permit.submitted"]
    assert Notification.objects.filter(recipient=desk, dedup_key=f"parking_permit-{permit.pk}-submitted").exists()
    from jinyuan.attachments.selectors import attachments_of

    assert attachments_of(permit).filter(kind="vehicle_licence").count() == 1


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"plate": "桂AO1234"}, "plate"),
        ({"start": timezone.localdate() - dt.timedelta(days=1)}, "start"),
        ({"months": None}, "months"),
        ({"months": 13}, "months"),
        ({"rental_type": "free", "months": None, "until": None}, "until"),
        ({"rental_type": "internal", "until": timezone.localdate() - dt.timedelta(days=1)}, "until"),
        ({"licence": None}, "licence"),
        ({"driver_phone": "12345"}, "driver_phone"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_saved(apply_parking, over, field):
    with pytest.raises(ValidationError) as caught:
        apply_parking(1, **over)
    assert field in caught.value.message_dict
    assert not ParkingPermit.objects.exists()


def test_one_live_permit_per_plate_and_the_message_names_it(make_permit, apply_parking):
    live = make_permit("issued", 1)
    with pytest.raises(ValidationError) as caught:
        apply_parking(1)
    message = caught.value.message_dict["plate"][0]
    assert live.document.number in message and live.tenant.name in message
    # once it has ended, the plate may apply again
    parking.parking_revoke(obj=live, by=live.document.issued_by, note="换车")
    assert apply_parking(1).status == "submitted"


def test_a_fixed_space_holds_one_live_permit_over_its_dates(apply_parking, space):
    first = apply_parking(1, space=space)
    with pytest.raises(ValidationError) as caught:
        apply_parking(2, space=space, start=first.last_day)
    assert "space" in caught.value.message_dict
    # after the first one's end the space is free again (ranges are half-open)
    assert apply_parking(3, space=space, start=first.end).space == space


def test_a_space_not_in_use_is_refused(apply_parking, space):
    space.is_active = False
    space.save()
    with pytest.raises(ValidationError) as caught:
        apply_parking(1, space=space)
    assert "space" in caught.value.message_dict


def test_a_company_without_a_unit_cannot_apply(tenant_a, tenant_a_admin):
    from tenants.models import Occupancy

    Occupancy.objects.filter(tenant=tenant_a).update(end=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(TransitionRefused):
        parking.parking_apply(tenant=tenant_a, by=tenant_a_admin, **vehicle(1))


# --- approval, refusal, withdrawal -------------------------------------------------------------------


def test_approval_bills_the_months_in_advance_and_prints_the_paper(make_permit):
    permit = make_permit("issued")
    bill = Bill.objects.get(source_key=f"parkingpermit:{permit.pk}:issue")
    assert bill.total == Decimal("900.00")  # 3 months x 300.00 on the pool
    assert bill.period_start == permit.start and bill.period_end == permit.last_day
    doc = permit.document
    assert doc.kind == "parking_permit" and doc.number.startswith("TC-")
    assert doc.data["plate"] == permit.plate and doc.data["valid_until"] == permit.last_day.isoformat()
    assert doc.verdict == Document.Verdict.VALID
    assert Deadline.objects.filter(object_id=permit.pk, kind="renewal", state="running").get().due_at == permit.ends_at
    assert events(permit) == ["parking_permit.submitted", "parking_permit.approved", "parking_permit.billed"]


def test_a_fixed_space_bills_its_own_fee_item(make_permit, space):
    permit = make_permit("issued", space=space, months=2)
    assert Bill.objects.get(source_key=f"parkingpermit:{permit.pk}:issue").total == Decimal("900.00")  # 2 x 450


@pytest.mark.parametrize("rental_type", ["internal", "free"])
def test_internal_and_free_permits_bill_nothing(make_permit, rental_type):
    until = timezone.localdate() + dt.timedelta(days=40)
    permit = make_permit("issued", rental_type=rental_type, months=None, until=until)
    assert permit.last_day == until
    assert not Bill.objects.filter(source_key__startswith=f"parkingpermit:{permit.pk}:").exists()
    assert not Deadline.objects.filter(object_id=permit.pk, kind="payment").exists()


def test_refusal_needs_a_reason_and_frees_the_plate(make_permit, apply_parking, desk):
    permit = make_permit("submitted")
    with pytest.raises(ValidationError):
        parking.parking_refuse(obj=permit, by=desk, note="")
    parking.parking_refuse(obj=permit, by=desk, note="行驶证与车牌不符")
    assert permit.status == "refused" and permit.decided_note == "行驶证与车牌不符"
    assert apply_parking(1).status == "submitted"


@pytest.mark.parametrize(
    ("state", "action", "who", "raises"),
    [
        ("submitted", "approve", "tenant_a_admin", PermissionDenied),
        ("submitted", "approve", "guard", PermissionDenied),
        ("issued", "approve", "desk", TransitionRefused),
        ("refused", "approve", "desk", TransitionRefused),
        ("issued", "withdraw", "tenant_a_admin", TransitionRefused),
        ("submitted", "withdraw", "tenant_b_admin", PermissionDenied),
        ("submitted", "withdraw", "desk", PermissionDenied),
        ("revoked", "revoke", "desk", TransitionRefused),
        ("expired", "revoke", "desk", TransitionRefused),
        ("issued", "revoke", "tenant_a_admin", PermissionDenied),
    ],
)
def test_refused_transitions_change_nothing(make_permit, persona, state, action, who, raises):
    permit = make_permit(state)
    service = {
        "approve": parking.parking_approve,
        "withdraw": parking.parking_withdraw,
        "revoke": parking.parking_revoke,
    }[action]
    with pytest.raises(raises):
        service(obj=permit, by=persona(who), note="理由")
    assert ParkingPermit.objects.get(pk=permit.pk).status == state


def test_the_tenant_withdraws_its_application(make_permit, tenant_a_admin):
    permit = make_permit("submitted")
    parking.parking_withdraw(obj=permit, by=tenant_a_admin)
    assert permit.status == "withdrawn"


def test_revoking_revokes_every_paper_and_the_gate_says_so(make_permit, desk):
    permit = make_permit("issued")
    parking.parking_renew(obj=permit, by=desk, months=1)
    parking.parking_revoke(obj=permit, by=desk, note="违规停放")
    assert set(
        Document.objects.filter(kind="parking_permit", object_id=permit.pk).values_list("status", flat=True)
    ) == {"revoked"}
    assert plate_verdict(permit.plate).verdict == "revoked"
    assert not Deadline.objects.filter(object_id=permit.pk, kind="renewal", state="running").exists()


# --- renewal -----------------------------------------------------------------------------------------------


def test_renewal_extends_the_end_bills_the_months_and_prints_a_new_paper(make_permit, tenant_a_admin):
    permit = make_permit("issued")
    old_end, old_paper = permit.end, permit.document
    parking.parking_renew(obj=permit, by=tenant_a_admin, months=2, expected_end=old_end)
    permit.refresh_from_db()
    assert permit.end == parking.add_months(old_end, 2) and permit.renewals == 1
    bill = Bill.objects.get(source_key=f"parkingpermit:{permit.pk}:renewal:1")
    assert bill.total == Decimal("600.00") and bill.period_start == old_end
    assert permit.document != old_paper and permit.document.valid_until == permit.ends_at
    old_paper.refresh_from_db()  # one paper per permit: the old one no longer lets a car in
    assert old_paper.status == "revoked" and permit.document.number in old_paper.revoke_reason
    run = Deadline.objects.get(object_id=permit.pk, kind="renewal", state="running")
    assert run.due_at == permit.ends_at and run.next_step == 0


def test_a_renewal_on_an_old_end_is_refused(make_permit, desk):
    permit = make_permit("issued")
    seen = permit.end
    parking.parking_renew(obj=permit, by=desk, months=1, expected_end=seen)
    with pytest.raises(TransitionRefused):
        parking.parking_renew(obj=permit, by=desk, months=1, expected_end=seen)
    assert Bill.objects.filter(source_key__startswith=f"parkingpermit:{permit.pk}:renewal").count() == 1


def test_renewal_stops_at_a_fixed_space_let_from_the_old_end(make_permit, apply_parking, desk, space):
    permit = make_permit("issued", space=space)
    apply_parking(2, space=space, start=permit.end)
    with pytest.raises(ValidationError) as caught:
        parking.parking_renew(obj=permit, by=desk, months=1)
    assert "months" in caught.value.message_dict
    permit.refresh_from_db()
    assert permit.renewals == 0


@pytest.mark.parametrize(
    ("state", "who", "raises"),
    [
        ("submitted", "desk", TransitionRefused),
        ("expired", "desk", TransitionRefused),
        ("issued", "tenant_b_admin", PermissionDenied),
        ("issued", "tenant_a_staff", PermissionDenied),  # no parking grant
        ("issued", "guard", PermissionDenied),
    ],
)
def test_refused_renewals(make_permit, persona, state, who, raises):
    permit = make_permit(state)
    with pytest.raises(raises):
        parking.parking_renew(obj=permit, by=persona(who), months=1)
    assert ParkingPermit.objects.get(pk=permit.pk).renewals == 0


# --- the scan: reminders 15, 7 and 1 days before, expiry at the end, each once --------------------------


def test_renewal_reminders_go_once_each_and_the_permit_expires_at_its_end(
    make_permit, tenant_a_admin, django_capture_on_commit_callbacks
):
    permit = make_permit("issued", months=1)
    end = permit.end

    def run(day: dt.date, hour: int = 9) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return scan(now=at(day, hour))

    def reminders() -> int:
        return Notification.objects.filter(recipient=tenant_a_admin, dedup_key__startswith="deadline-").count()

    # (the payment step of the unpaid first bill also falls in this month: counted apart)
    run(end - dt.timedelta(days=16))
    assert reminders() == 0
    run(end - dt.timedelta(days=15))
    run(end - dt.timedelta(days=15), 10)  # the scan twice: nothing twice
    assert reminders() == 1
    run(end - dt.timedelta(days=7))
    assert reminders() == 2
    run(end - dt.timedelta(days=1))
    run(end - dt.timedelta(days=1), 12)
    assert reminders() == 3
    assert ParkingPermit.objects.get(pk=permit.pk).status == "issued"
    run(end, 0)  # at 00:00 of the end day: expired, with its event
    run(end, 1)
    permit.refresh_from_db()
    assert permit.status == "expired"
    assert events(permit).count("parking_permit.expired") == 1
    assert plate_verdict(permit.plate, today=end).verdict == "expired"
    assert plate_verdict(permit.plate, today=end).since == end


def test_the_expiry_task_run_twice_expires_once(make_permit):
    permit = make_permit("issued", months=1)
    later = at(permit.end, 1)
    assert parking.expire_due(ParkingPermit, [permit.pk], later) == 1
    assert parking.expire_due(ParkingPermit, [permit.pk], later) == 0
    assert events(ParkingPermit.objects.get(pk=permit.pk)).count("parking_permit.expired") == 1


def test_a_renewed_permit_does_not_expire_at_its_old_end(make_permit, desk, django_capture_on_commit_callbacks):
    permit = make_permit("issued", months=1)
    old_end = permit.end
    parking.parking_renew(obj=permit, by=desk, months=1)
    # even a task queued for the old end before the renewal changes nothing
    assert parking.expire_due(ParkingPermit, [permit.pk], at(old_end, 1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        scan(now=at(old_end, 1))
    assert ParkingPermit.objects.get(pk=permit.pk).status == "issued"


def test_a_written_reminder_two_weeks_unpaid_once(
    make_permit, tenant_a_admin, desk, django_capture_on_commit_callbacks
):
    permit = make_permit("issued")
    bill = Bill.objects.get(source_key=f"parkingpermit:{permit.pk}:issue")
    later = timezone.now() + dt.timedelta(days=14, minutes=1)
    for _ in range(2):  # the scan twice
        with django_capture_on_commit_callbacks(execute=True):
            scan(now=later)
    notices = Document.objects.filter(kind="parking_notice", object_id=permit.pk)
    assert notices.count() == 1
    notice = notices.get()
    assert notice.number.startswith("CJ-") and notice.data["bill_numbers"] == [bill.number]
    assert notice.data["total"] == "900.00"
    assert Notification.objects.filter(recipient=tenant_a_admin, dedup_key__contains=notice.number).count() == 1
    # the task itself run again writes nothing more
    assert parking.payment_notice_due(ParkingPermit, [permit.pk], later) == 0
    assert events(permit).count("parking_permit.payment_notice") == 1


def test_no_written_reminder_when_paid(make_permit, desk, finance, django_capture_on_commit_callbacks):
    from billing.services import payment_record

    permit = make_permit("issued")
    bill = Bill.objects.get(source_key=f"parkingpermit:{permit.pk}:issue")
    payment_record(tenant=permit.tenant, amount=bill.total, method="bank", by=finance, bills=[bill])
    with django_capture_on_commit_callbacks(execute=True):
        scan(now=timezone.now() + dt.timedelta(days=15))
    assert not Document.objects.filter(kind="parking_notice", object_id=permit.pk).exists()


# --- move-out -------------------------------------------------------------------------------------------


def test_the_move_out_checklist_waits_for_every_permit_revoked(make_permit, tenant_a, desk):
    from tenants.services import moveout_open

    issued, submitted = make_permit("issued", 1), make_permit("submitted", 2)
    make_permit("expired", 3)
    move_out = moveout_open(tenant=tenant_a, planned_date=timezone.localdate() + dt.timedelta(days=7), by=desk)
    rows = {r.item.code: r.state for r in checklists.evaluate(checklists.MOVE_OUT, move_out)}
    assert not rows["parking_permits"].done and issued.plate in rows["parking_permits"].detail
    assert parking.revoke_permits_of(tenant_a, by=desk, reason="迁出") == 2
    rows = {r.item.code: r.state for r in checklists.evaluate(checklists.MOVE_OUT, move_out)}
    assert rows["parking_permits"].done
    assert {p.status for p in ParkingPermit.objects.filter(pk__in=[issued.pk, submitted.pk])} == {"revoked"}


def test_a_partial_move_out_leaves_the_parking_permits_alone(make_permit, tenant_a, unit_a, desk):
    """A permit belongs to the company, not to a unit: leaving one of two units revokes nothing."""
    from tenants.services import moveout_open
    from tests import factories

    kept = factories.UnitFactory(floor=unit_a.floor, number="1202")
    factories.OccupancyFactory(tenant=tenant_a, unit=kept, start=timezone.localdate() - dt.timedelta(days=30))
    issued = make_permit("issued", 1)
    move_out = moveout_open(
        tenant=tenant_a, planned_date=timezone.localdate() + dt.timedelta(days=7), by=desk, units=[unit_a]
    )
    rows = {r.item.code: r.state for r in checklists.evaluate(checklists.MOVE_OUT, move_out)}
    assert rows["parking_permits"].done and not rows["parking_permits"].action_url
    issued.refresh_from_db()
    assert issued.status == ParkingPermit.Status.ISSUED


def test_the_licence_scan_goes_after_the_retention_period(make_permit, settings):
    from jinyuan import privacy
    from jinyuan.attachments.selectors import attachments_of

    ended, live = make_permit("revoked", 1), make_permit("issued", 2)
    later = timezone.now() + dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS + 1)
    privacy.personal_data_purge(now=later)
    assert not attachments_of(ended).filter(kind="vehicle_licence").exists()
    assert attachments_of(live).filter(kind="vehicle_licence").exists()
