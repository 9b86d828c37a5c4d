"""公共场地 / 商业文化活动: desk and portal pages of public-space applications and events."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from billing.hooks import BILLS
from billing.models import Customer
from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES, MONEY_ROLES
from jinyuan.documents.pdf import qr_svg
from jinyuan.documents.views import pdf_response
from jinyuan.lists import RegisterView
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin
from tenants import grants
from tenants.access import TenantMemberRequiredMixin
from tenants.models import Tenant

from .. import application_selectors as selectors
from .. import applications as services
from ..application_filters import ApplicationFilter, PortalApplicationFilter
from ..application_forms import ApplicationForm, CheckForm, CloseForm, LicenceForm
from ..models import ON_SITE_ROLES, VENUES_AREA, VenueApplication

DESK_ACTIONS = {
    "security_approve": services.application_security_approve,
    "approve": services.application_approve,
    "reject": services.application_reject,
    "withdraw": services.application_withdraw,
}
PORTAL_ACTIONS = {"withdraw": services.application_withdraw}
PAYER_SEARCH_LIMIT = 20


def _detail_context(app: VenueApplication) -> dict:
    """What both detail pages show: items, bookings, checks with photos, licences, bills."""
    return {
        "items": list(app.items.select_related("fee_item")),
        "bookings": selectors.bookings_of(app),
        "checks": selectors.checks_of(app),
        "licences": selectors.licences_of(app),
        "bills": selectors.bills_of(app),
    }


class ApplicationRegister(RegisterView):
    def annotate_page(self, queryset):
        return queryset.select_related("tenant", "customer")


class ApplicationListView(StaffRequiredMixin, ApplicationRegister):
    template_name = "venues/applications/desk_list.html"
    filterset_class = ApplicationFilter
    export_name = gettext_lazy("Public space and events")
    export_columns = (
        (gettext_lazy("Number"), lambda a: a.number),
        (gettext_lazy("Kind"), lambda a: a.get_kind_display()),
        (gettext_lazy("Title"), lambda a: a.title),
        (gettext_lazy("Payer"), lambda a: a.payer_name),
        (gettext_lazy("Organiser"), lambda a: a.organiser),
        (gettext_lazy("Use from"), lambda a: a.use_start),
        (gettext_lazy("Use until"), lambda a: a.use_end),
        (gettext_lazy("Expected attendance"), lambda a: a.expected_attendance),
        (gettext_lazy("Fees (CNY)"), lambda a: a.fee, "sum"),
        (gettext_lazy("Deposit (CNY)"), lambda a: a.deposit, "sum"),
        (gettext_lazy("Damage deducted (CNY)"), lambda a: a.damage, "sum"),
        (gettext_lazy("Status"), lambda a: a.get_status_display()),
        (gettext_lazy("Applied at"), lambda a: a.created_at),
    )

    def get_queryset(self):
        return selectors.applications().order_by("-use_start", "-id")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["may_apply"] = self.request.user.has_role(*DESK_ROLES)
        payer = (self.request.GET.get("payer_name") or "").strip()[:60]
        ctx["payer_name"] = payer
        if payer and ctx["may_apply"]:
            ctx["companies"] = list(
                Tenant.objects.filter(name__icontains=payer, is_active=True).order_by("name")[:PAYER_SEARCH_LIMIT]
            )
            ctx["customers"] = list(
                Customer.objects.filter(name__icontains=payer, is_active=True).order_by("name")[:PAYER_SEARCH_LIMIT]
            )
        return ctx


class ApplicationDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "venues/applications/desk_detail.html"
    context_object_name = "app"
    action_services = DESK_ACTIONS

    def get_object(self, queryset=None):
        return selectors.application_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(_detail_context(self.object))
        ctx["on_site"] = self.request.user.has_role(*ON_SITE_ROLES)
        ctx["may_pay"] = self.request.user.has_role(*MONEY_ROLES)
        ctx["bill_links"] = "desk:billing:bill_detail" if ctx["may_pay"] else ""
        ctx["may_attach"] = self.request.user.has_role(*DESK_ROLES) and self.object.status in VenueApplication.OPEN
        ctx.setdefault("licence_form", LicenceForm())
        return ctx


class ApplicationSiteView(StaffRequiredMixin, TemplateView):
    """The phone page on site: checks during the use, and the closing check with the damage."""

    template_name = "venues/applications/site.html"
    roles = ON_SITE_ROLES

    def load(self, request, *args, **kwargs):
        self.app = selectors.application_for_desk(kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["app"] = self.app
        ctx.setdefault("check_form", CheckForm())
        ctx.setdefault("close_form", CloseForm())
        ctx["checks"] = selectors.checks_of(self.app)
        ctx["bills"] = selectors.bills_of(self.app)
        return ctx

    def post(self, request, *args, **kwargs):
        app = self.app
        step = request.POST.get("step", "")
        if step not in ("check", "close"):
            raise PermissionDenied
        form_class, key = (CheckForm, "check_form") if step == "check" else (CloseForm, "close_form")
        form = form_class(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(**{key: form}), status=400)
        data = form.cleaned_data
        photos = [data["photo"]] if data.get("photo") else []
        try:
            if step == "check":
                services.application_check(
                    obj=app, by=request.user, in_order=data["in_order"], note=data["note"], photos=photos
                )
                messages.success(request, _("Check recorded."))
            else:
                services.application_close(
                    obj=app, by=request.user, damage=data.get("damage") or 0, note=data["note"], photos=photos
                )
                messages.success(request, _("Closing check recorded: the deposit is settled."))
        except ValidationError as exc:
            for field, errors in getattr(exc, "message_dict", {None: exc.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
            return self.render_to_response(self.get_context_data(**{key: form}), status=400)
        except TransitionRefused as exc:
            messages.warning(request, exc.message)
        return redirect("desk:venues:application_site", pk=app.pk)


class ApplicationPdfView(StaffRequiredMixin, View):
    def get(self, request, pk):
        app = selectors.application_for_desk(pk)
        if not app.document:
            return redirect("desk:venues:application_detail", pk=pk)
        return pdf_response(app.document)


class LicenceMixin:
    """POST a licence to the application (a page of its own: the detail's actions stay apart)."""

    def attach(self, request, app: VenueApplication, back: str):
        form = LicenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.application_add_licence(
                    obj=app, by=request.user, upload=form.cleaned_data["file"], label=form.cleaned_data["label"]
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
            else:
                messages.success(request, _("File attached."))
        else:
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back, pk=app.pk)


class DeskLicenceView(StaffRequiredMixin, LicenceMixin, View):
    roles = DESK_ROLES

    def get(self, request, pk):
        return redirect("desk:venues:application_detail", pk=selectors.application_for_desk(pk).pk)

    def post(self, request, pk):
        return self.attach(request, selectors.application_for_desk(pk), "desk:venues:application_detail")


class ApplicationFormMixin:
    """The application form handed to the service; its errors beside the fields, nothing lost
    (the form comes back filled in)."""

    form_class = ApplicationForm

    def form_valid(self, form):
        kwargs = form.service_kwargs()
        try:
            app = services.application_submit(by=self.request.user, **self.payer_kwargs(), **kwargs)
        except ValidationError as exc:
            form.show_errors(exc)
            return self.form_invalid(form)
        licence = form.cleaned_data.get("licence")
        if licence:
            try:
                services.application_add_licence(obj=app, by=self.request.user, upload=licence)
            except ValidationError as exc:
                messages.warning(self.request, " ".join(exc.messages))
        messages.success(self.request, self.success_message % {"number": app.number})
        return redirect(self.detail_url, pk=app.pk)


class DeskApplicationNewView(StaffRequiredMixin, ApplicationFormMixin, FormView):
    """The desk applies for a company or a customer (a payer who rents no unit)."""

    template_name = "venues/applications/desk_form.html"
    roles = DESK_ROLES
    detail_url = "desk:venues:application_detail"
    success_message = gettext_lazy("Application %(number)s saved: the spaces are held until it is decided.")

    def load(self, request, *args, **kwargs):
        if kwargs["payer"] == "tenant":
            self.payer = get_object_or_404(Tenant, pk=kwargs["pk"], is_active=True)
        else:
            self.payer = get_object_or_404(Customer, pk=kwargs["pk"], is_active=True)

    def payer_kwargs(self) -> dict:
        return {"tenant": self.payer} if isinstance(self.payer, Tenant) else {"customer": self.payer}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "payer": self.payer}


# --- portal ---------------------------------------------------------------------------------------


class PortalApplicationListView(TenantMemberRequiredMixin, ApplicationRegister):
    template_name = "venues/applications/portal_list.html"
    filterset_class = PortalApplicationFilter
    grant_area = VENUES_AREA
    paginate_by = 20

    def get_queryset(self):
        return selectors.applications_of(self.tenant).order_by("-use_start", "-id")


class PortalApplicationNewView(TenantMemberRequiredMixin, ApplicationFormMixin, FormView):
    template_name = "venues/applications/portal_form.html"
    grant_area = VENUES_AREA
    detail_url = "portal:venues:application_detail"
    success_message = gettext_lazy("Application %(number)s sent: the spaces are held until it is decided.")

    def payer_kwargs(self) -> dict:
        return {"tenant": self.tenant}


class PortalApplicationDetailView(TenantMemberRequiredMixin, ActionsMixin, DetailView):
    template_name = "venues/applications/portal_detail.html"
    context_object_name = "app"
    grant_area = VENUES_AREA
    action_services = PORTAL_ACTIONS

    def get_object(self, queryset=None):
        return selectors.application_for_tenant(self.kwargs["pk"], self.tenant)

    def get_context_data(self, **kwargs):
        app = self.object
        ctx = super().get_context_data(**kwargs)
        ctx.update(_detail_context(app))
        ctx["may_attach"] = app.status in VenueApplication.OPEN
        ctx["bill_links"] = "portal:billing:bill_detail" if grants.may_open(self.membership, BILLS) else ""
        ctx.setdefault("licence_form", LicenceForm())
        if app.document and app.status in (VenueApplication.Status.APPROVED, VenueApplication.Status.IN_PROGRESS):
            ctx["qr"] = qr_svg(app.document.verify_url, scale=5)
        return ctx


class PortalLicenceView(TenantMemberRequiredMixin, LicenceMixin, View):
    grant_area = VENUES_AREA

    def get(self, request, pk):
        app = selectors.application_for_tenant(pk, self.tenant)
        return redirect("portal:venues:application_detail", pk=app.pk)

    def post(self, request, pk):
        app = selectors.application_for_tenant(pk, self.tenant)
        return self.attach(request, app, "portal:venues:application_detail")


class PortalApplicationPdfView(TenantMemberRequiredMixin, View):
    grant_area = VENUES_AREA

    def get(self, request, pk):
        app = selectors.application_for_tenant(pk, self.tenant)
        if not app.document:
            return redirect("portal:venues:application_detail", pk=pk)
        return pdf_response(app.document)
