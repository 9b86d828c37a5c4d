"""The repair pages: the desk's phone intake (and every bad input), the register's filters, a
ticket's dispatch actions, the engineer's phone pages and the tenant's portal pages."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jinyuan.attachments.models import Attachment
from jinyuan.workflow.models import AuditEvent, Deadline
from repairs import services
from repairs.models import RepairCategory, RepairTicket
from tests import factories
from tests.repairs.page_data import category, png, ticket

pytestmark = pytest.mark.django_db

NEW = reverse("desk:repairs:ticket_new")
LIST = reverse("desk:repairs:ticket_list")


@pytest.fixture
def water(db):
    return category("水电", response_minutes=30, completion_hours=4)


def intake(**over):
    data = {
        "tenant": "",
        "unit": "",
        "place": "",
        "reporter_name": "王建国",
        "phone": "13877110001",
        "category": "",
        "description": "卫生间水管漏水",
        "preferred_time": "今天下午",
        "urgency": "normal",
    }
    data.update(over)
    return data


# --- intake --------------------------------------------------------------------------------------


def test_desk_logs_a_call_for_a_tenant_and_lands_on_the_ticket(client_for, desk, tenant_a, unit_a, water):
    response = client_for(desk).post(
        NEW, intake(tenant=tenant_a.pk, unit="1201", category=water.pk, photos=[png(), png("b.png")])
    )
    t = RepairTicket.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("desk:repairs:ticket_detail", args=[t.pk])
    assert (t.tenant, t.unit, t.category, t.status) == (tenant_a, unit_a, water, "reported")
    assert t.preferred_time == "今天下午" and t.applicant == desk
    assert Attachment.objects.filter(object_id=t.pk, kind="photo").count() == 2
    page = client_for(desk).get(response["Location"])
    assert t.number in page.content.decode() and page.context["photos"]["photo"]


def test_a_unit_number_alone_finds_the_company_occupying_it(client_for, desk, tenant_a, unit_a, water):
    client_for(desk).post(NEW, intake(unit="1201", category=water.pk))
    t = RepairTicket.objects.get()
    assert t.tenant == tenant_a and t.unit == unit_a


def test_a_company_alone_gets_its_unit(client_for, desk, tenant_a, unit_a, water):
    client_for(desk).post(NEW, intake(tenant=tenant_a.pk, category=water.pk))
    assert RepairTicket.objects.get().unit == unit_a


def test_a_public_area_needs_only_the_place(client_for, desk, water):
    client_for(desk).post(NEW, intake(place="一楼大堂", category=water.pk))
    t = RepairTicket.objects.get()
    assert t.tenant is None and t.unit is None and t.where == "一楼大堂"


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"reporter_name": ""}, "reporter_name"),
        ({"phone": ""}, "phone"),
        ({"phone": "12345"}, "phone"),
        ({"description": ""}, "description"),
        ({"category": ""}, "category"),
        ({"category": "987654"}, "category"),
        ({"urgency": "whenever"}, "urgency"),
        ({"unit": "9999"}, "unit"),
        ({"tenant": "987654"}, "tenant"),
        ({}, "place"),  # no company, no unit, no public area
    ],
)
def test_bad_intake_shows_the_error_beside_the_field_and_saves_nothing(client_for, desk, water, over, field):
    data = intake(**{"category": water.pk, **over})
    response = client_for(desk).post(NEW, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not RepairTicket.objects.exists()
    assert response.context["form"].data["description"] == data["description"]  # nothing typed is lost


def test_a_file_that_is_not_an_image_is_refused(client_for, desk, water):
    fake = SimpleUploadedFile("leak.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = client_for(desk).post(NEW, intake(place="大堂", category=water.pk, photos=[fake]))
    assert "photos" in response.context["form"].errors
    assert not RepairTicket.objects.exists() and not Attachment.objects.exists()


def test_a_50_mb_photo_is_refused(client_for, desk, water, settings):
    big = SimpleUploadedFile("big.png", png().read() + b"\0" * (50 * 1024 * 1024), content_type="image/png")
    response = client_for(desk).post(NEW, intake(place="大堂", category=water.pk, photos=[big]))
    assert "photos" in response.context["form"].errors
    assert "MB" in " ".join(response.context["form"].errors["photos"])
    assert not RepairTicket.objects.exists()


def test_a_unit_number_two_buildings_share_asks_for_the_company(client_for, desk, unit_a, water):
    other = factories.FloorFactory(building=factories.BuildingFactory(code="B", name="B座"), number=12)
    factories.UnitFactory(floor=other, number="1201")
    response = client_for(desk).post(NEW, intake(unit="1201", category=water.pk))
    assert "unit" in response.context["form"].errors and not RepairTicket.objects.exists()


def test_the_typeahead_finds_a_company_by_unit_number_or_name(client_for, desk, tenant_a, tenant_b):
    client = client_for(desk)
    by_unit = client.get(reverse("desk:repairs:tenant_lookup"), {"q": "1201"}).json()["results"]
    assert by_unit == [
        {"id": tenant_a.pk, "name": tenant_a.name, "unit": "1201", "contact": "王建国", "phone": "13877110001"}
    ]
    by_name = client.get(reverse("desk:repairs:tenant_lookup"), {"q": "乙方"}).json()["results"]
    assert [r["id"] for r in by_name] == [tenant_b.pk] and by_name[0]["unit"] == "1502"
    assert client.get(reverse("desk:repairs:tenant_lookup"), {"q": ""}).json()["results"] == []


def test_a_source_record_is_kept_on_the_ticket(desk, tenant_a, water):
    t = services.report(
        by=desk, category=water, reporter_name="巡查", phone="13877110001", description="x", source=tenant_a
    )
    assert t.source_id == tenant_a.pk and t.source_type.model == "tenant"


# --- register ------------------------------------------------------------------------------------


def _numbers(response) -> set[str]:
    return {t.number for t in response.context["object_list"]}


def test_register_filters_each_return_the_right_rows(client_for, desk, engineer, tenant_a, unit_a, water):
    pooled = ticket(desk, "pooled", place="B2 车库", reporter_name="张三", phone="13900001111")
    mine = ticket(desk, "accepted", engineer=engineer, tenant=tenant_a, unit=unit_a, urgency="urgent")
    public = ticket(desk, "reported", place="一楼大堂", reporter_name="李四", phone="13700002222")
    client = client_for(desk)
    assert _numbers(client.get(LIST)) == {pooled.number, mine.number, public.number}
    assert _numbers(client.get(LIST, {"status": "pooled"})) == {pooled.number}
    assert _numbers(client.get(LIST, {"category": water.pk})) == {mine.number, public.number}
    assert _numbers(client.get(LIST, {"engineer": engineer.pk})) == {mine.number}
    assert _numbers(client.get(LIST, {"urgency": "urgent"})) == {mine.number}
    assert _numbers(client.get(LIST, {"q": mine.number.lower()})) == {mine.number}
    assert _numbers(client.get(LIST, {"q": "1390000"})) == {pooled.number}  # a phone's start
    assert _numbers(client.get(LIST, {"q": "1201"})) == {mine.number}  # a unit number
    assert _numbers(client.get(LIST, {"q": "甲方"})) == {mine.number}  # the company
    assert _numbers(client.get(LIST, {"q": "李四"})) == {public.number}  # the caller
    assert _numbers(client.get(LIST, {"q": "车库"})) == {pooled.number}  # the place
    today = timezone.localdate()
    assert len(_numbers(client.get(LIST, {"created_from": today, "created_to": today}))) == 3
    assert _numbers(client.get(LIST, {"created_to": today - timedelta(days=1)})) == set()


def test_late_tickets_are_flagged_and_filtered(client_for, desk, tenant_a, water):
    late = ticket(desk, "reported", tenant=tenant_a)
    on_time = ticket(desk, "reported", place="大堂")
    Deadline.objects.filter(object_id=late.pk, kind="response").update(due_at=timezone.now() - timedelta(minutes=5))
    client = client_for(desk)
    response = client.get(LIST, {"overdue": "true"})
    assert _numbers(response) == {late.number}
    row = response.context["object_list"][0]
    assert row.response_late and not row.completion_late
    assert "Response late" in response.content.decode() or "响应超时" in response.content.decode()
    assert _numbers(client.get(LIST, {"overdue": "false"})) == {on_time.number}


def test_the_register_exports_the_filtered_rows_to_excel(client_for, desk, water):
    ticket(desk, "reported", place="大堂")
    response = client_for(desk).get(LIST, {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")


# --- desk detail: dispatch ------------------------------------------------------------------------


def test_desk_assigns_to_an_engineer_only(client_for, desk, engineer, guard, water):
    t = ticket(desk, "reported", place="大堂")
    url = reverse("desk:repairs:ticket_detail", args=[t.pk])
    client = client_for(desk)
    page = client.get(url)
    choices = [c[0].value for c in page.context["dispatch_form"].fields["engineer"].choices if c[0]]
    assert choices == [engineer.pk]
    refused = client.post(url, {"action": "dispatch", "dispatch-engineer": guard.pk})
    assert refused.status_code == 400 and "engineer" in refused.context["dispatch_form"].errors
    t.refresh_from_db()
    assert t.status == "reported" and t.assignee is None
    assert client.post(url, {"action": "dispatch", "dispatch-engineer": engineer.pk}).status_code == 302
    t.refresh_from_db()
    assert t.status == "dispatched" and t.assignee == engineer


def test_hand_over_needs_a_reason(client_for, desk, engineer, water):
    other = factories.UserFactory(username="eng2", roles=["engineering"])
    t = ticket(desk, "dispatched", engineer=engineer, place="大堂")
    url = reverse("desk:repairs:ticket_detail", args=[t.pk])
    client = client_for(desk)
    response = client.post(url, {"action": "hand_over", "hand_over-engineer": other.pk, "hand_over-note": ""})
    assert response.status_code == 400
    t.refresh_from_db()
    assert t.assignee == engineer
    client.post(url, {"action": "hand_over", "hand_over-engineer": other.pk, "hand_over-note": "请假"})
    t.refresh_from_db()
    assert t.assignee == other and AuditEvent.objects.filter(object_id=t.pk, action="repair.handed_over").exists()


def test_desk_pools_cancels_and_closes(client_for, desk, engineer, water):
    client = client_for(desk)
    a = ticket(desk, "reported", place="大堂")
    client.post(reverse("desk:repairs:ticket_detail", args=[a.pk]), {"action": "pool"})
    b = ticket(desk, "reported", place="大堂")
    client.post(reverse("desk:repairs:ticket_detail", args=[b.pk]), {"action": "cancel", "note": "重复报修"})
    c = ticket(desk, "completed", engineer=engineer, place="大堂")
    client.post(reverse("desk:repairs:ticket_detail", args=[c.pk]), {"action": "close"})
    assert [RepairTicket.objects.get(pk=x.pk).status for x in (a, b, c)] == ["pooled", "cancelled", "closed"]
    # The cancelled ticket's response deadline has no outcome and says so: it counts in no rate.
    runs = Deadline.objects.filter(content_type__model="repairticket", object_id=b.pk)
    assert runs.exists() and set(runs.values_list("state", "met")) == {("stopped", None)}
    assert "已撤回，不计时效" in client.get(reverse("desk:repairs:ticket_detail", args=[b.pk])).content.decode()


def test_a_refused_transition_is_a_message_and_changes_nothing(client_for, desk, engineer, water):
    t = ticket(desk, "completed", engineer=engineer, place="大堂")
    url = reverse("desk:repairs:ticket_detail", args=[t.pk])
    events = AuditEvent.objects.count()
    response = client_for(desk).post(url, {"action": "cancel", "note": "x"})
    assert response.status_code == 302 and response["Location"] == url
    response = client_for(desk).post(url, {"action": "dispatch", "dispatch-engineer": engineer.pk})
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.status == "completed" and AuditEvent.objects.count() == events


# --- the engineer's phone -------------------------------------------------------------------------


def test_the_engineer_sees_own_tickets_by_due_time_and_the_pool(client_for, desk, engineer, water):
    other = factories.UserFactory(username="eng2", roles=["engineering"])
    later = ticket(desk, "dispatched", engineer=engineer, place="大堂")
    sooner = ticket(desk, "dispatched", engineer=engineer, place="三楼")
    Deadline.objects.filter(object_id=sooner.pk, kind="response").update(due_at=timezone.now() + timedelta(minutes=1))
    theirs = ticket(desk, "dispatched", engineer=other, place="五楼")
    pooled = ticket(desk, "pooled", place="B2")
    page = client_for(engineer).get(reverse("desk:repairs:engineer_worklist"))
    assert [t.pk for t in page.context["mine"]] == [sooner.pk, later.pk]
    assert [t.pk for t in page.context["pool"]] == [pooled.pk]
    assert theirs.number not in page.content.decode()
    assert client_for(engineer).get(reverse("desk:repairs:engineer_ticket", args=[theirs.pk])).status_code == 404
    assert client_for(engineer).get(reverse("desk:repairs:engineer_ticket", args=[pooled.pk])).status_code == 200


def test_an_emergency_comes_first_on_equal_due_times(client_for, desk, engineer, water):
    normal = ticket(desk, "dispatched", engineer=engineer, place="大堂")
    urgent = ticket(desk, "dispatched", engineer=engineer, place="电梯", urgency="emergency")
    due = timezone.now() + timedelta(minutes=10)
    Deadline.objects.filter(object_id__in=[normal.pk, urgent.pk]).update(due_at=due)
    page = client_for(engineer).get(reverse("desk:repairs:engineer_worklist"))
    assert [t.pk for t in page.context["mine"]] == [urgent.pk, normal.pk]


def test_the_engineer_takes_accepts_arrives_pauses_resumes_and_completes_with_photos(client_for, desk, engineer):
    t = ticket(desk, "pooled", place="B2")
    url = reverse("desk:repairs:engineer_ticket", args=[t.pk])
    client = client_for(engineer)
    client.post(url, {"action": "take"})
    client.post(url, {"action": "arrive"})
    assert client.post(url, {"action": "pause", "pause_reason": "weather"}).status_code == 400
    client.post(url, {"action": "pause", "pause_reason": "tenant"})
    t.refresh_from_db()
    assert t.status == "paused" and t.pause_reason == "tenant"
    client.post(url, {"action": "resume"})
    bad = client.post(url, {"action": "complete", "materials": "x", "before": [SimpleUploadedFile("a.jpg", b"GIF89a")]})
    assert bad.status_code == 400 and "before" in bad.context["complete_form"].errors
    t.refresh_from_db()
    assert t.status == "on_site"
    client.post(url, {"action": "complete", "materials": "滤网 1 个", "before": [png()], "after": [png("after.png")]})
    t.refresh_from_db()
    assert t.status == "completed" and t.materials == "滤网 1 个" and t.assignee == engineer
    kinds = sorted(Attachment.objects.filter(object_id=t.pk).values_list("kind", flat=True))
    assert kinds == ["after", "before"]


def test_the_engineer_accepts_an_assigned_ticket(client_for, desk, engineer):
    t = ticket(desk, "dispatched", engineer=engineer, place="大堂")
    client_for(engineer).post(reverse("desk:repairs:engineer_ticket", args=[t.pk]), {"action": "accept"})
    t.refresh_from_db()
    assert t.status == "accepted" and t.accepted_at


def test_the_engineer_opens_no_desk_register_and_no_billing(client_for, engineer):
    client = client_for(engineer)
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("desk:billing:bill_list")).status_code == 403
    assert client.get(reverse("desk:billing:payment_list")).status_code == 403


# --- portal --------------------------------------------------------------------------------------


def test_a_tenant_reports_from_the_portal_with_photos(client_for, tenant_a_admin, tenant_a, unit_a, water):
    response = client_for(tenant_a_admin).post(
        reverse("portal:repairs:ticket_new"),
        {
            "where": unit_a.pk,
            "category": water.pk,
            "description": "空调不制冷",
            "urgency": "normal",
            "phone": "13877110001",
            "photos": [png()],
        },
    )
    t = RepairTicket.objects.get()
    assert response["Location"] == reverse("portal:repairs:ticket_detail", args=[t.pk])
    assert (t.tenant, t.unit, t.applicant) == (tenant_a, unit_a, tenant_a_admin)
    page = client_for(tenant_a_admin).get(response["Location"])
    assert page.status_code == 200 and page.context["progress"]
    assert Attachment.objects.filter(object_id=t.pk, kind="photo").count() == 1


def test_a_tenant_cannot_report_for_another_companys_unit(client_for, tenant_a_admin, unit_b, water):
    response = client_for(tenant_a_admin).post(
        reverse("portal:repairs:ticket_new"),
        {"where": unit_b.pk, "category": water.pk, "description": "x", "urgency": "normal", "phone": "13877110001"},
    )
    assert "where" in response.context["form"].errors and not RepairTicket.objects.exists()


def test_a_public_area_report_needs_the_place(client_for, tenant_a_admin, water):
    data = {"where": "public", "category": water.pk, "description": "x", "urgency": "normal", "phone": "13877110001"}
    response = client_for(tenant_a_admin).post(reverse("portal:repairs:ticket_new"), data)
    assert "place" in response.context["form"].errors
    client_for(tenant_a_admin).post(reverse("portal:repairs:ticket_new"), {**data, "place": "12楼男卫"})
    assert RepairTicket.objects.get().place == "12楼男卫"


def test_another_companys_ticket_is_a_404(client_for, desk, tenant_a, tenant_b_admin, tenant_a_admin):
    t = ticket(desk, "reported", tenant=tenant_a)
    assert client_for(tenant_b_admin).get(reverse("portal:repairs:ticket_detail", args=[t.pk])).status_code == 404
    listed = client_for(tenant_b_admin).get(reverse("portal:repairs:ticket_list"))
    assert t.number not in listed.content.decode()
    assert client_for(tenant_a_admin).get(reverse("portal:repairs:ticket_detail", args=[t.pk])).status_code == 200


def test_portal_photos_are_served_to_the_company_only(client_for, desk, tenant_a, tenant_a_admin, tenant_b_admin):
    t = services.report_with_photos(
        by=desk,
        category=category(),
        photos=[png()],
        tenant=tenant_a,
        reporter_name="王",
        phone="13877110001",
        description="x",
    )
    photo = Attachment.objects.get(object_id=t.pk)
    url = reverse("attachments:thumbnail", args=[photo.pk])
    assert client_for(tenant_a_admin).get(url).status_code == 200
    assert client_for(tenant_b_admin).get(url).status_code == 404


def test_a_large_register_shows_an_estimated_count_and_still_its_rows(client_for, desk, water, monkeypatch):
    from jinyuan import paginator

    for i in range(3):
        ticket(desk, "reported", place=f"{i}楼")
    exact = client_for(desk).get(LIST)
    assert exact.context["paginator"].count == 3 and not exact.context["paginator"].estimated
    monkeypatch.setattr(paginator, "EXACT_BELOW", 0)  # as if the register held 200,000 tickets
    estimated = client_for(desk).get(LIST)
    assert estimated.context["paginator"].estimated
    assert len(estimated.context["object_list"]) == 3


def test_a_ticket_someone_else_took_sends_the_engineer_back_to_the_list(client_for, desk, engineer):
    other = factories.UserFactory(username="eng2", roles=["engineering"])
    t = ticket(desk, "pooled", place="B2")
    services.take(t, by=other)
    response = client_for(engineer).post(reverse("desk:repairs:engineer_ticket", args=[t.pk]), {"action": "take"})
    assert response.status_code == 302 and response["Location"] == reverse("desk:repairs:engineer_worklist")
    t.refresh_from_db()
    assert t.assignee == other


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("desk", "desk:repairs:ticket_detail"),
        ("engineer", "desk:repairs:engineer_ticket"),
        ("tenant_a_admin", "portal:repairs:ticket_detail"),
    ],
)
def test_every_ticket_page_holds_the_quote_and_feedback_slots(
    client_for, persona, desk, engineer, tenant_a, unit_a, who, name
):
    t = ticket(desk, "accepted", engineer=engineer, tenant=tenant_a, unit=unit_a)
    response = client_for(persona(who)).get(reverse(name, args=[t.pk]))
    used = {tpl.name for tpl in response.templates}
    assert {"repairs/_quote_panel.html", "repairs/_feedback_panel.html"} <= used
    assert response.context["ticket"].pk == t.pk and response.context["side"] in ("desk", "engineer", "portal")


def test_a_tenant_reports_a_pool_category_and_it_waits_in_the_pool(client_for, tenant_a_admin, unit_a):
    aircon = category("空调", dispatch=RepairCategory.Dispatch.POOL)
    response = client_for(tenant_a_admin).post(
        reverse("portal:repairs:ticket_new"),
        {
            "where": unit_a.pk,
            "category": aircon.pk,
            "description": "不制冷",
            "urgency": "normal",
            "phone": "13877110001",
        },
    )
    t = RepairTicket.objects.get()
    assert response.status_code == 302 and t.status == "pooled"
    assert AuditEvent.objects.filter(object_id=t.pk, action="repair.pooled").get().actor == tenant_a_admin


def test_reminder_links_lead_each_reader_to_their_page(client_for, desk, engineer, tenant_a, unit_a):
    t = ticket(desk, "accepted", engineer=engineer, tenant=tenant_a, unit=unit_a)
    assert t.deadline_url == reverse("desk:repairs:ticket_detail", args=[t.pk])
    assert t.deadline_portal_url == reverse("portal:repairs:ticket_detail", args=[t.pk])
    response = client_for(engineer).get(t.deadline_url)
    assert response["Location"] == reverse("desk:repairs:engineer_ticket", args=[t.pk])
    assert client_for(desk).get(t.deadline_url).status_code == 200
