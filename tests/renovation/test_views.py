"""The renovation pages: apply in the portal with files, errors beside fields, the desk's
review and approval buttons, the correction of a returned application, the permit PDF."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from renovation.models import Renovation
from tests.renovation.data import files, pdf

pytestmark = pytest.mark.django_db
S = Renovation.Status


def form_data(unit, **over):
    today = timezone.localdate()
    return {
        "unit": unit.pk,
        "intended_use": "office",
        "contact_name": "王建国",
        "contact_phone": "13877110001",
        "contractor_name": "南宁精工装饰工程有限公司",
        "contractor_person": "赵师傅",
        "contractor_phone": "13977130003",
        "planned_start": (today + timedelta(days=2)).isoformat(),
        "planned_end": (today + timedelta(days=30)).isoformat(),
        "work_items": "隔墙\n吊顶\n",
        "electrical_load_kw": "12.5",
        "fire_safety_person": "王建国",
        "fire_safety_phone": "13877110001",
        **files(),
        **over,
    }


def test_the_tenant_admin_applies_with_files(client_for, tenant_a_admin, unit_a):
    response = client_for(tenant_a_admin).post(reverse("portal:renovation:renovation_new"), form_data(unit_a))
    renovation = Renovation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:renovation:renovation_detail", args=[renovation.pk])
    assert renovation.work_items == ["隔墙", "吊顶"]
    page = client_for(tenant_a_admin).get(response["Location"]).content.decode()
    assert "南宁精工装饰工程有限公司" in page and "平面布置图" in page


@pytest.mark.parametrize(
    ("over", "field", "text"),
    [
        ({"planned_start": "2020-01-01"}, "planned_start", "The start cannot be in the past."),
        ({"planned_end": timezone.localdate().isoformat()}, "planned_end", "The end must be after the start."),
        (
            {"drawing_plan": SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
            "drawing_plan",
            "",
        ),
        ({"intended_use": "retail"}, "fire_approval", "This file is required."),
    ],
)
def test_bad_input_is_shown_beside_its_field_and_nothing_is_lost(
    client_for, tenant_a_admin, unit_a, english, over, field, text
):
    response = client_for(tenant_a_admin, HTTP_ACCEPT_LANGUAGE="en").post(
        reverse("portal:renovation:renovation_new"), form_data(unit_a, **over)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    if text:
        assert text in form.errors[field]
    assert form["contractor_name"].value() == "南宁精工装饰工程有限公司"
    assert not Renovation.objects.exists()


def test_load_above_the_supply_is_shown_beside_the_field(client_for, tenant_a_admin, unit_a):
    unit_a.power_supply_kw = 10
    unit_a.save()
    response = client_for(tenant_a_admin).post(reverse("portal:renovation:renovation_new"), form_data(unit_a))
    assert "electrical_load_kw" in response.context["form"].errors


def test_the_desk_applies_for_a_tenant(client_for, desk, tenant_a, unit_a):
    url = reverse("desk:renovation:renovation_new", args=[tenant_a.pk])
    response = client_for(desk).post(url, form_data(unit_a))
    renovation = Renovation.objects.get()
    assert response["Location"] == reverse("desk:renovation:renovation_detail", args=[renovation.pk])
    assert renovation.applicant == desk and renovation.tenant == tenant_a


def test_reviews_and_approval_through_the_detail_page(client_for, make_renovation, engineer, guard, supervisor):
    renovation = make_renovation("applied")
    url = reverse("desk:renovation:renovation_detail", args=[renovation.pk])
    page = client_for(engineer).get(url).content.decode()
    assert 'value="pass_engineering"' in page and 'value="pass_security"' not in page
    # A return without remarks re-renders the page with the error beside the note.
    response = client_for(engineer).post(url, {"action": "return_engineering", "note": ""})
    assert response.status_code == 400
    client_for(engineer).post(url, {"action": "pass_engineering", "note": "图纸齐全"})
    client_for(guard).post(url, {"action": "pass_security", "note": ""})
    assert Renovation.objects.get(pk=renovation.pk).status == S.REVIEWED
    client_for(supervisor).post(url, {"action": "approve", "note": ""})
    renovation.refresh_from_db()
    assert renovation.status == S.APPROVED and renovation.fees_bill is not None
    page = client_for(supervisor).get(url).content.decode()
    assert renovation.fees_bill.number in page and "费用已开单并缴清" in page


def test_a_returned_application_is_corrected_in_the_portal(client_for, make_renovation, tenant_a_admin, unit_a):
    renovation = make_renovation("returned")
    url = reverse("portal:renovation:renovation_correct", args=[renovation.pk])
    page = client_for(tenant_a_admin).get(url).content.decode()
    assert "电气图缺配电箱位置" in page
    data = {k: v for k, v in form_data(unit_a).items() if k not in files() and k != "unit"}
    data["drawing_electrical"] = pdf("电气图v2.pdf")
    response = client_for(tenant_a_admin).post(url, data)
    assert response.status_code == 302
    assert Renovation.objects.get(pk=renovation.pk).status == S.APPLIED


def test_a_returned_application_is_corrected_by_the_desk_for_the_tenant(client_for, make_renovation, desk, unit_a):
    renovation = make_renovation("returned")
    url = reverse("desk:renovation:renovation_correct", args=[renovation.pk])
    detail = reverse("desk:renovation:renovation_detail", args=[renovation.pk])
    assert url in client_for(desk).get(detail).content.decode()
    assert "电气图缺配电箱位置" in client_for(desk).get(url).content.decode()
    data = {k: v for k, v in form_data(unit_a).items() if k not in files() and k != "unit"}
    bad = client_for(desk).post(url, {**data, "planned_end": data["planned_start"]})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()
    data["drawing_electrical"] = pdf("电气图v2.pdf")
    response = client_for(desk).post(url, data)
    assert response.status_code == 302 and response["Location"] == detail
    assert Renovation.objects.get(pk=renovation.pk).status == S.APPLIED
    # Once sent again, the correction page leads back to the renovation.
    assert client_for(desk).get(url).status_code == 302


def test_the_permit_pdf_for_desk_and_tenant(client_for, make_renovation, desk, tenant_a_admin):
    renovation = make_renovation("in_works", planned_start=timezone.localdate())
    for client, name in ((client_for(desk), "desk"), (client_for(tenant_a_admin), "portal")):
        response = client.get(reverse(f"{name}:renovation:renovation_permit", args=[renovation.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"


def test_register_filters_and_export(client_for, make_renovation, desk):
    renovation = make_renovation("applied")
    url = reverse("desk:renovation:renovation_list")
    assert renovation.contractor_name in client_for(desk).get(url, {"q": "精工"}).content.decode()
    assert (
        "No renovations match"
        in client_for(desk, HTTP_ACCEPT_LANGUAGE="en").get(url, {"status": "in_works"}).content.decode()
    )
    assert client_for(desk).get(url, {"overdue": "true"}).status_code == 200
    response = client_for(desk).get(url, {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_fee_schedule_changed_in_the_admin_is_labelled_on_the_timeline(client_for, supervisor):
    from jinyuan.workflow import labels
    from jinyuan.workflow.models import AuditEvent
    from renovation.models import FeeSchedule

    schedule = FeeSchedule.objects.get()
    url = reverse("admin:renovation_feeschedule_change", args=[schedule.pk])
    client = client_for(supervisor)
    form = client.get(url).context["adminform"].form
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    data["waste_removal_fee"] = "888.00"
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.get(object_id=schedule.pk, action="renovation_fees.changed")
    assert event.data["fields"] == ["waste_removal_fee"]
    assert labels.action_label(event.action) == "修改装修收费标准"
    assert labels.action_label("renovation_rules.created") == "新增消防审批规则"


def _inspection_form(**over):
    now = timezone.localtime() - timezone.timedelta(hours=1)
    return {
        "department": "engineering",
        "inspected_at": now.strftime("%Y-%m-%dT%H:%M"),
        "findings": "配电箱未加盖，电线裸露",
        "violation": "on",
        "requirement": "配电箱加盖，线路穿管",
        "due_on": (timezone.localdate() + timezone.timedelta(days=3)).isoformat(),
        **over,
    }


def test_an_inspection_with_a_violation_through_the_page_issues_the_order(client_for, make_renovation, engineer):
    from renovation.models import RectificationOrder
    from tests.factories import tiny_image

    r = make_renovation("in_works", planned_start=timezone.localdate())
    detail = reverse("desk:renovation:renovation_detail", args=[r.pk])
    url = reverse("desk:renovation:inspection_new", args=[r.pk])
    assert url in client_for(engineer).get(detail).content.decode()
    page = client_for(engineer).get(url).content.decode()
    assert 'value="security"' not in page  # engineering records engineering's inspections
    photo = SimpleUploadedFile("现场.jpg", tiny_image(), content_type="image/jpeg")
    response = client_for(engineer).post(url, {**_inspection_form(), "photo_1": photo})
    assert response.status_code == 302
    order = RectificationOrder.objects.get()
    page = client_for(engineer).get(detail).content.decode()
    assert order.document.number in page and "配电箱加盖，线路穿管" in page
    pdf = client_for(engineer).get(reverse("desk:renovation:order_pdf", args=[order.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_inspection_errors_are_shown_beside_their_fields(client_for, make_renovation, engineer):
    from renovation.models import Inspection

    r = make_renovation("in_works", planned_start=timezone.localdate())
    url = reverse("desk:renovation:inspection_new", args=[r.pk])
    response = client_for(engineer, HTTP_ACCEPT_LANGUAGE="en").post(url, _inspection_form(requirement="", due_on=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"requirement", "due_on"}
    assert Inspection.objects.count() == 0


def test_the_tenant_sees_the_order_and_downloads_it(client_for, make_renovation, engineer, tenant_a_admin):
    from tests.renovation.data import order_for

    order = order_for(make_renovation("in_works", planned_start=timezone.localdate()), engineer)
    page = client_for(tenant_a_admin).get(reverse("portal:renovation:renovation_detail", args=[order.renovation_id]))
    assert order.document.number in page.content.decode()
    pdf = client_for(tenant_a_admin).get(reverse("portal:renovation:order_pdf", args=[order.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_inspection_and_order_registers_filter_and_export(client_for, make_renovation, engineer, desk):
    from tests.renovation.data import order_for

    order = order_for(make_renovation("in_works", planned_start=timezone.localdate()), engineer)
    inspections = reverse("desk:renovation:inspection_list")
    orders = reverse("desk:renovation:order_list")
    assert "配电箱未加盖" in client_for(desk).get(inspections, {"violation": "true"}).content.decode()
    assert "配电箱未加盖" not in client_for(desk).get(inspections, {"violation": "false"}).content.decode()
    assert order.document.number in client_for(desk).get(orders, {"q": order.document.number}).content.decode()
    assert order.document.number not in client_for(desk).get(orders, {"status": "closed"}).content.decode()
    assert order.document.number not in client_for(desk).get(orders, {"overdue": "true"}).content.decode()
    for url in (inspections, orders):
        response = client_for(desk).get(url, {"export": "xlsx"})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_stop_and_lift_through_the_detail_page(client_for, make_renovation, supervisor):
    r = make_renovation("in_works", planned_start=timezone.localdate())
    url = reverse("desk:renovation:renovation_detail", args=[r.pk])
    client = client_for(supervisor)
    assert 'value="stop_works"' in client.get(url).content.decode()
    assert client.post(url, {"action": "stop_works", "note": "私拉电线"}).status_code == 302
    r.refresh_from_db()
    assert r.status == "stopped"
    assert client.post(url, {"action": "lift_stop"}).status_code == 302
    r.refresh_from_db()
    assert r.status == "in_works"


def test_a_deduction_proposed_and_approved_through_the_pages(client_for, make_renovation, guard, supervisor):
    from renovation.models import Deduction

    r = make_renovation("in_works", planned_start=timezone.localdate())
    url = reverse("desk:renovation:deduction_new", args=[r.pk])
    assert url in client_for(guard).get(reverse("desk:renovation:renovation_detail", args=[r.pk])).content.decode()
    data = {
        "department": "security",
        "note": "",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "0",
        "items-0-reason": "消防通道堆放材料",
        "items-0-amount": "500",
        "items-1-reason": "",
        "items-1-amount": "",
        "items-2-reason": "",
        "items-2-amount": "",
    }
    bad = client_for(guard).post(url, {**data, "items-0-amount": ""})
    assert bad.status_code == 200 and Deduction.objects.count() == 0
    assert client_for(guard).post(url, data).status_code == 302
    d = Deduction.objects.get()
    detail = reverse("desk:renovation:deduction_detail", args=[d.pk])
    assert 'value="approve"' not in client_for(guard).get(detail).content.decode()
    assert client_for(supervisor).post(detail, {"action": "approve"}).status_code == 302
    d.refresh_from_db()
    assert d.status == "approved"


def test_acceptance_requested_in_the_portal_and_passed_at_the_desk(
    client_for, make_renovation, tenant_a_admin, engineer, guard
):
    r = make_renovation("in_works", planned_start=timezone.localdate())
    portal = reverse("portal:renovation:renovation_detail", args=[r.pk])
    assert 'value="request_acceptance"' in client_for(tenant_a_admin).get(portal).content.decode()
    assert client_for(tenant_a_admin).post(portal, {"action": "request_acceptance"}).status_code == 302
    desk = reverse("desk:renovation:renovation_detail", args=[r.pk])
    assert client_for(engineer).post(desk, {"action": "pass_acceptance_engineering"}).status_code == 302
    assert client_for(guard).post(desk, {"action": "pass_acceptance_security"}).status_code == 302
    r.refresh_from_db()
    assert r.status == "accepted"
    page = client_for(tenant_a_admin, HTTP_ACCEPT_LANGUAGE="en").get(portal).content.decode()
    assert f"until {r.defect_period_ends:%Y-%m-%d}" in page
