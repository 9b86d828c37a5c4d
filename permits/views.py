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
from tenants.selectors import occupancy_of, occupancy_since

from . import passes, selectors, services
from .documents import badges_pdf
from .filters import CertificateFilter, PortalCertificateFilter, PortalWorkerPassFilter, WorkerPassFilter
from .forms import CertificateRequestForm, WorkerPassForm
from .hooks import shows_whole_id
from .models import PremisesCertificate, WorkerPass

DESK_ACTIONS = {
    "pass_check": services.certificate_pass_check,
    "send_back": services.certificate_send_back,
    "approve": services.certificate_approve,
    "reject": services.certificate_reject,
    "revoke": services.certificate_revoke,
}
PORTAL_ACTIONS = {"resubmit": services.certificate_resubmit}


class CertificateListView(StaffRequiredMixin, RegisterView):
    template_name = "permits/desk/certificate_list.html"
    filterset_class = CertificateFilter
    export_name = gettext_lazy("Premises certificate register")
    export_columns = (
        (gettext_lazy("Number"), lambda c: c.document.number if c.document else ""),
        (gettext_lazy("Company"), lambda c: c.tenant.name),
        (gettext_lazy("Building"), lambda c: c.unit.floor.building.name),
        (gettext_lazy("Unit"), lambda c: c.unit.number),
        (gettext_lazy("Purpose"), lambda c: c.purpose_text),
        (gettext_lazy("Status"), lambda c: c.get_status_display()),
        (gettext_lazy("Requested at"), lambda c: c.created_at),
    )

    def get_queryset(self):
        return selectors.certificates()


class CertificateDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "permits/desk/certificate_detail.html"
    context_object_name = "cert"
    action_services = DESK_ACTIONS

    def get_object(self, queryset=None):
        return selectors.certificate_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        cert = self.object
        ctx["occupancy"] = occupancy_of(cert.tenant, cert.unit)
        ctx["occupied_since"] = occupancy_since(cert.tenant, cert.unit)
        return ctx


class CertificatePdfView(StaffRequiredMixin, View):
    def get(self, request, pk):
        cert = selectors.certificate_for_desk(pk)
        if not cert.document:
            return redirect("desk:permits:certificate_detail", pk=pk)
        return pdf_response(cert.document)


class PortalCertificateListView(TenantMemberRequiredMixin, RegisterView):
    template_name = "permits/portal/certificate_list.html"
    filterset_class = PortalCertificateFilter
    paginate_by = 20

    def get_queryset(self):
        return selectors.certificates_of(self.tenant)


class PortalCertificateRequestView(TenantMemberRequiredMixin, ServiceFormMixin, FormView):
    template_name = "permits/portal/certificate_form.html"
    form_class = CertificateRequestForm
    admin_only = True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tenant": self.tenant}

    def run_service(self, form):
        cert = services.certificate_request(tenant=self.tenant, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Your request has been sent to the service center."))
        return redirect("portal:permits:certificate_detail", pk=cert.pk)


class PortalCertificateDetailView(TenantMemberRequiredMixin, ActionsMixin, DetailView):
    template_name = "permits/portal/certificate_detail.html"
    context_object_name = "cert"
    action_services = PORTAL_ACTIONS
    # No side effects: runs as declared (the due time goes with it).
    action_names = ("withdraw",)

    def get_object(self, queryset=None):
        return selectors.certificate_for_tenant(self.kwargs["pk"], self.tenant)


class PortalCertificateCorrectView(TenantMemberRequiredMixin, ServiceFormMixin, FormView):
    """A returned request: the tenant corrects unit, purpose, detail or copies and sends it again."""

    template_name = "permits/portal/certificate_form.html"
    form_class = CertificateRequestForm
    admin_only = True

    def get_cert(self):
        if not hasattr(self, "_cert"):
            self._cert = selectors.certificate_for_tenant(self.kwargs["pk"], self.tenant)
        return self._cert

    def get(self, request, *args, **kwargs):
        if self.get_cert().status != PremisesCertificate.Status.RETURNED:
            return redirect("portal:permits:certificate_detail", pk=self.kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tenant": self.tenant, "instance": self.get_cert()}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cert": self.get_cert()}

    def run_service(self, form):
        cert = self.get_cert()
        try:
            services.certificate_resubmit(obj=cert, by=self.request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
        else:
            messages.success(self.request, _("Your corrected request has been sent again."))
        return redirect("portal:permits:certificate_detail", pk=cert.pk)


class PortalCertificatePdfView(TenantMemberRequiredMixin, View):
    def get(self, request, pk):
        cert = selectors.certificate_for_tenant(pk, self.tenant)
        # A revoked certificate is not to be printed again; the desk keeps its copy.
        if not cert.document or cert.status != cert.Status.ISSUED:
            return redirect("portal:permits:certificate_detail", pk=pk)
        return pdf_response(cert.document)


# --- worker passes 施工人员出入证 ----------------------------------------------------------------

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
