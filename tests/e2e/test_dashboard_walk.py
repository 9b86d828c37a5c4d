"""The supervisor opens the dashboard: its charts draw under the CSP (no inline script, no
console error), a figure's link leads to its register, and a month's report is drawn up on
demand and listed with its PDF; every page passes axe."""

import pytest

from frontdesk.models import MonthlyReport
from tests.frontdesk import dashboard_data as data

from .conftest import login, submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jinyuan-e2e-2026"


def test_the_supervisor_reads_the_dashboard_and_draws_a_report_up(new_page, supervisor, tenant_a, finance):
    supervisor.set_password(PASSWORD)
    supervisor.save()
    data.add_deadlines()
    data.add_bills(tenant_a, finance)
    page = new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login(page, supervisor.username, PASSWORD)
    page.goto("/desk/frontdesk/dashboard/")
    page.wait_for_function("() => window.Chart && Object.keys(window.Chart.instances).length >= 3")
    assert not errors, errors
    page.locator("tr[data-figure=overdue_bills] th a").click()
    page.wait_for_url("**/desk/billing/bills/?overdue=true")
    page.goto("/desk/frontdesk/dashboard/reports/")
    page.fill("input[name=month]", "2026-10")
    submit(page, "main form button[type=submit]")
    assert MonthlyReport.objects.get().requested_by == supervisor
    assert page.locator("a[href$='/pdf/']").count() == 1
