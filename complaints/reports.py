"""The monthly service report (月度服务统计报告): drafted on the 1st for the month before (its
figures frozen, its PDF rendered in the background), signed off by a supervisor with remarks.
Writes of ``ServiceReport`` live here; the figures are ``complaints.statistics``."""

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
from jinyuan.workflow.deadlines import deadline_start
from jinyuan.workflow.services import record_event, transition

from .models import ServiceReport
from .statistics import MonthFigures, first_of, from_data, month_figures, month_label, previous_month, tables, to_data

PDF_TEMPLATE = "complaints/pdf/statistics.html"


# --- the PDF ------------------------------------------------------------------------------------


def _pdf(figures: MonthFigures, report: ServiceReport | None = None) -> bytes:
    """The statistics as a PDF, printed in Chinese whatever the reader's language (as every
    paper of the center): WeasyPrint with the installed CJK font, fetching nothing."""
    with translation.override(PRINT_LANGUAGE):
        context = {
            "figures": figures,
            "tables": tables(figures),
            "month": month_label(figures.month),
            "previous": month_label(figures.previous),
            "report": report,
        }
        return render_pdf(PDF_TEMPLATE, context)


def render_statistics_pdf(month: dt.date) -> bytes:
    """The PDF of ``month``'s statistics as they are now (the bench's ``statistics_pdf``)."""
    return _pdf(month_figures(first_of(month)))


def report_figures(report: ServiceReport) -> MonthFigures:
    """The figures the report was drafted with."""
    return from_data(report.figures)


def report_pdf_path(report: ServiceReport) -> str:
    return f"reports/service/{report.month:%Y-%m}.pdf"


def service_report_render(report_id: int) -> bool:
    """Render the report's PDF (its frozen figures, and the sign-off once signed) and store it
    at its one path. Safe to run twice, also at once: the row lock makes the second wait, and
    it writes the same file again."""
    with transaction.atomic():
        locked = ServiceReport.objects.select_for_update(of=("self",)).select_related("signed_by")
        report = locked.filter(pk=report_id).first()
        if report is None:
            return False
        pdf = _pdf(report_figures(report), report)
        path = report_pdf_path(report)
        if default_storage.exists(path):
            default_storage.delete(path)
        stored = default_storage.save(path, ContentFile(pdf))
        ServiceReport.objects.filter(pk=report.pk).update(pdf=stored, rendered_at=timezone.now())
    return True


def _queue_render(report: ServiceReport) -> None:
    from .tasks import render_service_report

    render_service_report.delay_on_commit(report.pk)


# --- drafting (Celery beat, daily) -----------------------------------------------------------------


def service_report_draft(month: dt.date, *, now: dt.datetime | None = None) -> tuple[ServiceReport, bool]:
    """The report of ``month``, drafted if there is none: figures frozen, the event written, the
    sign-off deadline started and the PDF queued, in one transaction. Running it again, or two
    workers at once, drafts nothing twice (the month is unique)."""
    month = first_of(month)
    existing = ServiceReport.objects.filter(month=month).first()
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    figures = to_data(month_figures(month, now=now))
    try:
        with transaction.atomic():
            report = ServiceReport.objects.create(month=month, figures=figures)
            record_event(report, "service_report.drafted", to_state=report.status, data={"month": f"{month:%Y-%m}"})
            deadline_start(report, "report_sign_off", now=now)
            _queue_render(report)
    except IntegrityError:
        # Another worker drafted it between the look and the insert.
        return ServiceReport.objects.get(month=month), False
    return report, True


def draft_last_month(today: dt.date | None = None) -> ServiceReport | None:
    """The beat task's body: from the 1st on, last month's report exists. Daily and idempotent,
    so a 1st missed (beat down, a deploy) is caught up the next run."""
    today = today or timezone.localdate()
    report, created = service_report_draft(previous_month(today))
    return report if created else None


# --- sign-off ------------------------------------------------------------------------------------


def service_report_sign(report: ServiceReport, *, by: Any, remarks: str = "") -> ServiceReport:
    """A supervisor signs the month's report off with their remarks (audited; the sign-off
    deadline stops and records whether it was met); the PDF is rendered again with them."""
    remarks = (remarks or "").strip()
    limit = ServiceReport._meta.get_field("remarks").max_length
    if len(remarks) > limit:
        raise ValidationError({"remarks": _("At most %(limit)d characters.") % {"limit": limit}})
    with transaction.atomic():
        transition(
            report,
            "sign",
            by=by,
            note=remarks,
            changes={"signed_by": by, "signed_at": timezone.now(), "remarks": remarks},
        )
        _queue_render(report)
    return report
