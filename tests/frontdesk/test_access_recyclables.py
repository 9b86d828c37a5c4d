"""Who may open the pages of recyclables requests (the access matrix); a refused POST changes
nothing; another company's request is a 404."""

import pytest
from django.urls import reverse

from frontdesk.models import RecycleRequest
from jinyuan.workflow.models import AuditEvent
from tests.frontdesk.recycle_data import ACCESS_MAKERS, request_fields
from tests.matrix import (
    DESK_PAGE,
    DESK_ROLES_PAGE,
    FORBIDDEN,
    GRANTED_PORTAL_PAGE,
    GRANTED_TENANT_A_RECORD,
    LOGIN_REDIRECT,
    MISSING,
    LazyRecords,
    Page,
    assert_page,
    by_page,
    client_as,
    desk_page,
)

pytestmark = pytest.mark.django_db

# A GET of a step's URL leads back to the request (302) for whoever may take the step.
DESK_STEP = {**DESK_ROLES_PAGE, "desk": LOGIN_REDIRECT, "supervisor": LOGIN_REDIRECT}
VOID_STEP = {**desk_page("finance", "supervisor"), "finance": LOGIN_REDIRECT, "supervisor": LOGIN_REDIRECT}


MAKERS = {"tenant_a": lambda r: r.fixture("tenant_a"), **ACCESS_MAKERS}

PAGES = [
    Page("desk:frontdesk:recycle_list", DESK_PAGE),
    Page("desk:frontdesk:recycle_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:frontdesk:recycle_new", DESK_ROLES_PAGE, "tenant_a"),
    Page("desk:frontdesk:recycle_detail", DESK_PAGE, "recycle_request"),
    Page("desk:frontdesk:recycle_schedule", DESK_STEP, "recycle_request"),
    Page("desk:frontdesk:recycle_collect", DESK_STEP, "recycle_request"),
    Page("desk:frontdesk:recycle_settle", DESK_STEP, "recycle_request"),
    Page("desk:frontdesk:recycle_void_credit", VOID_STEP, "recycle_request"),
    Page("desk:frontdesk:recycle_voucher", DESK_PAGE, "recycle_cash"),
    Page("portal:frontdesk:recycle_list", GRANTED_PORTAL_PAGE),
    Page("portal:frontdesk:recycle_new", GRANTED_PORTAL_PAGE),
    Page("portal:frontdesk:recycle_detail", GRANTED_TENANT_A_RECORD, "recycle_request"),
    Page("portal:frontdesk:recycle_voucher", GRANTED_TENANT_A_RECORD, "recycle_cash"),
]


@pytest.fixture
def records(request, tenant_a, tenant_b_admin, tenant_a_staff):
    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


def _snapshot(obj) -> tuple:
    obj.refresh_from_db()
    return obj.status, obj.recycler_id, AuditEvent.objects.count()


@pytest.mark.parametrize(
    ("who", "side", "data", "status"),
    [
        ("anonymous", "desk", {"action": "cancel", "note": "x"}, LOGIN_REDIRECT),
        ("guard", "desk", {"action": "cancel", "note": "x"}, FORBIDDEN),
        ("finance", "desk", {"action": "cancel", "note": "x"}, FORBIDDEN),
        ("tenant_a_admin", "desk", {"action": "cancel", "note": "x"}, FORBIDDEN),
        ("desk", "desk", {"action": "withdraw"}, FORBIDDEN),  # the desk cancels, with a reason
        ("tenant_a_admin", "portal", {"action": "cancel", "note": "x"}, FORBIDDEN),
        ("tenant_a_staff", "portal", {"action": "withdraw"}, FORBIDDEN),
        ("tenant_b_admin", "portal", {"action": "withdraw"}, MISSING),
        ("supervisor", "portal", {"action": "withdraw"}, FORBIDDEN),
    ],
)
def test_a_refused_post_changes_nothing(records, persona, who, side, data, status):
    obj = records["recycle_request"]
    url = reverse(f"{side}:frontdesk:recycle_detail", args=[obj.pk])
    before = _snapshot(obj)
    response = client_as(persona, who).post(url, data)
    assert response.status_code == status
    assert _snapshot(obj) == before


@pytest.mark.parametrize(
    ("who", "status"), [("guard", FORBIDDEN), ("tenant_a_admin", FORBIDDEN), ("finance", FORBIDDEN)]
)
def test_only_the_desk_schedules(records, persona, who, status):
    obj = records["recycle_request"]
    url = reverse("desk:frontdesk:recycle_schedule", args=[obj.pk])
    before = _snapshot(obj)
    response = client_as(persona, who).post(url, {"recycler": obj.pk, "pickup_at": "2099-01-01T10:00"})
    assert response.status_code == status
    assert _snapshot(obj) == before


@pytest.mark.parametrize(("who", "status"), [("tenant_a_staff", FORBIDDEN), ("desk", FORBIDDEN)])
def test_a_refused_request_saves_nothing(records, persona, unit_a, who, status):
    data = {k: v for k, v in request_fields(unit_a).items() if k != "unit"}
    data.update(unit=unit_a.pk, preferred_time="2099-01-01T10:00", categories=["paper"])
    response = client_as(persona, who).post(reverse("portal:frontdesk:recycle_new"), data)
    assert response.status_code == status
    assert not RecycleRequest.objects.exists()
