"""The reminder schedule 催缴: each step once per bill (also under a double and a concurrent
scan), cancelled by a payment in full, and only ever to the bill's own company's users."""

from datetime import timedelta
from decimal import Decimal

import pytest

from billing.arrears import reminders_send
from billing.arrears_models import ReminderSent
from billing.services import payment_record
from jinyuan.workflow import sms
from jinyuan.workflow.models import Notification
from tests import factories
from tests.billing.arrears_helpers import ensure_schedule, overdue_bill
from tests.concurrency import run_at_once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]


@pytest.fixture
def steps(db):
    return ensure_schedule()


def notes_to(user):
    return list(Notification.objects.filter(recipient=user, dedup_key__startswith="arrears:"))


def test_step_is_sent_once_under_a_double_run(steps, tenant_a, tenant_a_admin, desk):
    bill = overdue_bill(tenant_a, desk, days=7)
    assert reminders_send() == 1
    assert reminders_send() == 0
    assert ReminderSent.objects.filter(bill=bill).count() == 1
    assert ReminderSent.objects.get(bill=bill).step.offset_days == 7
    assert len(notes_to(tenant_a_admin)) == 1


def test_only_the_latest_due_step_goes_out_after_a_pause(steps, tenant_a, tenant_a_admin, desk):
    overdue_bill(tenant_a, desk, days=40)
    assert reminders_send() == 1
    (sent,) = ReminderSent.objects.all()
    assert sent.step.offset_days == 30


def test_each_step_in_turn_as_the_days_pass(steps, tenant_a, tenant_a_admin, desk):
    bill = overdue_bill(tenant_a, desk, days=-3)
    for offset in (-3, 0, 7, 15, 30):
        assert reminders_send(on=bill.due_date + timedelta(days=offset)) == 1
        assert reminders_send(on=bill.due_date + timedelta(days=offset)) == 0
    assert sorted(ReminderSent.objects.values_list("step__offset_days", flat=True)) == [-3, 0, 7, 15, 30]
    assert len(notes_to(tenant_a_admin)) == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_send_each_step_once(price_list, tenant_a, tenant_a_admin, desk):
    ensure_schedule()
    for days in (0, 7, 15):
        overdue_bill(tenant_a, desk, days=days)
    results = run_at_once(4, lambda i: None, lambda i, _: reminders_send())
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(results) == 3
    assert ReminderSent.objects.count() == 3
    assert len(notes_to(tenant_a_admin)) == 3


def test_payment_in_full_cancels_the_remaining_steps(steps, tenant_a, tenant_a_admin, desk):
    bill = overdue_bill(tenant_a, desk, days=0, amount="500.00")
    assert reminders_send(on=bill.due_date) == 1
    payment_record(tenant=tenant_a, amount=Decimal("500.00"), method="cash", by=desk, bills=[bill])
    for offset in (7, 15, 30):
        assert reminders_send(on=bill.due_date + timedelta(days=offset)) == 0
    assert ReminderSent.objects.filter(bill=bill).count() == 1


def test_a_part_payment_does_not_cancel(steps, tenant_a, tenant_a_admin, desk):
    bill = overdue_bill(tenant_a, desk, days=0, amount="500.00")
    payment_record(tenant=tenant_a, amount=Decimal("100.00"), method="cash", by=desk, bills=[bill])
    assert reminders_send(on=bill.due_date + timedelta(days=7)) == 1


def test_reminders_never_reach_another_tenants_users(steps, tenant_a, tenant_a_admin, tenant_b_admin, desk):
    overdue_bill(tenant_a, desk, days=7)
    reminders_send()
    assert notes_to(tenant_a_admin)
    assert notes_to(tenant_b_admin) == []
    assert notes_to(desk) == []


def test_staff_without_the_bills_grant_get_nothing(steps, tenant_a, tenant_a_admin, tenant_a_staff, desk):
    granted = factories.UserFactory(username="a_accountant")
    factories.MembershipFactory(user=granted, tenant=tenant_a, role="staff", areas=["bills"])
    overdue_bill(tenant_a, desk, days=7)
    reminders_send()
    assert notes_to(tenant_a_staff) == []
    assert len(notes_to(granted)) == 1


def test_sms_copy_goes_through_the_kernels_channel(steps, tenant_a, desk, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "jinyuan.workflow.sms.LocmemBackend"
    sms.LocmemBackend.outbox.clear()
    user = factories.UserFactory(username="a_sms", phone="13877110009", notify_by_sms=True)
    factories.MembershipFactory(user=user, tenant=tenant_a, role="admin")
    overdue_bill(tenant_a, desk, days=7)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send()
    assert [phone for phone, _text in sms.LocmemBackend.outbox] == ["13877110009"]
