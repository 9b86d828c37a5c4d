"""停车证: desk, portal and gate pages of the parking permits."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES, Role
from jinyuan.documents.models import Document
from jinyuan.documents.views import pdf_response
from jinyuan.lists import RegisterView
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin
from tenants.access import TenantMemberRequiredMixin
from tenants.models import MoveOut, Tenant

from .. import parking
from .. import parking_selectors as selectors
from ..models import ParkingPermit
from ..parking_filters import ParkingPermitFilter, PortalParkingPermitFilter
from ..parking_forms import ParkingApplicationForm, PlateCheckForm, RenewForm
from ..parking_hooks import PARKING_AREA

DESK_ACTIONS = {
    "approve": parking.parking_approve,
    "refuse": parking.parking_refuse,
    "revoke": parking.parking_revoke,
}
# Who checks plates: the guards at the car park's barrier, their supervisors, the desk.
PLATE_CHECK_ROLES = (Role.SECURITY, Role.SUPERVISOR, Role.FRONT_DESK)
TENANT_SEARCH_LIMIT = 10
RENEW = "renew"  # the renewal form's action on the detail pages


def _renew_form(permit: ParkingPermit, data=None) -> RenewForm | None:
    if permit.status != ParkingPermit.Status.ISSUED:
        return None
    return RenewForm(data, initial={"expected_end": permit.end})


def _papers(permit: ParkingPermit) -> dict:
    papers = selectors.papers_of(permit)
    return {
        "permit_papers": [d for d in papers if d.kind == "parking_permit"],
        "notices": [d for d in papers if d.kind == "parking_notice"],
    }


def _renew(request, permit: ParkingPermit, detail: str):
    """The renewal's POST, desk or portal: errors as messages on the record's page."""
    form = RenewForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(detail, pk=permit.pk)
    try:
        parking.parking_renew(
            obj=permit,
            by=request.user,
            months=form.cleaned_data["months"],
            expected_end=form.cleaned_data["expected_end"],
        )
    except TransitionRefused as exc:
        messages.warning(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if permit.is_billed:
            messages.success(
                request,
                _("Renewed until %(day)s; the rent is billed in advance.") % {"day": permit.last_day.isoformat()},
            )
        else:
            messages.success(request, _("Renewed until %(day)s.") % {"day": permit.last_day.isoformat()})
    return redirect(detail, pk=permit.pk)


def _paper(pk: int, tenant=None) -> Document:
    """A permit paper or a written reminder by its id; a portal user's only of its company's
    permits (another's: 404)."""
    paper = get_object_or_404(Document, pk=pk, kind__in=selectors.PAPER_KINDS)
    if tenant is None:
        selectors.parking_for_desk(paper.object_id)
    else:
        selectors.parking_for_tenant(paper.object_id, tenant)
    return paper


# --- desk ------------------------------------------------------------------------------------------


class CompanySearchForm(forms.Form):
    """The register's "new application for a company" search (a name typed, never a list of
    every company)."""

    company = forms.CharField(max_length=100, required=False)


class ParkingListView(StaffRequiredMixin, RegisterView):
    template_name = "permits/desk/parking_list.html"
    filterset_class = ParkingPermitFilter
    export_name = gettext_lazy("Parking permit register")
    export_columns = (
        (gettext_lazy("Number"), lambda p: p.document.number if p.document else ""),
        (gettext_lazy("Plate number"), lambda p: p.plate),
        (gettext_lazy("Vehicle"), lambda p: f"{p.colour} {p.brand} {p.vehicle_model}"),
        (gettext_lazy("Company"), lambda p: p.tenant.name),
        (gettext_lazy("Driver"), lambda p: p.driver_name),
        (gettext_lazy("Space"), lambda p: p.space_text),
        (gettext_lazy("Rental type"), lambda p: p.get_rental_type_display()),
        (gettext_lazy("Monthly fee (CNY)"), lambda p: p.monthly_fee),
        (gettext_lazy("Valid from"), lambda p: p.start),
        (gettext_lazy("Valid until"), lambda p: p.last_day),
        (gettext_lazy("Status"), lambda p: p.get_status_display()),
        (gettext_lazy("Applied at"), lambda p: p.created_at),
    )

    def get_queryset(self):
        # The register shows the paper's number only: its printed data stays in the database.
        return selectors.parking_permits().defer("document__data").order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        search = CompanySearchForm(self.request.GET)
        company = search.cleaned_data["company"] if search.is_valid() else ""
        ctx["company"] = company
        ctx["may_apply"] = self.request.user.has_role(*DESK_ROLES)
        if company and ctx["may_apply"]:
            ctx["companies"] = list(
                Tenant.objects.filter(name__icontains=company, is_active=True).order_by("name")[:TENANT_SEARCH_LIMIT]
            )
        ctx["today"] = timezone.localdate()
        return ctx


class ParkingNewView(StaffRequiredMixin, ServiceFormMixin, FormView):
    """The desk applies for a company (a call, a walk-in): the same form as the portal's."""

    template_name = "permits/desk/parking_form.html"
    form_class = ParkingApplicationForm
    roles = DESK_ROLES

    def load(self, request, *args, **kwargs):
        self.tenant = get_object_or_404(Tenant, pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "company": self.tenant}

    def run_service(self, form):
        try:
            permit = parking.parking_apply(tenant=self.tenant, by=self.request.user, **form.service_kwargs())
        except TransitionRefused as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Application for %(plate)s saved: approve it to issue.") % {"plate": permit.plate}
        )
        return redirect("desk:permits:parking_detail", pk=permit.pk)


class ParkingDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "permits/desk/parking_detail.html"
    context_object_name = "permit"
    action_services = DESK_ACTIONS

    def get_object(self, queryset=None):
        return selectors.parking_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        permit = self.object
        may_renew = self.request.user.has_role(*DESK_ROLES)
        return {
            **super().get_context_data(**kwargs),
            **_papers(permit),
            "files": list(selectors.permit_files(permit)),
            "renew_form": _renew_form(permit) if may_renew else None,
        }

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") != RENEW:
            return super().post(request, *args, **kwargs)
        if not request.user.has_role(*DESK_ROLES):
            raise PermissionDenied
        return _renew(request, self.get_object(), "desk:permits:parking_detail")


class ParkingPaperView(StaffRequiredMixin, View):
    """A permit paper or a written reminder, as PDF."""

    def get(self, request, pk):
        return pdf_response(_paper(pk))


class PlateCheckView(StaffRequiredMixin, TemplateView):
    """The guard types a plate (phone-first): valid (company, space, until), expired (since
    when), unknown. Fixed queries: the check is one query whatever the plate's history."""

    template_name = "permits/gate/plate_check.html"
    roles = PLATE_CHECK_ROLES

    def get(self, request, *args, **kwargs):
        form = PlateCheckForm(request.GET) if "plate" in request.GET else PlateCheckForm()
        result = None
        if form.is_bound and form.is_valid():
            result = selectors.plate_verdict(form.cleaned_data["plate"])
        ctx = self.get_context_data(form=form, result=result, today=timezone.localdate())
        status = 400 if form.is_bound and not form.is_valid() else 200
        return self.render_to_response(ctx, status=status)


class ReasonForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Reason"), max_length=200, initial=gettext_lazy("Moved out"))


class ParkingMoveOutView(StaffRequiredMixin, TemplateView):
    """The move-out checklist's item: every live permit of the leaving company, revoked at once."""

    template_name = "permits/desk/parking_moveout.html"
    roles = DESK_ROLES

    def load(self, request, *args, **kwargs):
        self.move_out = get_object_or_404(MoveOut.objects.select_related("tenant"), pk=kwargs["pk"])

    def live(self):
        return list(
            selectors.parking_permits_of(self.move_out.tenant).filter(status__in=ParkingPermit.LIVE).order_by("plate")
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ReasonForm())
        return super().get_context_data(move_out=self.move_out, permits=self.live(), **kwargs)

    def post(self, request, *args, **kwargs):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if self.move_out.status != MoveOut.Status.OPEN:
            messages.warning(request, _("This move-out is no longer open."))
            return redirect("desk:tenants:moveout_detail", pk=self.move_out.pk)
        count = parking.revoke_permits_of(self.move_out.tenant, by=request.user, reason=form.cleaned_data["note"])
        messages.success(request, _("%(n)d parking permits revoked.") % {"n": count})
        return redirect("desk:tenants:moveout_detail", pk=self.move_out.pk)


# --- portal ----------------------------------------------------------------------------------------


class PortalParkingListView(TenantMemberRequiredMixin, RegisterView):
    template_name = "permits/portal/parking_list.html"
    filterset_class = PortalParkingPermitFilter
    grant_area = PARKING_AREA
    paginate_by = 20

    def get_queryset(self):
        return selectors.parking_permits_of(self.tenant).order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return {
            **super().get_context_data(**kwargs),
            "today": today,
            "soon": today + dt.timedelta(days=selectors.EXPIRING_DAYS),
        }


class PortalParkingNewView(TenantMemberRequiredMixin, ServiceFormMixin, FormView):
    template_name = "permits/portal/parking_form.html"
    form_class = ParkingApplicationForm
    grant_area = PARKING_AREA

    def run_service(self, form):
        try:
            permit = parking.parking_apply(tenant=self.tenant, by=self.request.user, **form.service_kwargs())
        except TransitionRefused as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Your application has been sent to the service center."))
        return redirect("portal:permits:parking_detail", pk=permit.pk)


class PortalParkingDetailView(TenantMemberRequiredMixin, ActionsMixin, DetailView):
    template_name = "permits/portal/parking_detail.html"
    context_object_name = "permit"
    grant_area = PARKING_AREA
    action_services = {"withdraw": parking.parking_withdraw}

    def get_object(self, queryset=None):
        return selectors.parking_for_tenant(self.kwargs["pk"], self.tenant)

    def get_context_data(self, **kwargs):
        permit = self.object
        return {**super().get_context_data(**kwargs), **_papers(permit), "renew_form": _renew_form(permit)}

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") != RENEW:
            return super().post(request, *args, **kwargs)
        return _renew(request, self.get_object(), "portal:permits:parking_detail")


class PortalParkingPaperView(TenantMemberRequiredMixin, View):
    grant_area = PARKING_AREA

    def get(self, request, pk):
        paper = _paper(pk, self.tenant)
        # A revoked permit is not printed again; written reminders stay readable.
        if paper.kind == "parking_permit" and paper.status == Document.Status.REVOKED:
            return redirect("portal:permits:parking_detail", pk=paper.object_id)
        return pdf_response(paper)
