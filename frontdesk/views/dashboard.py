"""The supervisor's dashboard (主管看板) and its monthly reports: supervisors only."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from complaints.statistics_forms import MonthForm
from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import SUPERVISOR_ROLES
from jinyuan.uploads import file_response
from jinyuan.workflow.views import ServiceFormMixin

from ..dashboard import chart_data, dashboard
from ..dashboard_services import report_redraw, report_render
from ..models import MonthlyReport

REPORTS_SHOWN = 36  # three years of months


class DashboardView(StaffRequiredMixin, TemplateView):
    """This month against the last: the procedures' open, overdue and on-time work and every
    registered figure, each linking to its register. Computed on every view, never cached."""

    roles = SUPERVISOR_ROLES
    template_name = "frontdesk/dashboard/page.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        data = dashboard()
        ctx["data"] = data
        ctx["charts"] = chart_data(data)
        ctx["reports_url"] = reverse("desk:frontdesk:dashboard_reports")
        return ctx


class ReportListView(StaffRequiredMixin, ServiceFormMixin, FormView):
    """The monthly reports with their PDFs; a supervisor draws a month up on demand."""

    roles = SUPERVISOR_ROLES
    template_name = "frontdesk/dashboard/reports.html"
    form_class = MonthForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["reports"] = MonthlyReport.objects.select_related("requested_by").defer("figures")[:REPORTS_SHOWN]
        ctx["dashboard_url"] = reverse("desk:frontdesk:dashboard")
        return ctx

    def run_service(self, form):
        report = report_redraw(form.cleaned_data["month"], by=self.request.user)
        messages.success(
            self.request,
            _("The report of %(month)s is drawn up; its PDF is being rendered.") % {"month": f"{report.month:%Y-%m}"},
        )
        return redirect("desk:frontdesk:dashboard_reports")


class ReportPdfView(StaffRequiredMixin, View):
    """A report's PDF; rendered on the spot when the background task has not run yet."""

    roles = SUPERVISOR_ROLES

    def load(self, request, *args, **kwargs) -> None:
        self.report = get_object_or_404(MonthlyReport.objects.defer("figures"), pk=kwargs["pk"])

    def get(self, request, *args, **kwargs):
        report = self.report
        if not report.pdf:
            report_render(report.pk)
            report.refresh_from_db()
        if not report.pdf:
            raise Http404
        return file_response(report.pdf, f"supervision-report-{report.month:%Y-%m}.pdf")
