from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from billing.models import BillLine
from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES, Role
from jinyuan.attachments.selectors import attachments_of
from jinyuan.documents.views import pdf_response
from jinyuan.lists import RegisterView
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin
from tenants.access import TenantMemberRequiredMixin
from tenants.models import Tenant

from . import extensions, passes, selectors, services
from .filters import InspectionFilter, OrderFilter, PortalRenovationFilter, RenovationFilter
from .forms import DeductionForm, DeductionItemFormSet, ExtensionForm, InspectionForm, RenovationForm
from .models import WORKS_START, Extension, Renovation

PORTAL_AREA = "renovation"

DESK_ACTIONS = {
    "pass_engineering": services.renovation_pass_engineering,
    "return_engineering": services.renovation_return_engineering,
    "pass_security": services.renovation_pass_security,
    "return_security": services.renovation_return_security,
    "approve": services.renovation_approve,
    "reject": services.renovation_reject,
    "start_works": services.renovation_start_works,
    "stop_works": services.renovation_stop_works,
    "lift_stop": services.renovation_lift_stop,
    "pass_acceptance_engineering": services.renovation_pass_acceptance_engineering,
    "pass_acceptance_security": services.renovation_pass_acceptance_security,
    "fail_acceptance_engineering": services.renovation_fail_acceptance_engineering,
    "fail_acceptance_security": services.renovation_fail_acceptance_security,
    "refund": services.renovation_refund,
}


def _period(r: Renovation) -> str:
    start, end = (r.granted_start, r.granted_end) if r.granted_start else (r.planned_start, r.planned_end)
    return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"


def _inspection_order_number(i) -> str:
    order = getattr(i, "order", None)
    return order.document.number if order is not None and order.document else ""


class RenovationContextMixin:
    """Files, fees and the works-start checklist shown on both detail pages."""

    def renovation_context(self, renovation: Renovation) -> dict:
        files = list(attachments_of(renovation))
        lines = []
        if renovation.fees_bill_id:
            lines = list(BillLine.objects.filter(bill_id=renovation.fees_bill_id).order_by("id"))
        return {
            **selectors.works_of(renovation),
            "extensions": selectors.extensions_of(renovation),
            "settlement": selectors.settlement_of(renovation),
            "files": files,
            "fee_lines": lines,
            "works_start": WORKS_START.progress(renovation)
            if renovation.status == Renovation.Status.APPROVED
            else None,
        }


class RenovationListView(StaffRequiredMixin, RegisterView):
    template_name = "renovation/desk/renovation_list.html"
    filterset_class = RenovationFilter
    export_name = gettext_lazy("Renovation register")
    export_columns = (
        (gettext_lazy("Number"), lambda r: r.permit.number if r.permit else ""),
        (gettext_lazy("Company"), lambda r: r.tenant.name),
        (gettext_lazy("Building"), lambda r: r.unit.floor.building.name),
        (gettext_lazy("Unit"), lambda r: r.unit.number),
        (gettext_lazy("Contractor"), lambda r: r.contractor_name),
        (gettext_lazy("Period"), _period),
        (gettext_lazy("Status"), lambda r: r.get_status_display()),
        (gettext_lazy("Overdue"), lambda r: r.overdue),
        (gettext_lazy("Open rectification orders"), lambda r: r.open_orders),
        (gettext_lazy("Applied at"), lambda r: r.created_at),
    )

    page_ids_first = True  # six joined tables: fetch the page's rows by their ids

    def get_queryset(self):
        return selectors.register()

    def annotate_page(self, queryset):
        return selectors.renovation_rows(queryset)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # What each row prints, made once in Python: Django's get_status_display rebuilds the
        # choices per call and the |date filter formats slowly; 25 rows of both cost the page
        # more than its queries.
        labels = {value: str(label) for value, label in Renovation.Status.choices}
        rows = list(ctx["object_list"])
        for r in rows:
            r.status_label = labels.get(r.status, r.status)
            r.period = _period(r)
            r.applied_at = f"{timezone.localtime(r.created_at):%Y-%m-%d %H:%M}"
        ctx["object_list"] = rows
        return ctx


class RenovationDetailView(StaffRequiredMixin, RenovationContextMixin, ActionsMixin, DetailView):
    template_name = "renovation/desk/renovation_detail.html"
    context_object_name = "renovation"
    action_services = DESK_ACTIONS

    def get_object(self, queryset=None):
        return selectors.renovation_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.renovation_context(self.object))
        user, r = self.request.user, self.object
        if r.status in services.INSPECTABLE and user.has_role(*INSPECTOR_ROLES):
            ctx["inspect_url"] = reverse("desk:renovation:inspection_new", args=[r.pk])
        if r.status in services.DEDUCTIBLE and user.has_role(Role.ENGINEERING, Role.SECURITY):
            ctx["deduct_url"] = reverse("desk:renovation:deduction_new", args=[r.pk])
        ctx["pass_links"] = passes.desk_links(r)
        if user.has_role(*DESK_ROLES):
            if r.status == Renovation.Status.RETURNED:
                ctx["correct_url"] = reverse("desk:renovation:renovation_correct", args=[r.pk])
            if r.status in Extension.EXTENDABLE:
                ctx["extend_url"] = reverse("desk:renovation:extension_new", args=[r.pk])
        return ctx


class RenovationApplyView(StaffRequiredMixin, ServiceFormMixin, FormView):
    """The desk applies for a tenant (from the tenant's page)."""

    template_name = "renovation/desk/renovation_form.html"
    form_class = RenovationForm
    roles = DESK_ROLES

    def load(self, request, *args, **kwargs):
        self.tenant = get_object_or_404(Tenant, pk=kwargs["tenant_pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tenant": self.tenant}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "tenant": self.tenant}

    def run_service(self, form):
        renovation = services.renovation_apply(tenant=self.tenant, by=self.request.user, **form.service_kwargs())
        messages.success(self.request, _("The application has been sent to engineering and security."))
        return redirect("desk:renovation:renovation_detail", pk=renovation.pk)


class RenovationPermitView(StaffRequiredMixin, View):
    def get(self, request, pk):
        renovation = selectors.renovation_for_desk(pk)
        if not renovation.permit:
            return redirect("desk:renovation:renovation_detail", pk=pk)
        return pdf_response(renovation.permit)


# --- portal ------------------------------------------------------------------------------------


class PortalRenovationListView(TenantMemberRequiredMixin, RegisterView):
    template_name = "renovation/portal/renovation_list.html"
    filterset_class = PortalRenovationFilter
    grant_area = PORTAL_AREA
    paginate_by = 20

    def get_queryset(self):
        return selectors.renovations_of(self.tenant).order_by("-created_at", "-id")


class PortalRenovationApplyView(TenantMemberRequiredMixin, ServiceFormMixin, FormView):
    template_name = "renovation/portal/renovation_form.html"
    form_class = RenovationForm
    admin_only = True

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tenant": self.tenant}

    def run_service(self, form):
        renovation = services.renovation_apply(tenant=self.tenant, by=self.request.user, **form.service_kwargs())
        messages.success(self.request, _("Your application has been sent to the service center."))
        return redirect("portal:renovation:renovation_detail", pk=renovation.pk)


class PortalRenovationDetailView(TenantMemberRequiredMixin, RenovationContextMixin, ActionsMixin, DetailView):
    template_name = "renovation/portal/renovation_detail.html"
    context_object_name = "renovation"
    grant_area = PORTAL_AREA
    # No side effects: runs as declared (the review deadlines stop with it).
    action_names = ("withdraw",)
    action_services = {"request_acceptance": services.renovation_request_acceptance}

    def get_object(self, queryset=None):
        return selectors.renovation_for_tenant(self.kwargs["pk"], self.tenant)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(self.renovation_context(self.object))
        if self.object.status in Extension.EXTENDABLE and self.membership.is_admin:
            ctx["extend_url"] = reverse("portal:renovation:extension_new", args=[self.object.pk])
        return ctx


class OneRenovationFormMixin(ServiceFormMixin):
    """A form about one renovation, on the desk or in the portal: ``get_renovation`` loads it
    (the side's selector: another tenant's is a 404), once per request."""

    detail_url_name = ""

    def get_renovation(self) -> Renovation:
        raise NotImplementedError

    @cached_property
    def renovation(self) -> Renovation:
        return self.get_renovation()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "renovation": self.renovation}


class CorrectMixin(OneRenovationFormMixin):
    """A returned application corrected and sent to both reviews again: by the tenant in the
    portal, or by the desk for it (the audit event names who corrected it)."""

    form_class = RenovationForm
    done_message = ""

    def get(self, request, *args, **kwargs):
        if self.renovation.status != Renovation.Status.RETURNED:
            return redirect(self.detail_url_name, pk=self.kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        renovation = self.renovation
        return {**super().get_form_kwargs(), "tenant": renovation.tenant, "instance": renovation}

    def run_service(self, form):
        renovation = self.renovation
        try:
            services.renovation_resubmit(obj=renovation, by=self.request.user, **form.service_kwargs())
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
        else:
            messages.success(self.request, self.done_message)
        return redirect(self.detail_url_name, pk=renovation.pk)


class PortalRenovationCorrectView(TenantMemberRequiredMixin, CorrectMixin, FormView):
    template_name = "renovation/portal/renovation_form.html"
    admin_only = True
    detail_url_name = "portal:renovation:renovation_detail"
    done_message = gettext_lazy("Your corrected application has been sent again.")

    def get_renovation(self) -> Renovation:
        return selectors.renovation_for_tenant(self.kwargs["pk"], self.tenant)


class RenovationCorrectView(StaffRequiredMixin, CorrectMixin, FormView):
    """The desk corrects a returned application for the company (e.g. papers brought to the desk)."""

    template_name = "renovation/desk/renovation_form.html"
    roles = DESK_ROLES
    detail_url_name = "desk:renovation:renovation_detail"
    done_message = gettext_lazy("The corrected application has been sent to engineering and security again.")

    def get_renovation(self) -> Renovation:
        return selectors.renovation_for_desk(self.kwargs["pk"])


class PortalRenovationPermitView(TenantMemberRequiredMixin, View):
    grant_area = PORTAL_AREA

    def get(self, request, pk):
        renovation = selectors.renovation_for_tenant(pk, self.tenant)
        if not renovation.permit:
            return redirect("portal:renovation:renovation_detail", pk=pk)
        return pdf_response(renovation.permit)


# --- part 2: inspections and rectification orders ------------------------------------------------

INSPECTOR_ROLES = (Role.ENGINEERING, Role.SECURITY, Role.SUPERVISOR)


class InspectionNewView(StaffRequiredMixin, ServiceFormMixin, FormView):
    template_name = "renovation/desk/inspection_form.html"
    form_class = InspectionForm
    roles = INSPECTOR_ROLES

    def load(self, request, *args, **kwargs):
        self.renovation = selectors.renovation_for_desk(kwargs["pk"])

    def get_initial(self):
        return {"inspected_at": timezone.localtime().replace(second=0, microsecond=0)}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "renovation": self.renovation, "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "renovation": self.renovation}

    def run_service(self, form):
        try:
            inspection = services.renovation_inspect(
                renovation=self.renovation, by=self.request.user, **form.service_kwargs()
            )
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
        else:
            if hasattr(inspection, "order"):
                messages.warning(
                    self.request,
                    _("Rectification order %(number)s issued.") % {"number": inspection.order.document.number},
                )
            else:
                messages.success(self.request, _("The inspection has been recorded."))
        return redirect("desk:renovation:renovation_detail", pk=self.renovation.pk)


class InspectionListView(StaffRequiredMixin, RegisterView):
    template_name = "renovation/desk/inspection_list.html"
    filterset_class = InspectionFilter
    export_name = gettext_lazy("Renovation inspections")
    export_columns = (
        (gettext_lazy("Inspected at"), lambda i: i.inspected_at),
        (gettext_lazy("Department"), lambda i: i.get_department_display()),
        (gettext_lazy("Company"), lambda i: i.renovation.tenant.name),
        (gettext_lazy("Unit"), lambda i: i.renovation.unit.number),
        (gettext_lazy("Inspector"), lambda i: i.inspector.get_full_name() or i.inspector.username),
        (gettext_lazy("Findings"), lambda i: i.findings),
        (gettext_lazy("Violation"), lambda i: i.violation),
        (gettext_lazy("Order"), _inspection_order_number),
    )

    def get_queryset(self):
        return selectors.inspections().order_by("-inspected_at", "-id")


class OrderListView(StaffRequiredMixin, RegisterView):
    template_name = "renovation/desk/order_list.html"
    filterset_class = OrderFilter
    export_name = gettext_lazy("Rectification orders")
    export_columns = (
        (gettext_lazy("Number"), lambda o: o.document.number if o.document else ""),
        (gettext_lazy("Company"), lambda o: o.tenant.name),
        (gettext_lazy("Unit"), lambda o: o.renovation.unit.number),
        (gettext_lazy("What must be rectified"), lambda o: o.requirement),
        (gettext_lazy("Rectify by"), lambda o: o.due_on),
        (gettext_lazy("Status"), lambda o: o.get_status_display()),
        (gettext_lazy("Issued at"), lambda o: o.created_at),
    )

    def get_queryset(self):
        return selectors.orders().order_by("-created_at", "-id")


class OrderPdfView(StaffRequiredMixin, View):
    def get(self, request, pk):
        order = selectors.order_for_desk(pk)
        return pdf_response(order.document)


class PortalOrderPdfView(TenantMemberRequiredMixin, View):
    grant_area = PORTAL_AREA

    def get(self, request, pk):
        order = selectors.order_for_tenant(pk, self.tenant)
        return pdf_response(order.document)


class DeductionNewView(StaffRequiredMixin, FormView):
    """Engineering or security proposes an itemised deduction from the deposit."""

    template_name = "renovation/desk/deduction_form.html"
    form_class = DeductionForm
    roles = (Role.ENGINEERING, Role.SECURITY)

    def load(self, request, *args, **kwargs):
        self.renovation = selectors.renovation_for_desk(kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("items", DeductionItemFormSet(self.request.POST or None, prefix="items"))
        return {**ctx, "renovation": self.renovation}

    def form_valid(self, form):
        items = DeductionItemFormSet(self.request.POST, prefix="items")
        if not items.is_valid():
            return self.render_to_response(self.get_context_data(form=form, items=items))
        lines = [(f.cleaned_data.get("reason", ""), f.cleaned_data.get("amount")) for f in items.forms]
        try:
            services.deduction_propose(
                renovation=self.renovation,
                by=self.request.user,
                department=form.cleaned_data["department"],
                items=lines,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return self.render_to_response(self.get_context_data(form=form, items=items))
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
        else:
            messages.success(self.request, _("The deduction has been sent to the supervisor."))
        return redirect("desk:renovation:renovation_detail", pk=self.renovation.pk)


class DeductionDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    """A proposed deduction, its items and the supervisor's decision."""

    template_name = "renovation/desk/deduction_detail.html"
    context_object_name = "deduction"
    action_services = {"approve": services.deduction_approve, "reject": services.deduction_reject}

    def get_object(self, queryset=None):
        return selectors.deduction_for_desk(self.kwargs["pk"])


# --- extension of the period 延期 ----------------------------------------------------------------


class ExtensionNewMixin(OneRenovationFormMixin):
    """Apply for an extension: the desk for the company, or the company's admin in the portal."""

    form_class = ExtensionForm

    def get(self, request, *args, **kwargs):
        renovation = self.renovation
        if renovation.status not in Extension.EXTENDABLE:
            messages.warning(request, _("Only a renovation in works or stopped can be extended."))
            return redirect(self.detail_url_name, pk=renovation.pk)
        return super().get(request, *args, **kwargs)

    def get_initial(self):
        end = self.renovation.granted_end
        return {"new_end": end + timedelta(days=30)} if end else {}

    def run_service(self, form):
        renovation = self.renovation
        try:
            extensions.extension_apply(renovation=renovation, by=self.request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
        else:
            messages.success(self.request, _("The extension has been sent to the supervisor."))
        return redirect(self.detail_url_name, pk=renovation.pk)


class ExtensionNewView(StaffRequiredMixin, ExtensionNewMixin, FormView):
    template_name = "renovation/desk/extension_form.html"
    roles = DESK_ROLES
    detail_url_name = "desk:renovation:renovation_detail"

    def get_renovation(self) -> Renovation:
        return selectors.renovation_for_desk(self.kwargs["pk"])


class PortalExtensionNewView(TenantMemberRequiredMixin, ExtensionNewMixin, FormView):
    template_name = "renovation/portal/extension_form.html"
    admin_only = True
    detail_url_name = "portal:renovation:renovation_detail"

    def get_renovation(self) -> Renovation:
        return selectors.renovation_for_tenant(self.kwargs["pk"], self.tenant)


EXTENSION_ACTIONS = {
    "approve": extensions.extension_approve,
    "reject": extensions.extension_reject,
    "withdraw": extensions.extension_withdraw,
}


class ExtensionDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    """An extension, the fee it bills and the supervisor's decision."""

    template_name = "renovation/desk/extension_detail.html"
    context_object_name = "extension"
    action_services = EXTENSION_ACTIONS

    def get_object(self, queryset=None):
        return selectors.extension_for_desk(self.kwargs["pk"])


class PortalExtensionDetailView(TenantMemberRequiredMixin, ActionsMixin, DetailView):
    template_name = "renovation/portal/extension_detail.html"
    context_object_name = "extension"
    grant_area = PORTAL_AREA
    action_services = {"withdraw": extensions.extension_withdraw}

    def get_object(self, queryset=None):
        return selectors.extension_for_tenant(self.kwargs["pk"], self.tenant)
