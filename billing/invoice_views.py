"""Pages of VAT invoice requests 发票: the desk's and finance's register, detail (issue, refuse)
and request form for a company; the portal's list, request form and detail with the download."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import MONEY_ROLES
from jinyuan.lists import RegisterView
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin
from tenants.access import TenantMemberRequiredMixin
from tenants.models import Tenant

from . import invoice_selectors as selectors
from . import invoice_services as services
from .hooks import BILLS
from .invoice_filters import InvoiceRequestFilter, PortalInvoiceRequestFilter
from .invoice_forms import InvoiceIssueForm, InvoiceRequestForm
from .invoice_models import INVOICE_ROLES, InvoiceRequest

ACTIONS = {"refuse": services.invoice_refuse}


class InvoiceRequestListView(StaffRequiredMixin, RegisterView):
    """Plain ordered rows: count and page ids from the ``(-created_at, -id)`` index, the page's
    rows joined to their company and file."""

    roles = MONEY_ROLES
    template_name = "billing/desk/invoice_list.html"
    filterset_class = InvoiceRequestFilter
    export_name = gettext_lazy("Invoice requests")
    export_columns = (
        (gettext_lazy("Requested at"), lambda r: r.created_at),
        (gettext_lazy("Company"), lambda r: r.tenant.name),
        (gettext_lazy("Invoice type"), lambda r: r.get_kind_display()),
        (gettext_lazy("Invoice title"), lambda r: r.title),
        (gettext_lazy("Taxpayer number"), lambda r: r.taxpayer_number),
        (gettext_lazy("Amount requested"), lambda r: r.amount, "sum"),
        (gettext_lazy("Status"), lambda r: r.get_status_display()),
        (gettext_lazy("Invoice number"), lambda r: r.invoice_number),
        (gettext_lazy("Invoice date"), lambda r: r.invoice_date),
        (gettext_lazy("Amount invoiced"), lambda r: r.invoiced_amount),
        (gettext_lazy("Reason for refusal"), lambda r: r.refusal_reason),
    )

    def get_queryset(self):
        return selectors.invoice_requests().order_by("-created_at", "-id")

    def annotate_page(self, queryset):
        return queryset.select_related("tenant")


class InvoiceRequestDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    roles = MONEY_ROLES
    template_name = "billing/desk/invoice_detail.html"
    context_object_name = "invoice"
    action_services = ACTIONS

    def get_object(self, queryset=None):
        return selectors.invoice_request_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        invoice = self.object
        if invoice.status == InvoiceRequest.Status.REQUESTED and self.request.user.has_role(*INVOICE_ROLES):
            ctx.setdefault("issue_form", InvoiceIssueForm(initial=InvoiceIssueForm.initial_for(invoice)))
        return ctx


class InvoiceIssueView(StaffRequiredMixin, ServiceFormMixin, FormView):
    """Finance records the invoice issued (the form sits on the detail page)."""

    roles = INVOICE_ROLES
    form_class = InvoiceIssueForm
    template_name = "billing/desk/invoice_detail.html"

    def load(self, request, *args, **kwargs):
        self.invoice = selectors.invoice_request_for_desk(kwargs["pk"])

    def get(self, request, *args, **kwargs):
        return redirect("desk:billing:invoice_detail", pk=self.invoice.pk)

    def form_invalid(self, form):
        view = InvoiceRequestDetailView(request=self.request, kwargs=self.kwargs, object=self.invoice)
        ctx = view.get_context_data(object=self.invoice, issue_form=form)
        return self.response_class(
            request=self.request, template=[self.template_name], context=ctx, using=self.template_engine, status=400
        )

    def run_service(self, form):
        try:
            services.invoice_issue(obj=self.invoice, by=self.request.user, **form.cleaned_data)
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
        else:
            messages.success(self.request, _("Invoice issued: the company can download it in the portal."))
        return redirect("desk:billing:invoice_detail", pk=self.invoice.pk)


class InvoiceFormMixin(ServiceFormMixin):
    form_class = InvoiceRequestForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tenant": self.tenant}

    def get_initial(self):
        return InvoiceRequestForm.initial_for(self.tenant)


class DeskInvoiceRequestNewView(StaffRequiredMixin, InvoiceFormMixin, FormView):
    """The desk asks for a company's invoice (a call, the counter)."""

    roles = MONEY_ROLES
    template_name = "billing/desk/invoice_form.html"

    def load(self, request, *args, **kwargs):
        self.tenant = get_object_or_404(Tenant, pk=kwargs["tenant_pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "company": self.tenant}

    def run_service(self, form):
        request = services.invoice_request_create(
            tenant=self.tenant, by=self.request.user, by_desk=True, **form.service_kwargs()
        )
        messages.success(self.request, _("Invoice request saved: finance issues it."))
        return redirect("desk:billing:invoice_detail", pk=request.pk)


# --- portal ---------------------------------------------------------------------------------------


class PortalInvoiceListView(TenantMemberRequiredMixin, RegisterView):
    grant_area = BILLS
    template_name = "billing/portal/invoice_list.html"
    filterset_class = PortalInvoiceRequestFilter
    paginate_by = 20

    def get_queryset(self):
        return selectors.invoice_requests_of(self.tenant).order_by("-created_at", "-id")

    def annotate_page(self, queryset):
        return queryset.select_related("pdf")


class PortalInvoiceNewView(TenantMemberRequiredMixin, InvoiceFormMixin, FormView):
    grant_area = BILLS
    template_name = "billing/portal/invoice_form.html"

    def run_service(self, form):
        request = services.invoice_request_create(tenant=self.tenant, by=self.request.user, **form.service_kwargs())
        messages.success(self.request, _("Your invoice request has been sent to finance."))
        return redirect("portal:billing:invoice_detail", pk=request.pk)


class PortalInvoiceDetailView(TenantMemberRequiredMixin, DetailView):
    grant_area = BILLS
    template_name = "billing/portal/invoice_detail.html"
    context_object_name = "invoice"

    def get_object(self, queryset=None):
        return selectors.invoice_request_for_tenant(self.kwargs["pk"], self.tenant)

    def post(self, request, *args, **kwargs):
        """Nothing to do here: another company's request is a 404 all the same, one's own a 403."""
        self.get_object()
        raise PermissionDenied
