"""业户走访 and 跟进事项: desk and portal pages of liaison visits, visit plans and follow-up items."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.lists import RegisterView
from jinyuan.params import safe_next
from jinyuan.workflow.forms import apply_errors
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin
from tenants.access import TenantMemberRequiredMixin
from tenants.models import Tenant

from .. import action_selectors, action_services, liaison_selectors, liaison_services
from ..action_filters import ActionItemFilter
from ..action_forms import CloseItemForm, NeedFormSet
from ..liaison_filters import PlanTenantFilter, PortalVisitFilter, VisitFilter
from ..liaison_forms import VisitForm
from ..models import ActionItem, Visit

ITEM_SERVICES = {"complete": action_services.action_item_complete, "cancel": action_services.action_item_cancel}


# --- follow-up items ------------------------------------------------------------------------------


class ActionItemListView(StaffRequiredMixin, RegisterView):
    """My follow-up items (any member of staff may own one): open first, by due time."""

    template_name = "frontdesk/liaison/item_list.html"
    filterset_class = ActionItemFilter
    mine = True
    export_name = gettext_lazy("Follow-up items")
    export_columns = (
        (gettext_lazy("What is to be done"), lambda i: i.text),
        (gettext_lazy("Owner"), lambda i: str(i.owner)),
        (gettext_lazy("Due by"), lambda i: i.due_at),
        (gettext_lazy("Status"), lambda i: i.get_status_display()),
        (gettext_lazy("Closed at"), lambda i: i.closed_at),
        (gettext_lazy("What was done"), lambda i: i.outcome),
    )

    def get_queryset(self):
        qs = action_selectors.items()
        if self.mine:
            qs = qs.filter(owner=self.request.user)
        return qs.order_by("due_at", "id")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        data = self.request.GET.copy()
        # Open items unless the status is chosen ("---------": every status).
        data.setdefault("status", ActionItem.Status.OPEN)
        return {**kwargs, "data": data, "mine": self.mine}

    def annotate_page(self, queryset):
        return queryset.select_related("owner")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["mine"] = self.mine
        ctx["may_cancel"] = self.request.user.has_role(*DESK_ROLES)
        ctx["now"] = timezone.now()
        return ctx


class ActionItemAllView(ActionItemListView):
    """Every follow-up item, for the desk and the supervisors (filter by owner)."""

    roles = DESK_ROLES
    mine = False


class ActionItemDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "frontdesk/liaison/item_detail.html"
    context_object_name = "item"
    action_services = ITEM_SERVICES

    def get_object(self, queryset=None):
        return action_selectors.item_for_desk(self.kwargs["pk"], self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        item = self.object
        ctx["record_url"] = record_url(item.content_type.model, item.object_id)
        return ctx


def record_url(model: str, pk: int) -> str:
    names = {"visit": "desk:frontdesk:visit_detail", "emergency": "desk:frontdesk:emergency_detail"}
    return reverse(names[model], args=[pk]) if model in names else ""


class ActionItemCloseView(StaffRequiredMixin, View):
    """Done or cancelled from a list (the worklist, a visit's or an emergency's page): back there."""

    def load(self, request, *args, **kwargs):
        self.item = action_selectors.item_for_desk(kwargs["pk"], request.user)

    def get(self, request, pk):
        return redirect("desk:frontdesk:action_item_detail", pk=pk)

    def post(self, request, pk):
        action = request.POST.get("action", "")
        if action not in ITEM_SERVICES:
            raise PermissionDenied
        back = safe_next(request) or reverse("desk:frontdesk:action_item_detail", args=[pk])
        form = CloseItemForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say what was done (or why it is cancelled)."))
            return redirect(back)
        try:
            ITEM_SERVICES[action](obj=self.item, by=request.user, note=form.cleaned_data["note"])
        except TransitionRefused as exc:
            messages.warning(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Follow-up item closed."))
        return redirect(back)


# --- visits ---------------------------------------------------------------------------------------


class VisitRegister(RegisterView):
    def annotate_page(self, queryset):
        return queryset.select_related("tenant")


class VisitListView(StaffRequiredMixin, VisitRegister):
    template_name = "frontdesk/liaison/visit_list.html"
    filterset_class = VisitFilter
    export_name = gettext_lazy("Liaison visits")
    export_columns = (
        (gettext_lazy("Visited at"), lambda v: v.visited_at),
        (gettext_lazy("Company"), lambda v: v.tenant.name),
        (gettext_lazy("Channel"), lambda v: v.get_channel_display()),
        (gettext_lazy("Met (name)"), lambda v: v.met_name),
        (gettext_lazy("Met (title)"), lambda v: v.met_title),
        (gettext_lazy("Topics discussed"), lambda v: v.topics),
        (gettext_lazy("Overall impression"), lambda v: v.get_impression_display()),
        (gettext_lazy("Status"), lambda v: v.get_status_display()),
    )

    def get_queryset(self):
        return liaison_selectors.visits().order_by("-visited_at", "-id")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_record"] = self.request.user.has_role(*DESK_ROLES)
        name = (self.request.GET.get("company") or "").strip()[:60]
        ctx["company"] = name
        if name and ctx["may_record"]:
            ctx["companies"] = list(Tenant.objects.filter(name__icontains=name, is_active=True).order_by("name")[:20])
        return ctx


class VisitNewView(StaffRequiredMixin, TemplateView):
    """Record a visit to a company, with the needs raised as follow-up items (a formset)."""

    template_name = "frontdesk/liaison/visit_form.html"
    roles = DESK_ROLES

    def load(self, request, *args, **kwargs):
        self.tenant = get_object_or_404(Tenant, pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tenant"] = self.tenant
        ctx.setdefault(
            "form",
            VisitForm(
                initial={
                    "visited_at": timezone.localtime().replace(second=0, microsecond=0),
                    "staff": [self.request.user.pk],
                }
            ),
        )
        ctx.setdefault("needs", NeedFormSet(prefix="needs"))
        return ctx

    def post(self, request, *args, **kwargs):
        form = VisitForm(request.POST)
        needs = NeedFormSet(request.POST, prefix="needs")
        if form.is_valid() and needs.is_valid():
            try:
                visit = liaison_services.visit_record(
                    by=request.user, tenant=self.tenant, needs=needs.needs(), **form.service_kwargs()
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Visit recorded."))
                return redirect("desk:frontdesk:visit_detail", pk=visit.pk)
        return self.render_to_response(self.get_context_data(form=form, needs=needs), status=400)


class VisitDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "frontdesk/liaison/visit_detail.html"
    context_object_name = "visit"
    action_services = {"void": liaison_services.visit_void}

    def get_object(self, queryset=None):
        return liaison_selectors.visit_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["staff"] = liaison_selectors.staff_of(self.object)
        ctx["items"] = action_selectors.items_of(self.object)
        ctx["now"] = timezone.now()
        ctx["may_close"] = ctx["may_cancel"] = self.request.user.has_role(*DESK_ROLES)
        return ctx


# --- visit plans ----------------------------------------------------------------------------------


class VisitPlanListView(StaffRequiredMixin, ListView):
    template_name = "frontdesk/liaison/plan_list.html"
    context_object_name = "plans"

    def get_queryset(self):
        return liaison_selectors.plans().order_by("-is_active", "name", "id")


class VisitPlanDetailView(StaffRequiredMixin, RegisterView):
    """The plan's current period: which tenants are visited, due or overdue (in the database,
    paginated), with the counts."""

    template_name = "frontdesk/liaison/plan_detail.html"
    filterset_class = PlanTenantFilter
    export_name = gettext_lazy("Visit plan")

    def load(self, request, *args, **kwargs):
        self.plan = liaison_selectors.plan_for_desk(kwargs["pk"])
        self.today = timezone.localdate()

    @property
    def export_columns(self):
        labels = dict(PlanTenantFilter.base_filters["state"].extra["choices"])
        return (
            (gettext_lazy("Company"), lambda t: t.name),
            (gettext_lazy("Last visit"), lambda t: t.last_visit),
            (gettext_lazy("This period"), lambda t: str(labels.get(t.plan_state, t.plan_state))),
        )

    def get_queryset(self):
        return liaison_selectors.plan_tenants(self.plan, self.today).order_by("name", "id")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        start, end = self.plan.period_of(self.today)
        ctx.update(plan=self.plan, counts=liaison_selectors.plan_counts(self.plan, self.today))
        ctx["period_start"], ctx["period_end"] = start, end - dt.timedelta(days=1)
        ctx["may_record"] = self.request.user.has_role(*DESK_ROLES)
        return ctx


# --- portal ---------------------------------------------------------------------------------------


class PortalVisitListView(TenantMemberRequiredMixin, RegisterView):
    """The company's visits from the service center (its admins: what was discussed)."""

    template_name = "frontdesk/liaison/portal_list.html"
    admin_only = True
    filterset_class = PortalVisitFilter
    paginate_by = 20

    def get_queryset(self):
        return (
            liaison_selectors.visits_of(self.tenant).filter(status=Visit.Status.RECORDED).order_by("-visited_at", "-id")
        )


class PortalVisitDetailView(TenantMemberRequiredMixin, DetailView):
    """What was discussed and where the needs the company raised stand; never the names of whom
    the staff met or of the staff's owners (staff-only data)."""

    template_name = "frontdesk/liaison/portal_detail.html"
    context_object_name = "visit"
    admin_only = True

    def get_object(self, queryset=None):
        return liaison_selectors.visit_for_tenant(self.kwargs["pk"], self.tenant)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["items"] = action_selectors.items_of(self.object)
        return ctx
