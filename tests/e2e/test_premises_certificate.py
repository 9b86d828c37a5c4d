"""A tenant requests a premises certificate, the desk checks it, a supervisor issues and
later revokes it, and a guard's scan of the QR link tells the truth at each step."""

import re

import pytest
from django.core import mail

from jinyuan.documents.models import Document
from permits.models import PremisesCertificate

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


@pytest.fixture
def people(desk, supervisor, tenant_a_admin):
    for user in (desk, supervisor, tenant_a_admin):
        user.set_password(PASSWORD)
        user.email = user.email or f"{user.username}@example.com"
        user.save()
    return desk, supervisor, tenant_a_admin


def test_certificate_from_request_to_revocation(new_page, people, tenant_a, unit_a, live_server):
    desk, supervisor, tenant_admin = people

    # The tenant's admin, on a phone, asks for a certificate for business registration.
    tenant = new_page(phone=True)
    login(tenant, tenant_admin.username, PASSWORD)
    tenant.wait_for_url(re.compile(r"/portal/$"))
    assert tenant_a.name in tenant.content()
    tenant.goto("/portal/certificates/new/")
    submit(tenant, "main button[type=submit]")  # empty form: errors beside the fields, nothing saved
    assert tenant.locator(".invalid-feedback, .is-invalid").count() > 0
    assert PremisesCertificate.objects.count() == 0
    tenant.select_option("select[name=unit]", str(unit_a.pk))
    tenant.select_option("select[name=purpose]", "business_registration")
    tenant.fill("input[name=purpose_detail]", "南宁市青秀区市场监督管理局")
    submit(tenant, "main button[type=submit]")
    tenant.wait_for_url(re.compile(r"/portal/certificates/\d+/$"))
    cert = PremisesCertificate.objects.get()
    assert cert.status == "submitted"

    # The desk sees it waiting, checks the occupancy shown on the page and passes it on.
    clerk = new_page()
    login(clerk, desk.username, PASSWORD)
    clerk.wait_for_url(re.compile(r"/desk/$"))
    clerk.goto("/desk/certificates/?status=submitted")
    submit(clerk, f"a[href='/desk/certificates/{cert.pk}/']")
    assert unit_a.number in clerk.content()
    assert clerk.locator(".bi-check-circle-fill").count() == 1  # occupancy confirmed
    assert clerk.locator("button[value=approve]").count() == 0  # not the desk's decision
    submit(clerk, "button[value=pass_check]")
    cert.refresh_from_db()
    assert cert.status == "checked"

    # The supervisor approves; the certificate gets its number and a PDF.
    boss = new_page()
    login(boss, supervisor.username, PASSWORD)
    boss.goto(f"/desk/certificates/{cert.pk}/")
    submit(boss, "button[value=approve]")
    cert.refresh_from_db()
    assert cert.status == "issued"
    number = cert.document.number
    assert re.fullmatch(r"CM-\d{4}-00001", number)
    assert number in boss.content()
    pdf = boss.request.get(f"/desk/certificates/{cert.pk}/pdf/")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # The tenant is told (in the portal and by e-mail) and downloads the certificate.
    assert any(number in m.subject for m in mail.outbox)
    tenant.goto("/notifications/")
    assert number in tenant.content()
    tenant.goto(f"/portal/certificates/{cert.pk}/")
    download = tenant.request.get(f"/portal/certificates/{cert.pk}/pdf/")
    assert download.ok and download.body().startswith(b"%PDF")

    # A guard scans the QR code: valid. A tampered code: invalid, not an error page.
    guard_view = new_page(phone=True)
    verify_path = cert.document.verify_url.split("/verify/", 1)[1]
    guard_view.goto(f"/verify/{verify_path}")
    assert guard_view.locator(".alert-success").count() == 1
    assert number in guard_view.content()
    response = guard_view.goto(f"/verify/{verify_path[:-3]}xyz/")
    assert response.status == 400
    assert guard_view.locator(".alert-danger").count() == 1

    # The supervisor revokes with a reason; the same scan now says revoked.
    boss.goto(f"/desk/certificates/{cert.pk}/")
    submit(boss, "button[value=revoke]")  # no reason: error beside the field, nothing changes
    assert boss.locator(".invalid-feedback").count() == 1
    cert.refresh_from_db()
    assert cert.status == "issued"
    boss.fill("form:has(button[value=revoke]) textarea[name=note]", "租户已迁出")
    submit(boss, "button[value=revoke]")
    cert.refresh_from_db()
    assert cert.status == "revoked"
    assert Document.objects.get(pk=cert.document_id).status == "revoked"
    guard_view.goto(f"/verify/{verify_path}")
    assert guard_view.locator(".alert-danger").count() == 1
    assert "租户已迁出" not in guard_view.content()  # the reason is internal
