"""An organiser's event, in Chromium: the company applies on a phone (a bad ID number is an error
beside its field, nothing lost), security and the supervisor approve it, the desk records the
payment of the fee and the deposit, security checks the event on site on a phone, and the
closing check settles the deposit less the damage."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import Bill, DepositEntry
from tests.venues.application_data import ID_NUMBER, ahead, make_space
from venues.models import Booking, VenueApplication

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


@pytest.fixture
def people(desk, guard, supervisor, tenant_a_admin):
    for user in (desk, guard, supervisor, tenant_a_admin):
        user.set_password(PASSWORD)
        user.save()
    return desk, guard, supervisor, tenant_a_admin


def test_an_event_through_both_approvals_deposit_and_closing(new_page, people, building, tenant_a):
    desk, guard, supervisor, organiser = people
    lobby = make_space(building)
    day = ahead(3)

    # The organiser applies on a phone; a wrong ID check digit is an error beside the field.
    office = new_page(phone=True)
    login(office, organiser.username, PASSWORD)
    office.goto("/portal/venues/applications/new/")
    office.check("input[name=kind][value=event]")
    office.fill("input[name=title]", "新品发布会")
    office.fill("textarea[name=purpose]", "发布新品并邀请客户参观")
    office.check(f"input[name=spaces][value='{lobby.pk}']")
    office.fill("input[name=start_day]", day.isoformat())
    office.fill("input[name=start_time]", "10:00")
    office.fill("input[name=end_day]", day.isoformat())
    office.fill("input[name=end_time]", "12:00")
    office.fill("input[name=setup_minutes]", "60")
    office.fill("input[name=expected_attendance]", "120")
    office.fill("textarea[name=plan]", "10:00 开场，11:30 结束")
    office.fill("input[name=organiser]", "广西甲方科技有限公司")
    office.fill("input[name=person_in_charge]", "王建国")
    office.fill("input[name=person_id_number]", ID_NUMBER[:-1] + "2")
    office.fill("input[name=contact_phone]", "13877110001")
    office.fill("textarea[name=safety_measures]", "安保 4 人，疏散通道畅通")
    office.fill("textarea[name=emergency_plan]", "现场负责人组织疏散，拨打 119/120")
    submit(office, "main button[type=submit]")
    assert office.locator("#id_person_id_number.is-invalid").count() == 1
    assert office.input_value("input[name=title]") == "新品发布会"  # nothing lost
    assert not VenueApplication.objects.exists()
    office.fill("input[name=person_id_number]", ID_NUMBER)
    submit(office, "main button[type=submit]")
    office.wait_for_url(re.compile(r"/portal/venues/applications/\d+/$"))
    app = VenueApplication.objects.get()
    assert app.status == "submitted" and app.needs_security

    # Security approves on a phone, then the supervisor: bookings confirmed, fee and deposit billed.
    site = new_page(phone=True)
    login(site, guard.username, PASSWORD)
    site.goto(f"/desk/venues/applications/{app.pk}/")
    submit(site, "button[value=security_approve]")
    boss = new_page()
    login(boss, supervisor.username, PASSWORD)
    boss.goto(f"/desk/venues/applications/{app.pk}/")
    submit(boss, "button[value=approve]")
    app.refresh_from_db()
    assert app.status == "approved" and app.document.number.startswith("HD-")
    bill = Bill.objects.get(source_key=f"venueapp:{app.pk}")
    assert bill.total == Decimal("3000.00")  # a day of the lobby, and its deposit

    # The desk records the payment from the application's page.
    counter = new_page()
    login(counter, desk.username, PASSWORD)
    counter.goto(f"/desk/venues/applications/{app.pk}/")
    with counter.expect_navigation():
        counter.get_by_role("link", name=re.compile("登记收款|Record the payment")).click()
    counter.select_option("select[name=method]", "bank")
    submit(counter, "main form button[type=submit]")
    bill.refresh_from_db()
    assert bill.status == "paid"
    assert DepositEntry.objects.filter(source_key=f"venueapp:{app.pk}", kind="received").exists()

    # The day has come: the use runs now.
    now = timezone.now()
    start, end = now - dt.timedelta(minutes=30), now + dt.timedelta(hours=1)
    VenueApplication.objects.filter(pk=app.pk).update(use_start=start, use_end=end, setup_minutes=0)
    Booking.objects.filter(application=app).update(start=start, end=end + dt.timedelta(hours=1))

    # Security checks on site on the phone, then the closing check with damage.
    site.goto(f"/desk/venues/applications/{app.pk}/site/")
    site.check("input[name=in_order][value='1']")
    site.fill(".site-check textarea[name=note]", "通道畅通，人员有序")
    submit(site, ".site-check button[type=submit]")
    app.refresh_from_db()
    assert app.status == "in_progress"
    site.fill(".site-close input[name=damage]", "300")
    site.fill(".site-close textarea[name=note]", "地毯污损")
    submit(site, ".site-close button[type=submit]")
    app.refresh_from_db()
    assert app.status == "closed" and app.damage == Decimal("300.00")
    settled = {e.kind: e.amount for e in DepositEntry.objects.filter(source_key=f"venueapp:{app.pk}")}
    assert settled == {"received": Decimal("2000.00"), "deducted": Decimal("300.00"), "refunded": Decimal("1700.00")}

    # The organiser sees it closed.
    office.goto(f"/portal/venues/applications/{app.pk}/")
    assert "badge-state-closed" in office.content()
