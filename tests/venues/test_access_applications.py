"""Who may open the pages of public-space applications and events (the access matrix); a
refused POST changes nothing."""

import pytest
from django.urls import reverse

from jinyuan.workflow.models import AuditEvent
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
from tests.venues.application_data import ACCESS_MAKERS, ahead
from venues.models import VenueApplication

pytestmark = pytest.mark.django_db

# A GET of the licence upload leads back to the application (302) for whoever may open it.
REDIRECTS = {"desk": LOGIN_REDIRECT, "supervisor": LOGIN_REDIRECT}
DESK_LICENCE = {**DESK_ROLES_PAGE, **REDIRECTS}
PORTAL_LICENCE = {**GRANTED_TENANT_A_RECORD, "tenant_a_admin": LOGIN_REDIRECT}

PAGES = [
    Page("desk:venues:application_list", DESK_PAGE),
    Page("desk:venues:application_list", DESK_PAGE, query="export=xlsx"),
    Page("desk:venues:application_new_tenant", DESK_ROLES_PAGE, "tenant_a"),
    Page("desk:venues:application_new_customer", DESK_ROLES_PAGE, "venue_customer"),
    Page("desk:venues:application_detail", DESK_PAGE, "venue_application"),
    Page("desk:venues:application_site", desk_page("desk", "supervisor", "guard"), "venue_event_approved"),
    Page("desk:venues:application_licence", DESK_LICENCE, "venue_application"),
    Page("desk:venues:application_pdf", DESK_PAGE, "venue_event_approved"),
    Page("portal:venues:application_list", GRANTED_PORTAL_PAGE),
    Page("portal:venues:application_new", GRANTED_PORTAL_PAGE),
    Page("portal:venues:application_detail", GRANTED_TENANT_A_RECORD, "venue_application"),
    Page("portal:venues:application_licence", PORTAL_LICENCE, "venue_application"),
    Page("portal:venues:application_pdf", GRANTED_TENANT_A_RECORD, "venue_event_approved"),
]

MAKERS = {**ACCESS_MAKERS, "tenant_a": lambda r: r.fixture("tenant_a")}


@pytest.fixture
def records(request, tenant_a, tenant_b_admin, tenant_a_staff):
    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


def _snapshot(app) -> tuple:
    app.refresh_from_db()
    return app.status, tuple(app.bookings.values_list("status", flat=True)), AuditEvent.objects.count()


@pytest.mark.parametrize(
    ("who", "side", "data", "status"),
    [
        ("anonymous", "desk", {"action": "approve"}, LOGIN_REDIRECT),
        ("desk", "desk", {"action": "approve"}, FORBIDDEN),  # the desk cannot approve
        ("guard", "desk", {"action": "approve"}, FORBIDDEN),  # nor security the supervisor's step
        ("guard", "desk", {"action": "reject", "note": "x"}, FORBIDDEN),  # not waiting for security
        ("finance", "desk", {"action": "withdraw"}, FORBIDDEN),
        ("engineer", "desk", {"action": "reject", "note": "x"}, FORBIDDEN),
        ("tenant_a_admin", "desk", {"action": "approve"}, FORBIDDEN),
        ("tenant_a_admin", "portal", {"action": "approve"}, FORBIDDEN),  # the tenant cannot approve
        ("tenant_a_staff", "portal", {"action": "withdraw"}, FORBIDDEN),
        ("tenant_b_admin", "portal", {"action": "withdraw"}, MISSING),
        ("supervisor", "portal", {"action": "withdraw"}, FORBIDDEN),
        ("anonymous", "portal", {"action": "withdraw"}, LOGIN_REDIRECT),
    ],
)
def test_a_refused_post_changes_nothing(records, persona, who, side, data, status):
    app = records["venue_application"]
    url = reverse(f"{side}:venues:application_detail", args=[app.pk])
    before = _snapshot(app)
    response = client_as(persona, who).post(url, data)
    assert response.status_code == status
    assert _snapshot(app) == before


@pytest.mark.parametrize(
    ("who", "side", "status"),
    [
        ("anonymous", "desk", LOGIN_REDIRECT),
        ("guard", "desk", FORBIDDEN),
        ("finance", "desk", FORBIDDEN),
        ("tenant_a_admin", "desk", FORBIDDEN),
        ("tenant_a_staff", "portal", FORBIDDEN),
        ("desk", "portal", FORBIDDEN),
    ],
)
def test_a_refused_application_holds_nothing(records, persona, who, side, status):
    space = records["venue_space"]
    day = ahead(6)
    data = {
        "kind": "public_space",
        "title": "海报",
        "purpose": "宣传",
        "spaces": [space.pk],
        "start_day": day.isoformat(),
        "start_time": "10:00",
        "end_day": day.isoformat(),
        "end_time": "12:00",
    }
    if side == "desk":
        url = reverse("desk:venues:application_new_tenant", args=[records.fixture("tenant_a").pk])
    else:
        url = reverse("portal:venues:application_new")
    response = client_as(persona, who).post(url, data)
    assert response.status_code == status
    assert not VenueApplication.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("guard", FORBIDDEN), ("engineer", FORBIDDEN), ("tenant_a_admin", FORBIDDEN)]
)
def test_only_the_staff_on_site_check(records, persona, who, status):
    app = records["venue_event_approved"]
    url = reverse("desk:venues:application_site", args=[app.pk])
    if who == "guard":
        status = 400  # security checks: an empty form is a field error, nothing saved
    response = client_as(persona, who).post(url, {"step": "close", "damage": "-1"})
    assert response.status_code == status
    assert not app.checks.exists()
