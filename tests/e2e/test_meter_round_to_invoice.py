"""Issue 14's walk, one person after another: an engineer reads one floor of the month's round
on a phone (a value that is not a number refused beside its field first), the supervisor
confirms the round, the tenant's utility bill shows the previous and current readings; the bill
is paid at the counter, the company's admin asks for a VAT invoice 发票 on the phone, finance
issues it with the e-invoice's PDF and the admin downloads it."""

import re
from datetime import date
from decimal import Decimal

import pytest

from billing import services as billing_services
from billing.models import Bill, InvoiceRequest
from tenants.models import MeterReading, ReadingRound
from tests.factories import MINIMAL_PDF

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


@pytest.fixture
def people(engineer, supervisor, finance, tenant_a_admin):
    from billing.models import FeeItem, FeePrice

    # Transactional tests flush the migrated price list: the utility items of the billing migration.
    for code, name, kind, price in (("electricity", "电费", "electricity", "1.15"), ("water", "水费", "water", "4.60")):
        item, _ = FeeItem.objects.get_or_create(
            code=code, defaults={"name": name, "kind": "metered", "meter_kind": kind, "price": Decimal(price)}
        )
        FeePrice.objects.get_or_create(fee_item=item, effective_from=date(2024, 1, 1), defaults={"price": item.price})
    for user in (engineer, supervisor, finance, tenant_a_admin):
        user.set_password(PASSWORD)
        user.save()
    return engineer, supervisor, finance, tenant_a_admin


def test_a_floor_read_confirmed_billed_paid_and_invoiced(new_page, people, building, unit_a, tenant_a, desk, tmp_path):
    from tests.tenants.meter_helpers import meter, months_ago, open_round, series

    reader, supervisor, finance, tenant_admin = people
    power, water = meter(unit_a, "electricity", multiplier="20"), meter(unit_a, "water")
    series(building, desk, supervisor, {power: ["1000.00"], water: ["50.00"]}, months=1)
    reading_round = open_round(building, months_ago(0), desk)

    # The engineer on a phone: the round, the floor, the previous readings shown.
    phone = new_page(phone=True)
    login(phone, reader.username, PASSWORD)
    phone.goto(f"/desk/meters/rounds/{reading_round.pk}/")
    submit(phone, f"a[href='/desk/meters/rounds/{reading_round.pk}/floors/{unit_a.floor_id}/']")
    assert "1000.00" in phone.locator(".previous-reading").first.inner_text()
    phone.fill(f"#id_m{power.pk}_value", "1012.5")
    # A browser refuses letters in a number input: send a comma-decimal as a tired reader might.
    phone.evaluate(f"document.getElementById('id_m{water.pk}_value').type = 'text'")
    phone.fill(f"#id_m{water.pk}_value", "61,2")
    submit(phone, "main button[type=submit]")
    assert phone.locator(f"#id_m{water.pk}_value.is-invalid").count() == 1
    assert not MeterReading.objects.filter(reading_round=reading_round).exists()
    phone.fill(f"#id_m{water.pk}_value", "61.2")
    phone.fill(f"#id_m{power.pk}_value", "1012.5")
    submit(phone, "main button[type=submit]")
    assert MeterReading.objects.filter(reading_round=reading_round, status="entered").count() == 2

    # The supervisor confirms the round; billing follows on commit.
    office = new_page()
    login(office, supervisor.username, PASSWORD)
    office.goto(f"/desk/meters/rounds/{reading_round.pk}/")
    office.once("dialog", lambda dialog: dialog.accept())
    submit(office, "button[value=confirm]")
    assert ReadingRound.objects.get(pk=reading_round.pk).status == "confirmed"
    bill = Bill.objects.get(source_key=f"utility:{reading_round.pk}")
    assert bill.total == Decimal("339.02")  # 12.5 × 20 × 1.15 + 11.2 × 4.60

    # The company's admin on a phone: the bill shows both readings of each meter.
    tenant = new_page(phone=True)
    login(tenant, tenant_admin.username, PASSWORD)
    tenant.wait_for_url(re.compile(r"/portal/$"))
    tenant.goto(f"/portal/billing/bills/{bill.pk}/")
    table = tenant.locator("table.meter-charges").inner_text()
    assert "1000.00" in table and "1012.50" in table and "50.00" in table and "61.20" in table

    # Paid at the counter; the admin asks for an invoice of that payment.
    payment = billing_services.payment_record(tenant=tenant_a, amount=bill.total, method="bank", by=desk, bills=[bill])
    tenant.goto("/portal/billing/invoices/new/")
    assert tenant.input_value("input[name=title]") == tenant_a.name
    tenant.check(f"input[name=payments][value='{payment.pk}']")
    submit(tenant, "main form button[type=submit]")
    tenant.wait_for_url(re.compile(r"/portal/billing/invoices/\d+/$"))
    request = InvoiceRequest.objects.get()
    assert (request.status, request.amount) == ("requested", Decimal("339.02"))

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
    tenant.reload()
    link = tenant.locator("main a.btn-success")
    response = tenant.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
