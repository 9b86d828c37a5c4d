"""代派资料: desk and portal pages of material distribution (thin: permission, form, service)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from billing.hooks import BILLS
from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES, MONEY_ROLES
from jinyuan.lists import RegisterView
from jinyuan.workflow.forms import apply_errors
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin
from tenants import grants
from tenants.access import TenantMemberRequiredMixin
from tenants.models import Tenant

from .. import distribution as services
from .. import distribution_selectors as selectors
from ..distribution_filters import DistributionFilter, PortalDistributionFilter
from ..distribution_forms import CompleteForm, DistributionForm
from ..models import FRONTDESK_AREA, MaterialDistribution
from .recyclables import CompanySearchMixin

DESK_ACTIONS = {
    "approve": services.distribution_approve,
    "reject": services.distribution_reject,
    "withdraw": services.distribution_withdraw,
}
PORTAL_ACTIONS = {"withdraw": services.distribution_withdraw}


def _detail_context(obj: MaterialDistribution) -> dict:
    return {**selectors.targets_of(obj), "material": selectors.material_of(obj)}


class DistributionRegister(RegisterView):
    def annotate_page(self, queryset):
        return queryset.select_related("tenant")


class DistributionListView(StaffRequiredMixin, CompanySearchMixin, DistributionRegister):
    template_name = "frontdesk/distribution/desk_list.html"
    new_url = "desk:frontdesk:distribution_new"
    filterset_class = DistributionFilter
    export_name = gettext_lazy("Material distribution")
    export_columns = (
        (gettext_lazy("Number"), lambda d: d.number),
        (gettext_lazy("Company"), lambda d: d.tenant.name),
        (gettext_lazy("Title"), lambda d: d.title),
        (gettext_lazy("Copies"), lambda d: d.quantity),
        (gettext_lazy("To"), lambda d: d.get_targets_display()),
        (gettext_lazy("Charged"), lambda d: d.get_charge_display()),
        (gettext_lazy("Price (CNY)"), lambda d: d.unit_price),
        (gettext_lazy("Copies distributed"), lambda d: d.distributed_count),
        (gettext_lazy("Status"), lambda d: d.get_status_display()),
        (gettext_lazy("Requested at"), lambda d: d.created_at),
    )

    def get_queryset(self):
        return selectors.distributions().order_by("-created_at", "-id")


class DistributionDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "frontdesk/distribution/desk_detail.html"
    context_object_name = "dist"
    action_services = DESK_ACTIONS

    def get_object(self, queryset=None):
        return selectors.distribution_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(_detail_context(self.object))
        ctx["bill_links"] = "desk:billing:bill_detail" if self.request.user.has_role(*MONEY_ROLES) else ""
        if self.request.user.has_role(*DESK_ROLES) and self.object.status == MaterialDistribution.Status.APPROVED:
            ctx.setdefault("complete_form", CompleteForm(initial={"count": self.object.quantity}))
        return ctx


class DistributionCompleteView(StaffRequiredMixin, View):
    roles = DESK_ROLES

    def get(self, request, pk):
        return redirect("desk:frontdesk:distribution_detail", pk=selectors.distribution_for_desk(pk).pk)

    def post(self, request, pk):
        obj = selectors.distribution_for_desk(pk)
        form = CompleteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.distribution_complete(
                    obj=obj,
                    by=request.user,
                    count=data["count"],
                    distributed_by=data["distributed_by"],
                    note=data["note"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
                return redirect("desk:frontdesk:distribution_detail", pk=pk)
            else:
                messages.success(request, _("Distribution recorded and billed."))
                return redirect("desk:frontdesk:distribution_detail", pk=pk)
        view = DistributionDetailView()
        view.setup(request, pk=pk)
        view.object = obj
        return view.render_to_response(view.get_context_data(object=obj, complete_form=form), status=400)


class DistributionFormMixin(ServiceFormMixin):
    form_class = DistributionForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["fee_items"] = services.prices_shown()
        return ctx

    def run_service(self, form):
        obj = services.distribution_request(tenant=self.company, by=self.request.user, **form.service_kwargs())
        messages.success(self.request, _("Request %(number)s sent to the supervisor.") % {"number": obj.number})
        return redirect(self.detail_url, pk=obj.pk)


class DeskDistributionNewView(StaffRequiredMixin, DistributionFormMixin, FormView):
    template_name = "frontdesk/distribution/desk_form.html"
    roles = DESK_ROLES
    detail_url = "desk:frontdesk:distribution_detail"

    def load(self, request, *args, **kwargs):
        self.company = get_object_or_404(Tenant, pk=kwargs["pk"], is_active=True)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "company": self.company}


# --- portal ---------------------------------------------------------------------------------------


class PortalDistributionListView(TenantMemberRequiredMixin, DistributionRegister):
    template_name = "frontdesk/distribution/portal_list.html"
    filterset_class = PortalDistributionFilter
    grant_area = FRONTDESK_AREA
    paginate_by = 20

    def get_queryset(self):
        return selectors.distributions_of(self.tenant).order_by("-created_at", "-id")


class PortalDistributionNewView(TenantMemberRequiredMixin, DistributionFormMixin, FormView):
    template_name = "frontdesk/distribution/portal_form.html"
    grant_area = FRONTDESK_AREA
    detail_url = "portal:frontdesk:distribution_detail"

    @property
    def company(self):
        return self.tenant


class PortalDistributionDetailView(TenantMemberRequiredMixin, ActionsMixin, DetailView):
    template_name = "frontdesk/distribution/portal_detail.html"
    context_object_name = "dist"
    grant_area = FRONTDESK_AREA
    action_services = PORTAL_ACTIONS

    def get_object(self, queryset=None):
        return selectors.distribution_for_tenant(self.kwargs["pk"], self.tenant)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(_detail_context(self.object))
        ctx["bill_links"] = "portal:billing:bill_detail" if grants.may_open(self.membership, BILLS) else ""
        return ctx
