"""Finance prints building A's arrears notices (one PDF, a numbered notice per company in
arrears there); the desk calls the company owing most and records its promise to pay; the
company's admin, on a phone, sees the late fee growing on the overdue bill, last month's
late-fee bill (违约金) on this month's statement, and downloads the statement."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from billing.arrears_models import ArrearsContact
from billing.latefee_services import late_fees_bill_all
from billing.latefees import first_of_month
from billing.models import Bill
from jinyuan.documents.models import Document
from tests.billing.helpers import ensure_price_list
from tests.billing.late_fee_helpers import agree, overdue_bill

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


@pytest.fixture
def people(desk, finance, tenant_a_admin):
    for user in (desk, finance, tenant_a_admin):
        user.set_password(PASSWORD)
        user.save()
    return desk, finance, tenant_a_admin


def pdf_text(page, href: str) -> str:
    """The PDF a link serves, fetched with the page's session, as text."""
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)


def test_notices_a_promise_and_the_tenants_statement(new_page, people, tenant_a, tenant_b, building):
    desk, finance, tenant_admin = people
    today = timezone.localdate()
    ensure_price_list()  # a transactional test starts without the migrations' rows
    agree(tenant_a)  # 0.03 % a day, no grace days
    agree(tenant_b)
    rent = overdue_bill(tenant_a, desk, "12000.00", today - timedelta(days=40))
    overdue_bill(tenant_b, desk, "3000.00", today - timedelta(days=20))
    # On the first of this month the daily run billed the late fees of the month that had ended.
    assert late_fees_bill_all(by=finance, on=first_of_month(today)) == 2
    late_fee_bill = Bill.objects.get(tenant=tenant_a, source_key__startswith="latefee:")

    # Finance prints building A's notices: one PDF, a notice per company, each numbered.
    office = new_page()
    login(office, finance.username, PASSWORD)
    office.goto("/desk/billing/arrears/notices/")
    office.select_option("select[name=building]", str(building.pk))
    submit(office, "main form button[type=submit]")
    office.wait_for_url(re.compile(r"/desk/billing/arrears/notice-batches/\d+/$"))
    link = office.locator("#batch-status a.btn")  # ready: the worker rendered it on commit
    text = pdf_text(office, link.get_attribute("href"))
    notices = Document.objects.filter(kind="arrears_notice").order_by("number")
    assert notices.count() == 2
    for notice in notices:
        assert notice.number in text
    assert tenant_a.name in text and tenant_b.name in text and "违约金" in text and "滞纳金" not in text

    # The desk calls tenant A and records its promise to pay by the 10th of next month.
    clerk = new_page()
    login(clerk, desk.username, PASSWORD)
    clerk.goto(f"/desk/billing/arrears/{tenant_a.pk}/")
    promised = today + timedelta(days=7)
    clerk.select_option("select[name=method]", "phone")
    clerk.fill("input[name=person]", "财务 黄女士")
    clerk.fill("textarea[name=note]", "月底资金到账后付清")
    clerk.fill("input[name=promise_date]", promised.isoformat())
    submit(clerk, "form:has(input[name=action][value=contact]) button[type=submit]")
    contact = ArrearsContact.objects.get(tenant=tenant_a)
    assert (contact.promise_date, contact.recorded_by, contact.person) == (promised, desk, "财务 黄女士")
    assert promised.isoformat() in clerk.content()

    # The company's admin on a phone: the late fee grows on the overdue bill.
    phone = new_page(phone=True)
    login(phone, tenant_admin.username, PASSWORD)
    phone.goto("/portal/billing/")
    assert phone.locator("#late-fees").is_visible()
    assert "144.00" in phone.content()  # 12,000 × 0.03 % × 40 days, billed and still to bill
    # Its statement of this month: the late-fee bill is a 违约金 line; the PDF downloads.
    phone.goto("/portal/billing/statement/")
    main = phone.locator("main").inner_text()
    assert late_fee_bill.number in main and rent.number in main and "违约金" in main
    statement = pdf_text(phone, phone.locator("main a:has-text('对账单PDF')").get_attribute("href"))
    assert tenant_a.name in statement and late_fee_bill.number in statement
    assert tenant_b.name not in statement
