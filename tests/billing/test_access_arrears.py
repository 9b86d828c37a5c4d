"""Who may open the arrears pages 催缴: money roles for a tenant's arrears and the notices, the
supervisor and finance for the escalation list and demand letters; a tenant's own notices in
the portal (another company's: 404)."""

import pytest

from billing import arrears
from tests.billing.arrears_helpers import overdue_bill
from tests.matrix import (
    GRANTED_PORTAL_PAGE,
    GRANTED_TENANT_A_RECORD,
    MONEY_PAGE,
    Page,
    assert_page,
    by_page,
    desk_page,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]

ESCALATION_PAGE = desk_page("finance", "supervisor")

PAGES = [
    Page("desk:billing:arrears_account", MONEY_PAGE, "tenant"),
    Page("desk:billing:arrears_notices", MONEY_PAGE),
    Page("desk:billing:arrears_notice_pdf", MONEY_PAGE, "notice"),
    Page("desk:billing:arrears_notice_batch", MONEY_PAGE, "notice_batch"),
    Page("desk:billing:arrears_notice_batch_pdf", MONEY_PAGE, "notice_batch"),
    Page("desk:billing:arrears_escalation", ESCALATION_PAGE),
    Page("desk:billing:demand_letter", ESCALATION_PAGE, "letter"),
    Page("desk:billing:demand_letter_pdf", ESCALATION_PAGE, "letter"),
    Page("portal:billing:arrears_notices", GRANTED_PORTAL_PAGE),
    Page("portal:billing:arrears_notice_pdf", GRANTED_TENANT_A_RECORD, "notice"),
    Page("portal:billing:demand_letter_pdf", GRANTED_TENANT_A_RECORD, "letter"),
]


def make_arrears(tenant, desk, supervisor) -> dict:
    """Tenant A overdue four months, with a notice, a demand letter, a call with a promise and
    its floor's batch of notices, printed."""
    from django.utils import timezone

    overdue_bill(tenant, desk, days=120)
    notice = arrears.notice_issue(tenant=tenant, by=desk)
    letter = arrears.demand_letter_issue(tenant=tenant, by=supervisor)
    arrears.contact_record(tenant=tenant, by=desk, method="phone", person="王建国", promise_date=timezone.localdate())
    floor = tenant.occupancies.select_related("unit__floor").first().unit.floor
    batch = arrears.notice_batch_create(tenants=[tenant], by=desk, floor=floor)
    arrears.notice_batch_render(batch=batch)
    return {"tenant": tenant.pk, "notice": notice.pk, "letter": letter.pk, "notice_batch": batch.pk}


@pytest.fixture
def records(tenant_a, tenant_b, tenant_a_admin, desk, supervisor):
    return make_arrears(tenant_a, desk, supervisor)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_arrears_page_access(persona, records, page):
    assert_page(persona, records, page)
