"""Who may open the sign-off pages (the access matrix); a refused POST changes nothing."""

import pytest
from django.urls import reverse

from jinyuan.workflow.models import AuditEvent
from repairs.models import RepairRating, RepairTicket
from tests.matrix import (
    DESK_ROLES_PAGE,
    FORBIDDEN,
    GRANTED_TENANT_A_RECORD,
    LOGIN_REDIRECT,
    MISSING,
    Page,
    assert_page,
    assert_refused,
    by_page,
    client_as,
)
from tests.repairs.feedback_helpers import completed, form_data, water_category

pytestmark = pytest.mark.django_db

PAGES = [
    # The desk fills the form with the tenant at its screen; the engineer may not sign off.
    Page("desk:repairs:sign_off", DESK_ROLES_PAGE, "repair_completed"),
    Page("portal:repairs:sign_off", GRANTED_TENANT_A_RECORD, "repair_completed"),
]


@pytest.fixture
def records(desk, engineer, tenant_a):
    return {"repair_completed": completed(desk, engineer, water_category(), tenant=tenant_a)}


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    ("who", "side", "status"),
    [
        ("anonymous", "desk", LOGIN_REDIRECT),
        ("anonymous", "portal", LOGIN_REDIRECT),
        ("engineer", "desk", FORBIDDEN),
        ("guard", "desk", FORBIDDEN),
        ("finance", "desk", FORBIDDEN),
        ("tenant_a_admin", "desk", FORBIDDEN),
        ("supervisor", "portal", FORBIDDEN),
        ("engineer", "portal", FORBIDDEN),
        ("tenant_b_admin", "portal", MISSING),
    ],
)
def test_a_refused_sign_off_changes_nothing(persona, records, who, side, status):
    ticket = records["repair_completed"]
    url = reverse(f"{side}:repairs:sign_off", args=[ticket.pk])
    events = AuditEvent.objects.count()
    response = client_as(persona, who).post(url, form_data())
    assert_refused(response, url, status, who)
    assert RepairTicket.objects.get(pk=ticket.pk).status == "completed"
    assert AuditEvent.objects.count() == events and not RepairRating.objects.exists()


@pytest.mark.parametrize(
    ("name", "who"), [("desk:repairs:sign_off", "desk"), ("portal:repairs:sign_off", "tenant_a_admin")]
)
def test_unknown_id_is_404(persona, name, who, tenant_a):
    assert client_as(persona, who).get(reverse(name, args=[987654])).status_code == 404
