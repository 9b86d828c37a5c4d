"""Billing pages: recording payments, voiding and issuing bills, the ledgers with their filters
and Excel export, the account page and the tenant's portal pages. Bad input is a field error."""

import io
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from billing.models import Bill, DepositEntry, Payment
from billing.selectors import tenant_balance
from billing.services import bill_void, deposit_refund, payment_record
from tests.billing.helpers import D, issue_bill

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "price_list")]


@pytest.fixture
def clerk(client_for, desk):
    return client_for(desk, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def cashier(client_for, finance):
    return client_for(finance, HTTP_ACCEPT_LANGUAGE="en")


def pay_url(tenant) -> str:
    return f"/desk/billing/accounts/{tenant.pk}/pay/"


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


# --- recording a payment -------------------------------------------------------------------------


def test_a_payment_at_the_desk_pays_the_bill_and_shows_the_receipt(clerk, tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "500")
    data = {"amount": "600", "method": "wechat", "reference": "WX8812", "submission_key": str(uuid.uuid4())}
    response = clerk.post(pay_url(tenant_a), data)
    payment = Payment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/desk/billing/payments/{payment.pk}/"
    bill.refresh_from_db()
    assert (bill.status, payment.amount, payment.allocated, payment.reference) == (
        "paid",
        D("600.00"),
        D("500.00"),
        "WX8812",
    )
    page = clerk.get(response["Location"])
    assert page.status_code == 200
    assert payment.receipt.number in page.content.decode()


def test_the_same_payment_form_sent_nineteen_times_records_one_payment(clerk, tenant_a, desk):
    issue_bill(tenant_a, desk, "100")
    form = clerk.get(pay_url(tenant_a)).context["form"]
    key = form["submission_key"].value()
    data = {"amount": "100", "method": "cash", "submission_key": str(key)}
    first = clerk.post(pay_url(tenant_a), data)
    again = [clerk.post(pay_url(tenant_a), data, follow=True) for _ in range(18)]
    payment = Payment.objects.get()
    assert first["Location"] == f"/desk/billing/payments/{payment.pk}/"
    assert all(r.redirect_chain[-1][0] == first["Location"] for r in again)
    shown = [str(m) for m in again[-1].context["messages"]]
    assert any(payment.receipt.number in m for m in shown), shown
    assert tenant_balance(tenant_a)["credit"] == D("0.00")


def test_a_new_form_is_a_new_payment(clerk, tenant_a):
    for _ in range(2):
        key = clerk.get(pay_url(tenant_a)).context["form"]["submission_key"].value()
        clerk.post(pay_url(tenant_a), {"amount": "50", "method": "cash", "submission_key": str(key)})
    assert Payment.objects.count() == 2


def test_the_payment_form_offers_only_the_tenants_open_bills(clerk, tenant_a, tenant_b, desk):
    mine = issue_bill(tenant_a, desk, "10", due_date=date.today() + timedelta(days=1))
    paid = issue_bill(tenant_a, desk, "20")
    payment_record(tenant=tenant_a, amount=D("20"), method="cash", by=desk, bills=[paid])
    issue_bill(tenant_b, desk, "30")
    form = clerk.get(pay_url(tenant_a)).context["form"]
    assert list(form.fields["bills"].queryset) == [mine]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount": "-5", "method": "cash"}, "amount"),
        ({"amount": "0", "method": "cash"}, "amount"),
        ({"amount": "abc", "method": "cash"}, "amount"),
        ({"amount": "", "method": "cash"}, "amount"),
        ({"amount": "12.345", "method": "cash"}, "amount"),
        ({"amount": "NaN", "method": "cash"}, "amount"),
        ({"amount": "Infinity", "method": "cash"}, "amount"),
        ({"amount": "99999999999", "method": "cash"}, "amount"),
        ({"amount": "1,000", "method": "cash"}, "amount"),
        ({"amount": "100", "method": "bitcoin"}, "method"),
        ({"amount": "100"}, "method"),
        ({"amount": "100", "method": "cash", "bills": "OTHER"}, "bills"),
        ({"amount": "100", "method": "cash", "bills": "PAID"}, "bills"),
        ({"amount": "100", "method": "cash", "bills": "abc"}, "bills"),
        ({"amount": "100", "method": "cash", "reference": "x" * 61}, "reference"),
    ],
)
def test_bad_payment_input_is_a_field_error_and_records_nothing(clerk, tenant_a, tenant_b, desk, data, field):
    other = issue_bill(tenant_b, desk, "30")
    paid = issue_bill(tenant_a, desk, "0")
    data = {k: {"OTHER": other.pk, "PAID": paid.pk}.get(v, v) for k, v in data.items()}
    response = clerk.post(pay_url(tenant_a), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Payment.objects.exists()


def test_an_amount_error_reads_like_an_example(clerk, tenant_a):
    response = clerk.post(pay_url(tenant_a), {"amount": "abc", "method": "cash"})
    assert response.context["form"].errors["amount"] == ["Enter an amount such as 1280.50."]


def test_the_payment_form_of_an_unknown_tenant_is_404(clerk):
    assert clerk.get("/desk/billing/accounts/999999/pay/").status_code == 404
    assert clerk.post("/desk/billing/accounts/999999/pay/", {"amount": "1", "method": "cash"}).status_code == 404


@pytest.mark.parametrize("bill_param", ["abc", "999999", "-1", ""])
def test_a_bad_bill_in_the_query_string_is_ignored(clerk, tenant_a, bill_param):
    response = clerk.get(f"{pay_url(tenant_a)}?bill={bill_param}")
    assert response.status_code == 200
    assert response.context["form"].initial == {}


def test_another_tenants_bill_in_the_query_string_is_not_offered(clerk, tenant_a, tenant_b, desk):
    other = issue_bill(tenant_b, desk, "30")
    response = clerk.get(f"{pay_url(tenant_a)}?bill={other.pk}")
    assert response.context["form"].initial == {}


# --- voiding and issuing bills -------------------------------------------------------------------


def test_finance_voids_an_unpaid_bill_with_a_reason(cashier, tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "50")
    url = f"/desk/billing/bills/{bill.pk}/"
    assert cashier.get(url).context["may_void"] is True
    assert cashier.post(url, {"action": "void", "note": ""}).status_code == 400
    assert Bill.objects.get(pk=bill.pk).status == "open"
    assert cashier.post(url, {"action": "void", "note": "重复开具"}).status_code == 302
    bill.refresh_from_db()
    assert (bill.status, bill.void_reason) == ("void", "重复开具")
    assert cashier.get(url).context["may_void"] is False


def test_the_desk_may_not_void(clerk, tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "50")
    url = f"/desk/billing/bills/{bill.pk}/"
    assert clerk.get(url).context["may_void"] is False
    assert clerk.post(url, {"action": "void", "note": "x"}).status_code == 403
    assert Bill.objects.get(pk=bill.pk).status == "open"


def test_voiding_a_partly_paid_bill_is_refused_with_a_notice(cashier, tenant_a, desk):
    bill = issue_bill(tenant_a, desk, "50")
    payment_record(tenant=tenant_a, amount=D("1"), method="cash", by=desk)
    response = cashier.post(f"/desk/billing/bills/{bill.pk}/", {"action": "void", "note": "x"}, follow=True)
    assert "Only an unpaid open bill can be voided." in response.content.decode()
    assert Bill.objects.get(pk=bill.pk).status == "partly_paid"


def bill_form(**lines) -> dict:
    data = {
        "title": "会议室服务",
        "due_date": (date.today() + timedelta(days=10)).isoformat(),
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "20",
    }
    data.update({f"lines-{k}": v for k, v in lines.items()})
    return data


def test_an_ad_hoc_bill_at_the_desk(clerk, tenant_a, price_list):
    item = price_list["access_card"]
    response = clerk.post(
        f"/desk/billing/accounts/{tenant_a.pk}/bill/",
        bill_form(**{"0-fee_item": item.pk, "0-quantity": "3", "1-fee_item": item.pk, "1-quantity": "0.5"}),
    )
    bill = Bill.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/desk/billing/bills/{bill.pk}/"
    assert [(x.description, x.unit_price, x.amount) for x in bill.lines.all()] == [
        ("门禁卡工本费", D("20.00"), D("60.00")),
        ("门禁卡工本费", D("20.00"), D("10.00")),
    ]
    assert bill.total == D("70.00")


@pytest.mark.parametrize(
    "lines",
    [
        {},
        {"0-fee_item": "PRICE", "0-quantity": "abc"},
        {"0-fee_item": "PRICE", "0-quantity": "0"},
        {"0-fee_item": "PRICE", "0-quantity": "1", "0-unit_price": "-1"},
        {"0-fee_item": "999999", "0-quantity": "1"},
    ],
)
def test_bad_bill_lines_are_errors_and_issue_nothing(clerk, tenant_a, price_list, lines):
    lines = {k: price_list["access_card"].pk if v == "PRICE" else v for k, v in lines.items()}
    response = clerk.post(f"/desk/billing/accounts/{tenant_a.pk}/bill/", bill_form(**lines))
    assert response.status_code == 400
    assert not Bill.objects.exists()


def test_a_bill_form_without_a_title_or_with_a_bad_due_date_is_refused(clerk, tenant_a, price_list):
    data = bill_form(**{"0-fee_item": price_list["access_card"].pk, "0-quantity": "1"})
    data.update(title="", due_date="2026-02-31")
    response = clerk.post(f"/desk/billing/accounts/{tenant_a.pk}/bill/", data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "due_date"}
    assert not Bill.objects.exists()


# --- ledgers, filters and Excel ------------------------------------------------------------------


@pytest.fixture
def ledger(tenant_a, tenant_b, desk, supervisor, price_list):
    """Bills of both tenants in two months, one paid, one void; payments by cash and bank; deposits."""
    from billing.services import LineSpec, bill_create

    old = issue_bill(tenant_a, desk, "100", issued_on=date(2026, 1, 5), due_date=date(2026, 1, 20))
    paid = issue_bill(tenant_b, desk, "200", issued_on=date(2026, 2, 5))
    void = issue_bill(tenant_b, desk, "300", issued_on=date(2026, 2, 6))
    bill_void(bill=void, by=desk, reason="错开")
    cash = payment_record(tenant=tenant_b, amount=D("200"), method="cash", by=desk, bills=[paid])
    deposit_bill = bill_create(
        tenant=tenant_a,
        title="押金",
        lines=[LineSpec(price_list["move_in_deposit"], "入驻保证金", D(1), D("5000"))],
        by=desk,
        issued_on=date(2026, 2, 7),
    )
    bank = payment_record(tenant=tenant_a, amount=D("5000"), method="bank", by=desk, bills=[deposit_bill])
    deposit_refund(tenant=tenant_a, refund=D("4900"), deductions=[(D("100"), "清洁费")], by=supervisor)
    return {"old": old, "paid": paid, "void": void, "deposit_bill": deposit_bill, "cash": cash, "bank": bank}


def listed(client, url) -> list:
    response = client.get(url)
    assert response.status_code == 200
    return list(response.context["object_list"])


def test_bill_filters(clerk, ledger, tenant_a, tenant_b):
    url = "/desk/billing/bills/"
    assert listed(clerk, f"{url}?status=paid") == [ledger["deposit_bill"], ledger["paid"]]
    assert listed(clerk, f"{url}?period=2026-01") == [ledger["old"]]
    assert listed(clerk, f"{url}?period=2026-02&status=void") == [ledger["void"]]
    assert listed(clerk, f"{url}?q={ledger['paid'].number.lower()}") == [ledger["paid"]]
    assert listed(clerk, f"{url}?q=乙方") == [ledger["void"], ledger["paid"]]
    assert listed(clerk, f"{url}?overdue=true") == [ledger["old"]]
    assert ledger["old"] not in listed(clerk, f"{url}?overdue=false")


@pytest.mark.parametrize("period", ["garbage", "2026-13", "2026", "-", "2026-00", "９９", "x-02"])
def test_a_garbage_period_lists_no_bills(clerk, ledger, period):
    assert listed(clerk, f"/desk/billing/bills/?period={period}") == []


@pytest.mark.parametrize("query", ["status=nope", "overdue=maybe", "building=abc", "building=999999", "page=abc"])
def test_other_garbage_filters_are_not_a_500(clerk, ledger, query):
    response = clerk.get(f"/desk/billing/bills/?{query}")
    assert response.status_code in (200, 404)


def test_bill_ledger_excel_has_only_the_filtered_rows(clerk, ledger):
    rows = xlsx_rows(clerk.get("/desk/billing/bills/?status=paid&export=xlsx"))
    assert rows[0] == (
        "Number",
        "Payer",
        "Units",
        "Title",
        "Period from",
        "Period until",
        "Issued on",
        "Due date",
        "Total",
        "Paid",
        "Outstanding",
        "Status",
        "Late fee billed",
        "Payer kind",
    )
    # The bills, then the totals row.
    assert sorted(r[0] for r in rows[1:-1]) == sorted([ledger["deposit_bill"].number, ledger["paid"].number])
    assert {r[11] for r in rows[1:-1]} == {"Paid"}
    assert rows[-1][0] == "Total"
    assert xlsx_rows(clerk.get("/desk/billing/bills/?period=garbage&export=xlsx"))[1:-1] == []
    rows = xlsx_rows(clerk.get("/desk/billing/bills/?period=2026-01&export=xlsx"))
    assert [(r[0], r[8], r[9], r[10]) for r in rows[1:]] == [
        (ledger["old"].number, 100, 0, 100),
        ("Total", 100, 0, 100),
    ]


def test_payment_ledger_filters_and_excel(clerk, ledger, tenant_a):
    assert listed(clerk, "/desk/billing/payments/?method=cash") == [ledger["cash"]]
    assert listed(clerk, f"/desk/billing/payments/?q={ledger['bank'].receipt.number}") == [ledger["bank"]]
    rows = xlsx_rows(clerk.get("/desk/billing/payments/?method=bank&export=xlsx"))
    assert rows[0][:3] == ("Receipt", "Payer", "Amount")
    assert [(r[0], r[1], r[2], r[3]) for r in rows[1:]] == [(ledger["bank"].receipt.number, tenant_a.name, 5000, 5000)]


def test_deposit_ledger_filters_and_excel(clerk, ledger, tenant_a):
    entries = listed(clerk, "/desk/billing/deposits/?kind=deducted")
    assert [(e.amount, e.reason) for e in entries] == [(D("100.00"), "清洁费")]
    rows = xlsx_rows(clerk.get("/desk/billing/deposits/?kind=refunded&export=xlsx"))
    assert rows[0] == ("Payer", "Deposit", "Entry", "Amount", "Reason", "Recorded at", "Payer kind")
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [(tenant_a.name, "Refunded", -4900)]
    all_rows = xlsx_rows(clerk.get("/desk/billing/deposits/?export=xlsx"))[1:]
    assert sum(Decimal(str(r[3])) for r in all_rows) == 0  # received − deducted − refunded
    assert len(all_rows) == DepositEntry.objects.count() == 3


def test_the_account_page_shows_what_is_owed_credit_and_deposits(clerk, tenant_a, desk):
    issue_bill(tenant_a, desk, "100")
    payment_record(tenant=tenant_a, amount=D("30"), method="cash", by=desk, bills=[])
    response = clerk.get(f"/desk/billing/accounts/{tenant_a.pk}/")
    assert response.status_code == 200
    assert response.context["balance"] == {"owed": D("100.00"), "credit": D("30.00"), "deposit": D("0.00")}


# --- the tenant's portal -------------------------------------------------------------------------


def test_portal_shows_only_the_companys_bills_payments_and_deposits(client_for, tenant_a_admin, ledger):
    response = client_for(tenant_a_admin).get("/portal/billing/")
    assert response.status_code == 200
    assert set(response.context["object_list"]) == {ledger["old"], ledger["deposit_bill"]}
    assert list(response.context["payments"]) == [ledger["bank"]]
    assert {e.tenant_id for e in response.context["deposits"]} == {ledger["bank"].tenant_id}
    assert response.context["balance"]["owed"] == D("100.00")
    assert ledger["paid"].number not in response.content.decode()


def test_portal_bill_filter_by_status(client_for, tenant_a_admin, ledger):
    response = client_for(tenant_a_admin).get("/portal/billing/?status=open")
    assert list(response.context["object_list"]) == [ledger["old"]]


def test_portal_bill_detail_and_receipt_of_the_company(client_for, tenant_a_staff, ledger):
    # Staff open bills once their admin grants it (tenants.grants).
    tenant_a_staff.membership.areas = ["bills"]
    tenant_a_staff.membership.save(update_fields=["areas"])
    portal = client_for(tenant_a_staff)
    response = portal.get(f"/portal/billing/bills/{ledger['deposit_bill'].pk}/")
    assert response.status_code == 200
    assert response.context["bill"] == ledger["deposit_bill"]
    receipt = portal.get(f"/portal/billing/payments/{ledger['bank'].pk}/receipt/")
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"


def test_portal_bill_and_receipt_of_another_company_are_404(client_for, tenant_a_admin, ledger):
    portal = client_for(tenant_a_admin)
    assert portal.get(f"/portal/billing/bills/{ledger['paid'].pk}/").status_code == 404
    assert portal.get(f"/portal/billing/payments/{ledger['cash'].pk}/receipt/").status_code == 404
    assert portal.get("/portal/billing/bills/999999/").status_code == 404


@pytest.mark.parametrize(
    ("who", "sees_bills"), [("desk", True), ("finance", True), ("guard", False), ("engineer", False)]
)
def test_tenant_page_shows_the_bills_panel_only_to_money_roles(persona, client_for, tenant_a, who, sees_bills):
    """A panel obeys the roles of the pages it links to: guards and engineers see no amounts."""
    response = client_for(persona(who)).get(reverse("desk:tenants:tenant_detail", args=[tenant_a.pk]))
    assert response.status_code == 200
    titles = [str(p.title) for p in response.context["panels"]]
    assert ("Bills" in titles or "账单" in titles) is sees_bills


def test_money_on_screen_has_thousands_separators(clerk, tenant_a, desk):
    issue_bill(tenant_a, desk, "12345.6")
    html = clerk.get(f"/desk/billing/accounts/{tenant_a.pk}/").content.decode()
    assert "¥12,345.60" in html


def test_money_filter_formats_like_the_pdfs():
    from jinyuan.templatetags.money import format_money

    assert format_money(Decimal("1234567.891")) == "¥1,234,567.89"
    assert format_money(Decimal("-5")) == "-¥5.00"
    assert format_money(None) == ""
    assert format_money("n/a") == "n/a"
