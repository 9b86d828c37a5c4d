"""Who may open the monthly service statistics (the access matrix): supervisors only; a refused
sign-off changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from complaints import reports
from complaints.models import ServiceReport
from jinyuan.workflow.models import AuditEvent
from tests.matrix import (
    FORBIDDEN,
    LOGIN_REDIRECT,
    SUPERVISOR_PAGE,
    Page,
    assert_page,
    assert_refused,
    by_page,
    client_as,
)

pytestmark = pytest.mark.django_db

PAGES = [
    Page("desk:complaints:statistics", SUPERVISOR_PAGE),
    Page("desk:complaints:statistics_export", SUPERVISOR_PAGE),
    Page("desk:complaints:statistics_pdf", SUPERVISOR_PAGE, "service_report"),
    Page("desk:complaints:statistics_sign", SUPERVISOR_PAGE, "service_report"),
]


@pytest.fixture
def records(db):
    report, _created = reports.service_report_draft(dt.date(2026, 11, 1))
    return {"service_report": report}


@pytest.mark.parametrize("page", by_page(PAGES))
def test_who_may_open_the_page(persona, records, page):
    assert_page(persona, records, page)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", LOGIN_REDIRECT),
        ("desk", FORBIDDEN),
        ("engineer", FORBIDDEN),
        ("finance", FORBIDDEN),
        ("tenant_a_admin", FORBIDDEN),
    ],
)
def test_a_refused_sign_off_changes_nothing(persona, records, who, status):
    report = records["service_report"]
    url = reverse("desk:complaints:statistics_sign", args=[report.pk])
    response = client_as(persona, who).post(url, {"remarks": "同意"})
    assert_refused(response, url, status, who)
    assert ServiceReport.objects.get(pk=report.pk).status == "drafted"
    assert not AuditEvent.objects.filter(action="service_report.signed").exists()


def test_unknown_report_is_404(persona):
    for name in ("desk:complaints:statistics_pdf", "desk:complaints:statistics_sign"):
        assert client_as(persona, "supervisor").get(reverse(name, args=[987654])).status_code == 404
