"""Who may open the supervisor dashboard and its monthly reports (the access matrix): supervisors
only; a refused POST draws nothing up."""

import datetime as dt

import pytest

from frontdesk.dashboard_services import report_draft
from frontdesk.models import MonthlyReport
from jinyuan.workflow.models import AuditEvent
from tests.matrix import FORBIDDEN, LOGIN_REDIRECT, SUPERVISOR_PAGE, LazyRecords, Page, assert_page, by_page, client_as

pytestmark = pytest.mark.django_db

PAGES = [
    Page("desk:frontdesk:dashboard", SUPERVISOR_PAGE),
    Page("desk:frontdesk:dashboard_reports", SUPERVISOR_PAGE),
    Page("desk:frontdesk:dashboard_pdf", SUPERVISOR_PAGE, "report"),
]

MAKERS = {"report": lambda records: report_draft(dt.date(2026, 10, 1))[0]}


@pytest.fixture
def records(request, tenant_a, tenant_b_admin, tenant_a_staff):
    return LazyRecords(request, MAKERS)


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", LOGIN_REDIRECT), ("desk", FORBIDDEN), ("finance", FORBIDDEN), ("tenant_a_admin", FORBIDDEN)],
)
def test_only_a_supervisor_may_draw_a_month_up(persona, who, status):
    from django.urls import reverse

    response = client_as(persona, who).post(reverse("desk:frontdesk:dashboard_reports"), {"month": "2026-10"})
    assert response.status_code == status
    assert not MonthlyReport.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="dashboard_report.").exists()
