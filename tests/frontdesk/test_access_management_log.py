"""Who may open the management log's pages (the access matrix); a refused POST changes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from frontdesk import management_log_services
from frontdesk.models import ManagementLog
from jinyuan.workflow.models import AuditEvent
from tests.matrix import (
    DESK_ROLES_PAGE,
    FORBIDDEN,
    LOGIN_REDIRECT,
    LazyRecords,
    Page,
    assert_page,
    by_page,
    client_as,
    desk_page,
)

pytestmark = pytest.mark.django_db

# A form posted from the day's page: GET sends those who may post back to the page.
DESK_STEP = {k: LOGIN_REDIRECT if v == 200 else v for k, v in DESK_ROLES_PAGE.items()}
SUPERVISOR_STEP = {k: LOGIN_REDIRECT if v == 200 else v for k, v in desk_page("supervisor").items()}

PAGES = [
    Page("desk:frontdesk:management_log_list", DESK_ROLES_PAGE),
    Page("desk:frontdesk:management_log_list", DESK_ROLES_PAGE, query="export=xlsx"),
    Page("desk:frontdesk:management_log_day", DESK_ROLES_PAGE, "yesterday"),
    Page("desk:frontdesk:management_log_remarks", SUPERVISOR_STEP, "yesterday"),
    Page("desk:frontdesk:management_log_item", DESK_STEP, "yesterday"),
    Page("desk:frontdesk:management_log_sign", SUPERVISOR_STEP, "yesterday"),
    Page("desk:frontdesk:management_log_pdf", DESK_ROLES_PAGE, "signed_day"),
]


def _signed_day(records) -> str:
    day = timezone.localdate() - dt.timedelta(days=2)
    management_log_services.log_sign(day=day, by=records.fixture("supervisor"))
    return day.isoformat()


MAKERS = {
    "yesterday": lambda r: (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
    "signed_day": _signed_day,
}


@pytest.fixture
def records(request):
    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    ("who", "step"),
    [
        ("anonymous", "sign"),
        ("desk", "sign"),
        ("engineer", "sign"),
        ("tenant_a_admin", "sign"),
        ("desk", "remarks"),
        ("guard", "remarks"),
        ("guard", "item"),
        ("tenant_a_admin", "item"),
    ],
)
def test_a_refused_post_changes_nothing(persona, engineer, who, step):
    from django.urls import reverse

    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    data = {
        "remarks-building_remarks": "正常",
        "remarks-manager_opinion": "无",
        "item-text": "检查",
        "item-owner": engineer.pk,
        "item-due_at": (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    response = client_as(persona, who).post(reverse(f"desk:frontdesk:management_log_{step}", args=[day]), data)
    assert response.status_code in (LOGIN_REDIRECT, FORBIDDEN)
    if who == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == FORBIDDEN
    assert not ManagementLog.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="management_log.").exists()
