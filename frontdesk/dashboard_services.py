"""The supervisor dashboard's monthly report (主管月报): drawn up on the 1st for the month before
by the beat (hourly, idempotent: the month is unique, so a double run or two workers draw it up
once), its PDF rendered in the background; a supervisor may draw a month up again on demand.
The same pattern as complaints' monthly service report (complaints/reports.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jinyuan.documents.pdf import render_pdf
from jinyuan.documents.services import PRINT_LANGUAGE
from jinyuan.workflow.services import record_event

from .dashboard import add_months, bar_width, dashboard, first_of
from .models import MonthlyReport

PDF_TEMPLATE = "frontdesk/dashboard/pdf/report.html"


# --- the PDF -----------------------------------------------------------------------------------


def _with_bars(data: dict) -> dict:
    """The figures with each procedure's bar widths (open and overdue against the largest open)
    for the PDF's simple bars: a PDF runs no script, so no Chart.js there."""
    largest = max((row["open"] for row in data["work"]), default=0)
    rows = [
        {**row, "open_width": bar_width(row["open"], largest), "overdue_width": bar_width(row["overdue"], largest)}
        for row in data["work"]
    ]
    return {**data, "work": rows}


def render_report_pdf(data: dict, report: MonthlyReport | None = None) -> bytes:
    """The figures as a PDF, printed in Chinese whatever the reader's language (as every paper
    of the center): WeasyPrint with the installed CJK font, fetching nothing."""
    with translation.override(PRINT_LANGUAGE):
        return render_pdf(PDF_TEMPLATE, {"data": _with_bars(data), "report": report})


def month_pdf(month: dt.date, *, now: dt.datetime | None = None) -> bytes:
    """A month's report as it would be drawn up now (the bench's ``monthly_report_pdf``)."""
    with translation.override(PRINT_LANGUAGE):
        data = dashboard(first_of(month), now=now)
    return render_report_pdf(data)


def report_pdf_path(report: MonthlyReport) -> str:
    return f"reports/dashboard/{report.month:%Y-%m}.pdf"


def report_render(report_id: int) -> bool:
    """Render the report's PDF from its frozen figures and store it at its one path. Safe to
    run twice, also at once: the row lock makes the second wait; it writes the same file."""
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            return False
        pdf = render_report_pdf(report.figures, report)
        path = report_pdf_path(report)
        if default_storage.exists(path):
            default_storage.delete(path)
        stored = default_storage.save(path, ContentFile(pdf))
        MonthlyReport.objects.filter(pk=report.pk).update(pdf=stored, rendered_at=timezone.now())
    return True


def _queue_render(report: MonthlyReport) -> None:
    from .tasks import render_dashboard_report

    render_dashboard_report.delay_on_commit(report.pk)


# --- drawing up --------------------------------------------------------------------------------


def _figures(month: dt.date, now: dt.datetime) -> dict:
    # Labels in the print language: the PDF is Chinese whoever asked for it.
    with translation.override(PRINT_LANGUAGE):
        return dashboard(month, now=now)


def check_month(month: dt.date, today: dt.date) -> dt.date:
    """A month that has begun (its first day): a report of a month to come has no figures."""
    month = first_of(month)
    if month > first_of(today):
        raise ValidationError({"month": _("A month that has not begun has no figures yet.")})
    return month


def report_draft(month: dt.date, *, now: dt.datetime | None = None) -> tuple[MonthlyReport, bool]:
    """The report of ``month``, drawn up if there is none: figures frozen, the event written and
    the PDF queued, in one transaction. Running it again, or two workers at once, draws nothing
    up twice (the month is unique)."""
    month = first_of(month)
    existing = MonthlyReport.objects.filter(month=month).first()
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    figures = _figures(month, now)
    try:
        with transaction.atomic():
            report = MonthlyReport.objects.create(month=month, figures=figures, drawn_up_at=now)
            record_event(report, "dashboard_report.drafted", data={"month": f"{month:%Y-%m}"})
            _queue_render(report)
    except IntegrityError:
        # Another worker drew it up between the look and the insert.
        return MonthlyReport.objects.get(month=month), False
    return report, True


def draft_last_month(today: dt.date | None = None, *, now: dt.datetime | None = None) -> MonthlyReport | None:
    """The beat task's body (hourly): from the 1st on, last month's report exists. Idempotent,
    so a 1st missed (beat down, a deploy) is caught up the next run; the new report, or None."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    report, created = report_draft(add_months(first_of(today), -1), now=now)
    return report if created else None


def report_redraw(month: dt.date, *, by: Any, now: dt.datetime | None = None) -> MonthlyReport:
    """A supervisor draws a month's report up on demand: a new one, or the month's existing one
    with its figures as they are now (audited, by whom); the PDF is rendered again."""
    now = now or timezone.now()
    month = check_month(month, timezone.localdate(now))
    report, created = report_draft(month, now=now)
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        if created:
            MonthlyReport.objects.filter(pk=report.pk).update(requested_by=by)
            report.requested_by = by
            # The drafted event says when; who asked says this one.
            record_event(report, "dashboard_report.redrawn", by=by, data={"month": f"{month:%Y-%m}"})
            return report
        report.figures = _figures(month, now)
        report.drawn_up_at = now
        report.requested_by = by
        report.save(update_fields=["figures", "drawn_up_at", "requested_by", "updated_at"])
        record_event(report, "dashboard_report.redrawn", by=by, data={"month": f"{month:%Y-%m}"})
        _queue_render(report)
    return report
