"""Meters and reading rounds at the desk (抄表), and the tenant's meters in the portal.

The desk and engineering read the meters floor by floor on a phone, or fill in the round's Excel
sheet; the supervisor decides on held readings and confirms the round, which billing then bills.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, TemplateView, View

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import Role
from jinyuan.imports import ImportFailed, SheetUploadForm
from jinyuan.lists import XLSX_TYPE, RegisterView, content_disposition
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, apply_errors

from .. import meter_selectors as selectors
from ..access import TenantMemberRequiredMixin
from ..filters import MeterFilter, ReadingRoundFilter
from ..meter_forms import FloorReadingsForm, MeterReplaceForm, ReadingConfirmForm, RoundOpenForm, round_template
from ..models import Floor, MeterReading
from ..services import meters as services

# Who reads meters: the desk and engineering; the supervisor too, who confirms.
READING_ROLES = (Role.FRONT_DESK, Role.ENGINEERING, Role.SUPERVISOR)


class RoundListView(StaffRequiredMixin, RegisterView):
    """The reading rounds, and the form that opens the month's round of a building."""

    roles = READING_ROLES
    template_name = "tenants/meters/round_list.html"
    filterset_class = ReadingRoundFilter
    paginate_by = 30
    export_name = gettext_lazy("Reading rounds")
    export_columns = (
        (gettext_lazy("Month"), lambda r: f"{r.month:%Y-%m}"),
        (gettext_lazy("Building"), lambda r: r.building.name),
        (gettext_lazy("Status"), lambda r: r.get_status_display()),
        (gettext_lazy("Read"), lambda r: r.read),
        (gettext_lazy("Meters"), lambda r: r.meter_count or 0),
        (gettext_lazy("Held"), lambda r: r.held),
        (gettext_lazy("Billed at"), lambda r: r.billed_at),
    )

    def get_queryset(self):
        return selectors.reading_round_register()

    def annotate_page(self, queryset):
        return selectors.round_rows(queryset)

    open_form: RoundOpenForm | None = None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = self.open_form or RoundOpenForm()
        return ctx

    def post(self, request):
        form = RoundOpenForm(request.POST)
        if form.is_valid():
            try:
                obj = services.round_open(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Reading round opened."))
                return redirect("desk:tenants:round_detail", obj.pk)
        # The register as a GET shows it, with the form's errors beside its fields.
        self.open_form = form
        response = self.get(request)
        response.status_code = 400
        return response


class RoundDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    """The round: progress floor by floor, held readings, the sheet, the supervisor's button."""

    roles = READING_ROLES
    template_name = "tenants/meters/round_detail.html"
    context_object_name = "round"
    action_services = {"confirm": services.round_confirm}

    def get_object(self, queryset=None):
        return selectors.reading_round(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["floors"] = selectors.round_floors(self.object)
        ctx["held"] = selectors.held_readings(self.object)
        ctx["import_form"] = kwargs.get("import_form") or SheetUploadForm()
        ctx["may_confirm_readings"] = self.request.user.has_role(Role.SUPERVISOR)
        return ctx


class RoundFloorView(StaffRequiredMixin, TemplateView):
    """One floor of a round on a phone: a big input per meter with the reading before it."""

    roles = READING_ROLES
    template_name = "tenants/meters/round_floor.html"

    def load(self, request, *args, **kwargs):
        self.round = selectors.reading_round_plain(kwargs["pk"])
        self.floor = get_object_or_404(Floor, pk=kwargs["floor_pk"], building_id=self.round.building_id)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = kwargs.get("form") or FloorReadingsForm(rows=selectors.floor_sheet(self.round, self.floor))
        ctx.update(round=self.round, floor=self.floor, form=form, rows=form.display_rows())
        ctx["next_floor"] = (
            Floor.objects.filter(building_id=self.round.building_id, number__gt=self.floor.number)
            .order_by("number")
            .first()
        )
        return ctx

    def post(self, request, *args, **kwargs):
        form = FloorReadingsForm(request.POST, request.FILES, rows=selectors.floor_sheet(self.round, self.floor))
        if form.is_valid():
            entries = [services.Entry(*e) for e in form.entries()]
            try:
                saved = services.readings_enter(reading_round=self.round, entries=entries, by=request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
                return redirect("desk:tenants:round_detail", self.round.pk)
            else:
                held = sum(1 for r in saved if r.is_held)
                messages.success(
                    request,
                    _("%(count)s readings saved, %(held)s held for the supervisor.")
                    % {"count": len(saved), "held": held},
                )
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RoundImportView(StaffRequiredMixin, FormView):
    roles = READING_ROLES
    template_name = "tenants/meters/round_import.html"
    form_class = SheetUploadForm

    def load(self, request, *args, **kwargs):
        self.round = selectors.reading_round_plain(kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "round": self.round}

    def form_valid(self, form):
        try:
            saved = services.readings_import(
                reading_round=self.round, upload=form.cleaned_data["file"], by=self.request.user
            )
        except ImportFailed as exc:
            return self.render_to_response(self.get_context_data(form=form, errors=exc.errors), status=400)
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
            return redirect("desk:tenants:round_detail", self.round.pk)
        messages.success(self.request, _("%(count)s readings imported.") % {"count": len(saved)})
        return redirect("desk:tenants:round_detail", self.round.pk)


class RoundTemplateView(StaffRequiredMixin, View):
    """The round's sheet to fill in: every live meter of the building with its last reading."""

    roles = READING_ROLES

    def get(self, request, pk):
        obj = selectors.reading_round_plain(pk)
        meters = list(selectors.round_meters(obj))
        facts = selectors.series_facts([m.pk for m in meters], on=selectors.round_day(obj), exclude_round_id=obj.pk)
        rows = [(m, facts[m.pk].previous.value if facts[m.pk].previous else None) for m in meters]
        response = HttpResponse(round_template(obj, rows), content_type=XLSX_TYPE)
        response["Content-Disposition"] = content_disposition(_("Meter readings %(round)s") % {"round": obj})
        return response


class ReadingConfirmView(StaffRequiredMixin, FormView):
    """The supervisor's decision on a held reading."""

    roles = (Role.SUPERVISOR,)
    template_name = "tenants/meters/reading_confirm.html"
    form_class = ReadingConfirmForm

    def load(self, request, *args, **kwargs):
        self.reading = get_object_or_404(
            MeterReading.objects.select_related("meter__unit", "previous", "reading_round__building", "entered_by"),
            pk=kwargs["pk"],
        )

    def get_initial(self):
        return {"value": self.reading.value, "replacement": self.reading.replacement}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "reading": self.reading}

    def form_valid(self, form):
        try:
            services.reading_confirm(reading=self.reading, by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
        else:
            messages.success(self.request, _("Reading confirmed."))
        if self.reading.reading_round_id:
            return redirect("desk:tenants:round_detail", self.reading.reading_round_id)
        return redirect("desk:tenants:meter_detail", self.reading.meter_id)


class MeterReplaceView(StaffRequiredMixin, FormView):
    """Engineering swaps a meter: the old one's final reading, the new one's number and first reading."""

    roles = (Role.ENGINEERING, Role.SUPERVISOR)
    template_name = "tenants/meters/meter_replace.html"
    form_class = MeterReplaceForm

    def load(self, request, *args, **kwargs):
        self.meter = selectors.meter_detail(kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "meter": self.meter}

    def form_valid(self, form):
        try:
            new = services.meter_replace(meter=self.meter, by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
            return redirect("desk:tenants:meter_detail", self.meter.pk)
        messages.success(self.request, _("Meter replaced."))
        return redirect("desk:tenants:meter_detail", new.pk)


class MeterListView(StaffRequiredMixin, RegisterView):
    roles = READING_ROLES
    template_name = "tenants/meters/meter_list.html"
    filterset_class = MeterFilter
    paginate_by = 30
    export_name = gettext_lazy("Meter register")
    export_columns = (
        (gettext_lazy("Building"), lambda m: m.unit.floor.building.name),
        (gettext_lazy("Unit"), lambda m: m.unit.number),
        (gettext_lazy("Kind"), lambda m: m.get_kind_display()),
        (gettext_lazy("Meter number"), lambda m: m.number),
        (gettext_lazy("Multiplier"), lambda m: m.multiplier),
        (gettext_lazy("Latest reading"), lambda m: m.last_value),
        (gettext_lazy("Read on"), lambda m: m.last_read_on),
    )

    def get_queryset(self):
        return selectors.meters()

    def annotate_page(self, queryset):
        return selectors.meter_rows(queryset)


class MeterDetailView(StaffRequiredMixin, DetailView):
    roles = READING_ROLES
    template_name = "tenants/meters/meter_detail.html"
    context_object_name = "meter"

    def get_object(self, queryset=None):
        return selectors.meter_detail(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["readings"] = selectors.meter_readings(self.object)[:60]
        ctx["may_replace"] = self.object.is_active and self.request.user.has_role(Role.ENGINEERING, Role.SUPERVISOR)
        return ctx


# --- the portal ----------------------------------------------------------------------------------


class PortalMeterListView(TenantMemberRequiredMixin, TemplateView):
    template_name = "tenants/meters/portal_meters.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["meters"] = selectors.tenant_meters(self.tenant)
        return ctx


class PortalMeterDetailView(TenantMemberRequiredMixin, DetailView):
    template_name = "tenants/meters/portal_meter.html"
    context_object_name = "meter"

    def get_object(self, queryset=None):
        return selectors.tenant_meter(self.kwargs["pk"], self.tenant)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["readings"] = selectors.meter_readings(self.object, since=self.object.since)[:36]
        return ctx
