"""A clerk's shift: she comes on duty, logs a parcel still to hand out, looks a company up
(the unit number, nothing else), logs a walk-in request and turns it into a repair ticket in
one click, writes the handover naming the night clerk; he signs it, logged in as himself, and
finds the parcel carried over on his shift's page."""

import re

import pytest

from frontdesk.models import DutyEntry, Inquiry, Shift
from repairs.models import RepairCategory, RepairTicket
from tests import factories

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


@pytest.fixture
def clerks(desk):
    night = factories.UserFactory(username="desk_night", display_name="夜班 陆晓芳", roles=["front_desk"])
    for user in (desk, night):
        user.set_password(PASSWORD)
        user.save()
    return desk, night


def test_a_clerks_shift_with_an_inquiry_turned_into_a_repair_and_a_handover(new_page, clerks, tenant_a, unit_a):
    desk, night = clerks
    RepairCategory.objects.create(name="水电")
    page = new_page()
    login(page, desk.username, PASSWORD)

    # On duty, and a parcel to hand out later: an open item.
    page.goto("/desk/frontdesk/duty/")
    submit(page, "button[name=come_on_duty]")
    page.select_option("select[name=kind]", "parcel")
    page.fill("input[name=text]", "甲方科技快递一件待取")
    page.check("input[name=is_open]")
    submit(page, "#entry-form button[type=submit]")
    assert "甲方科技快递一件待取" in page.inner_text("main")

    # A visitor asks for the company: the lookup answers with the unit, no contact.
    page.goto("/desk/frontdesk/inquiries/lookup/")
    page.fill("input[name=q]", "甲方")
    submit(page, "main form[role=search] button[type=submit]")
    results = page.inner_text("#lookup-results")
    assert "1201" in results and "王建国" not in results and "13877110001" not in results

    # The visitor has a leaking tap: a walk-in request, logged from the result.
    submit(page, "#lookup-results a >> nth=0")
    page.select_option("select[name=kind]", "request")
    page.fill("textarea[name=question]", "1201 卫生间水龙头漏水")
    page.fill("textarea[name=answer]", "")
    page.fill("input[name=visitor_name]", "张先生")
    page.fill("input[name=visitor_phone]", "13877119999")
    submit(page, "#inquiry-form button[type=submit]")
    page.wait_for_url(re.compile(r"/desk/frontdesk/inquiries/\d+/$"))

    # One click to the repair form, the details carried over; choose the category and save.
    submit(page, "a[href$='/repair/']")
    assert page.input_value("input[name=phone]") == "13877119999"
    assert page.input_value("textarea[name=description]") == "1201 卫生间水龙头漏水"
    page.select_option("select[name=category]", label="水电")
    submit(page, "#repair-form button[type=submit]")
    ticket = RepairTicket.objects.get()
    assert ticket.number in page.inner_text("main")
    assert Inquiry.objects.get().status == Inquiry.Status.CONVERTED

    # The handover: the parcel is listed, the night clerk named.
    page.goto("/desk/frontdesk/duty/")
    submit(page, "a[href$='/handover/']")
    assert "甲方科技快递一件待取" in page.inner_text("main")
    page.select_option("select[name=arriving]", label="夜班 陆晓芳")
    page.fill("textarea[name=handover_notes]", "快递在前台柜，对讲机已充电")
    submit(page, "#handover-form button[type=submit]")
    shift = Shift.objects.get(status=Shift.Status.HANDED_OVER)

    # The night clerk signs it as himself and finds the parcel carried over.
    other = new_page()
    login(other, night.username, PASSWORD)
    other.goto(f"/desk/frontdesk/duty/shifts/{shift.pk}/")
    submit(other, "button[value=accept]")
    shift.refresh_from_db()
    assert shift.status == Shift.Status.ACCEPTED
    other.goto("/desk/frontdesk/duty/")
    carried = other.inner_text("#carried-h")
    assert "1" in carried
    assert "甲方科技快递一件待取" in other.inner_text("main")
    assert DutyEntry.objects.get(text="甲方科技快递一件待取").still_open
