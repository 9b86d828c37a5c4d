"""Who may open the invoice requests 发票: the money roles at the desk (finance and the
supervisor issue and refuse); in the portal the company's admins and the staff with the "bills"
grant, each for their own company (another company's request: 404). Refused POSTs change nothing."""

import pytest
from django.urls import reverse

from billing.models import InvoiceRequest, Payment
from jinyuan.workflow.models import AuditEvent
from tests.billing.invoice_helpers import e_invoice, issue, request_invoice
from tests.matrix import (
    EVERYONE,
    GRANTED_PORTAL_PAGE,
    GRANTED_TENANT_A_RECORD,
    LOGIN_REDIRECT,
    MISSING,
    MONEY_PAGE,
    OK,
    Page,
    assert_page,
    assert_refused,
    by_page,
    client_as,
    desk_page,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_list")]

# The issue form's URL: a GET goes back to the request's page (finance and the supervisor).
ISSUE_PAGE = {**desk_page("finance", "supervisor"), "finance": LOGIN_REDIRECT, "supervisor": LOGIN_REDIRECT}

PAGES = [
    Page("desk:billing:invoice_list", MONEY_PAGE),
    Page("desk:billing:invoice_list", MONEY_PAGE, query="export=xlsx"),
    Page("desk:billing:invoice_detail", MONEY_PAGE, "request"),
    Page("desk:billing:invoice_issue", ISSUE_PAGE, "request"),
    Page("desk:billing:invoice_new", MONEY_PAGE, "tenant"),
    Page("portal:billing:invoice_list", GRANTED_PORTAL_PAGE),
    Page("portal:billing:invoice_new", GRANTED_PORTAL_PAGE),
    Page("portal:billing:invoice_detail", GRANTED_TENANT_A_RECORD, "request"),
]


@pytest.fixture
def records(tenant_a, tenant_b, tenant_a_admin, desk):
    return {"request": request_invoice(tenant_a, tenant_a_admin).pk, "tenant": tenant_a.pk}


@pytest.mark.parametrize("page", by_page(PAGES))
def test_invoice_page_access(persona, records, page):
    assert_page(persona, records, page)


def test_the_e_invoice_is_served_to_money_roles_and_the_companys_bills_members(
    persona, tenant_a, tenant_b_admin, tenant_a_admin, tenant_a_staff, desk, finance
):
    request = issue(request_invoice(tenant_a, tenant_a_admin), finance)
    url = reverse("attachments:file", args=[request.pdf_id])
    expect = {
        "anonymous": LOGIN_REDIRECT,
        **dict.fromkeys(("desk", "finance", "supervisor", "tenant_a_admin"), OK),
        **dict.fromkeys(("engineer", "guard", "tenant_a_staff", "tenant_b_admin"), MISSING),
    }
    assert {who: client_as(persona, who).get(url).status_code for who in EVERYONE} == expect


@pytest.mark.parametrize(
    ("who", "side", "data", "status"),
    [
        ("desk", "desk", {"action": "refuse", "note": "x"}, 403),
        ("engineer", "desk", {"action": "refuse", "note": "x"}, 403),
        ("finance", "desk", {"action": "issue"}, 403),  # issued only through its form
        ("tenant_a_admin", "desk", {"action": "refuse", "note": "x"}, 403),
        ("tenant_a_admin", "portal", {"action": "refuse", "note": "x"}, 403),
        ("tenant_b_admin", "portal", {"action": "refuse", "note": "x"}, 404),
        ("anonymous", "desk", {"action": "refuse", "note": "x"}, 302),
        ("anonymous", "portal", {"action": "refuse", "note": "x"}, 302),
    ],
)
def test_refused_post_leaves_the_request_unchanged(
    persona, tenant_a, tenant_b, tenant_a_admin, desk, who, side, data, status
):
    request = request_invoice(tenant_a, tenant_a_admin)
    url = reverse(f"{side}:billing:invoice_detail", args=[request.pk])
    events = AuditEvent.objects.count()
    response = client_as(persona, who).post(url, data)
    assert_refused(response, url, status, who)
    assert InvoiceRequest.objects.get(pk=request.pk).status == "requested"
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("who", ["desk", "engineer", "tenant_a_admin", "anonymous"])
def test_refused_issue_changes_nothing(persona, tenant_a, tenant_a_admin, desk, who):
    request = request_invoice(tenant_a, tenant_a_admin)
    invoiced = Payment.objects.get().invoiced
    response = client_as(persona, who).post(
        reverse("desk:billing:invoice_issue", args=[request.pk]),
        {"number": "1", "date": "2026-01-05", "amount": "1", "pdf": e_invoice()},
    )
    assert response.status_code == (302 if who == "anonymous" else 403)
    request.refresh_from_db()
    assert (request.status, request.pdf_id, Payment.objects.get().invoiced) == ("requested", None, invoiced)


def test_the_portal_form_offers_only_the_companys_own_payments(tenant_a, tenant_b, tenant_a_admin, desk, client_for):
    from tests.billing.invoice_helpers import paid

    mine, theirs = paid(tenant_a, desk), paid(tenant_b, desk)
    form = client_for(tenant_a_admin).get(reverse("portal:billing:invoice_new")).context["form"]
    assert list(form.fields["payments"].queryset) == [mine]
    assert theirs not in form.fields["payments"].queryset
