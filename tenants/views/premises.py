from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.lists import RegisterView
from jinyuan.workflow.selectors import timeline

from .. import selectors
from ..filters import TenantFilter, UnitFilter
from ..models import Building


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
