"""A supervisor opens the monthly service statistics: the vendored Chart.js draws the three
charts under the CSP (no console error), and the month's report is signed off from the page."""

import pytest
from django.utils import timezone

from complaints import reports
from complaints.models import ServiceReport
from complaints.statistics import previous_month

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


def test_the_supervisor_reads_the_charts_and_signs_the_report_off(new_page, supervisor):
    supervisor.set_password(PASSWORD)
    supervisor.save()
    month = previous_month(timezone.localdate())
    report, _created = reports.service_report_draft(month)
    page = new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login(page, supervisor.username, PASSWORD)
    page.goto("/desk/complaints/statistics/")
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 3")
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('canvas[data-chart]')).filter(c => window.Chart.getChart(c)).length"
    )
    assert drawn == 3 and errors == []
    page.fill("textarea[name=remarks]", "本月报修及时率稳定。")
    submit(page, "form[action*=sign] button[type=submit]")
    assert ServiceReport.objects.get(pk=report.pk).status == "signed"
    assert page.locator("text=本月报修及时率稳定。").count() == 1
