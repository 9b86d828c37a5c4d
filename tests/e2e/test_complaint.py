"""A tenant complains on a phone with a photo; the desk acknowledges it and assigns it to
engineering and an engineer; the engineer proposes a reply; the supervisor corrects and
approves it; the desk sends it (the tenant reads it in the portal); the return visit the
sending scheduled finds the tenant dissatisfied, and the complaint is reopened."""

import re

import pytest

from complaints.models import Complaint
from jinyuan.followups.models import FollowUp
from tests.complaints.helpers import category
from tests.repairs.page_data import png

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"
REPLY = "您好，已调整大堂空调风速并清洗风机，噪音已明显降低。"


@pytest.fixture
def people(desk, engineer, supervisor, tenant_a_admin):
    for user in (desk, engineer, supervisor, tenant_a_admin):
        user.set_password(PASSWORD)
        user.save()
    return desk, engineer, supervisor, tenant_a_admin


def badge(page, status: str) -> int:
    return page.locator(f"main .badge-state-{status}").count()


def test_a_complaint_from_the_phone_to_an_unsatisfied_return_visit(new_page, people, tenant_a):
    desk, engineer, supervisor, tenant_admin = people
    noise = category("噪音")

    # The company's admin complains on a phone, with a photo.
    phone = new_page(phone=True)
    login(phone, tenant_admin.username, PASSWORD)
    phone.goto("/portal/complaints/new/")
    submit(phone, "main button[type=submit]")  # empty: errors beside the fields, nothing saved
    assert phone.locator(".invalid-feedback, .is-invalid").count() > 0
    assert not Complaint.objects.exists()
    phone.select_option("select[name=category]", str(noise.pk))
    phone.fill("textarea[name=content]", "大堂空调噪音很大，上午一直嗡嗡响，影响前台接待")
    phone.check("input[name=urgent]")
    phone.set_input_files(
        "input[name=files]", [{"name": "noise.png", "mimeType": "image/png", "buffer": png("noise.png").read()}]
    )
    submit(phone, "main button[type=submit]")
    phone.wait_for_url(re.compile(r"/portal/complaints/\d+/$"))
    complaint = Complaint.objects.get()
    assert (complaint.status, complaint.tenant, complaint.channel, complaint.urgent) == (
        "recorded",
        tenant_a,
        "portal",
        True,
    )
    assert complaint.number in phone.content() and badge(phone, "recorded") == 1
    assert phone.locator("main img").count() == 1  # the photo, through the access check
    page_url = f"/desk/complaints/{complaint.pk}/"

    # The desk finds it waiting, acknowledges it and assigns it to engineering's engineer.
    clerk = new_page()
    login(clerk, desk.username, PASSWORD)
    clerk.goto("/desk/complaints/?status=recorded")
    submit(clerk, f"a[href='{page_url}']")
    submit(clerk, "button[name=do][value=acknowledge]")
    assert badge(clerk, "acknowledged") == 1
    clerk.select_option("select[name=assign-department]", "engineering")
    clerk.select_option("select[name=assign-assignee]", str(engineer.pk))
    submit(clerk, "form:has(input[name=action][value=assign]) button[type=submit]")
    assert badge(clerk, "assigned") == 1 and str(engineer) in clerk.locator("main dl").first.inner_text()
    complaint.refresh_from_db()
    assert (complaint.department, complaint.assignee) == ("engineering", engineer)

    # The engineer proposes a reply.
    field = new_page()
    login(field, engineer.username, PASSWORD)
    field.goto("/desk/complaints/")
    submit(field, f"a[href='{page_url}']")
    field.fill("textarea[name=propose_reply-reply_draft]", "已调整空调风速，噪音降低。")
    submit(field, "form:has(input[name=action][value=propose_reply]) button[type=submit]")
    assert badge(field, "proposed") == 1

    # The supervisor sees it waiting for approval, corrects the wording and approves.
    boss = new_page()
    login(boss, supervisor.username, PASSWORD)
    boss.goto("/desk/")
    submit(boss, "a[href='/desk/complaints/?status=proposed']")
    submit(boss, f"a[href='{page_url}']")
    boss.fill("textarea[name=approve_reply-approved_reply]", REPLY)
    submit(boss, "form:has(input[name=action][value=approve_reply]) button[type=submit]")
    assert badge(boss, "approved") == 1 and REPLY in boss.content()

    # The desk sends the reply through the portal; the tenant reads it there.
    clerk.goto(page_url)
    clerk.check("input[name=send_reply-reply_via][value=portal]")
    submit(clerk, "form:has(input[name=action][value=send_reply]) button[type=submit]")
    assert badge(clerk, "closed") == 1
    phone.goto(f"/portal/complaints/{complaint.pk}/")
    assert badge(phone, "closed") == 1 and REPLY in phone.content()

    # The return visit the reply scheduled: the tenant is not satisfied, the complaint reopens.
    visit = FollowUp.objects.get(object_id=complaint.pk, status=FollowUp.Status.OPEN)
    clerk.goto("/desk/followups/?due=upcoming&status=open")  # due within 3 working days
    submit(clerk, f"a[href='/desk/followups/{visit.pk}/']")
    clerk.check("input[name=result][value=dissatisfied]")
    clerk.fill("textarea[name=comments]", "噪音仍然存在，下午更明显")
    submit(clerk, "main form button[type=submit]")
    visit.refresh_from_db()
    assert (visit.status, visit.result) == ("done", "dissatisfied")
    clerk.goto(page_url)
    assert badge(clerk, "assigned") == 1 and "噪音仍然存在" in clerk.content()
    assert clerk.locator("#reopen-count").inner_text() == "1"  # times reopened
    complaint.refresh_from_db()
    assert (complaint.status, complaint.reopen_count, complaint.assignee) == ("assigned", 1, engineer)
