"""The monthly service statistics (supervisors only): the page with its tables and charts, its
Excel export, and the month's report: its PDF and the sign-off."""

import datetime as dt

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import SUPERVISOR_ROLES
from jinyuan.lists import xlsx_sheets_response
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ServiceFormMixin

from ..models import ServiceReport
from ..reports import service_report_render, service_report_sign
from ..selectors import service_report_of
from ..statistics import MonthFigures, chart_data, first_of, month_figures, month_label, next_month, previous_month
from ..statistics import tables as statistics_tables
from ..statistics_forms import MonthForm, SignOffForm


def last_complete_month(today: dt.date | None = None) -> dt.date:
    return previous_month(today or timezone.localdate())


def page_url(month: dt.date) -> str:
    return f"{reverse('desk:complaints:statistics')}?month={month:%Y-%m}"


class MonthMixin(StaffRequiredMixin):
    """A supervisor's page of one month, ``?month=YYYY-MM`` (default: the last complete month;
    a wrong or future month is a field error on the picker, and the default is shown)."""

    roles = SUPERVISOR_ROLES

    def load(self, request, *args, **kwargs) -> None:
        self.month_form = MonthForm(request.GET if "month" in request.GET else None)
        if self.month_form.is_bound and self.month_form.is_valid():
            self.month = self.month_form.cleaned_data["month"]
        else:
            self.month = last_complete_month()


class StatisticsView(MonthMixin, TemplateView):
    template_name = "complaints/statistics/page.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        figures = month_figures(self.month)
        report = service_report_of(self.month)
        later = next_month(self.month)
        ctx.update(
            month=self.month,
            month_text=month_label(self.month),
            previous_text=month_label(figures.previous),
            form=self.month_form,
            figures=figures,
            tables=statistics_tables(figures),
            charts=chart_data(figures),
            previous_url=page_url(previous_month(self.month)),
            next_url=page_url(later) if later <= first_of(timezone.localdate()) else "",
            export_url=f"{reverse('desk:complaints:statistics_export')}?month={self.month:%Y-%m}",
            report=report,
            sign_form=SignOffForm() if report and report.status == ServiceReport.Status.DRAFTED else None,
        )
        return ctx


def _sheet(table) -> tuple:
    """One table as a sheet: the label, then each metric's this month, last month and change
    (numbers: counts, percentages 0-100, averages; empty for "—")."""
    columns = [(table.label_header, lambda row: row.label)]
    for index, metric in enumerate(table.metrics):
        prefix = f"{metric} · " if metric else ""
        percent = " (%)" if any(row.values[index].kind == "share" for row in table.rows) else ""
        columns += [
            (f"{prefix}{_('This month')}{percent}", lambda row, i=index: _rounded(row.values[i].this_number)),
            (f"{prefix}{_('Last month')}{percent}", lambda row, i=index: _rounded(row.values[i].last_number)),
            (f"{prefix}{_('Change')}", lambda row, i=index: row.values[i].change_number),
        ]
    return table.title, columns, table.rows


def _rounded(number):
    return round(number, 2) if isinstance(number, float) else number


def statistics_workbook(figures: MonthFigures):
    title = _("Service statistics %(month)s") % {"month": month_label(figures.month)}
    return xlsx_sheets_response(title, [_sheet(table) for table in statistics_tables(figures)])


class StatisticsExportView(MonthMixin, View):
    """The same figures as Excel: one sheet per table."""

    def get(self, request, *args, **kwargs):
        return statistics_workbook(month_figures(self.month))


class ReportMixin(StaffRequiredMixin):
    roles = SUPERVISOR_ROLES

    def load(self, request, *args, **kwargs) -> None:
        self.report = get_object_or_404(ServiceReport.objects.select_related("signed_by"), pk=kwargs["pk"])


class ReportPdfView(ReportMixin, View):
    """The report's PDF; rendered on the spot when the background task has not run yet."""

    def get(self, request, *args, **kwargs):
        report = self.report
        if not report.pdf:
            service_report_render(report.pk)
            report.refresh_from_db()
        if not report.pdf:
            raise Http404
        return FileResponse(
            report.pdf.open("rb"),
            as_attachment=False,
            filename=f"service-report-{report.month:%Y-%m}.pdf",
            content_type="application/pdf",
        )


class ReportSignView(ReportMixin, ServiceFormMixin, FormView):
    """The supervisor's sign-off of a month's report, with remarks."""

    template_name = "complaints/statistics/sign.html"
    form_class = SignOffForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["report"] = self.report
        ctx["month_text"] = month_label(self.report.month)
        ctx["page_url"] = page_url(self.report.month)
        return ctx

    def run_service(self, form):
        try:
            service_report_sign(self.report, by=self.request.user, remarks=form.cleaned_data["remarks"])
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
        else:
            messages.success(
                self.request, _("The report of %(month)s is signed off.") % {"month": month_label(self.report.month)}
            )
        return redirect(page_url(self.report.month))
