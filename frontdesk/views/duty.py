"""值班记录: the live shift's page (quick entry, open and carried-over items, handover), the
registers of shifts and entries, a shift's detail with its timeline and the handover form."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.lists import RegisterView
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin, apply_errors

from .. import duty_selectors as selectors
from .. import duty_services as services
from ..duty_filters import EntryFilter, ShiftFilter
from ..duty_forms import CloseItemForm, EntryForm, HandoverForm
from ..models import DutyEntry, Shift


def _local(value: dt.datetime | None) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _person(user) -> str:
    return (user.display_name or user.get_username()) if user else ""


class DutyView(StaffRequiredMixin, TemplateView):
    """The live shift: quick entry at the top (Enter-fast: the text field has the focus), its
    entries, its open items and those carried over from earlier shifts, and the handover."""

    roles = DESK_ROLES
    template_name = "frontdesk/duty/shift.html"

    def get_context_data(self, form=None, **kwargs):
        shift = services.live_shift()
        ctx = {**super().get_context_data(**kwargs), "shift": shift, "form": form or EntryForm()}
        if shift is not None:
            entries = list(selectors.entries_of(shift))
            ctx.update(
                entries=entries,
                open_items=[e for e in entries if e.still_open],
                carried=list(selectors.carried_over(shift)),
                clerks=list(shift.clerks.all()),
                on_duty=any(c.pk == self.request.user.pk for c in shift.clerks.all()),
                close_form=CloseItemForm(),
            )
        return ctx

    def post(self, request, *args, **kwargs):
        if "come_on_duty" in request.POST:  # the clerk comes on duty: the shift opens, or they join it
            shift = services.shift_open(by=request.user)
            messages.success(request, _("You are on duty: %(shift)s.") % {"shift": shift})
            return redirect("desk:frontdesk:duty")
        form = EntryForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            at = None
            if data["at"]:
                now = timezone.now()
                at = dt.datetime.combine(timezone.localdate(now), data["at"], timezone.get_current_timezone())
                if at > now + dt.timedelta(minutes=5):  # 23:40 typed after midnight: last evening
                    at -= dt.timedelta(days=1)
            try:
                services.entry_log(
                    by=request.user, kind=data["kind"], text=data["text"], is_open=data["is_open"], at=at
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Entry logged."))
                return redirect("desk:frontdesk:duty")
        return self.render_to_response(self.get_context_data(form=form), status=400)


class EntryCloseView(StaffRequiredMixin, FormView):
    """Close an open item, saying how (the shift's page posts here too; a bad note comes back
    on this page beside its field)."""

    roles = DESK_ROLES
    template_name = "frontdesk/duty/close_item.html"
    form_class = CloseItemForm

    def load(self, request, *args, **kwargs):
        self.entry = get_object_or_404(DutyEntry.objects.select_related("shift", "written_by"), pk=kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "entry": self.entry}

    def form_valid(self, form):
        try:
            services.entry_close(obj=self.entry, by=self.request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Item closed."))
        back = self.request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={self.request.get_host()}):
            back = reverse("desk:frontdesk:duty")
        return redirect(back)


class ShiftListView(StaffRequiredMixin, RegisterView):
    roles = DESK_ROLES
    template_name = "frontdesk/duty/shift_list.html"
    filterset_class = ShiftFilter
    export_name = gettext_lazy("Shifts")
    export_columns = (
        (gettext_lazy("Date"), lambda s: s.date),
        (gettext_lazy("Shift"), lambda s: s.label),
        (gettext_lazy("Opened by"), lambda s: _person(s.applicant)),
        (gettext_lazy("Entries"), lambda s: s.entry_count),
        (gettext_lazy("Open items"), lambda s: s.open_count),
        (gettext_lazy("Leaving clerk"), lambda s: _person(s.handed_over_by)),
        (gettext_lazy("Arriving clerk"), lambda s: _person(s.arriving)),
        (gettext_lazy("Handover signed at"), lambda s: _local(s.accepted_at)),
        (gettext_lazy("Status"), lambda s: s.get_status_display()),
    )

    def get_queryset(self):
        return selectors.shift_register()

    def annotate_page(self, queryset):
        return selectors.shift_rows(queryset)


class EntryListView(StaffRequiredMixin, RegisterView):
    roles = DESK_ROLES
    template_name = "frontdesk/duty/entry_list.html"
    filterset_class = EntryFilter
    export_name = gettext_lazy("Duty log")
    export_columns = (
        (gettext_lazy("Time"), lambda e: _local(e.at)),
        (gettext_lazy("Shift"), lambda e: str(e.shift)),
        (gettext_lazy("Kind"), lambda e: e.get_kind_display()),
        (gettext_lazy("Text"), lambda e: e.text),
        (gettext_lazy("Linked record"), lambda e: e.record_label),
        (gettext_lazy("Clerk"), lambda e: _person(e.written_by)),
        (gettext_lazy("Open item"), lambda e: _("Yes") if e.is_open else ""),
        (gettext_lazy("Closed at"), lambda e: _local(e.closed_at)),
        (gettext_lazy("How it was dealt with"), lambda e: e.closing_note),
    )

    def get_queryset(self):
        return selectors.entry_register()

    def annotate_page(self, queryset):
        return selectors.entry_rows(queryset)


class ShiftDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    """A shift with its entries, the handover and the timeline; the arriving clerk signs here."""

    roles = DESK_ROLES
    template_name = "frontdesk/duty/shift_detail.html"
    context_object_name = "shift"
    action_services = {"accept": services.shift_accept}

    def get_object(self, queryset=None):
        return selectors.shift_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        shift = self.object
        ctx["entries"] = list(selectors.entries_of(shift))
        # While the handover waits to be written or signed: the open items it passes on. Once
        # signed, the handover's event keeps how many there were (items close later).
        ctx["handed_on"] = (
            list(services.open_items_until(shift).select_related("shift", "written_by"))
            if shift.status != Shift.Status.ACCEPTED
            else None
        )
        ctx["may_hand_over"] = shift.status == Shift.Status.OPEN
        return ctx


class ShiftHandoverView(StaffRequiredMixin, ServiceFormMixin, FormView):
    """The leaving clerk's handover: notes and the arriving clerk; the open items are listed."""

    roles = DESK_ROLES
    template_name = "frontdesk/duty/handover.html"
    form_class = HandoverForm

    def load(self, request, *args, **kwargs):
        self.shift = selectors.shift_for_desk(kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["shift"] = self.shift
        ctx["open_items"] = list(services.open_items_until(self.shift).select_related("shift", "written_by"))
        return ctx

    def run_service(self, form):
        try:
            services.shift_hand_over(
                obj=self.shift,
                by=self.request.user,
                arriving=form.cleaned_data["arriving"],
                notes=form.cleaned_data["handover_notes"],
            )
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
            return redirect("desk:frontdesk:shift_detail", pk=self.shift.pk)
        messages.success(self.request, _("Handover written: the arriving clerk signs it on this page."))
        return redirect("desk:frontdesk:shift_detail", pk=self.shift.pk)
