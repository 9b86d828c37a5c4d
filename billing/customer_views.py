"""Desk pages of customers (客户): payers who are not tenants (billing.payers). Their register,
the form, the page with their bills, payments, deposits, balance and timeline, and the money
pages (a bill, a payment with its receipt, a deposit taken and refunded, a statement). Thin:
the tenant's own pages do the same with ``payer`` in place of ``tenant``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import MONEY_ROLES, SUPERVISOR_ROLES
from jinyuan.lists import RegisterView
from jinyuan.templatetags.money import format_money
from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.views import ServiceFormMixin, apply_errors

from . import customer_services, selectors, services, statement_views
from .filters import CustomerFilter
from .forms import CustomerForm, DepositRefundForm, DepositTakeForm
from .models import Customer
from .views import BillCreateView, PaymentCreateView


class CustomerListView(StaffRequiredMixin, RegisterView):
    roles = MONEY_ROLES
    template_name = "billing/desk/customer_list.html"
    filterset_class = CustomerFilter
    export_name = gettext_lazy("Customer register")
    export_columns = (
        (gettext_lazy("Name"), lambda c: c.name),
        (gettext_lazy("Unified social credit code"), lambda c: c.credit_code),
        (gettext_lazy("Contact person"), lambda c: c.contact_person),
        (gettext_lazy("Phone"), lambda c: c.phone),
        (gettext_lazy("Address"), lambda c: c.address),
        (gettext_lazy("Active"), lambda c: _("Yes") if c.is_active else _("No")),
        (gettext_lazy("Registered at"), lambda c: c.created_at),
    )

    def get_queryset(self):
        return selectors.customers()


class CustomerFormView(StaffRequiredMixin, ServiceFormMixin, FormView):
    """New customer, or a customer's details changed (``pk`` in the URL)."""

    roles = MONEY_ROLES
    template_name = "billing/desk/customer_form.html"
    form_class = CustomerForm

    def load(self, request, *args, **kwargs):
        self.customer = get_object_or_404(Customer, pk=kwargs["pk"]) if "pk" in kwargs else None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.customer is not None:
            # The form's own copy: validating a ModelForm writes into its instance, and the
            # service compares the customer as stored with what was sent.
            kwargs["instance"] = Customer.objects.get(pk=self.customer.pk)
        return kwargs

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "customer": self.customer}

    def run_service(self, form):
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        if self.customer is None:
            customer = customer_services.customer_create(by=self.request.user, **data)
            messages.success(self.request, _("Customer %(name)s registered.") % {"name": customer.name})
        else:
            customer = customer_services.customer_update(customer=self.customer, by=self.request.user, **data)
            messages.success(self.request, _("The customer's details have been saved."))
        return redirect("desk:billing:customer_detail", pk=customer.pk)


class CustomerDetailView(StaffRequiredMixin, DetailView):
    """A customer's page: details, balance, bills, payments, deposits and timeline."""

    roles = MONEY_ROLES
    template_name = "billing/desk/customer_detail.html"
    context_object_name = "customer"

    def get_object(self, queryset=None):
        return selectors.customer_detail(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        customer = self.object
        ctx["balance"] = selectors.tenant_balance(customer)
        ctx["bills"] = selectors.bills_of(customer)[:24]
        ctx["payments"] = selectors.payments_of(customer)[:12]
        ctx["deposits"] = selectors.deposits_of(customer)[:20]
        ctx["events"] = timeline(customer)
        return ctx


class CustomerMixin:
    """The money pages of tenants, for a customer: ``self.tenant`` is the payer. Listed before
    StaffRequiredMixin, whose own ``load`` does nothing (it calls ``load`` after its checks)."""

    def load(self, request, *args, **kwargs):
        self.tenant = get_object_or_404(Customer, pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "customer": self.tenant}


class CustomerBillCreateView(CustomerMixin, BillCreateView):
    """An ad-hoc bill to a customer (a venue's fee, an event's services)."""

    def post(self, request, pk):
        return super().post(request, tenant_pk=None)


class CustomerPaymentCreateView(CustomerMixin, PaymentCreateView):
    """Money received from a customer: its bills paid, a receipt in its name."""


class DepositTakeView(CustomerMixin, StaffRequiredMixin, ServiceFormMixin, FormView):
    """A customer's deposit taken: a bill of the deposit, paid at once, with a receipt."""

    roles = MONEY_ROLES
    template_name = "billing/desk/deposit_take.html"
    form_class = DepositTakeForm

    def run_service(self, form):
        data = form.cleaned_data
        try:
            _bill, payment = customer_services.deposit_take(payer=self.tenant, by=self.request.user, **data)
        except services.DuplicateSubmission as exc:
            messages.warning(self.request, _("This form was already sent: the payment was recorded once."))
            return redirect("desk:billing:payment_detail", pk=exc.payment.pk)
        messages.success(
            self.request,
            _("Deposit taken: receipt %(number)s, %(amount)s.")
            % {"number": payment.receipt.number, "amount": format_money(payment.amount)},
        )
        return redirect("desk:billing:payment_detail", pk=payment.pk)


class DepositSettleView(CustomerMixin, StaffRequiredMixin, FormView):
    """The supervisor settles a customer's deposit (after the event): deductions with reasons,
    the rest refunded; as a tenant's at move-out."""

    roles = SUPERVISOR_ROLES
    template_name = "billing/desk/customer_deposit_refund.html"
    form_class = DepositRefundForm

    def get_initial(self):
        return {"refund": selectors.deposit_balance(self.tenant)}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["held"] = selectors.deposit_balance(self.tenant)
        ctx["entries"] = selectors.deposits_of(self.tenant)
        return ctx

    def form_valid(self, form):
        try:
            services.deposit_refund(
                payer=self.tenant,
                refund=form.cleaned_data["refund"],
                deductions=form.deductions(),
                by=self.request.user,
            )
        except ValidationError as exc:
            if "deductions" in getattr(exc, "error_dict", {}):
                form.add_error("deduction_1", exc.error_dict.pop("deductions"))
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The deposit has been settled."))
        return redirect("desk:billing:customer_detail", pk=self.tenant.pk)


class CustomerStatementMixin(statement_views.DeskStatementMixin):
    page_name = "desk:billing:customer_statement"
    pdf_name = "desk:billing:customer_statement_pdf"

    def load(self, request, *args, **kwargs):
        self.tenant = get_object_or_404(Customer, pk=kwargs["pk"])


class CustomerStatementView(CustomerStatementMixin, statement_views.StatementMixin, TemplateView):
    """A customer's statement (对账单): the same ledger as a tenant's."""


class CustomerStatementPdfView(CustomerStatementMixin, statement_views.PdfMixin, TemplateView):
    pass
