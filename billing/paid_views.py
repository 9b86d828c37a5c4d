"""Desk pages of paid services 有偿服务: the one-screen charge, its register and detail, and the
price list as staff see it (ranges, dates, changes to come)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import MONEY_ROLES
from jinyuan.followups.selectors import followups_of
from jinyuan.lists import SUM, RegisterView
from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import apply_errors

from . import paid_services, selectors, services
from .filters import ServiceChargeFilter
from .forms import ServiceChargeForm, collect_lines, paid_line_formsets, tenant_choices


class ServiceChargeCreateView(StaffRequiredMixin, TemplateView):
    """有偿服务收费 in one screen: tenant, lines from the price list, materials, money received;
    one save issues the bill, takes the payment and prints the receipt."""

    roles = MONEY_ROLES
    template_name = "billing/desk/service_charge_form.html"

    def day(self, form=None):
        if form is not None and form.is_bound and form.is_valid():
            return form.cleaned_data["done_on"]
        return timezone.localdate()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if "form" not in ctx:
            ctx["form"] = ServiceChargeForm(initial={"done_on": timezone.localdate()})
            ctx["lines"], ctx["materials"] = paid_line_formsets(day=timezone.localdate())
        ctx["tenant_suggestions"] = [label for label, _tenant in tenant_choices()]
        return ctx

    def post(self, request):
        form = ServiceChargeForm(request.POST)
        lines, materials = paid_line_formsets(request.POST, day=self.day(form))
        line_errors: list[str] = []
        if form.is_valid() and lines.is_valid() and materials.is_valid():
            items, used = collect_lines(lines, materials)
            data = form.cleaned_data
            payment = None
            if data["pay_now"]:
                payment = paid_services.PaidNow(
                    amount=data["amount"],
                    method=data["method"],
                    reference=data["reference"],
                    submission_key=data["submission_key"],
                )
            try:
                charge = paid_services.service_charge(
                    tenant=data["tenant"],
                    items=items,
                    materials=used,
                    title=data["title"],
                    description=data["description"],
                    done_on=data["done_on"],
                    payment=payment,
                    by=request.user,
                )
            except services.DuplicateSubmission as exc:
                charge = paid_services.charge_of_payment(exc.payment)
                messages.warning(request, _("This form was already sent: the service was charged once."))
                if charge is not None:
                    return redirect("desk:billing:service_charge_detail", pk=charge.pk)
                return redirect("desk:billing:payment_detail", pk=exc.payment.pk)
            except TransitionRefused as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "lines" in exc.error_dict:
                    line_errors = [m for e in exc.error_dict.pop("lines") for m in e.messages]
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Charged: %(number)s, bill %(bill)s.") % {"number": charge.number, "bill": charge.bill.number},
                )
                return redirect("desk:billing:service_charge_detail", pk=charge.pk)
        ctx = self.get_context_data(form=form, lines=lines, materials=materials, line_errors=line_errors)
        return self.render_to_response(ctx, status=400)


class ServiceChargeListView(StaffRequiredMixin, RegisterView):
    roles = MONEY_ROLES
    template_name = "billing/desk/service_charge_list.html"
    filterset_class = ServiceChargeFilter
    export_name = gettext_lazy("Paid service register")
    export_columns = (
        (gettext_lazy("Number"), lambda c: c.number),
        (gettext_lazy("Done on"), lambda c: c.done_on),
        (gettext_lazy("Tenant"), lambda c: c.tenant.name),
        (gettext_lazy("Service done"), lambda c: c.title),
        (gettext_lazy("Bill"), lambda c: c.bill.number),
        (gettext_lazy("Total"), lambda c: c.bill.total, SUM),
        (gettext_lazy("Paid"), lambda c: c.bill.paid, SUM),
        (gettext_lazy("Status"), lambda c: c.bill.get_status_display()),
    )

    def get_queryset(self):
        return selectors.service_charges()


class ServiceChargeDetailView(StaffRequiredMixin, DetailView):
    roles = MONEY_ROLES
    template_name = "billing/desk/service_charge_detail.html"
    context_object_name = "charge"

    def get_object(self, queryset=None):
        return selectors.service_charge_detail(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        charge = self.object
        ctx["bill"] = charge.bill
        ctx["payments"] = [a.payment for a in charge.bill.allocations.all()]
        ctx["followups"] = list(followups_of(charge))
        ctx["events"] = timeline(charge)
        source = None
        if charge.source_type_id:
            source = charge.source_type.get_object_for_this_type(pk=charge.source_id)
        ctx["source"] = source
        ctx["source_url"] = getattr(source, "deadline_url", "") if source is not None else ""
        return ctx


class PriceListView(StaffRequiredMixin, TemplateView):
    """The price list as staff see it: what tenants see (ranges, dates in force) and the
    dated prices announced for later."""

    roles = MONEY_ROLES
    template_name = "billing/desk/price_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["today"] = today = timezone.localdate()
        ctx["items"] = selectors.price_list_as_of(today)
        ctx["upcoming"] = selectors.upcoming_prices(today)
        return ctx
