"""Who may open each billing page: anonymous users go to the login page, staff roles without
money duties and tenant users get 403 at the desk, another company's bill or receipt is a 404
in the portal, and a refused POST changes nothing."""

from datetime import timedelta

import pytest

from billing.models import Bill, FeeItem, Payment, ServiceCharge
from billing.paid import PaidItem
from billing.paid_services import service_charge
from billing.services import payment_record
from tenants import services as tenant_services
from tests import factories
from tests.billing.helpers import D, issue_bill
from tests.matrix import (
    FORBIDDEN,
    GRANTED_PORTAL_PAGE,
    GRANTED_TENANT_A_RECORD,
    LOGIN_REDIRECT,
    MISSING,
    MONEY_PAGE,
    PORTAL_PAGE,
    SUPERVISOR_PAGE,
    Page,
    assert_page,
    by_page,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]

PAGES = [
    Page("desk:billing:bill_list", MONEY_PAGE),
    Page("desk:billing:bill_list", MONEY_PAGE, query="export=xlsx"),
    Page("desk:billing:bill_detail", MONEY_PAGE, "bill"),
    # 违约金: only a supervisor waives a late fee
    Page("desk:billing:late_fee_waive", SUPERVISOR_PAGE, "late_fee_bill"),
    Page("desk:billing:account", MONEY_PAGE, "tenant"),
    Page("desk:billing:bill_new", MONEY_PAGE, "tenant"),
    Page("desk:billing:payment_new", MONEY_PAGE, "tenant"),
    Page("desk:billing:payment_list", MONEY_PAGE),
    Page("desk:billing:payment_list", MONEY_PAGE, query="export=xlsx"),
    Page("desk:billing:payment_detail", MONEY_PAGE, "payment"),
    Page("desk:billing:receipt_pdf", MONEY_PAGE, "payment"),
    Page("desk:billing:deposit_list", MONEY_PAGE),
    Page("desk:billing:deposit_list", MONEY_PAGE, query="export=xlsx"),
    Page("desk:billing:movein_charges", MONEY_PAGE, "move_in"),
    Page("desk:billing:moveout_deposit", SUPERVISOR_PAGE, "move_out"),
    Page("portal:billing:billing_home", GRANTED_PORTAL_PAGE),
    Page("portal:billing:bill_detail", GRANTED_TENANT_A_RECORD, "bill"),
    Page("portal:billing:receipt_pdf", GRANTED_TENANT_A_RECORD, "payment"),
    Page("portal:billing:price_list", PORTAL_PAGE),
    # 有偿服务 paid services
    Page("desk:billing:service_charge_list", MONEY_PAGE),
    Page("desk:billing:service_charge_list", MONEY_PAGE, query="export=xlsx"),
    Page("desk:billing:service_charge_new", MONEY_PAGE),
    Page("desk:billing:service_charge_detail", MONEY_PAGE, "service_charge"),
    Page("desk:billing:price_list", MONEY_PAGE),
]


@pytest.fixture
def records(tenant_a, tenant_b, tenant_a_admin, desk):
    """Tenant A's bill, payment with receipt, an open move-in and an open move-out."""
    bill = issue_bill(tenant_a, desk, "300")
    payment = payment_record(tenant=tenant_a, amount=D("100"), method="cash", by=desk)
    unit = factories.UnitFactory(number="A-2101")
    move_in = tenant_services.movein_open(tenant=tenant_a, units=[unit], start_date=bill.issued_on, by=desk)
    move_out = tenant_services.moveout_open(
        tenant=tenant_a, planned_date=bill.issued_on + timedelta(days=30), by=tenant_a_admin
    )
    charge = service_charge(
        tenant=tenant_a,
        items=[PaidItem(FeeItem.objects.get(code="access_card"), D("1"))],
        materials=[],
        title="门禁卡",
        by=desk,
    )
    from datetime import date

    from tests.billing.late_fee_helpers import agree, overdue_bill

    agree(tenant_a)
    overdue = overdue_bill(tenant_a, desk, "1000.00", date(2026, 1, 15))
    return {
        "late_fee_bill": overdue.pk,
        "service_charge": charge.pk,
        "bill": bill.pk,
        "payment": payment.pk,
        "tenant": tenant_a.pk,
        "move_in": move_in.pk,
        "move_out": move_out.pk,
    }


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    "url",
    ["/desk/billing/bills/{bill}/", "/desk/billing/payments/{payment}/", "/portal/billing/bills/{bill}/"],
)
def test_anonymous_is_sent_to_the_login_page_and_back(client_for, records, url):
    url = url.format(**records)
    response = client_for(None).get(url)
    assert response["Location"] == f"/login/?next={url}"


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/desk/billing/bills/999999/", "desk"),
        ("/desk/billing/payments/999999/", "finance"),
        ("/desk/billing/payments/999999/receipt/", "supervisor"),
        ("/desk/billing/accounts/999999/", "desk"),
        ("/desk/billing/accounts/999999/bill/", "desk"),
        ("/desk/move-ins/999999/charges/", "desk"),
        ("/desk/move-outs/999999/deposit/", "supervisor"),
        ("/portal/billing/bills/999999/", "tenant_a_admin"),
        ("/portal/billing/payments/999999/receipt/", "tenant_a_admin"),
    ],
)
def test_an_unknown_record_is_404(client_for, persona, url, who):
    assert client_for(persona(who)).get(url).status_code == MISSING


@pytest.mark.parametrize(
    "url",
    [
        "/desk/billing/accounts/999999/bill/",
        "/desk/billing/accounts/999999/pay/",
        "/desk/move-ins/999999/charges/",
        "/desk/move-outs/999999/deposit/",
    ],
)
def test_anonymous_gets_the_login_page_for_an_unknown_record_too(client_for, url):
    assert client_for(None).get(url).status_code == LOGIN_REDIRECT


# --- refused POSTs change nothing ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["engineer", "guard", "tenant_a_admin", "tenant_b_admin"])
def test_a_payment_posted_by_someone_without_money_duties_is_refused(client_for, persona, records, who):
    response = client_for(persona(who)).post(
        f"/desk/billing/accounts/{records['tenant']}/pay/", {"amount": "200", "method": "cash"}
    )
    assert response.status_code == FORBIDDEN
    assert Payment.objects.count() == 1
    assert Bill.objects.get(pk=records["bill"]).paid == D("100.00")


@pytest.mark.parametrize("who", ["desk", "engineer", "tenant_a_admin"])
def test_a_void_posted_by_someone_who_may_not_void_is_refused(client_for, persona, tenant_a, desk, who):
    bill = issue_bill(tenant_a, desk, "10")
    response = client_for(persona(who)).post(f"/desk/billing/bills/{bill.pk}/", {"action": "void", "note": "x"})
    assert response.status_code == FORBIDDEN
    assert Bill.objects.get(pk=bill.pk).status == "open"


@pytest.mark.parametrize("who", ["desk", "finance", "engineer", "tenant_a_admin"])
def test_a_deposit_refund_posted_by_anyone_but_a_supervisor_is_refused(client_for, persona, records, who):
    from billing.models import DepositEntry

    response = client_for(persona(who)).post(f"/desk/move-outs/{records['move_out']}/deposit/", {"refund": "0"})
    assert response.status_code == FORBIDDEN
    assert not DepositEntry.objects.exists()


@pytest.mark.parametrize("who", ["engineer", "guard", "tenant_a_admin"])
def test_first_charges_posted_by_someone_without_money_duties_are_refused(client_for, persona, records, who):
    response = client_for(persona(who)).post(f"/desk/move-ins/{records['move_in']}/charges/")
    assert response.status_code == FORBIDDEN
    assert not Bill.objects.filter(source_key=f"movein:{records['move_in']}").exists()


@pytest.mark.parametrize("who", ["engineer", "guard", "tenant_a_admin", "tenant_b_admin", None])
def test_a_paid_service_charged_by_someone_without_money_duties_is_refused(client_for, persona, records, who):
    item = FeeItem.objects.get(code="access_card")
    data = {"tenant": "1201", "title": "x", "done_on": "2026-01-05", "lines-TOTAL_FORMS": "1"}
    data |= {"lines-INITIAL_FORMS": "0", "lines-0-fee_item": item.pk, "lines-0-quantity": "1"}
    data |= {"materials-TOTAL_FORMS": "0", "materials-INITIAL_FORMS": "0"}
    response = client_for(persona(who) if who else None).post("/desk/billing/services/new/", data)
    assert response.status_code == (LOGIN_REDIRECT if who is None else FORBIDDEN)
    assert ServiceCharge.objects.count() == 1
