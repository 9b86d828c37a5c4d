"""The tenant's side: company, move-in and move-out progress, signboards, archive."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import get_script_prefix
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView

from jinyuan import navigation
from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.views import ServiceFormMixin

from .. import checklists, grants, selectors, services
from ..access import TenantMemberRequiredMixin
from ..forms import MoveOutForm, SignboardForm


class PortalHomeView(TenantMemberRequiredMixin, TemplateView):
    template_name = "tenants/portal/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        facts = selectors.home_facts(self.tenant)
        ctx["occupancies"] = facts.occupancies
        ctx["contacts"] = self.tenant.contacts.all()
        ctx["move_ins"] = facts.move_ins
        ctx["move_outs"] = facts.move_outs
        ctx["signboards"] = selectors.signboards().filter(tenant=self.tenant).exclude(status="removed")[:10]
        if grants.may_open(self.membership, grants.ARCHIVE):
            ctx["archive"] = selectors.archive_of(self.tenant, include_voided=False)[:20]
        # The services other apps offer (bills, certificates) come from the registry: tenants
        # names none of their URLs.
        ctx["quick_links"] = navigation.quick_links_for(
            self.tenant,
            self.request.user,
            is_admin=self.membership.is_admin,
            areas=ctx["portal_areas"],
            urls=navigation.menu_urls(get_script_prefix()),
        )
        return ctx


class _PortalProcessView(TenantMemberRequiredMixin, DetailView):
    process = ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["checklist"] = checklists.Progress(checklists.evaluate(self.process, self.object))
        # The tenant sees the same timeline as the desk: notes there are reasons given to them.
        ctx["events"] = timeline(self.object)
        return ctx


class PortalMoveInView(_PortalProcessView):
    template_name = "tenants/portal/process.html"
    context_object_name = "process"
    process = checklists.MOVE_IN

    def get_object(self, queryset=None):
        return selectors.movein_detail(self.kwargs["pk"], tenant=self.tenant)


class PortalMoveOutView(_PortalProcessView):
    template_name = "tenants/portal/process.html"
    context_object_name = "process"
    process = checklists.MOVE_OUT

    def get_object(self, queryset=None):
        return selectors.moveout_detail(self.kwargs["pk"], tenant=self.tenant)


class PortalMoveOutCreateView(TenantMemberRequiredMixin, ServiceFormMixin, FormView):
    template_name = "tenants/portal/moveout_form.html"
    form_class = MoveOutForm
    admin_only = True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tenant": self.tenant}

    def run_service(self, form):
        move_out = services.moveout_open(tenant=self.tenant, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Your move-out request has been sent to the service center."))
        return redirect("portal:tenants:moveout_detail", pk=move_out.pk)


class PortalSignboardCreateView(TenantMemberRequiredMixin, ServiceFormMixin, FormView):
    template_name = "tenants/portal/signboard_form.html"
    form_class = SignboardForm
    admin_only = True

    def get_initial(self):
        return {"text": self.tenant.name}

    def run_service(self, form):
        services.signboard_order(tenant=self.tenant, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Your signboard order has been sent to the service center."))
        return redirect("portal:home")


class PortalGrantsView(TenantMemberRequiredMixin, TemplateView):
    """The tenant admin ticks, per staff member, the portal areas (bills, archive ...) they
    may open. One form for the whole company; each change is an audit event."""

    template_name = "tenants/portal/grants.html"
    admin_only = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["areas"] = grants.areas()
        ctx["members"] = selectors.members_of(self.tenant)
        return ctx

    def post(self, request):
        changed = 0
        for member in selectors.members_of(self.tenant):
            if member.is_admin:
                continue
            wanted = set(request.POST.getlist(f"areas-{member.pk}"))
            if wanted == set(member.areas):
                continue
            try:
                services.member_set_areas(membership=member, areas=wanted, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return self.render_to_response(self.get_context_data(), status=400)
            changed += 1
        if changed:
            messages.success(request, _("Access saved."))
        return redirect("portal:tenants:grants")
