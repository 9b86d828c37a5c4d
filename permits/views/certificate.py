"""场地证明: desk and portal pages of the premises certificate."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.documents.views import pdf_response
from jinyuan.lists import RegisterView
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin
from tenants.access import TenantMemberRequiredMixin
from tenants.selectors import occupancy_of, occupancy_since

from .. import selectors, services
from ..filters import CertificateFilter, PortalCertificateFilter
from ..forms import CertificateRequestForm
from ..models import PremisesCertificate

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
