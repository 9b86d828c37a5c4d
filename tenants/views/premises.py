from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.lists import RegisterView
from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.views import apply_errors

from .. import selectors, services
from ..filters import TenantFilter, UnitFilter
from ..forms import ContactFormSet, TenantRegisterForm
from ..models import Building, Contact


class BuildingListView(StaffRequiredMixin, ListView):
    template_name = "tenants/desk/building_list.html"
    context_object_name = "buildings"

    def get_queryset(self):
        return selectors.buildings()


class BuildingDetailView(StaffRequiredMixin, DetailView):
    """A building's floors with unit and vacancy counts."""

    template_name = "tenants/desk/building_detail.html"
    context_object_name = "building"

    def get_object(self, queryset=None):
        return get_object_or_404(Building, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["floors"] = selectors.floors_of(self.object)
        return ctx


class UnitListView(StaffRequiredMixin, RegisterView):
    template_name = "tenants/desk/unit_list.html"
    filterset_class = UnitFilter
    paginate_by = 30
    export_name = _("Unit register")
    export_columns = (
        (_("Building"), lambda u: u.floor.building.name),
        (_("Floor"), lambda u: u.floor.number),
        (_("Unit number"), lambda u: u.number),
        (_("Area (m²)"), lambda u: u.area),
        (_("Use"), lambda u: u.get_use_display()),
        (_("Current tenant"), lambda u: u.tenant_name or ""),
    )

    def get_queryset(self):
        return selectors.unit_register()

    def annotate_page(self, queryset):
        return selectors.unit_rows(queryset)


class TenantListView(StaffRequiredMixin, RegisterView):
    template_name = "tenants/desk/tenant_list.html"
    filterset_class = TenantFilter
    export_name = _("Tenant register")
    export_columns = (
        (_("Company name"), lambda t: t.name),
        (_("Unified social credit code"), lambda t: t.credit_code),
        (_("Units"), lambda t: t.unit_numbers or ""),
        (_("Primary contact"), lambda t: t.contact_name or ""),
        (_("Contact phone"), lambda t: t.contact_phone or ""),
        (_("Industry"), lambda t: t.industry),
        (_("Active"), lambda t: _("Yes") if t.is_active else _("No")),
    )

    def get_queryset(self):
        return selectors.tenant_register()

    def annotate_page(self, queryset):
        return selectors.tenant_rows(queryset)

    def rows_statement_key(self):
        # The rows are flat; the current units are those of today (selectors.current_q).
        return timezone.localdate()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "may_register": self.request.user.has_role(*DESK_ROLES)}


class TenantDetailView(StaffRequiredMixin, DetailView):
    template_name = "tenants/desk/tenant_detail.html"
    context_object_name = "tenant"

    def get_object(self, queryset=None):
        return selectors.tenant_detail(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["events"] = timeline(self.object)
        ctx["panels"] = selectors.tenant_panels(self.object, self.request.user)
        # The archive and the lifecycle actions are the customer service's (desk, supervisor).
        ctx["may_act"] = self.request.user.has_role(*DESK_ROLES)
        ctx["archive"] = selectors.archive_of(self.object) if ctx["may_act"] else []
        ctx["move_ins"], ctx["move_outs"] = selectors.open_processes(self.object)
        return ctx


class TenantCreateView(StaffRequiredMixin, TemplateView):
    """The desk registers a new company with its contacts. Reached from the tenant list and
    from "start a move-in" (``?then=movein``), which it returns to with the company chosen."""

    roles = DESK_ROLES
    template_name = "tenants/desk/tenant_form.html"

    def forms(self, data=None):
        form = TenantRegisterForm(data)
        contacts = ContactFormSet(data, queryset=Contact.objects.none(), prefix="contacts")
        return form, contacts

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if "form" not in ctx:
            ctx["form"], ctx["contacts"] = self.forms()
        ctx["then"] = self.request.GET.get("then", "")
        return ctx

    def post(self, request, *args, **kwargs):
        form, contacts = self.forms(request.POST)
        if form.is_valid() and contacts.is_valid():
            try:
                tenant = services.tenant_register(by=request.user, contacts=contacts.contacts(), **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, gettext("Tenant registered: %(name)s") % {"name": tenant.name})
                if request.GET.get("then") == "movein":
                    return redirect("desk:tenants:movein_new", tenant_pk=tenant.pk)
                return redirect("desk:tenants:tenant_detail", pk=tenant.pk)
        return self.render_to_response(self.get_context_data(form=form, contacts=contacts), status=400)
