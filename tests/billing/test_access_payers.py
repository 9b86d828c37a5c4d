"""Who may open the customer pages (payers who are not tenants): the money roles (desk,
finance, supervisor) at the desk; engineering, security and every tenant user get 403 (a
customer has no portal); settling a deposit is the supervisor's, as at move-out. A refused
POST changes nothing."""

import pytest

from billing import customer_services
from billing.models import Bill, Customer, DepositEntry, FeeItem, Payment
from tests.billing.helpers import D, service_lines
from tests.billing.payer_helpers import make_customer
from tests.matrix import FORBIDDEN, LOGIN_REDIRECT, MISSING, MONEY_PAGE, SUPERVISOR_PAGE, Page, assert_page, by_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]

PAGES = [
    Page("desk:billing:customer_list", MONEY_PAGE),
    Page("desk:billing:customer_list", MONEY_PAGE, query="export=xlsx"),
    Page("desk:billing:customer_new", MONEY_PAGE),
    Page("desk:billing:customer_detail", MONEY_PAGE, "customer"),
    Page("desk:billing:customer_edit", MONEY_PAGE, "customer"),
    Page("desk:billing:customer_bill_new", MONEY_PAGE, "customer"),
    Page("desk:billing:customer_payment_new", MONEY_PAGE, "customer"),
    Page("desk:billing:customer_deposit", MONEY_PAGE, "customer"),
    Page("desk:billing:customer_deposit_settle", SUPERVISOR_PAGE, "customer"),
    Page("desk:billing:customer_statement", MONEY_PAGE, "customer"),
    Page("desk:billing:customer_statement_pdf", MONEY_PAGE, "customer"),
]


@pytest.fixture
def records(desk):
    """A customer with a paid bill, a deposit held and a payment with its receipt."""
    from billing import services

    customer = make_customer(desk)
    services.bill_create(payer=customer, title="场地费", lines=service_lines("800"), by=desk)
    services.payment_record(payer=customer, amount=D("800"), method="bank", by=desk)
    item = FeeItem.objects.get(code="renovation_deposit")
    customer_services.deposit_take(payer=customer, fee_item=item, amount=D("3000"), method="bank", by=desk)
    return {"customer": customer.pk}


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_customer_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/desk/billing/customers/999999/", "desk"),
        ("/desk/billing/customers/999999/edit/", "finance"),
        ("/desk/billing/customers/999999/bill/", "desk"),
        ("/desk/billing/customers/999999/pay/", "finance"),
        ("/desk/billing/customers/999999/deposit/", "desk"),
        ("/desk/billing/customers/999999/deposit/settle/", "supervisor"),
        ("/desk/billing/customers/999999/statement/", "finance"),
    ],
)
def test_an_unknown_customer_is_404(client_for, persona, url, who):
    assert client_for(persona(who)).get(url).status_code == MISSING


# --- refused POSTs change nothing ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["engineer", "guard", "tenant_a_admin", "tenant_b_admin", None])
def test_a_customer_posted_by_someone_without_money_duties_is_refused(client_for, persona, records, who):
    response = client_for(persona(who) if who else None).post("/desk/billing/customers/new/", {"name": "某公司"})
    assert response.status_code == (LOGIN_REDIRECT if who is None else FORBIDDEN)
    assert Customer.objects.count() == 1


@pytest.mark.parametrize("who", ["engineer", "guard", "tenant_a_admin"])
def test_a_customer_payment_posted_by_someone_without_money_duties_is_refused(client_for, persona, records, who):
    url = f"/desk/billing/customers/{records['customer']}/pay/"
    response = client_for(persona(who)).post(url, {"amount": "200", "method": "cash"})
    assert response.status_code == FORBIDDEN
    assert Payment.objects.count() == 2


@pytest.mark.parametrize("who", ["engineer", "tenant_a_admin"])
def test_a_customer_bill_posted_by_someone_without_money_duties_is_refused(client_for, persona, records, who):
    url = f"/desk/billing/customers/{records['customer']}/bill/"
    response = client_for(persona(who)).post(url, {"title": "x", "due_date": "2026-12-31"})
    assert response.status_code == FORBIDDEN
    assert Bill.objects.count() == 2


@pytest.mark.parametrize("who", ["desk", "finance", "engineer", "tenant_a_admin"])
def test_a_customer_deposit_settled_by_anyone_but_a_supervisor_is_refused(client_for, persona, records, who):
    url = f"/desk/billing/customers/{records['customer']}/deposit/settle/"
    response = client_for(persona(who)).post(url, {"refund": "3000"})
    assert response.status_code == FORBIDDEN
    assert DepositEntry.objects.count() == 1
