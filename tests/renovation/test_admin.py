"""The works records in the Django admin (supervisors): inspections, rectification orders,
deductions and extensions listed, filtered and searched; facts read-only; an inspection's
findings corrected with an audit event; proposed deductions and extensions approved in bulk
through their services."""

from datetime import timedelta

import pytest
from django.urls import reverse

from jinyuan.workflow.models import AuditEvent
from renovation import extensions
from renovation.models import Deduction, Extension
from tests.renovation.data import deduction_for, order_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(in_works, engineer, tenant_a_admin):
    order = order_for(in_works, engineer)
    deduction = deduction_for(in_works, engineer)
    extension = extensions.extension_apply(
        renovation=in_works, by=tenant_a_admin, new_end=in_works.granted_end + timedelta(days=30), reason="材料延迟"
    )
    return {"order": order, "inspection": order.inspection, "deduction": deduction, "extension": extension}


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("inspection", {"violation__exact": "1", "department": "engineering", "q": "配电箱"}),
        ("rectificationorder", {"status__exact": "open", "q": "ZG"}),
        ("deduction", {"status__exact": "proposed", "q": "私改线路"}),
        ("extension", {"status__exact": "applied", "q": "材料"}),
    ],
)
def test_the_supervisor_lists_filters_and_searches(client_for, supervisor, works, model, query):
    url = reverse(f"admin:renovation_{model}_changelist")
    client = client_for(supervisor)
    assert client.get(url).status_code == 200
    page = client.get(url, query)
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1


def test_an_inspections_findings_are_corrected_with_an_audit_event_and_its_facts_are_read_only(
    client_for, supervisor, works
):
    inspection = works["inspection"]
    url = reverse("admin:renovation_inspection_change", args=[inspection.pk])
    page = client_for(supervisor).get(url)
    assert set(page.context["adminform"].form.fields) == {"findings"}
    response = client_for(supervisor).post(url, {"findings": "配电箱未加盖，强电井内电线裸露", "violation": ""})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.findings == "配电箱未加盖，强电井内电线裸露" and inspection.violation is True
    event = AuditEvent.objects.get(action="renovation_inspection.changed", object_id=inspection.pk)
    assert event.actor == supervisor and event.data["fields"] == ["findings"]


@pytest.mark.parametrize("key", ["order", "deduction", "extension"])
def test_orders_deductions_and_extensions_are_shown_not_edited(client_for, supervisor, works, key):
    obj = works[key]
    url = reverse(f"admin:renovation_{obj._meta.model_name}_change", args=[obj.pk])
    client = client_for(supervisor)
    page = client.get(url)
    assert page.status_code == 200 and not page.context["adminform"].form.fields
    events = AuditEvent.objects.count()
    assert client.post(url, {"status": "closed"}).status_code == 403
    assert AuditEvent.objects.count() == events
    assert client.post(reverse(f"admin:renovation_{obj._meta.model_name}_delete", args=[obj.pk])).status_code == 403


def test_nothing_is_added_in_the_admin(client_for, supervisor):
    for model in ("inspection", "rectificationorder", "deduction", "extension"):
        assert client_for(supervisor).get(reverse(f"admin:renovation_{model}_add")).status_code == 403


def test_proposed_deductions_and_extensions_are_approved_in_bulk_through_their_services(
    client_for, supervisor, works, in_works
):
    client = client_for(supervisor)
    for model, obj in (("deduction", works["deduction"]), ("extension", works["extension"])):
        url = reverse(f"admin:renovation_{model}_changelist")
        response = client.post(url, {"action": "approve_selected", "_selected_action": [obj.pk]})
        assert response.status_code == 302
    assert Deduction.objects.get(pk=works["deduction"].pk).status == "approved"
    extension = Extension.objects.get(pk=works["extension"].pk)
    assert extension.status == "approved" and extension.fees_bill is not None
    in_works.refresh_from_db()
    assert in_works.granted_end == extension.new_end
    assert AuditEvent.objects.filter(action="renovation.extended", actor=supervisor).count() == 1


def test_a_bulk_approval_of_a_decided_record_is_reported_not_raised(client_for, supervisor, works):
    from renovation import services

    services.deduction_approve(obj=works["deduction"], by=supervisor)
    url = reverse("admin:renovation_deduction_changelist")
    response = client_for(supervisor).post(
        url, {"action": "approve_selected", "_selected_action": [works["deduction"].pk]}, follow=True
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["success", "warning"]
