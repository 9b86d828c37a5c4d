"""Desk page of late fees 违约金: the supervisor's waiver of a bill's late fee."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import SUPERVISOR_ROLES
from jinyuan.templatetags.money import format_money
from jinyuan.workflow.views import ServiceFormMixin

from . import latefee_services, latefees, selectors
from .forms import LateFeeWaiverForm


class LateFeeWaiveView(StaffRequiredMixin, ServiceFormMixin, FormView):
    """Waive part or all of a bill's late fee accrued and not yet billed: supervisors only."""

    roles = SUPERVISOR_ROLES
    template_name = "billing/desk/late_fee_waive.html"
    form_class = LateFeeWaiverForm

    def load(self, request, *args, **kwargs):
        self.bill = selectors.bill_detail(kwargs["pk"])

    def get_initial(self):
        return {"amount": self.accrual().due_now}

    def accrual(self) -> latefees.Accrual:
        if not hasattr(self, "_accrual"):
            self._accrual = latefees.accruals_of([self.bill], timezone.localdate())[0]
        return self._accrual

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "bill": self.bill, "late_fee": self.accrual()}

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def run_service(self, form):
        waiver = latefee_services.late_fee_waive(
            bill=self.bill, amount=form.cleaned_data["amount"], reason=form.cleaned_data["reason"], by=self.request.user
        )
        messages.success(self.request, _("Late fee waived: %(amount)s.") % {"amount": format_money(waiver.amount)})
        return redirect("desk:billing:bill_detail", pk=self.bill.pk)
