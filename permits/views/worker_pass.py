"""施工人员出入证: desk and portal pages of the worker passes."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.documents.views import pdf_response
from jinyuan.lists import RegisterView
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin
from renovation import selectors as renovation_selectors
from renovation.models import Renovation
from tenants.access import TenantMemberRequiredMixin

from .. import passes, selectors
from ..documents import badges_pdf
from ..filters import PortalWorkerPassFilter, WorkerPassFilter
from ..forms import WorkerPassForm
from ..hooks import shows_whole_id
from ..models import WorkerPass

PASS_ACTIONS = {
    "report_lost": passes.worker_pass_report_lost,
    "reissue": passes.worker_pass_reissue,
    "give_back": passes.worker_pass_return,
}
RENOVATION_AREA = "renovation"


class WorkerPassListView(StaffRequiredMixin, RegisterView):
    template_name = "permits/desk/worker_pass_list.html"
    filterset_class = WorkerPassFilter
    export_name = gettext_lazy("Worker pass register")
    export_columns = (
        (gettext_lazy("Number"), lambda p: p.document.number if p.document else ""),
        (gettext_lazy("Worker"), lambda p: p.worker_name),
        (gettext_lazy("ID card number"), lambda p: p.masked_id_number),
        (gettext_lazy("Trade"), lambda p: p.get_trade_display()),
        (gettext_lazy("Contractor"), lambda p: p.renovation.contractor_name),
        (gettext_lazy("Company"), lambda p: p.tenant.name),
        (gettext_lazy("Unit"), lambda p: p.renovation.unit.number),
        (gettext_lazy("Valid until"), lambda p: p.valid_until),
        (gettext_lazy("Status"), lambda p: p.get_status_display()),
        (gettext_lazy("Issued at"), lambda p: p.created_at),
    )

    def get_queryset(self):
        return selectors.worker_passes().order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "whole_id": shows_whole_id(self.request.user)}


class WorkerPassDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "permits/desk/worker_pass_detail.html"
    context_object_name = "worker_pass"
    action_services = PASS_ACTIONS

    def get_object(self, queryset=None):
        return selectors.worker_pass_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "photo": selectors.pass_photo(self.object),
            "whole_id": shows_whole_id(self.request.user),
        }


class WorkerPassBadgeView(StaffRequiredMixin, View):
    def get(self, request, pk):
        worker_pass = selectors.worker_pass_for_desk(pk)
        if not worker_pass.document:
            return redirect("desk:permits:worker_pass_detail", pk=pk)
        return pdf_response(worker_pass.document)


class RenovationPassesView(StaffRequiredMixin, DetailView):
    """A renovation's workers: their passes, the issue form's entry and the A4 batch."""

    template_name = "permits/desk/renovation_passes.html"
    context_object_name = "renovation"

    def get_object(self, queryset=None):
        return renovation_selectors.renovation_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "passes": list(selectors.worker_passes_of_renovation(self.object)),
            "whole_id": shows_whole_id(self.request.user),
            "may_issue": self.request.user.has_role(*DESK_ROLES) and self.object.status == Renovation.Status.IN_WORKS,
        }


class WorkerPassIssueView(StaffRequiredMixin, ServiceFormMixin, FormView):
    template_name = "permits/desk/worker_pass_form.html"
    form_class = WorkerPassForm
    roles = DESK_ROLES

    def load(self, request, *args, **kwargs):
        self.renovation = renovation_selectors.renovation_for_desk(kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "renovation": self.renovation}

    def run_service(self, form):
        try:
            worker_pass = passes.worker_pass_issue(
                renovation=self.renovation, by=self.request.user, **form.service_kwargs()
            )
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
            return redirect("desk:permits:renovation_passes", pk=self.renovation.pk)
        messages.success(
            self.request, _("Worker pass %(number)s issued; fee and deposit billed.") % {"number": worker_pass}
        )
        return redirect("desk:permits:worker_pass_detail", pk=worker_pass.pk)


class RenovationBadgesView(StaffRequiredMixin, View):
    """The issued badges of a renovation on A4, to print and cut."""

    def get(self, request, pk):
        renovation = renovation_selectors.renovation_for_desk(pk)
        issued = selectors.worker_passes_of_renovation(renovation).filter(status=WorkerPass.Status.ISSUED)
        response = HttpResponse(badges_pdf(list(issued)), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="badges-{renovation.pk}.pdf"'
        return response


class PortalWorkerPassListView(TenantMemberRequiredMixin, RegisterView):
    template_name = "permits/portal/worker_pass_list.html"
    filterset_class = PortalWorkerPassFilter
    grant_area = RENOVATION_AREA
    paginate_by = 20

    def get_queryset(self):
        return selectors.worker_passes_of(self.tenant).order_by("-created_at", "-id")


class PortalWorkerPassDetailView(TenantMemberRequiredMixin, DetailView):
    template_name = "permits/portal/worker_pass_detail.html"
    context_object_name = "worker_pass"
    grant_area = RENOVATION_AREA

    def get_object(self, queryset=None):
        return selectors.worker_pass_for_tenant(self.kwargs["pk"], self.tenant)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "photo": selectors.pass_photo(self.object)}
