"""废品收购: desk and portal pages of recyclables requests (thin: permission, form, service)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from billing.credit_notes import credit_left
from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES, SUPERVISOR_ROLES, VOID_ROLES
from jinyuan.documents.views import pdf_response
from jinyuan.lists import RegisterView
from jinyuan.workflow.forms import apply_errors
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin
from tenants.access import TenantMemberRequiredMixin
from tenants.models import Tenant

from .. import recyclables as services
from .. import recyclables_selectors as selectors
from ..models import FRONTDESK_AREA, RecycleRequest
from ..recyclables_filters import PortalRecycleFilter, RecycleFilter
from ..recyclables_forms import CollectForm, CreditVoidForm, RequestForm, ScheduleForm, SettleForm

DESK_ACTIONS = {"cancel": services.recycle_cancel}
PORTAL_ACTIONS = {"withdraw": services.recycle_withdraw}
COMPANY_SEARCH_LIMIT = 20


class CompanySearchMixin:
    """A register's "new request for a company" box: the desk finds the company by name, then
    opens the request form for it (``new_url``)."""

    new_url = ""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_create"] = self.request.user.has_role(*DESK_ROLES)
        ctx["new_url"] = self.new_url
        company = (self.request.GET.get("company") or "").strip()[:60]
        ctx["company"] = company
        if company and ctx["may_create"]:
            ctx["companies"] = list(
                Tenant.objects.filter(name__icontains=company, is_active=True).order_by("name")[:COMPANY_SEARCH_LIMIT]
            )
        return ctx


class RecycleRegister(RegisterView):
    def annotate_page(self, queryset):
        return queryset.select_related("tenant", "unit", "recycler")


class RecycleListView(StaffRequiredMixin, CompanySearchMixin, RecycleRegister):
    template_name = "frontdesk/recyclables/desk_list.html"
    new_url = "desk:frontdesk:recycle_new"
    filterset_class = RecycleFilter
    export_name = gettext_lazy("Recyclables")
    export_columns = (
        (gettext_lazy("Number"), lambda r: r.number),
        (gettext_lazy("Company"), lambda r: r.tenant.name),
        (gettext_lazy("Unit"), lambda r: r.unit.number),
        (gettext_lazy("Categories"), lambda r: r.category_labels),
        (gettext_lazy("Estimated weight (kg)"), lambda r: r.estimated_kg),
        (gettext_lazy("Recycler"), lambda r: r.recycler.name if r.recycler_id else ""),
        (gettext_lazy("Pickup at"), lambda r: r.pickup_at),
        (gettext_lazy("Settlement"), lambda r: r.get_settlement_display()),
        (gettext_lazy("Total (CNY)"), lambda r: r.total, "sum"),
        (gettext_lazy("Status"), lambda r: r.get_status_display()),
        (gettext_lazy("Requested at"), lambda r: r.created_at),
    )

    def get_queryset(self):
        return selectors.requests().order_by("-created_at", "-id")


class RecycleDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "frontdesk/recyclables/desk_detail.html"
    context_object_name = "req"
    action_services = DESK_ACTIONS

    def get_object(self, queryset=None):
        return selectors.request_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        obj = self.object
        user = self.request.user
        ctx = super().get_context_data(**kwargs)
        ctx["lines"] = selectors.lines_of(obj)
        desk = user.has_role(*DESK_ROLES)
        if desk and obj.status == RecycleRequest.Status.REQUESTED:
            ctx.setdefault("schedule_form", ScheduleForm(recyclers=selectors.active_recyclers()))
        if desk and obj.status == RecycleRequest.Status.SCHEDULED:
            prices = services.prices_in_force(timezone.localdate())
            ctx.setdefault(
                "collect_form", CollectForm(prices=prices, may_change_price=user.has_role(*SUPERVISOR_ROLES))
            )
        if desk and obj.status == RecycleRequest.Status.COLLECTED:
            ctx.setdefault("settle_form", SettleForm(initial={"settlement": obj.settlement}))
        note = obj.credit_note
        if note is not None:
            ctx["credit_left"] = credit_left(note)
            if user.has_role(*VOID_ROLES) and note.status == note.Status.ISSUED and not note.payment.allocated:
                ctx.setdefault("void_form", CreditVoidForm())
        return ctx


class RecycleStepView(StaffRequiredMixin, View):
    """POST of one step from the detail page (schedule, collect, settle, void the credit note):
    a bad entry re-renders the page with the errors beside the fields and what was typed."""

    roles = DESK_ROLES
    steps = ("schedule", "collect", "settle")

    def get(self, request, pk, step):
        return redirect("desk:frontdesk:recycle_detail", pk=selectors.request_for_desk(pk).pk)

    def post(self, request, pk, step):
        if step not in self.steps:
            raise PermissionDenied
        obj = selectors.request_for_desk(pk)
        user = request.user
        if step == "schedule":
            form = ScheduleForm(request.POST, recyclers=selectors.active_recyclers())
            key = "schedule_form"
        elif step == "collect":
            prices = services.prices_in_force(timezone.localdate())
            form = CollectForm(request.POST, prices=prices, may_change_price=user.has_role(*SUPERVISOR_ROLES))
            key = "collect_form"
        elif step == "settle":
            form = SettleForm(request.POST)
            key = "settle_form"
        elif step == "void_credit":
            form = CreditVoidForm(request.POST)
            key = "void_form"
        else:
            raise PermissionDenied
        if form.is_valid():
            try:
                self.run(step, obj, form)
            except ValidationError as exc:
                apply_errors(form, exc)
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
                return redirect("desk:frontdesk:recycle_detail", pk=pk)
            else:
                return redirect("desk:frontdesk:recycle_detail", pk=pk)
        view = RecycleDetailView()
        view.setup(request, pk=pk)
        view.object = obj
        return view.render_to_response(view.get_context_data(object=obj, **{key: form}), status=400)

    def run(self, step, obj, form):
        data, user = form.cleaned_data, self.request.user
        if step == "schedule":
            services.recycle_schedule(
                obj=obj, by=user, recycler=data["recycler"], pickup_at=data["pickup_at"], note=data["note"]
            )
            messages.success(self.request, _("Pickup scheduled."))
        elif step == "collect":
            services.recycle_collect(
                obj=obj,
                by=user,
                weighed=form.weighed(),
                vehicle_plate=data["vehicle_plate"],
                carrier_name=data["carrier_name"],
                carrier_id_number=data["carrier_id_number"],
                note=data["note"],
            )
            messages.success(self.request, _("Weights recorded; the release note is issued."))
        elif step == "settle":
            services.recycle_settle(
                obj=obj, by=user, settlement=data["settlement"], received_by=data["received_by"], note=data["note"]
            )
            messages.success(self.request, _("Settled."))
        else:
            if obj.credit_note is None:
                raise PermissionDenied
            services.recycle_credit_void(obj=obj, by=user, note=data["note"])
            messages.success(self.request, _("Credit note voided."))


class CreditVoidView(RecycleStepView):
    """Finance or a supervisor voids the request's credit note (only while nothing of it is
    allocated: billing.credit_notes)."""

    roles = VOID_ROLES
    steps = ("void_credit",)


class DeskRecycleNewView(StaffRequiredMixin, ServiceFormMixin, FormView):
    """The desk asks for a pickup for a company."""

    template_name = "frontdesk/recyclables/desk_form.html"
    roles = DESK_ROLES
    form_class = RequestForm

    def load(self, request, *args, **kwargs):
        self.company = get_object_or_404(Tenant, pk=kwargs["pk"], is_active=True)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "units": services.units_of(self.company)}

    def run_service(self, form):
        obj = services.recycle_request(tenant=self.company, by=self.request.user, **form.service_kwargs())
        messages.success(self.request, _("Request %(number)s saved.") % {"number": obj.number})
        return redirect("desk:frontdesk:recycle_detail", pk=obj.pk)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "company": self.company}


class RecycleVoucherView(StaffRequiredMixin, View):
    def get(self, request, pk):
        obj = selectors.request_for_desk(pk)
        if not obj.voucher:
            return redirect("desk:frontdesk:recycle_detail", pk=pk)
        return pdf_response(obj.voucher)


# --- portal ---------------------------------------------------------------------------------------


class PortalRecycleListView(TenantMemberRequiredMixin, RecycleRegister):
    template_name = "frontdesk/recyclables/portal_list.html"
    filterset_class = PortalRecycleFilter
    grant_area = FRONTDESK_AREA
    paginate_by = 20

    def get_queryset(self):
        return selectors.requests_of(self.tenant).order_by("-created_at", "-id")


class PortalRecycleNewView(TenantMemberRequiredMixin, ServiceFormMixin, FormView):
    template_name = "frontdesk/recyclables/portal_form.html"
    grant_area = FRONTDESK_AREA
    form_class = RequestForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "units": services.units_of(self.tenant)}

    def run_service(self, form):
        obj = services.recycle_request(tenant=self.tenant, by=self.request.user, **form.service_kwargs())
        messages.success(
            self.request, _("Request %(number)s sent: the desk will schedule the pickup.") % {"number": obj.number}
        )
        return redirect("portal:frontdesk:recycle_detail", pk=obj.pk)


class PortalRecycleDetailView(TenantMemberRequiredMixin, ActionsMixin, DetailView):
    template_name = "frontdesk/recyclables/portal_detail.html"
    context_object_name = "req"
    grant_area = FRONTDESK_AREA
    action_services = PORTAL_ACTIONS

    def get_object(self, queryset=None):
        return selectors.request_for_tenant(self.kwargs["pk"], self.tenant)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["lines"] = selectors.lines_of(self.object)
        if self.object.credit_note is not None:
            ctx["credit_left"] = credit_left(self.object.credit_note)
        return ctx


class PortalRecycleVoucherView(TenantMemberRequiredMixin, View):
    grant_area = FRONTDESK_AREA

    def get(self, request, pk):
        obj = selectors.request_for_tenant(pk, self.tenant)
        if not obj.voucher:
            return redirect("portal:frontdesk:recycle_detail", pk=pk)
        return pdf_response(obj.voucher)
