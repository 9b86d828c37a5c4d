"""Move-in and move-out on one screen each, and signboards: desk views."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.lists import RegisterView
from jinyuan.params import parse_pk, safe_next
from jinyuan.templatetags.money import format_money
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.steps import remember_steps
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin, apply_errors

from .. import checklists, selectors, services
from ..filters import MoveInFilter, MoveOutFilter, SignboardFilter
from ..forms import (
    AgreementForm,
    ArchiveUploadForm,
    FinalInspectionForm,
    HandoverForm,
    InspectionForm,
    MoveInOpenForm,
    MoveInStartForm,
    MoveOutForm,
    SignboardForm,
)
from ..models import Building, Tenant

# Suggestions in the move-in form's unit picker; the vacant-unit register lists them all.
VACANT_SUGGESTIONS = 500


@dataclass(frozen=True)
class Step:
    form: type[forms.Form]
    # run(obj, row, data, user) -> the message that says what was done ("" : "Saved.")
    run: Callable[..., str | None]
    per_row: bool = False


class ProcessDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    """A move-in or move-out: its checklist with the inline form of each item, the timeline,
    and the supervisor's final action. A step POST with bad input re-renders the page with
    the errors beside the fields of that step."""

    process = ""
    steps: dict[str, Step] = {}

    def get_context_data(self, **kwargs):
        # The checklist shown and the buttons' condition (checklist complete) read the same rows.
        remember_steps(self.object)
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        rows = checklists.evaluate(self.process, obj)
        failed = kwargs.get("failed")  # (step, row_id, bound form)
        step_forms: dict[str, Any] = {}
        for name, step in self.steps.items():
            if step.per_row:
                step_forms[name] = {
                    row.pk: (failed[2] if failed and failed[0] == name and failed[1] == row.pk else step.form())
                    for row in obj.units.all()
                }
            else:
                step_forms[name] = failed[2] if failed and failed[0] == name else step.form()
        ctx.update(
            checklist=checklists.Progress(rows),
            step_forms=step_forms,
            failed_step=failed[0] if failed else "",
            may_edit=obj.status == "open" and self.request.user.has_role(*DESK_ROLES),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        name = request.POST.get("step")
        if not name:
            return super().post(request, *args, **kwargs)
        self.object = obj = self.get_object()
        if name not in self.steps or not request.user.has_role(*DESK_ROLES):
            raise PermissionDenied
        step = self.steps[name]
        row = None
        if step.per_row:
            row = next((r for r in obj.units.all() if str(r.pk) == request.POST.get("row")), None)
            if row is None:
                raise Http404
        form = step.form(request.POST, request.FILES)
        if form.is_valid():
            try:
                done = step.run(obj, row, form.cleaned_data, request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
                return redirect(request.path)
            else:
                messages.success(request, done or _("Saved."))
                return redirect(request.path)
        failed = (name, row.pk if row else None, form)
        return self.render_to_response(self.get_context_data(object=obj, failed=failed), status=400)


# ---------------------------------------------------------------- move-in


class MoveInListView(StaffRequiredMixin, RegisterView):
    template_name = "tenants/desk/movein_list.html"
    filterset_class = MoveInFilter
    export_name = gettext_lazy("Move-in register")
    export_columns = (
        (gettext_lazy("Tenant"), lambda m: m.tenant.name),
        (gettext_lazy("Lease start"), lambda m: m.start_date),
        (gettext_lazy("Units"), lambda m: m.unit_numbers),
        (gettext_lazy("Status"), lambda m: m.get_status_display()),
        (gettext_lazy("Opened at"), lambda m: m.created_at),
    )

    def get_queryset(self):
        return selectors.move_in_register()

    def annotate_page(self, queryset):
        return selectors.process_rows(queryset)


class TenantFormView(StaffRequiredMixin, ServiceFormMixin, FormView):
    """A desk form that starts something for one tenant: ``start(tenant=, by=, **cleaned_data)``
    creates the record, whose detail page (``detail_url``) follows."""

    roles = DESK_ROLES
    start: Callable[..., Any]
    detail_url = ""
    done_message = ""  # the success message; "%(record)s" is the new record

    def load(self, request, *args, **kwargs):
        self.tenant = get_object_or_404(Tenant, pk=kwargs["tenant_pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "tenant": self.tenant, "next": safe_next(self.request)}

    def start_kwargs(self, form) -> dict:
        return form.cleaned_data

    def run_service(self, form):
        record = type(self).start(tenant=self.tenant, by=self.request.user, **self.start_kwargs(form))
        if self.done_message:
            messages.success(self.request, self.done_message % {"record": record})
        # A form reached from a checklist (a signboard from the move-in) returns to it.
        return redirect(safe_next(self.request) or reverse(self.detail_url, args=[record.pk]))


class MoveInStartView(StaffRequiredMixin, FormView):
    """Start a move-in: which company (or register a new one, which comes back here chosen)."""

    roles = DESK_ROLES
    template_name = "tenants/desk/movein_start.html"
    form_class = MoveInStartForm

    def form_valid(self, form):
        return redirect("desk:tenants:movein_new", tenant_pk=form.cleaned_data["tenant"].pk)


class MoveInCreateView(TenantFormView):
    template_name = "tenants/desk/movein_form.html"
    form_class = MoveInOpenForm
    start = staticmethod(services.movein_open)
    detail_url = "desk:tenants:movein_detail"

    def get_context_data(self, **kwargs):
        # The picker: the vacant units' numbers as suggestions for the units field.
        vacant = selectors.vacant_units().values_list("number", flat=True)[:VACANT_SUGGESTIONS]
        return {**super().get_context_data(**kwargs), "vacant_numbers": list(vacant)}


def _upload(obj, row, data, user):
    file = services.archive_upload(
        tenant=obj.tenant, kind=data["kind"], upload=data["file"], title=data["title"], by=user
    )
    return _("Filed in the archive: %(file)s") % {"file": file.label or file.kind_label}


def _agreement(obj, row, data, user):
    services.movein_record_agreement(
        move_in=obj,
        signed_on=data["signed_on"],
        signer=data["signer"],
        upload=data.get("file"),
        late_fee_daily_rate=data.get("late_fee_daily_rate"),
        late_fee_grace_days=data.get("late_fee_grace_days") or 0,
        by=user,
    )
    return _("Agreement recorded: signed on %(date)s.") % {"date": data["signed_on"].isoformat()}


def _handover(obj, row, data, user):
    services.movein_record_handover(row=row, keys=data["keys"], by=user)
    return _("%(unit)s: %(keys)d keys handed over.") % {"unit": row.unit.number, "keys": data["keys"]}


def _inspection(obj, row, data, user):
    services.movein_record_inspection(
        row=row,
        water=data["water"],
        electricity=data["electricity"],
        condition=data["condition"],
        photo=data.get("photo"),
        by=user,
    )
    return _("%(unit)s: handover inspection recorded.") % {"unit": row.unit.number}


def _no_signboard(obj, row, data, user):
    services.movein_skip_signboard(move_in=obj, by=user)
    return _("Recorded: no signboard wanted.")


class MoveInDetailView(ProcessDetailView):
    template_name = "tenants/desk/movein_detail.html"
    context_object_name = "move_in"
    process = checklists.MOVE_IN
    action_services = {"confirm": services.movein_confirm, "cancel": services.movein_cancel}
    steps = {
        "documents": Step(ArchiveUploadForm, _upload),
        "agreement": Step(AgreementForm, _agreement),
        "handover": Step(HandoverForm, _handover, per_row=True),
        "inspection": Step(InspectionForm, _inspection, per_row=True),
        "signboard": Step(forms.Form, _no_signboard),
    }

    def get_object(self, queryset=None):
        return selectors.movein_detail(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["archive"] = selectors.archive_of(self.object.tenant, include_voided=False)
        return ctx


# ---------------------------------------------------------------- move-out


class MoveOutListView(StaffRequiredMixin, RegisterView):
    template_name = "tenants/desk/moveout_list.html"
    filterset_class = MoveOutFilter
    export_name = gettext_lazy("Move-out register")
    export_columns = (
        (gettext_lazy("Tenant"), lambda m: m.tenant.name),
        (gettext_lazy("Planned move-out date"), lambda m: m.planned_date),
        (gettext_lazy("Units"), lambda m: m.unit_numbers),
        (gettext_lazy("Status"), lambda m: m.get_status_display()),
        (gettext_lazy("Opened at"), lambda m: m.created_at),
    )

    def get_queryset(self):
        return selectors.move_out_register()

    def annotate_page(self, queryset):
        return selectors.process_rows(queryset)


class MoveOutCreateView(TenantFormView):
    template_name = "tenants/desk/moveout_form.html"
    form_class = MoveOutForm
    start = staticmethod(services.moveout_open)
    detail_url = "desk:tenants:moveout_detail"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tenant": self.tenant}


def _return(obj, row, data, user):
    services.moveout_record_return(row=row, keys=data["keys"], by=user)
    return _("%(unit)s: %(keys)d keys returned.") % {"unit": row.unit.number, "keys": data["keys"]}


def _final_inspection(obj, row, data, user):
    row = services.moveout_record_inspection(
        row=row,
        water=data["water"],
        electricity=data["electricity"],
        damage=data["damage"],
        damage_charge=data.get("damage_charge") or 0,
        by=user,
    )
    done = _("%(unit)s: final inspection recorded.") % {"unit": row.unit.number}
    # The damage charge is billed by billing's receiver: say so, with the bill's number.
    for bill in row.bills:
        done += " " + _("Bill issued: %(number)s %(total)s") % {
            "number": bill.number,
            "total": format_money(bill.total),
        }
    return done


class MoveOutDetailView(ProcessDetailView):
    template_name = "tenants/desk/moveout_detail.html"
    context_object_name = "move_out"
    process = checklists.MOVE_OUT
    action_services = {"complete": services.moveout_complete}
    action_names = ("cancel",)
    steps = {
        "return": Step(HandoverForm, _return, per_row=True),
        "inspection": Step(FinalInspectionForm, _final_inspection, per_row=True),
    }

    def get_object(self, queryset=None):
        return selectors.moveout_detail(self.kwargs["pk"])


# ---------------------------------------------------------------- signboards


class SignboardListView(StaffRequiredMixin, RegisterView):
    template_name = "tenants/desk/signboard_list.html"
    filterset_class = SignboardFilter
    export_name = gettext_lazy("Signboard register")
    export_columns = (
        (gettext_lazy("Tenant"), lambda s: s.tenant.name),
        (gettext_lazy("Text"), lambda s: s.text),
        (gettext_lazy("Position"), lambda s: s.location),
        (gettext_lazy("Status"), lambda s: s.get_status_display()),
        (gettext_lazy("Installed on"), lambda s: s.installed_on),
    )

    def get_queryset(self):
        return selectors.signboards()


class SignboardCreateView(TenantFormView):
    template_name = "tenants/desk/signboard_form.html"
    form_class = SignboardForm
    start = staticmethod(services.signboard_order)
    detail_url = "desk:tenants:signboard_detail"
    done_message = gettext_lazy("Signboard ordered: %(record)s")

    def load(self, request, *args, **kwargs):
        super().load(request, *args, **kwargs)
        replaces = parse_pk(request.GET.get("replaces"))
        self.replaces = (
            selectors.signboards().filter(tenant=self.tenant, pk=replaces).first() if replaces is not None else None
        )

    def get_initial(self):
        if self.replaces:
            return {
                "building": self.replaces.building_id,
                "position": self.replaces.position,
                "floor_number": self.replaces.floor_number,
                "text": self.replaces.text,
            }
        return {"text": self.tenant.name}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "replaces": self.replaces}

    def start_kwargs(self, form) -> dict:
        return {**form.cleaned_data, "replaces": self.replaces}


class SignboardDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "tenants/desk/signboard_detail.html"
    context_object_name = "board"
    action_services = {"approve": services.signboard_approve, "install": services.signboard_install}
    action_names = ("allow_mismatch", "reject", "produce", "remove")

    def get_object(self, queryset=None):
        return selectors.signboard_detail(self.kwargs["pk"])


class DirectoryView(StaffRequiredMixin, TemplateView):
    """The directory boards of a building as they stand, for the desk and for printing."""

    template_name = "tenants/desk/directory.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        buildings = list(Building.objects.order_by("code"))
        chosen = next((b for b in buildings if str(b.pk) == self.request.GET.get("building")), None)
        chosen = chosen or (buildings[0] if buildings else None)
        ctx.update(buildings=buildings, building=chosen, boards=selectors.directory(chosen) if chosen else [])
        return ctx
