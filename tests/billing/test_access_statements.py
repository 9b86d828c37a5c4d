"""Who may open the statements 对账单: money roles at the desk for any tenant; in the portal
the company's admins and the staff with the "bills" grant, each for their own company only (no
tenant id in the portal's URLs: tenant B's admin gets B's statement, tests/billing/test_statements.py)."""

import pytest

from tests import factories
from tests.matrix import GRANTED_PORTAL_PAGE, MONEY_PAGE, Page, assert_page, by_page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]

PAGES = [
    Page("desk:billing:statement", MONEY_PAGE, "tenant_a"),
    Page("desk:billing:statement_pdf", MONEY_PAGE, "tenant_a"),
    Page("portal:billing:statement", GRANTED_PORTAL_PAGE),
    Page("portal:billing:statement_pdf", GRANTED_PORTAL_PAGE),
]


@pytest.fixture
def records(tenant_a, tenant_b, desk):
    factories.make_bill(tenant_a, desk)
    factories.make_payment(tenant_a, desk)
    return {"tenant_a": tenant_a.pk}


@pytest.mark.parametrize("page", by_page(PAGES))
def test_statement_page_access(persona, records, page):
    assert_page(persona, records, page)
