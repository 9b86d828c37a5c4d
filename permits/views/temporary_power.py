"""临时用电: desk and portal pages of the temporary-power permits."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.documents.pdf import qr_svg
from jinyuan.documents.views import pdf_response
from jinyuan.lists import RegisterView
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin, apply_errors
from tenants.access import TenantMemberRequiredMixin
from tenants.models import Tenant

from .. import power_selectors as selectors
from .. import temporary_power as power
from ..models import POWER_AREA, TemporaryPower
from ..power_filters import PortalPowerFilter, PowerFilter
from ..power_forms import InspectionForm, PowerApplicationForm, SwitchOffForm, SwitchOnForm

DESK_ACTIONS = {
    "approve": power.power_approve,
    "send_back": power.power_send_back,
    "reject": power.power_reject,
    "withdraw": power.power_withdraw,
    "close": power.power_close,
}
PORTAL_ACTIONS = {"withdraw": power.power_withdraw}
TENANT_SEARCH_LIMIT = 10
S = TemporaryPower.Status
# The on-site steps with a form of their own: (state it runs from, form, service).
SITE_STEPS = {
    "inspect": (S.APPROVED, InspectionForm, lambda obj, by, d: power.power_inspect(obj=obj, by=by, **d)),
    "switch_on": (S.INSPECTED, SwitchOnForm, lambda obj, by, d: power.power_switch_on(obj=obj, by=by, **d)),
    "switch_off": (S.SWITCHED_ON, SwitchOffForm, lambda obj, by, d: power.power_switch_off(obj=obj, by=by, **d)),
}


class CompanySearchForm(forms.Form):
    company = forms.CharField(max_length=100, required=False)


class PowerListView(StaffRequiredMixin, RegisterView):
    template_name = "permits/temporary_power/desk_list.html"
    filterset_class = PowerFilter
    export_name = gettext_lazy("Temporary power register")
    export_columns = (
        (gettext_lazy("Number"), lambda p: p.document.number if p.document else ""),
        (gettext_lazy("Company"), lambda p: p.tenant.name),
        (gettext_lazy("Building"), lambda p: p.unit.floor.building.name if p.unit_id else ""),
        (gettext_lazy("Location"), lambda p: p.place),
        (gettext_lazy("Purpose"), lambda p: p.purpose),
        (gettext_lazy("Load (kW)"), lambda p: p.load_kw),
        (gettext_lazy("Voltage"), lambda p: p.voltage),
        (gettext_lazy("From"), lambda p: p.starts_at),
        (gettext_lazy("Until"), lambda p: p.ends_at),
        (gettext_lazy("Electrician"), lambda p: p.electrician_name),
        (gettext_lazy("Status"), lambda p: p.get_status_display()),
        (gettext_lazy("Switch-off overdue"), lambda p: p.is_overdue),
        (gettext_lazy("Fee (CNY)"), lambda p: p.fee),
        (gettext_lazy("Applied at"), lambda p: p.created_at),
    )

    def get_queryset(self):
        return TemporaryPower.objects.order_by("-created_at", "-id")

    def annotate_page(self, queryset):
        return queryset.select_related("tenant", "unit__floor__building", "document").defer("document__data")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        search = CompanySearchForm(self.request.GET)
        company = search.cleaned_data["company"] if search.is_valid() else ""
        ctx["company"] = company
        ctx["may_apply"] = self.request.user.has_role(*DESK_ROLES)
        if company and ctx["may_apply"]:
            ctx["companies"] = list(
                Tenant.objects.filter(name__icontains=company, is_active=True).order_by("name")[:TENANT_SEARCH_LIMIT]
            )
        return ctx


class PowerFormMixin(ServiceFormMixin):
    form_class = PowerApplicationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tenant": self.tenant}

    def apply(self, form):
        try:
            return power.power_apply(tenant=self.tenant, by=self.request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            raise ValidationError(exc.message) from exc


class PowerNewView(StaffRequiredMixin, PowerFormMixin, FormView):
    """The desk applies for a company (a call, a walk-in)."""

    template_name = "permits/temporary_power/form.html"
    roles = DESK_ROLES

    def load(self, request, *args, **kwargs):
        self.tenant = get_object_or_404(Tenant, pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "company": self.tenant, "base": "desk/base.html"}

    def run_service(self, form):
        permit = self.apply(form)
        messages.success(self.request, _("Application saved: engineering reviews it next."))
        return redirect("desk:permits:power_detail", pk=permit.pk)


class PowerDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "permits/temporary_power/desk_detail.html"
    context_object_name = "permit"
    action_services = DESK_ACTIONS

    def get_object(self, queryset=None):
        return selectors.power_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        permit = self.object
        ctx = super().get_context_data(**kwargs)
        for name, (state, form_class, _service) in SITE_STEPS.items():
            if permit.status == state and ctx.get(f"{name}_form") is None:
                ctx[f"{name}_form"] = form_class()
        ctx["site_step"] = next((n for n, (state, *_r) in SITE_STEPS.items() if permit.status == state), "")
        return ctx

    def post(self, request, *args, **kwargs):
        name = request.POST.get("action", "")
        if name not in SITE_STEPS:
            return super().post(request, *args, **kwargs)
        self.object = permit = self.get_object()
        _state, form_class, service = SITE_STEPS[name]
        form = form_class(request.POST)
        if form.is_valid():
            try:
                service(permit, request.user, form.cleaned_data)
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
                return redirect(request.path)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Recorded."))
                return redirect(request.path)
        self.object = selectors.power_for_desk(permit.pk)
        return self.render_to_response(self.get_context_data(**{f"{name}_form": form}), status=400)


class PowerPdfView(StaffRequiredMixin, View):
    def get(self, request, pk):
        permit = selectors.power_for_desk(pk)
        if not permit.document:
            return redirect("desk:permits:power_detail", pk=pk)
        return pdf_response(permit.document)


# --- portal ----------------------------------------------------------------------------------------


class PortalPowerListView(TenantMemberRequiredMixin, RegisterView):
    template_name = "permits/temporary_power/portal_list.html"
    filterset_class = PortalPowerFilter
    grant_area = POWER_AREA
    paginate_by = 20

    def get_queryset(self):
        return TemporaryPower.objects.filter(tenant=self.tenant).order_by("-created_at", "-id")

    def annotate_page(self, queryset):
        return queryset.select_related("unit")


class PortalPowerNewView(TenantMemberRequiredMixin, PowerFormMixin, FormView):
    template_name = "permits/temporary_power/form.html"
    grant_area = POWER_AREA

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "base": "portal/base.html"}

    def run_service(self, form):
        permit = self.apply(form)
        messages.success(self.request, _("Your application has been sent to engineering."))
        return redirect("portal:permits:power_detail", pk=permit.pk)


class PortalPowerCorrectView(TenantMemberRequiredMixin, PowerFormMixin, FormView):
    """A returned application: the company corrects it and sends it again."""

    template_name = "permits/temporary_power/form.html"
    grant_area = POWER_AREA

    def get_permit(self) -> TemporaryPower:
        if not hasattr(self, "_permit"):
            self._permit = selectors.power_for_tenant(self.kwargs["pk"], self.tenant)
        return self._permit

    def get(self, request, *args, **kwargs):
        if self.get_permit().status != S.RETURNED:
            return redirect("portal:permits:power_detail", pk=self.get_permit().pk)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return PowerApplicationForm.initial_of(self.get_permit())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "base": "portal/base.html", "permit": self.get_permit()}

    def run_service(self, form):
        permit = self.get_permit()
        try:
            power.power_correct(obj=permit, by=self.request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
        else:
            messages.success(self.request, _("Your corrected application has been sent again."))
        return redirect("portal:permits:power_detail", pk=permit.pk)


class PortalPowerDetailView(TenantMemberRequiredMixin, ActionsMixin, DetailView):
    template_name = "permits/temporary_power/portal_detail.html"
    context_object_name = "permit"
    grant_area = POWER_AREA
    action_services = PORTAL_ACTIONS

    def get_object(self, queryset=None):
        return selectors.power_for_tenant(self.kwargs["pk"], self.tenant)

    def get_context_data(self, **kwargs):
        permit = self.object
        ctx = super().get_context_data(**kwargs)
        if permit.status in TemporaryPower.LIVE and permit.document:
            ctx["qr"] = qr_svg(permit.document.verify_url, scale=5)
        return ctx


class PortalPowerPdfView(TenantMemberRequiredMixin, View):
    grant_area = POWER_AREA

    def get(self, request, pk):
        permit = selectors.power_for_tenant(pk, self.tenant)
        if not permit.document or permit.status not in TemporaryPower.LIVE:
            return redirect("portal:permits:power_detail", pk=pk)
        return pdf_response(permit.document)
