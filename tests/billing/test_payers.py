"""Payers who are not tenants (issue 14): a customer is billed, pays with a receipt in its own
name, leaves and gets back a deposit, has a statement, and shows in the ledgers and their
exports beside tenants; each row belongs to exactly one payer (a CHECK constraint)."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import load_workbook

from billing import customer_services, payers, selectors, services
from billing.documents import receipt_data
from billing.models import Bill, Customer, DepositEntry, FeeItem, Payment
from billing.statements import Period, statement
from jinyuan.workflow.models import AuditEvent
from tests import factories
from tests.billing.helpers import D, issue_bill, service_lines
from tests.billing.payer_helpers import bad_check_char, make_customer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]


@pytest.fixture
def organiser(desk):
    return make_customer(desk, name="广西博览会展有限公司")


def customer_bill(customer, by, *amounts, **kwargs):
    return services.bill_create(payer=customer, title="场地使用费", lines=service_lines(*amounts), by=by, **kwargs)


# --- the customer -----------------------------------------------------------------------------


def test_a_customer_is_registered_with_its_credit_code_in_capitals_and_an_event(desk):
    code = factories.credit_code(123).lower()
    customer = make_customer(desk, name=" 南宁访客科技有限公司 ", credit_code=code)
    assert customer.credit_code == code.upper()
    assert customer.name == "南宁访客科技有限公司"
    assert AuditEvent.objects.filter(object_id=customer.pk, action="customer.created").exists()


def test_a_credit_code_with_a_wrong_check_character_is_a_field_error_and_nothing_is_saved(desk):
    with pytest.raises(ValidationError) as exc:
        make_customer(desk, credit_code=bad_check_char(factories.credit_code(5)))
    assert "credit_code" in exc.value.message_dict
    assert not Customer.objects.exists()


def test_a_person_may_be_a_customer_without_a_credit_code(desk):
    assert make_customer(desk, name="张先生", credit_code="").credit_code == ""


def test_one_credit_code_registers_one_customer(desk, organiser):
    with pytest.raises(ValidationError) as exc:
        make_customer(desk, name="另一家", credit_code=organiser.credit_code)
    assert "credit_code" in exc.value.message_dict
    assert Customer.objects.count() == 1


def test_an_update_writes_and_records_only_the_fields_that_changed(desk, organiser):
    customer_services.customer_update(customer=organiser, by=desk, phone="0771-1234567", name=organiser.name)
    event = AuditEvent.objects.get(object_id=organiser.pk, action="customer.updated")
    assert event.data == {"fields": ["phone"]}
    assert Customer.objects.get(pk=organiser.pk).phone == "0771-1234567"


# --- the CHECK constraint: exactly one payer --------------------------------------------------


@pytest.mark.parametrize("model", [Bill, Payment, DepositEntry])
def test_the_database_refuses_a_row_with_both_payers_or_neither(model, tenant_a, organiser, desk):
    bill = issue_bill(tenant_a, desk, "10")
    payment = services.payment_record(tenant=tenant_a, amount=D("10"), method="cash", by=desk)
    row = {Bill: bill, Payment: payment, DepositEntry: None}[model]
    if row is None:
        row = DepositEntry.objects.create(
            tenant=tenant_a, fee_item=FeeItem.objects.get(code="move_in_deposit"), kind="received", amount=D(1),
            created_by=desk,
        )  # fmt: skip
    for tenant_id, customer_id in ((tenant_a.pk, organiser.pk), (None, None)):
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=row.pk).update(tenant_id=tenant_id, customer_id=customer_id)
    row.refresh_from_db()
    assert (row.tenant_id, row.customer_id) == (tenant_a.pk, None)


def test_a_service_takes_exactly_one_of_payer_and_tenant(tenant_a, organiser, desk):
    with pytest.raises(TypeError):
        services.bill_create(tenant=tenant_a, payer=organiser, title="x", lines=service_lines("1"), by=desk)
    assert not Bill.objects.exists()


# --- bills, payments, receipts ----------------------------------------------------------------


def test_a_customer_is_billed_and_the_bill_names_it_as_payer(organiser, desk):
    bill = customer_bill(organiser, desk, "3000", "500")
    assert (bill.tenant_id, bill.customer_id, bill.total) == (None, organiser.pk, D("3500.00"))
    payer = selectors.bills().get(pk=bill.pk).payer
    assert (payer.kind, payer.name, payer.credit_code) == ("customer", organiser.name, organiser.credit_code)
    assert payer.url == f"/desk/billing/customers/{organiser.pk}/"


def test_a_customer_payment_pays_its_bills_and_its_receipt_prints_its_name(organiser, desk):
    bill = customer_bill(organiser, desk, "3000")
    payment = services.payment_record(payer=organiser, amount=D("3200"), method="bank", by=desk)
    bill.refresh_from_db()
    assert (bill.status, bill.paid) == ("paid", D("3000.00"))
    assert (payment.customer_id, payment.tenant_id, payment.credit) == (organiser.pk, None, D("200.00"))
    assert payment.receipt.number.startswith("SJ-")
    assert receipt_data(payment)["payer"] == organiser.name
    assert payment.receipt.data["payer"] == organiser.name


def test_credit_of_a_customer_pays_its_next_bill_and_never_a_tenants(organiser, tenant_a, desk):
    services.payment_record(payer=organiser, amount=D("100"), method="cash", by=desk)
    tenant_bill = issue_bill(tenant_a, desk, "80")
    own_bill = customer_bill(organiser, desk, "80")
    assert Bill.objects.get(pk=tenant_bill.pk).paid == D("0.00")
    assert (own_bill.status, own_bill.paid) == ("paid", D("80.00"))


def test_a_tenants_payment_never_pays_a_customers_bill(organiser, tenant_a, desk):
    bill = customer_bill(organiser, desk, "80")
    with pytest.raises(ValidationError):
        services.payment_record(tenant=tenant_a, amount=D("80"), method="cash", by=desk, bills=[bill])
    services.payment_record(tenant=tenant_a, amount=D("80"), method="cash", by=desk)
    assert Bill.objects.get(pk=bill.pk).paid == D("0.00")
    assert Payment.objects.filter(tenant=tenant_a).get().credit == D("80.00")


def test_a_customer_is_not_told_through_a_portal_and_its_overdue_bill_gets_no_reminder(organiser, desk):
    from billing.arrears import reminders_send
    from billing.models import ReminderSent, ReminderStep

    ReminderStep.objects.create(offset_days=1, name="逾期提醒", channels=["inapp"])
    long_ago = timezone.localdate() - timedelta(days=40)
    customer_bill(organiser, desk, "100", issued_on=long_ago, due_date=long_ago + timedelta(days=15))
    reminders_send()
    assert not ReminderSent.objects.exists()


# --- deposits ---------------------------------------------------------------------------------


def test_a_customers_deposit_is_taken_with_a_receipt_and_refunded_less_a_deduction(organiser, desk, supervisor):
    item = FeeItem.objects.get(code="renovation_deposit")
    bill, payment = customer_services.deposit_take(
        payer=organiser, fee_item=item, amount=D("20000"), method="bank", title="车展押金", by=desk
    )
    assert (bill.status, payment.receipt is not None) == ("paid", True)
    assert selectors.deposit_balance(organiser) == D("20000.00")
    entries = services.deposit_refund(
        payer=organiser, refund=D("19500"), deductions=[(D("500"), "地面损坏")], by=supervisor
    )
    assert sorted((e.kind, e.amount, e.customer_id) for e in entries) == [
        ("deducted", D("500.00"), organiser.pk),
        ("refunded", D("19500.00"), organiser.pk),
    ]
    assert selectors.deposit_balance(organiser) == D("0.00")
    assert AuditEvent.objects.filter(object_id=organiser.pk, action="customer.deposit_refunded").exists()


def test_a_deposit_refund_above_what_the_customer_holds_is_a_field_error_and_changes_nothing(organiser, desk):
    item = FeeItem.objects.get(code="renovation_deposit")
    customer_services.deposit_take(payer=organiser, fee_item=item, amount=D("1000"), method="cash", by=desk)
    with pytest.raises(ValidationError) as exc:
        services.deposit_refund(payer=organiser, refund=D("1500"), deductions=[], by=desk)
    assert "refund" in exc.value.message_dict
    assert DepositEntry.objects.filter(customer=organiser).count() == 1


def test_a_deposit_is_taken_only_on_a_deposit_item(organiser, desk):
    item = FeeItem.objects.get(code="signboard")
    with pytest.raises(ValidationError) as exc:
        customer_services.deposit_take(payer=organiser, fee_item=item, amount=D("10"), method="cash", by=desk)
    assert "fee_item" in exc.value.message_dict
    assert not Bill.objects.exists()


# --- balance, statement, ledger ---------------------------------------------------------------


def test_a_customers_balance_and_statement_read_only_its_own_rows(organiser, tenant_a, desk):
    issue_bill(tenant_a, desk, "999")
    customer_bill(organiser, desk, "3000")
    services.payment_record(payer=organiser, amount=D("1000"), method="bank", by=desk)
    assert selectors.tenant_balance(organiser) == {"owed": D("2000.00"), "credit": D("0.00"), "deposit": D("0.00")}
    paper = statement(organiser, Period.of_month(timezone.localdate()))
    assert [(line.kind, line.charge, line.credit) for line in paper.lines] == [
        ("bill", D("3000.00"), D("0")),
        ("payment", D("0"), D("1000.00")),
    ]
    assert paper.totals.closing == D("2000.00")
    assert paper.unbilled == []


def test_the_bill_ledger_shows_both_kinds_of_payer_and_filters_by_kind(client_for, finance, organiser, tenant_a, desk):
    issue_bill(tenant_a, desk, "100")
    customer_bill(organiser, desk, "200")
    client = client_for(finance)
    page = client.get("/desk/billing/bills/").content.decode()
    assert tenant_a.name in page and organiser.name in page
    only = client.get("/desk/billing/bills/?payer=customer").content.decode()
    assert organiser.name in only and tenant_a.name not in only
    found = client.get("/desk/billing/bills/", {"q": "博览"}).content.decode()
    assert organiser.name in found and tenant_a.name not in found


def test_the_ledger_exports_carry_the_payer_and_its_kind(client_for, finance, organiser, tenant_a, desk):
    issue_bill(tenant_a, desk, "100")
    customer_bill(organiser, desk, "200")
    services.payment_record(payer=organiser, amount=D("200"), method="bank", by=desk)
    client = client_for(finance, HTTP_ACCEPT_LANGUAGE="en")
    for url in ("/desk/billing/bills/?export=xlsx", "/desk/billing/payments/?export=xlsx"):
        sheet = load_workbook(BytesIO(client.get(url).getvalue())).active
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        payer_col, kind_col = header.index("Payer"), header.index("Payer kind")
        kinds = {(r[payer_col], r[kind_col]) for r in rows[1:] if r[payer_col]}
        assert (organiser.name, "Customer") in kinds, url
    bill_rows = list(load_workbook(BytesIO(client.get("/desk/billing/bills/?export=xlsx").getvalue())).active.values)
    assert (tenant_a.name, "Tenant") in {(r[1], r[-1]) for r in bill_rows[1:]}


def test_the_deposit_ledger_shows_a_customers_entries(client_for, finance, organiser, desk):
    item = FeeItem.objects.get(code="renovation_deposit")
    customer_services.deposit_take(payer=organiser, fee_item=item, amount=D("5000"), method="bank", by=desk)
    page = client_for(finance).get("/desk/billing/deposits/?payer=customer").content.decode()
    assert organiser.name in page
    assert f"/desk/billing/customers/{organiser.pk}/" in page


def test_payers_kind_filter_leaves_tenants_rows_alone(tenant_a, organiser, desk):
    issue_bill(tenant_a, desk, "1")
    customer_bill(organiser, desk, "2")
    assert list(payers.kind_filter(Bill.objects.all(), "tenant").values_list("tenant", flat=True)) == [tenant_a.pk]
    assert list(payers.kind_filter(Bill.objects.all(), "customer").values_list("customer", flat=True)) == [organiser.pk]


# --- the desk's pages -------------------------------------------------------------------------


def test_the_desk_registers_a_customer_and_a_bad_check_character_is_an_error_beside_the_field(client_for, desk):
    client = client_for(desk, HTTP_ACCEPT_LANGUAGE="en")
    bad = bad_check_char(factories.credit_code(77))
    response = client.post("/desk/billing/customers/new/", {"name": "南宁访客公司", "credit_code": bad})
    assert response.status_code == 200
    assert "credit_code" in response.context["form"].errors
    assert "check digit does not match" in response.content.decode()
    assert not Customer.objects.exists()
    good = factories.credit_code(77)
    response = client.post(
        "/desk/billing/customers/new/", {"name": "南宁访客公司", "credit_code": good, "is_active": "on"}
    )
    customer = Customer.objects.get()
    assert response["Location"] == f"/desk/billing/customers/{customer.pk}/"
    assert (customer.credit_code, customer.created_by) == (good, desk)


def test_the_desk_edits_a_customer(client_for, desk, organiser):
    data = {"name": organiser.name, "credit_code": organiser.credit_code, "contact_person": organiser.contact_person}
    data |= {"phone": "0771-8888888", "is_active": ""}
    response = client_for(desk).post(f"/desk/billing/customers/{organiser.pk}/edit/", data)
    assert response.status_code == 302
    organiser.refresh_from_db()
    assert (organiser.phone, organiser.is_active) == ("0771-8888888", False)
    assert set(AuditEvent.objects.get(action="customer.updated").data["fields"]) == {"phone", "is_active"}


def test_the_desk_bills_a_customer_who_pays_and_gets_a_receipt_in_its_name(client_for, desk, organiser):
    client = client_for(desk)
    item = FeeItem.objects.get(code="paid_service")
    data = {"title": "大堂场地使用费", "due_date": "2026-12-31", "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0"}
    data |= {"lines-0-fee_item": item.pk, "lines-0-quantity": "3", "lines-0-unit_price": "6000"}
    response = client.post(f"/desk/billing/customers/{organiser.pk}/bill/", data)
    bill = Bill.objects.get()
    assert response["Location"] == f"/desk/billing/bills/{bill.pk}/"
    assert (bill.customer, bill.tenant, bill.total) == (organiser, None, D("18000.00"))
    page = client.get(f"/desk/billing/bills/{bill.pk}/").content.decode()
    assert organiser.name in page
    assert f"/desk/billing/customers/{organiser.pk}/pay/?bill={bill.pk}" in page
    form = client.get(f"/desk/billing/customers/{organiser.pk}/pay/?bill={bill.pk}").context["form"]
    key = form["submission_key"].initial
    pay = {"amount": "18000", "method": "bank", "bills": [bill.pk], "submission_key": key}
    response = client.post(f"/desk/billing/customers/{organiser.pk}/pay/", pay)
    payment = Payment.objects.get()
    assert response["Location"] == f"/desk/billing/payments/{payment.pk}/"
    assert (payment.customer, Bill.objects.get().status) == (organiser, "paid")
    assert payment.receipt.data["payer"] == organiser.name
    assert client.get(f"/desk/billing/payments/{payment.pk}/receipt/")["Content-Type"] == "application/pdf"
    assert organiser.name in client.get(f"/desk/billing/payments/{payment.pk}/").content.decode()


def test_the_payment_form_offers_only_the_customers_open_bills(client_for, desk, organiser, tenant_a):
    issue_bill(tenant_a, desk, "50")
    own = customer_bill(organiser, desk, "70")
    form = client_for(desk).get(f"/desk/billing/customers/{organiser.pk}/pay/").context["form"]
    assert list(form.fields["bills"].queryset) == [own]


def test_the_desk_takes_a_deposit_and_the_supervisor_settles_it(client_for, desk, supervisor, organiser):
    item = FeeItem.objects.get(code="renovation_deposit")
    take = {"fee_item": item.pk, "title": "车展押金", "amount": "20000", "method": "bank"}
    take["submission_key"] = "6f1c3f9e-0d5b-4a43-9c5e-2f8f6c1d7a10"
    response = client_for(desk).post(f"/desk/billing/customers/{organiser.pk}/deposit/", take)
    payment = Payment.objects.get()
    assert response["Location"] == f"/desk/billing/payments/{payment.pk}/"
    assert selectors.deposit_balance(organiser) == D("20000.00")
    again = client_for(desk).post(f"/desk/billing/customers/{organiser.pk}/deposit/", take)
    assert again.status_code == 302
    assert (Payment.objects.count(), Bill.objects.count()) == (1, 1)  # the form sent twice: taken once
    settle = {"deduction_1": "800", "reason_1": "地毯清洗", "refund": "19200"}
    response = client_for(supervisor).post(f"/desk/billing/customers/{organiser.pk}/deposit/settle/", settle)
    assert response["Location"] == f"/desk/billing/customers/{organiser.pk}/"
    assert selectors.deposit_balance(organiser) == D("0.00")


def test_a_deposit_settlement_that_does_not_add_up_is_an_error_beside_the_field(client_for, supervisor, organiser):
    item = FeeItem.objects.get(code="renovation_deposit")
    customer_services.deposit_take(payer=organiser, fee_item=item, amount=D("1000"), method="cash", by=supervisor)
    response = client_for(supervisor).post(f"/desk/billing/customers/{organiser.pk}/deposit/settle/", {"refund": "900"})
    assert response.status_code == 200
    assert "refund" in response.context["form"].errors
    assert DepositEntry.objects.count() == 1


def test_the_customer_page_shows_its_balance_bills_payments_deposits_and_timeline(client_for, finance, organiser, desk):
    bill = customer_bill(organiser, desk, "3000")
    payment = services.payment_record(payer=organiser, amount=D("1000"), method="bank", by=desk)
    item = FeeItem.objects.get(code="renovation_deposit")
    customer_services.deposit_take(payer=organiser, fee_item=item, amount=D("500"), method="cash", by=desk)
    response = client_for(finance).get(f"/desk/billing/customers/{organiser.pk}/")
    assert response.context["balance"] == {"owed": D("2000.00"), "credit": D("0.00"), "deposit": D("500.00")}
    page = response.content.decode()
    assert bill.number in page and payment.receipt.number in page and item.name in page
    assert [e.action for e in response.context["events"]] == ["customer.created"]


def test_the_customer_register_searches_by_name_or_credit_code(client_for, finance, organiser, desk):
    other = make_customer(desk, name="深圳远航数据服务有限公司")
    client = client_for(finance)
    assert list(client.get("/desk/billing/customers/?q=远航").context["object_list"]) == [other]
    by_code = client.get("/desk/billing/customers/", {"q": organiser.credit_code.lower()})
    assert list(by_code.context["object_list"]) == [organiser]
    sheet = load_workbook(BytesIO(client.get("/desk/billing/customers/?export=xlsx").getvalue())).active
    assert {row[0] for row in list(sheet.values)[1:]} == {organiser.name, other.name}


def test_a_customers_statement_page_and_pdf(client_for, finance, organiser, desk):
    customer_bill(organiser, desk, "3000")
    client = client_for(finance)
    page = client.get(f"/desk/billing/customers/{organiser.pk}/statement/")
    assert page.context["statement"].totals.closing == D("3000.00")
    assert (
        "settled when its event or use ends"
        in client.get(f"/desk/billing/customers/{organiser.pk}/statement/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    pdf = client.get(f"/desk/billing/customers/{organiser.pk}/statement/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert f"statement-c{organiser.pk}-" in pdf["Content-Disposition"]


def test_a_customers_bill_accrues_no_late_fee_and_a_waiver_of_one_is_a_field_error(supervisor, organiser, desk):
    from billing import latefees
    from billing.latefee_services import late_fee_waive

    long_ago = timezone.localdate() - timedelta(days=90)
    bill = customer_bill(organiser, desk, "1000", issued_on=long_ago, due_date=long_ago + timedelta(days=15))
    assert latefees.accruals_of([bill], timezone.localdate())[0].due_now == D("0")
    with pytest.raises(ValidationError) as exc:
        late_fee_waive(bill=bill, amount=D("10"), reason="展会方", by=supervisor)
    assert "amount" in exc.value.message_dict


def test_a_name_search_finds_tenants_and_customers_rows_in_every_ledger(client_for, finance, organiser, tenant_a, desk):
    # "广西": tenant A (广西甲方科技有限公司) and the organiser (广西博览会展有限公司) both.
    issue_bill(tenant_a, desk, "100")
    customer_bill(organiser, desk, "200")
    services.payment_record(tenant=tenant_a, amount=D("1"), method="cash", by=desk)
    services.payment_record(payer=organiser, amount=D("2"), method="cash", by=desk)
    client = client_for(finance)
    for url in ("/desk/billing/bills/", "/desk/billing/payments/"):
        rows = client.get(url, {"q": "广西"}).context["object_list"]
        assert {r.payer.name for r in rows} == {tenant_a.name, organiser.name}, url
        only_tenant = client.get(url, {"q": "甲方"}).context["object_list"]
        assert {r.payer.name for r in only_tenant} == {tenant_a.name}, url
