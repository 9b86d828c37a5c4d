from operator import attrgetter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import MONEY_ROLES, SUPERVISOR_ROLES, VOID_ROLES
from jinyuan.documents.views import pdf_response
from jinyuan.lists import SUM, RegisterView
from jinyuan.params import parse_pk, safe_next
from jinyuan.templatetags.money import format_money
from jinyuan.workflow.forms import ActionForm
from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ServiceFormMixin, apply_errors
from tenants.access import TenantMemberRequiredMixin
from tenants.models import MoveIn, MoveOut, Tenant

from . import checklist, latefees, payers, selectors, services
from .filters import BillFilter, DepositFilter, PaymentFilter, PortalBillFilter
from .forms import BillForm, BillLineFormSet, DepositRefundForm, PaymentForm
from .hooks import BILLS
from .models import ZERO, Bill
from .services import LineSpec
from .utilities import utility_context


def late_fee_context(bill) -> dict:
    """A bill's late fee (违约金) so far, or for a late-fee bill what it bills (desk and portal)."""
    ctx = {"late_fee": latefees.accruals_of([bill], timezone.localdate())[0], "late_fee_lines": []}
    if bill.is_late_fee_bill:
        ctx["late_fee_lines"] = list(bill.late_fees_billed.select_related("source_bill").order_by("id"))
    return ctx


class BillListView(StaffRequiredMixin, RegisterView):
    roles = MONEY_ROLES
    template_name = "billing/desk/bill_list.html"
    filterset_class = BillFilter
    export_name = gettext_lazy("Bill ledger")

    @property
    def export_columns(self):
        """What a finance office reads in a ledger, from the named rows of
        selectors.bill_ledger_rows: one statement, one cursor, whatever the ledger's length."""
        # Labels made once in the reader's language: get_status_display rebuilds the choices
        # on every call, 88,000 times in the whole ledger.
        status = {value: str(label) for value, label in Bill.Status.choices}
        kinds = {value: str(label) for value, label in payers.KIND_CHOICES}
        return (
            (gettext_lazy("Number"), attrgetter("number")),
            (gettext_lazy("Payer"), attrgetter("payer_name")),
            (gettext_lazy("Units"), attrgetter("unit_numbers")),
            (gettext_lazy("Title"), attrgetter("title")),
            (gettext_lazy("Period from"), attrgetter("period_start")),
            (gettext_lazy("Period until"), attrgetter("period_end")),
            (gettext_lazy("Issued on"), attrgetter("issued_on")),
            (gettext_lazy("Due date"), attrgetter("due_date")),
            (gettext_lazy("Total"), attrgetter("total"), SUM),
            (gettext_lazy("Paid"), attrgetter("paid"), SUM),
            (gettext_lazy("Outstanding"), attrgetter("outstanding"), SUM),
            (gettext_lazy("Status"), lambda b: status[b.status]),
            (gettext_lazy("Late fee billed"), attrgetter("late_fee_billed"), SUM),
            (gettext_lazy("Payer kind"), lambda b: kinds[b.payer_kind]),
        )

    def get_queryset(self):
        return selectors.bills()

    def export_queryset(self, queryset):
        return selectors.bill_ledger_rows(queryset)


class BillDetailView(StaffRequiredMixin, DetailView):
    roles = MONEY_ROLES
    template_name = "billing/desk/bill_detail.html"
    context_object_name = "bill"

    def get_object(self, queryset=None):
        return selectors.bill_detail(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["events"] = timeline(self.object)
        ctx["may_void"] = (
            self.request.user.has_role(*VOID_ROLES)
            and self.object.status == "open"
            and not self.object.paid
            and not self.object.is_late_fee_bill
        )
        ctx.update(late_fee_context(self.object))
        ctx["may_waive"] = self.request.user.has_role(*SUPERVISOR_ROLES) and ctx["late_fee"].due_now > 0
        ctx.update(utility_context(self.object))
        ctx.setdefault("void_form", ActionForm(initial={"action": "void"}, needs_note=True))
        return ctx

    def post(self, request, pk):
        self.object = bill = self.get_object()
        if not request.user.has_role(*VOID_ROLES):
            raise PermissionDenied
        form = ActionForm(request.POST, needs_note=True)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(void_form=form), status=400)
        try:
            services.bill_void(bill=bill, by=request.user, reason=form.cleaned_data["note"])
            messages.success(request, _("The bill has been voided."))
        except TransitionRefused as exc:
            messages.warning(request, exc.message)
        return redirect("desk:billing:bill_detail", pk=pk)


class BillCreateView(StaffRequiredMixin, TemplateView):
    """An ad-hoc bill: a paid service, a damage charge, a signboard."""

    roles = MONEY_ROLES
    template_name = "billing/desk/bill_form.html"

    def load(self, request, *args, **kwargs):
        self.tenant = get_object_or_404(Tenant, pk=kwargs["tenant_pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tenant"] = self.tenant
        ctx["payer"] = payers.as_payer(self.tenant)  # a tenant, or a customer (customer_views)
        ctx.setdefault("form", BillForm())
        ctx.setdefault("formset", BillLineFormSet(prefix="lines"))
        return ctx

    def post(self, request, tenant_pk):
        form = BillForm(request.POST)
        formset = BillLineFormSet(request.POST, prefix="lines")
        if form.is_valid() and formset.is_valid():
            lines = [
                LineSpec(
                    fee_item=f.cleaned_data["fee_item"],
                    description=f.cleaned_data["description"],
                    quantity=f.cleaned_data["quantity"],
                    unit_price=f.cleaned_data["unit_price"],
                )
                for f in formset
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            try:
                bill = services.bill_create(tenant=self.tenant, by=request.user, lines=lines, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Bill %(number)s issued.") % {"number": bill.number})
                return redirect("desk:billing:bill_detail", pk=bill.pk)
        return self.render_to_response(self.get_context_data(form=form, formset=formset), status=400)


class PaymentListView(StaffRequiredMixin, RegisterView):
    roles = MONEY_ROLES
    template_name = "billing/desk/payment_list.html"
    filterset_class = PaymentFilter
    export_name = gettext_lazy("Payment ledger")
    export_columns = (
        (gettext_lazy("Receipt"), lambda p: p.receipt.number if p.receipt else ""),
        (gettext_lazy("Payer"), lambda p: p.payer.name),
        (gettext_lazy("Amount"), lambda p: p.amount),
        (gettext_lazy("Allocated to bills"), lambda p: p.allocated),
        (gettext_lazy("Method"), lambda p: p.get_method_display()),
        (gettext_lazy("Reference"), lambda p: p.reference),
        (gettext_lazy("Received at"), lambda p: p.received_at),
        (gettext_lazy("Received by"), lambda p: str(p.received_by)),
        (gettext_lazy("Payer kind"), lambda p: p.payer.kind_label),
    )

    def get_queryset(self):
        return selectors.payments()


class PaymentCreateView(StaffRequiredMixin, ServiceFormMixin, FormView):
    roles = MONEY_ROLES
    template_name = "billing/desk/payment_form.html"
    form_class = PaymentForm

    def load(self, request, *args, **kwargs):
        self.tenant = get_object_or_404(Tenant, pk=kwargs["tenant_pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tenant": self.tenant}

    def get_initial(self):
        bill_id = parse_pk(self.request.GET.get("bill"))
        if bill_id is not None:
            bill = selectors.bills_of(self.tenant).filter(pk=bill_id).first()
            if bill:
                return {"bills": [bill.pk], "amount": bill.outstanding}
        return {}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tenant"] = self.tenant
        ctx["payer"] = payers.as_payer(self.tenant)  # a tenant, or a customer (customer_views)
        ctx["balance"] = selectors.tenant_balance(self.tenant)
        ctx["next"] = safe_next(self.request)
        return ctx

    def run_service(self, form):
        data = form.cleaned_data
        try:
            payment = services.payment_record(
                tenant=self.tenant,
                amount=data["amount"],
                method=data["method"],
                reference=data["reference"],
                note=data["note"],
                bills=list(data["bills"]) or None,
                by=self.request.user,
                submission_key=data["submission_key"],
            )
        except services.DuplicateSubmission as exc:
            messages.warning(
                self.request,
                _("This form was already sent: the payment was recorded once, receipt %(number)s.")
                % {"number": exc.payment.receipt.number},
            )
            return redirect("desk:billing:payment_detail", pk=exc.payment.pk)
        messages.success(
            self.request,
            _("Payment recorded: receipt %(number)s, %(amount)s.")
            % {"number": payment.receipt.number, "amount": format_money(payment.amount)},
        )
        return redirect(safe_next(self.request) or reverse("desk:billing:payment_detail", args=[payment.pk]))


class PaymentDetailView(StaffRequiredMixin, DetailView):
    roles = MONEY_ROLES
    template_name = "billing/desk/payment_detail.html"
    context_object_name = "payment"

    def get_object(self, queryset=None):
        return selectors.payment_detail(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["events"] = timeline(self.object)
        return ctx


class ReceiptPdfView(StaffRequiredMixin, View):
    roles = MONEY_ROLES

    def get(self, request, pk):
        payment = selectors.payment_detail(pk)
        if not payment.receipt:
            raise Http404
        return pdf_response(payment.receipt)


class DepositListView(StaffRequiredMixin, RegisterView):
    roles = MONEY_ROLES
    template_name = "billing/desk/deposit_list.html"
    filterset_class = DepositFilter
    export_name = gettext_lazy("Deposit ledger")
    export_columns = (
        (gettext_lazy("Payer"), lambda d: d.payer.name),
        (gettext_lazy("Deposit"), lambda d: d.fee_item.name),
        (gettext_lazy("Entry"), lambda d: d.get_kind_display()),
        (gettext_lazy("Amount"), lambda d: d.signed_amount),
        (gettext_lazy("Reason"), lambda d: d.reason),
        (gettext_lazy("Recorded at"), lambda d: d.created_at),
        (gettext_lazy("Payer kind"), lambda d: d.payer.kind_label),
    )

    def get_queryset(self):
        return selectors.deposit_entries()


class AccountView(StaffRequiredMixin, DetailView):
    """A tenant's account: what it owes, its credit and deposits, recent bills and payments."""

    roles = MONEY_ROLES
    template_name = "billing/desk/account.html"
    context_object_name = "tenant"

    def get_object(self, queryset=None):
        return get_object_or_404(Tenant, pk=self.kwargs["tenant_pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        tenant = self.object
        ctx["balance"] = selectors.tenant_balance(tenant)
        ctx["late_fees"] = latefees.summary(tenant)
        ctx["bills"] = selectors.bills_of(tenant)[:24]
        ctx["payments"] = selectors.payments_of(tenant)[:12]
        ctx["deposits"] = selectors.deposits_of(tenant)[:20]
        return ctx


class PortalBillingView(TenantMemberRequiredMixin, RegisterView):
    grant_area = BILLS
    template_name = "billing/portal/home.html"
    filterset_class = PortalBillFilter
    paginate_by = 12

    def get_queryset(self):
        return selectors.bills_of(self.tenant)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["balance"] = selectors.tenant_balance(self.tenant)
        ctx["late_fees"] = late_fees = latefees.summary(self.tenant)
        # Each overdue bill of the page shows its late fee so far (the summary read them all).
        ctx["object_list"] = rows = list(ctx["object_list"])
        for bill in rows:
            bill.late_fee = late_fees.by_bill.get(bill.pk)
        ctx["payments"] = selectors.payments_of(self.tenant)[:10]
        ctx["deposits"] = selectors.deposits_of(self.tenant)[:10]
        return ctx


class PortalBillDetailView(TenantMemberRequiredMixin, DetailView):
    grant_area = BILLS
    template_name = "billing/portal/bill_detail.html"
    context_object_name = "bill"

    def get_object(self, queryset=None):
        return selectors.bill_detail(self.kwargs["pk"], tenant=self.tenant)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **late_fee_context(self.object), **utility_context(self.object)}


class PortalReceiptPdfView(TenantMemberRequiredMixin, View):
    grant_area = BILLS

    def get(self, request, pk):
        payment = selectors.payment_detail(pk, tenant=self.tenant)
        if not payment.receipt:
            raise Http404
        return pdf_response(payment.receipt)


class MoveInChargesView(StaffRequiredMixin, TemplateView):
    """Preview of a move-in's first charges (prorated fee, deposits) and the button to bill them."""

    roles = MONEY_ROLES
    template_name = "billing/desk/movein_charges.html"

    def load(self, request, *args, **kwargs):
        self.move_in = get_object_or_404(MoveIn.objects.select_related("tenant"), pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        lines = checklist.first_charge_lines(self.move_in)
        ctx.update(move_in=self.move_in, lines=lines, total=sum((x.amount for x in lines), ZERO))
        return ctx

    def post(self, request, pk):
        if self.move_in.status != MoveIn.Status.OPEN:
            messages.warning(request, _("This move-in is no longer in progress."))
            return redirect("desk:tenants:movein_detail", pk=pk)
        try:
            bill = checklist.bill_first_charges(move_in=self.move_in, by=request.user)
        except (TransitionRefused, ValidationError) as exc:
            messages.warning(request, getattr(exc, "message", None) or " ".join(exc.messages))
            return redirect("desk:tenants:movein_detail", pk=pk)
        messages.success(
            request, _("Bill issued: %(number)s %(total)s") % {"number": bill.number, "total": format_money(bill.total)}
        )
        back = reverse("desk:tenants:movein_detail", args=[pk])
        query = urlencode({"bill": bill.pk, "next": back})
        return redirect(reverse("desk:billing:payment_new", args=[self.move_in.tenant_id]) + f"?{query}")


class MoveOutDepositView(StaffRequiredMixin, FormView):
    """The supervisor settles the deposit at move-out: deductions with reasons, the rest refunded."""

    roles = SUPERVISOR_ROLES
    template_name = "billing/desk/deposit_refund.html"
    form_class = DepositRefundForm

    def load(self, request, *args, **kwargs):
        self.move_out = get_object_or_404(MoveOut.objects.select_related("tenant"), pk=kwargs["pk"])

    def get_initial(self):
        return {"refund": selectors.deposit_due(self.move_out)}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["move_out"] = self.move_out
        ctx["held"] = selectors.deposit_balance(self.move_out.tenant)
        ctx["due"] = selectors.deposit_due(self.move_out)
        ctx["entries"] = selectors.deposits_of(self.move_out.tenant)
        return ctx

    def form_valid(self, form):
        if self.move_out.status != MoveOut.Status.OPEN:
            form.add_error(None, _("This move-out is no longer in progress."))
            return self.form_invalid(form)
        try:
            services.deposit_refund(
                tenant=self.move_out.tenant,
                refund=form.cleaned_data["refund"],
                deductions=form.deductions(),
                by=self.request.user,
                source_key=f"moveout:{self.move_out.pk}",
                portion=selectors.deposit_due(self.move_out),
            )
        except ValidationError as exc:
            # The deductions are three pairs of fields; their error goes beside the first.
            if "deductions" in getattr(exc, "error_dict", {}):
                form.add_error("deduction_1", exc.error_dict.pop("deductions"))
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The deposit has been settled."))
        return redirect("desk:tenants:moveout_detail", pk=self.move_out.pk)


class PortalPriceListView(TenantMemberRequiredMixin, TemplateView):
    """收费标准 (明码标价): every tenant user sees the price list in force today, by kind."""

    template_name = "billing/portal/price_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = timezone.localdate()
        ctx["items"] = selectors.price_list_as_of(ctx["today"])
        return ctx
