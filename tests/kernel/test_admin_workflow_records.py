"""In the admin a procedure record's state, tenant, unit, number and money are read-only, and
every save leaves an audit event (not only Django's LogEntry)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from jinyuan.admin import WorkflowRecordAdminMixin, is_protected_field
from jinyuan.workflow.models import Application, AuditEvent

pytestmark = pytest.mark.django_db


def _post_change(client, url, **changes):
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(changes)
    return client.post(url, data)


def test_issued_certificate_cannot_be_moved_to_another_tenant(client_for, supervisor, make_certificate, tenant_b):
    cert = make_certificate("issued")
    client = client_for(supervisor)
    url = reverse("admin:permits_premisescertificate_change", args=[cert.pk])
    response = _post_change(client, url, tenant=tenant_b.pk, status="submitted", purpose_detail="银行开户")
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.tenant != tenant_b
    assert cert.status == "issued"
    assert cert.purpose_detail == "银行开户"
    event = AuditEvent.objects.filter(object_id=cert.pk, action="certificate.changed").get()
    assert event.actor == supervisor
    assert event.data["fields"] == ["purpose_detail"]


def test_every_workflow_record_admin_protects_state_tenant_unit_number_and_money():
    for model, model_admin in admin.site._registry.items():
        if not issubclass(model, Application):
            continue
        assert isinstance(model_admin, WorkflowRecordAdminMixin), f"{model.__name__} admin is not a workflow admin"
        readonly = set(model_admin.get_readonly_fields(None))
        protected = {f.name for f in model._meta.fields if is_protected_field(f)}
        assert {"status"} <= protected <= readonly, model.__name__
        assert not model_admin.has_delete_permission(None)
