"""动火作业: desk and portal pages of the hot-work permits, the on-site page and security's board."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES, SUPERVISOR_ROLES, Role
from jinyuan.documents.pdf import qr_svg
from jinyuan.documents.views import pdf_response
from jinyuan.lists import RegisterView
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin, apply_errors
from tenants.access import TenantMemberRequiredMixin
from tenants.models import Tenant

from .. import board as security_board
from .. import hot_work
from .. import hot_work_selectors as selectors
from ..hot_work_filters import HotWorkFilter, PortalHotWorkFilter
from ..hot_work_forms import HotWorkForm, RecheckForm, SiteCheckForm
from ..models import HOT_WORK_AREA, HotWorkPermit

DESK_ACTIONS = {
    "engineering_approve": hot_work.hot_work_engineering_approve,
    "security_approve": hot_work.hot_work_security_approve,
    "send_back": hot_work.hot_work_send_back,
    "reject": hot_work.hot_work_reject,
    "stop": hot_work.hot_work_stop,
    "end_work": hot_work.hot_work_end,
}
PORTAL_ACTIONS = {"withdraw": hot_work.hot_work_withdraw}
# Who checks the site before the start, ends the work and rechecks it.
SITE_ROLES = (Role.SECURITY, Role.ENGINEERING, *SUPERVISOR_ROLES)
BOARD_ROLES = (Role.SECURITY, Role.FRONT_DESK, *SUPERVISOR_ROLES)


class HotWorkRegister(RegisterView):
    """Plain ordered rows: count and page ids from the ``(-created_at, -id)`` index; the
    page's rows joined to company, place and paper."""

    def annotate_page(self, queryset):
        return queryset.select_related(*selectors.PLACE)


class HotWorkListView(StaffRequiredMixin, HotWorkRegister):
    template_name = "permits/desk/hot_work_list.html"
    filterset_class = HotWorkFilter
    export_name = gettext_lazy("Hot-work register")
    export_columns = (
        (gettext_lazy("Number"), lambda p: p.document.number if p.document else ""),
        (gettext_lazy("Company"), lambda p: p.tenant.name),
        (gettext_lazy("Place"), lambda p: p.place),
        (gettext_lazy("Work"), lambda p: p.work),
        (gettext_lazy("Method"), lambda p: p.get_method_display()),
        (gettext_lazy("Window starts"), lambda p: p.starts_at),
        (gettext_lazy("Window ends"), lambda p: p.ends_at),
        (gettext_lazy("Operator"), lambda p: p.operator_name),
        (gettext_lazy("Fire watch"), lambda p: p.fire_watch_name),
        (gettext_lazy("Extinguishers (2 kg)"), lambda p: p.extinguishers),
        (gettext_lazy("Status"), lambda p: p.get_status_display()),
        (gettext_lazy("Work ended at"), lambda p: p.work_ended_at),
        (gettext_lazy("Site rechecked at"), lambda p: p.rechecked_at),
        (gettext_lazy("Applied at"), lambda p: p.created_at),
    )

    def get_queryset(self):
        return selectors.hot_work_permits().defer("document__data").order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        from .parking import TENANT_SEARCH_LIMIT, CompanySearchForm

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


class HotWorkDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "permits/desk/hot_work_detail.html"
    context_object_name = "permit"
    action_services = DESK_ACTIONS

    def get_object(self, queryset=None):
        return selectors.hot_work_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["on_site"] = self.request.user.has_role(*SITE_ROLES)
        return ctx


class HotWorkPdfView(StaffRequiredMixin, View):
    def get(self, request, pk):
        permit = selectors.hot_work_for_desk(pk)
        if not permit.document:
            return redirect("desk:permits:hot_work_detail", pk=pk)
        return pdf_response(permit.document)


class HotWorkSiteView(StaffRequiredMixin, TemplateView):
    """The phone page on site: the check before the start (every item ticked), the end of the
    work, and the recheck after the fire watch (refused before 30 minutes have passed)."""

    template_name = "permits/desk/hot_work_site.html"
    roles = SITE_ROLES

    def load(self, request, *args, **kwargs):
        self.permit = selectors.hot_work_for_desk(kwargs["pk"])

    def get_context_data(self, **kwargs):
        permit = self.permit
        ctx = super().get_context_data(**kwargs)
        ctx["permit"] = permit
        ctx.setdefault("check_form", SiteCheckForm())
        ctx.setdefault("recheck_form", RecheckForm())
        ctx["now"] = timezone.now()
        ctx["may_stop"] = self.request.user.has_role(Role.SECURITY, *SUPERVISOR_ROLES)
        return ctx

    def post(self, request, *args, **kwargs):
        permit = self.permit
        step = request.POST.get("step", "")
        try:
            if step == "check":
                form = SiteCheckForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(check_form=form), status=400)
                try:
                    hot_work.hot_work_site_check(
                        obj=permit, by=request.user, ticked=form.cleaned_data["checks"], note=form.cleaned_data["note"]
                    )
                except ValidationError as exc:
                    apply_errors(form, exc)
                    return self.render_to_response(self.get_context_data(check_form=form), status=400)
                messages.success(request, _("On-site check recorded: the hot work may start."))
            elif step == "end":
                hot_work.hot_work_end(obj=permit, by=request.user)
                messages.success(request, _("Work ended: the fire watch stays at least 30 minutes."))
            elif step == "recheck":
                form = RecheckForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(recheck_form=form), status=400)
                try:
                    hot_work.hot_work_recheck(
                        obj=permit,
                        by=request.user,
                        detectors_restored=form.cleaned_data["detectors_restored"],
                        note=form.cleaned_data["note"],
                    )
                except ValidationError as exc:
                    apply_errors(form, exc)
                    return self.render_to_response(self.get_context_data(recheck_form=form), status=400)
                messages.success(request, _("Site rechecked: the permit is closed."))
            else:
                raise PermissionDenied
        except TransitionRefused as exc:
            messages.warning(request, exc.message)
        return redirect("desk:permits:hot_work_site", pk=permit.pk)


class SecurityBoardView(StaffRequiredMixin, TemplateView):
    """Security's board: every registered section's live rows, today and the next 24 hours."""

    template_name = "permits/desk/security_board.html"
    roles = BOARD_ROLES

    def get_context_data(self, **kwargs):
        now = timezone.now()
        return {**super().get_context_data(**kwargs), "now": now, "sections": security_board.board(now)}


class HotWorkFormMixin(ServiceFormMixin):
    form_class = HotWorkForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tenant": self.tenant}


class DeskHotWorkNewView(StaffRequiredMixin, HotWorkFormMixin, FormView):
    """The desk applies for a company: the same form, rules and reviews as the portal's."""

    template_name = "permits/desk/hot_work_form.html"
    roles = DESK_ROLES

    def load(self, request, *args, **kwargs):
        self.tenant = get_object_or_404(Tenant, pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "company": self.tenant}

    def run_service(self, form):
        permit = hot_work.hot_work_create_for(tenant=self.tenant, by=self.request.user, **form.service_kwargs())
        messages.success(self.request, _("Hot-work application saved: it goes to engineering for review."))
        return redirect("desk:permits:hot_work_detail", pk=permit.pk)


# --- portal ---------------------------------------------------------------------------------------


class PortalHotWorkListView(TenantMemberRequiredMixin, HotWorkRegister):
    template_name = "permits/portal/hot_work_list.html"
    filterset_class = PortalHotWorkFilter
    grant_area = HOT_WORK_AREA
    paginate_by = 20

    def get_queryset(self):
        return selectors.hot_work_of(self.tenant).order_by("-created_at", "-id")


class PortalHotWorkNewView(TenantMemberRequiredMixin, HotWorkFormMixin, FormView):
    template_name = "permits/portal/hot_work_form.html"
    grant_area = HOT_WORK_AREA

    def run_service(self, form):
        permit = hot_work.hot_work_apply(tenant=self.tenant, by=self.request.user, **form.service_kwargs())
        messages.success(self.request, _("Your hot-work application has been sent to the service center."))
        return redirect("portal:permits:hot_work_detail", pk=permit.pk)


class PortalHotWorkCorrectView(TenantMemberRequiredMixin, HotWorkFormMixin, FormView):
    """A returned permit: the company corrects it and sends it again."""

    template_name = "permits/portal/hot_work_form.html"
    grant_area = HOT_WORK_AREA

    def get_permit(self) -> HotWorkPermit:
        if not hasattr(self, "_permit"):
            self._permit = selectors.hot_work_for_tenant(self.kwargs["pk"], self.tenant)
        return self._permit

    def get(self, request, *args, **kwargs):
        if self.get_permit().status != HotWorkPermit.Status.RETURNED:
            return redirect("portal:permits:hot_work_detail", pk=self.get_permit().pk)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        return HotWorkForm.initial_from(self.get_permit())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "permit": self.get_permit()}

    def run_service(self, form):
        permit = self.get_permit()
        try:
            hot_work.hot_work_correct(obj=permit, by=self.request.user, **form.service_kwargs())
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
        else:
            messages.success(self.request, _("Your corrected application has been sent again."))
        return redirect("portal:permits:hot_work_detail", pk=permit.pk)


class PortalHotWorkDetailView(TenantMemberRequiredMixin, ActionsMixin, DetailView):
    template_name = "permits/portal/hot_work_detail.html"
    context_object_name = "permit"
    grant_area = HOT_WORK_AREA
    action_services = PORTAL_ACTIONS

    def get_object(self, queryset=None):
        return selectors.hot_work_for_tenant(self.kwargs["pk"], self.tenant)

    def get_context_data(self, **kwargs):
        permit = self.object
        ctx = super().get_context_data(**kwargs)
        if permit.status in HotWorkPermit.LIVE and permit.document:
            ctx["qr"] = qr_svg(permit.document.verify_url, scale=5)
        return ctx


class PortalHotWorkPdfView(TenantMemberRequiredMixin, View):
    grant_area = HOT_WORK_AREA

    def get(self, request, pk):
        permit = selectors.hot_work_for_tenant(pk, self.tenant)
        if not permit.document or permit.status not in HotWorkPermit.LIVE:
            return redirect("portal:permits:hot_work_detail", pk=pk)
        return pdf_response(permit.document)
