"""A company's admin asks for a VAT invoice 发票 on a phone against a payment; finance issues it
with the e-invoice's PDF; the admin downloads it in the portal."""

import re

import pytest

from billing.models import InvoiceRequest
from tests.billing.invoice_helpers import paid
from tests.factories import MINIMAL_PDF

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


def test_tenant_requests_finance_issues_tenant_downloads(new_page, desk, finance, tenant_a_admin, tenant_a, tmp_path):
    for user in (finance, tenant_a_admin):
        user.set_password(PASSWORD)
        user.save()
    payment = paid(tenant_a, desk, "3600.00")

    # The company's admin, on a phone: the form offers the payment, the company's name and code.
    phone = new_page(phone=True)
    login(phone, tenant_a_admin.username, PASSWORD)
    phone.goto("/portal/billing/invoices/new/")
    assert phone.input_value("input[name=title]") == tenant_a.name
    phone.check(f"input[name=payments][value='{payment.pk}']")
    submit(phone, "main form button[type=submit]")
    phone.wait_for_url(re.compile(r"/portal/billing/invoices/\d+/$"))
    request = InvoiceRequest.objects.get()
    assert (request.status, str(request.amount)) == ("requested", "3600.00")

    # Finance finds it in the register and records the invoice issued, with its PDF.
    office = new_page()
    login(office, finance.username, PASSWORD)
    office.goto("/desk/billing/invoices/?status=requested")
    submit(office, f"a[href='/desk/billing/invoices/{request.pk}/']")
    office.fill("input[name=number]", "26452000000000012345")
    pdf = tmp_path / "发票.pdf"
    pdf.write_bytes(MINIMAL_PDF)
    office.set_input_files("input[name=pdf]", str(pdf))
    submit(office, "form[action$='/issue/'] button[type=submit]")
    assert "26452000000000012345" in office.content()

    # The admin downloads the e-invoice.
    phone.reload()
    link = phone.locator("main a.btn-success")
    response = phone.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
