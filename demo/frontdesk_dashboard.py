"""The supervisor dashboard's monthly report (主管月报) of the demo: last month's report, drawn
up by the beat's own body on the 1st of this month just after midnight (the figures as they
were then: the rest of the demo provides them), its PDF rendered. The dashboard itself needs no
seeding: it reads what every procedure recorded."""

from datetime import date
from unittest import mock

from frontdesk import dashboard_services as services
from frontdesk import tasks
from frontdesk.models import MonthlyReport

from . import clock
from .premises import local_dt


def through_services(today: date) -> MonthlyReport | None:
    """Last month's report, once (the month is unique: a second seeding draws nothing up)."""
    first = today.replace(day=1)
    with clock.at(local_dt(first, 0, 5)), mock.patch.object(tasks.render_dashboard_report, "delay_on_commit"):
        services.draft_last_month(first)
    report = MonthlyReport.objects.filter(month=services.add_months(first, -1)).first()
    if report is not None and not report.pdf:
        services.report_render(report.pk)
        report.refresh_from_db()
    return report
