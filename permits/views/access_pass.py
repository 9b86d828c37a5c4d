"""大厦出入证: desk and portal pages of the building access passes."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES, MONEY_ROLES
from jinyuan.imports import ImportFailed, SheetUploadForm
from jinyuan.lists import RegisterView
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin
from tenants.access import TenantMemberRequiredMixin

from .. import access_passes as services
from .. import selectors
from ..filters import AccessPassFilter, PortalAccessPassFilter
from ..forms import ACCESS_PASS_SHEET, AccessPassIssueForm, AccessPassReissueForm, AccessPassRequestForm
from ..models import ACCESS_AREA, AccessPass

DESK_ACTIONS = {
    "approve": services.access_pass_approve,
    "refuse": services.access_pass_refuse,
    "report_lost": services.access_pass_report_lost,
    "give_back": services.access_pass_return,
    "cancel": services.access_pass_cancel,
    "withdraw": services.access_pass_withdraw,
}
PORTAL_ACTIONS = {"withdraw": services.access_pass_withdraw, "report_lost": services.access_pass_report_lost}


class AccessPassListView(StaffRequiredMixin, RegisterView):
    template_name = "permits/desk/access_pass_list.html"
    filterset_class = AccessPassFilter
    export_name = gettext_lazy("Access pass register")
    export_columns = (
        (gettext_lazy("Card number"), lambda p: p.card_number),
        (gettext_lazy("Card holder"), lambda p: p.holder_name),
        (gettext_lazy("Department"), lambda p: p.department),
        (gettext_lazy("Mobile"), lambda p: p.masked_mobile),
        (gettext_lazy("Card type"), lambda p: p.get_card_type_display()),
        (gettext_lazy("Company"), lambda p: p.tenant.name),
        (gettext_lazy("Floors"), lambda p: p.floor_labels()),
        (gettext_lazy("Charge"), lambda p: p.get_charge_display()),
        (gettext_lazy("Valid until"), lambda p: p.valid_until),
        (gettext_lazy("Status"), lambda p: p.get_status_display()),
        (gettext_lazy("Requested at"), lambda p: p.created_at),
        (gettext_lazy("Issued at"), lambda p: p.issued_at),
        (gettext_lazy("Lost card numbers"), lambda p: "、".join(p.dead_card_numbers)),
    )

    def get_queryset(self):
        return selectors.access_passes().order_by("-created_at", "-id")

    def annotate_page(self, queryset):
        return selectors.access_pass_rows(queryset)


class AccessPassDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "permits/desk/access_pass_detail.html"
    context_object_name = "access_pass"
    action_services = DESK_ACTIONS

    def get_object(self, queryset=None):
        return selectors.access_pass_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        obj = self.object
        may_desk = self.request.user.has_role(*DESK_ROLES)
        return {
            **super().get_context_data(**kwargs),
            "photo": selectors.access_pass_photo(obj),
            "next_step": obj.desk_next_step,
            "bills": list(selectors.access_pass_bills(obj)) if self.request.user.has_role(*MONEY_ROLES) else None,
            "issue_form": AccessPassIssueForm(initial={"valid_until": obj.valid_until})
            if may_desk and obj.status == AccessPass.Status.APPROVED
            else None,
            "reissue_form": AccessPassReissueForm() if may_desk and obj.status == AccessPass.Status.LOST else None,
        }


class _DeskCardFormView(StaffRequiredMixin, ServiceFormMixin, FormView):
    """Issue or reissue: a card number given by the desk, its errors beside the field."""

    roles = DESK_ROLES
    state = ""

    def load(self, request, *args, **kwargs):
        self.access_pass = selectors.access_pass_for_desk(kwargs["pk"])

    def get(self, request, *args, **kwargs):
        if self.access_pass.status != self.state:
            return redirect("desk:permits:access_pass_detail", pk=self.access_pass.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "access_pass": self.access_pass, "title": self.title}

    def done(self, form):
        raise NotImplementedError

    def run_service(self, form):
        try:
            self.done(form)
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
        return redirect("desk:permits:access_pass_detail", pk=self.access_pass.pk)


class AccessPassIssueView(_DeskCardFormView):
    template_name = "permits/desk/access_pass_form.html"
    form_class = AccessPassIssueForm
    state = AccessPass.Status.APPROVED
    title = gettext_lazy("Issue the card")

    def get_initial(self):
        return {"valid_until": self.access_pass.valid_until}

    def done(self, form):
        obj = services.access_pass_issue(obj=self.access_pass, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Card %(number)s issued.") % {"number": obj.card_number})


class AccessPassReissueView(_DeskCardFormView):
    template_name = "permits/desk/access_pass_form.html"
    form_class = AccessPassReissueForm
    state = AccessPass.Status.LOST
    title = gettext_lazy("Reissue the card")

    def done(self, form):
        obj = services.access_pass_reissue(obj=self.access_pass, by=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("Card %(number)s issued for the lost one; the reissue fee is billed.") % {"number": obj.card_number},
        )


# --- portal ----------------------------------------------------------------------------------------


class PortalAccessPassListView(TenantMemberRequiredMixin, RegisterView):
    template_name = "permits/portal/access_pass_list.html"
    filterset_class = PortalAccessPassFilter
    grant_area = ACCESS_AREA
    paginate_by = 20

    def get_queryset(self):
        return selectors.access_passes_of(self.tenant).order_by("-created_at", "-id")

    def annotate_page(self, queryset):
        return selectors.access_pass_rows(queryset)


class PortalAccessPassDetailView(TenantMemberRequiredMixin, ActionsMixin, DetailView):
    template_name = "permits/portal/access_pass_detail.html"
    context_object_name = "access_pass"
    grant_area = ACCESS_AREA
    action_services = PORTAL_ACTIONS

    def get_object(self, queryset=None):
        return selectors.access_pass_for_tenant(self.kwargs["pk"], self.tenant)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "photo": selectors.access_pass_photo(self.object),
            "next_step": self.object.tenant_next_step,
        }


class PortalAccessPassRequestView(TenantMemberRequiredMixin, ServiceFormMixin, FormView):
    template_name = "permits/portal/access_pass_form.html"
    form_class = AccessPassRequestForm
    grant_area = ACCESS_AREA

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tenant": self.tenant}

    def run_service(self, form):
        obj = services.access_pass_request(tenant=self.tenant, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Your request has been sent to the service center."))
        return redirect("portal:permits:access_pass_detail", pk=obj.pk)


class PortalAccessPassImportView(TenantMemberRequiredMixin, FormView):
    """The Excel list: all rows requested, or none with every row's errors listed."""

    template_name = "permits/portal/access_pass_import.html"
    form_class = SheetUploadForm
    grant_area = ACCESS_AREA

    def form_valid(self, form):
        try:
            passes = services.access_pass_import(
                tenant=self.tenant, by=self.request.user, upload=form.cleaned_data["file"]
            )
        except ImportFailed as exc:
            return self.render_to_response(self.get_context_data(form=form, errors=exc.errors), status=400)
        messages.success(self.request, _("%(n)d card requests sent to the service center.") % {"n": len(passes)})
        return redirect("portal:permits:access_pass_list")


class PortalAccessPassTemplateView(TenantMemberRequiredMixin, View):
    grant_area = ACCESS_AREA

    def get(self, request):
        return ACCESS_PASS_SHEET.template_response(_("Access card list"))
