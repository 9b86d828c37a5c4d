"""A tenant reports a leak on a phone with a photo, the desk dispatches it, the engineer
completes it on a phone with before/after photos, the tenant signs off and rates it, and the
desk records the return visit the closure scheduled."""

import re

import pytest

from jinyuan.followups.models import FollowUp
from repairs.models import RepairRating, RepairTicket
from tests.repairs.page_data import category, png

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


def photo(name: str) -> dict:
    """A real PNG, as a phone's camera hands one over (smaller)."""
    return {"name": name, "mimeType": "image/png", "buffer": png(name).read()}


@pytest.fixture
def people(desk, engineer, tenant_a_admin):
    for user in (desk, engineer, tenant_a_admin):
        user.set_password(PASSWORD)
        user.save()
    return desk, engineer, tenant_a_admin


def test_a_leak_from_the_phone_report_to_the_return_visit(new_page, people, tenant_a, unit_a):
    desk, engineer, tenant_admin = people
    water = category("水电维修", response_minutes=30, completion_hours=4)

    # The company's admin reports the leak on a phone, with a photo of it.
    phone = new_page(phone=True)
    login(phone, tenant_admin.username, PASSWORD)
    phone.goto("/portal/repairs/new/")
    submit(phone, "main button[type=submit]")  # empty: errors beside the fields, nothing saved
    assert phone.locator(".invalid-feedback, .is-invalid").count() > 0
    assert not RepairTicket.objects.exists()
    phone.select_option("select[name=where]", str(unit_a.pk))
    phone.select_option("select[name=category]", str(water.pk))
    phone.fill("textarea[name=description]", "卫生间洗手盆下水管漏水，地面有积水")
    phone.fill("input[name=preferred_time]", "今天下午")
    phone.fill("input[name=phone]", "13877110001")
    phone.set_input_files("input[name=photos]", [photo("leak.png")])
    submit(phone, "main button[type=submit]")
    phone.wait_for_url(re.compile(r"/portal/repairs/\d+/$"))
    ticket = RepairTicket.objects.get()
    assert (ticket.status, ticket.tenant, ticket.unit) == ("reported", tenant_a, unit_a)
    assert phone.locator("main img").count() == 1  # the photo, served through the access check

    # The desk sees it waiting and assigns it to the engineer.
    clerk = new_page()
    login(clerk, desk.username, PASSWORD)
    clerk.goto("/desk/repairs/?status=reported")
    submit(clerk, f"a[href='/desk/repairs/{ticket.pk}/']")
    clerk.select_option("select[name=dispatch-engineer]", str(engineer.pk))
    submit(clerk, "form:has(input[name=action][value=dispatch]) button[type=submit]")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == ("dispatched", engineer)

    # The engineer, on a phone: the ticket is on the worklist; accept, arrive, complete.
    field = new_page(phone=True)
    login(field, engineer.username, PASSWORD)
    field.goto("/desk/repairs/mine/")
    submit(field, f"a[href='/desk/repairs/mine/{ticket.pk}/']")
    submit(field, "button[name=do][value=accept]")
    submit(field, "button[name=do][value=arrive]")
    field.fill("textarea[name=materials]", "PPR 弯头 1 个，生料带 1 卷")
    field.set_input_files("input[name=before]", [photo("before.png")])
    field.set_input_files("input[name=after]", [photo("after.png")])
    submit(field, "form:has(input[name=action][value=complete]) button[type=submit]")
    ticket.refresh_from_db()
    assert ticket.status == "completed" and "PPR" in ticket.materials

    # The tenant signs off and rates it on the phone: the ticket closes.
    phone.goto(f"/portal/repairs/{ticket.pk}/sign-off/")
    for name, score in (("overall", 5), ("speed", 4), ("service", 5)):
        phone.check(f"input[name={name}][value='{score}']")
    phone.check("input[name=satisfied][value=yes]")
    phone.fill("textarea[name=comment]", "师傅很快就修好了")
    submit(phone, "main form button[type=submit]")
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    rating = RepairRating.objects.get(ticket=ticket)
    assert (rating.overall, rating.speed, rating.service, rating.satisfied) == (5, 4, 5, True)

    # The month's first closure is in the sample: the desk calls back and records the visit.
    visit = FollowUp.objects.get(object_id=ticket.pk, status=FollowUp.Status.OPEN)
    clerk.goto("/desk/followups/?due=upcoming&status=open")  # due within 3 working days
    submit(clerk, f"a[href='/desk/followups/{visit.pk}/']")
    clerk.check("input[name=result][value=satisfied]")
    clerk.fill("textarea[name=comments]", "业户表示满意")
    submit(clerk, "main form button[type=submit]")
    visit.refresh_from_db()
    assert (visit.status, visit.result) == ("done", "satisfied")
    ticket.refresh_from_db()
    assert ticket.status == "closed"
    clerk.goto(f"/desk/repairs/{ticket.pk}/")
    assert "师傅很快就修好了" in clerk.content()
