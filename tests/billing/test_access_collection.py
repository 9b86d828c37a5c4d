"""Who may open the collection dashboard 收缴 and its Excel file: finance and the supervisor;
the desk and the other staff get 403, tenants too, anonymous visitors the login."""

import pytest

from tests.matrix import Page, assert_page, by_page, desk_page

pytestmark = [pytest.mark.django_db]

COLLECTION_PAGE = desk_page("finance", "supervisor")

PAGES = [
    Page("desk:billing:collection", COLLECTION_PAGE),
    Page("desk:billing:collection_export", COLLECTION_PAGE),
]


@pytest.fixture
def records(tenant_a, tenant_b, tenant_a_admin):
    return {}


@pytest.mark.parametrize("page", by_page(PAGES))
def test_collection_page_access(persona, records, page):
    assert_page(persona, records, page)
