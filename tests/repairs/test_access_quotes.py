"""Who may open the quote pages of paid repairs (rows of the shared access matrix)."""

from decimal import Decimal

import pytest

from billing.models import FeeItem
from billing.paid import PaidItem
from repairs import quotes, services
from repairs.models import RepairCategory, RepairQuote
from tests.matrix import (
    FORBIDDEN,
    GRANTED_TENANT_A_RECORD,
    LOGIN_REDIRECT,
    MISSING,
    OK,
    Page,
    assert_page,
    by_page,
    desk_page,
)

pytestmark = pytest.mark.django_db

PAGES = [
    # The assigned engineer (the persona is assigned to the record) and the desk propose.
    Page("desk:repairs:quote_new", desk_page("desk", "supervisor", "engineer"), "repair_quoted"),
    # The desk records the tenant's answer on its screen; the engineer may not answer for them.
    Page("desk:repairs:quote_decide", desk_page("desk", "supervisor"), "repair_quoted"),
    Page("portal:repairs:quote", GRANTED_TENANT_A_RECORD, "repair_quoted"),
]


@pytest.fixture
def records(desk, engineer, tenant_a, tenant_a_admin, tenant_a_staff, tenant_b_admin):
    category = RepairCategory.objects.create(name="有偿维修", paid=True)
    item = FeeItem.objects.create(code="repair_labour", name="维修人工", kind=FeeItem.Kind.ONE_OFF, price=Decimal(80))
    ticket = services.report(
        by=desk, category=category, tenant=tenant_a, reporter_name="王", phone="13877110001", description="漏水"
    )
    services.assign(ticket, engineer=engineer, by=desk)
    services.accept(ticket, by=engineer)
    services.arrive(ticket, by=engineer)
    quotes.quote_propose(ticket=ticket, items=[PaidItem(item, Decimal(1))], materials=[], by=engineer)
    return {"repair_quoted": ticket.pk}


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    ("url", "who"),
    [
        ("/desk/repairs/987654/quote/", "desk"),
        ("/desk/repairs/987654/quote/", "engineer"),
        ("/desk/repairs/987654/quote/decide/", "supervisor"),
        ("/portal/repairs/987654/quote/", "tenant_a_admin"),
    ],
)
def test_an_unknown_ticket_is_404(client_for, persona, url, who):
    assert client_for(persona(who)).get(url).status_code == MISSING


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        (None, "/desk/repairs/{pk}/quote/decide/", LOGIN_REDIRECT),
        ("engineer", "/desk/repairs/{pk}/quote/decide/", FORBIDDEN),
        ("guard", "/desk/repairs/{pk}/quote/decide/", FORBIDDEN),
        ("finance", "/desk/repairs/{pk}/quote/decide/", FORBIDDEN),
        ("tenant_a_admin", "/desk/repairs/{pk}/quote/decide/", FORBIDDEN),
        ("tenant_b_admin", "/portal/repairs/{pk}/quote/", MISSING),
        ("desk", "/portal/repairs/{pk}/quote/", FORBIDDEN),
        (None, "/portal/repairs/{pk}/quote/", LOGIN_REDIRECT),
    ],
)
def test_a_refused_answer_changes_nothing(client_for, persona, records, who, path, status):
    url = path.format(pk=records["repair_quoted"])
    response = client_for(persona(who) if who else None).post(url, {"decision": "accept"})
    assert response.status_code == status
    assert RepairQuote.objects.get().status == "proposed"


def test_a_staff_member_answers_with_the_repairs_grant(client_for, persona, records, tenant_a_staff):
    url = f"/portal/repairs/{records['repair_quoted']}/quote/"
    assert client_for(persona("tenant_a_staff")).get(url).status_code == FORBIDDEN
    membership = tenant_a_staff.membership
    membership.areas = [*(membership.areas or ()), "repairs"]
    membership.save(update_fields=["areas"])
    assert client_for(persona("tenant_a_staff")).get(url).status_code == OK
