"""大件物品放行条: desk and portal pages of the large-item release notes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.documents.pdf import qr_svg
from jinyuan.documents.views import pdf_response
from jinyuan.lists import RegisterView
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ActionsMixin, apply_errors
from tenants.access import TenantMemberRequiredMixin
from tenants.models import MoveOut, Tenant

from .. import release_notes, selectors
from ..filters import PortalReleaseNoteFilter, ReleaseNoteFilter
from ..forms import DeskReleaseNoteForm, ReleaseItemFormSet, ReleaseNoteForm, release_item_initial
from ..models import RELEASE_NOTE_AREA, ReleaseNote

DESK_ACTIONS = {
    "approve": release_notes.release_note_approve,
    "send_back": release_notes.release_note_send_back,
    "reject": release_notes.release_note_reject,
    "revoke": release_notes.release_note_revoke,
}
PORTAL_ACTIONS = {"withdraw": release_notes.release_note_withdraw}
ITEMS = "items"


def _shows_whole_id(user) -> bool:
    from ..hooks import shows_whole_id

    return shows_whole_id(user)


class ReleaseNoteRegister(RegisterView):
    """The rows are plain and ordered: the count and the page's ids come from the note table's
    ``(-created_at, -id)`` index; the page's own rows are joined to company and paper."""

    def annotate_page(self, queryset):
        return queryset.select_related("tenant", "document")


class ReleaseNoteListView(StaffRequiredMixin, ReleaseNoteRegister):
    template_name = "permits/desk/release_note_list.html"
    filterset_class = ReleaseNoteFilter
    export_name = gettext_lazy("Release note register")
    export_columns = (
        (gettext_lazy("Number"), lambda n: n.document.number if n.document else ""),
        (gettext_lazy("Company"), lambda n: n.tenant.name),
        (gettext_lazy("Release date"), lambda n: n.date),
        (gettext_lazy("Purpose"), lambda n: n.get_purpose_display()),
        (gettext_lazy("Items"), lambda n: n.items_text),
        (gettext_lazy("Vehicle plate"), lambda n: n.vehicle_plate),
        (gettext_lazy("Carrier"), lambda n: n.carrier_name),
        (gettext_lazy("Carrier's ID card number"), lambda n: n.masked_carrier_id),
        (gettext_lazy("Status"), lambda n: n.get_status_display()),
        (gettext_lazy("Overdue"), lambda n: n.is_overdue),
        (gettext_lazy("Released at"), lambda n: n.released_at),
        (gettext_lazy("Applied at"), lambda n: n.created_at),
    )

    def get_queryset(self):
        return ReleaseNote.objects.order_by("-created_at", "-id")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "today": timezone.localdate()}


class ReleaseNoteDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    template_name = "permits/desk/release_note_detail.html"
    context_object_name = "note"
    action_services = DESK_ACTIONS

    def get_object(self, queryset=None):
        return selectors.release_note_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        note = self.object
        ctx = super().get_context_data(**kwargs)
        ctx["whole_id"] = _shows_whole_id(self.request.user)
        ctx["photos"] = selectors.gate_photos(note)
        if note.status == ReleaseNote.Status.SUBMITTED:
            # What the desk weighs before approving: the company's arrears and, for a
            # move-out note, the move-out it will be linked to.
            ctx["arrears"] = release_notes.arrears_of(note.tenant)
            if note.purpose == ReleaseNote.Purpose.MOVE_OUT:
                ctx["open_move_out"] = release_notes.open_move_out(note.tenant_id)
        return ctx


class ReleaseNotePdfView(StaffRequiredMixin, View):
    def get(self, request, pk):
        note = selectors.release_note_for_desk(pk)
        if not note.document:
            return redirect("desk:permits:release_note_detail", pk=pk)
        return pdf_response(note.document)


class ReleaseNoteFormMixin:
    """The note's head and its items, both re-shown with their errors beside the fields; a
    service's ValidationError too (``items`` errors above the items)."""

    template_name = ""
    form_class = ReleaseNoteForm

    def forms(self, data=None, initial=None, items=None):
        form = self.form_class(data, initial=initial)
        formset = ReleaseItemFormSet(data, prefix=ITEMS, initial=items)
        return form, formset

    def render_forms(self, form, formset, status=200):
        ctx = self.get_context_data(form=form, formset=formset)
        return self.render_to_response(ctx, status=status)

    def post(self, request, *args, **kwargs):
        form, formset = self.forms(request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                return self.save(form.cleaned_data, formset.items())
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
                for field, messages_ in errors.items():
                    if field == ITEMS:
                        formset._non_form_errors = formset.error_class(messages_, renderer=formset.renderer)
                    else:
                        apply_errors(form, ValidationError({field: messages_} if field else messages_))
        return self.render_forms(form, formset, status=400)

    def save(self, values: dict, items: list[dict]):
        raise NotImplementedError


class DeskReleaseNoteCreateView(StaffRequiredMixin, ReleaseNoteFormMixin, TemplateView):
    """The desk writes a note for a company and issues it at once (at the counter, or for its
    move-out: ``?move_out=<pk>`` from the move-out's checklist)."""

    template_name = "permits/desk/release_note_form.html"
    form_class = DeskReleaseNoteForm
    roles = DESK_ROLES

    def load(self, request, *args, **kwargs):
        self.tenant = get_object_or_404(Tenant, pk=kwargs["pk"])
        move_out = request.GET.get("move_out", "")
        self.move_out = (
            MoveOut.objects.filter(pk=move_out, tenant=self.tenant, status=MoveOut.Status.OPEN).first()
            if move_out.isdigit()
            else None
        )

    def get(self, request, *args, **kwargs):
        initial = {"date": timezone.localdate(), "purpose": ReleaseNote.Purpose.ORDINARY}
        if self.move_out is not None:
            initial |= {"date": max(self.move_out.planned_date, timezone.localdate()), "purpose": "move_out"}
        form, formset = self.forms(initial=initial)
        return self.render_forms(form, formset)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "tenant": self.tenant,
            "move_out": self.move_out,
            "arrears": release_notes.arrears_of(self.tenant),
            "open_move_out": release_notes.open_move_out(self.tenant),
        }

    def save(self, values, items):
        values = dict(values)
        note = values.pop("note", "").strip()
        try:
            obj = release_notes.release_note_create_for(
                tenant=self.tenant, by=self.request.user, note=note, items=items, **values
            )
        except TransitionRefused as exc:
            raise ValidationError({"purpose": exc.message}) from exc
        messages.success(self.request, _("Release note %(number)s issued.") % {"number": obj})
        return redirect("desk:permits:release_note_detail", pk=obj.pk)


# --- portal ---------------------------------------------------------------------------------------


class PortalReleaseNoteListView(TenantMemberRequiredMixin, ReleaseNoteRegister):
    template_name = "permits/portal/release_note_list.html"
    filterset_class = PortalReleaseNoteFilter
    grant_area = RELEASE_NOTE_AREA
    paginate_by = 20

    def get_queryset(self):
        return ReleaseNote.objects.filter(tenant=self.tenant).order_by("-created_at", "-id")


class PortalReleaseNoteDetailView(TenantMemberRequiredMixin, ActionsMixin, DetailView):
    template_name = "permits/portal/release_note_detail.html"
    context_object_name = "note"
    grant_area = RELEASE_NOTE_AREA
    action_services = PORTAL_ACTIONS

    def get_object(self, queryset=None):
        return selectors.release_note_for_tenant(self.kwargs["pk"], self.tenant)

    def get_context_data(self, **kwargs):
        note = self.object
        ctx = {**super().get_context_data(**kwargs), "photos": selectors.gate_photos(note)}
        if note.status == ReleaseNote.Status.ISSUED and note.document:
            # The carrier may show the code on a phone instead of the printed paper.
            ctx["qr"] = qr_svg(note.document.verify_url, scale=5)
        return ctx


class PortalReleaseNoteApplyView(TenantMemberRequiredMixin, ReleaseNoteFormMixin, TemplateView):
    template_name = "permits/portal/release_note_form.html"
    grant_area = RELEASE_NOTE_AREA

    def get(self, request, *args, **kwargs):
        form, formset = self.forms(initial={"date": timezone.localdate(), "purpose": ReleaseNote.Purpose.ORDINARY})
        return self.render_forms(form, formset)

    def save(self, values, items):
        note = release_notes.release_note_apply(tenant=self.tenant, by=self.request.user, items=items, **values)
        messages.success(self.request, _("Your release note has been sent to the service center."))
        return redirect("portal:permits:release_note_detail", pk=note.pk)


class PortalReleaseNoteCorrectView(TenantMemberRequiredMixin, ReleaseNoteFormMixin, TemplateView):
    """A returned note: the company corrects it and sends it again."""

    template_name = "permits/portal/release_note_form.html"
    grant_area = RELEASE_NOTE_AREA

    def get_note(self) -> ReleaseNote:
        if not hasattr(self, "_note"):
            self._note = selectors.release_note_for_tenant(self.kwargs["pk"], self.tenant)
        return self._note

    def get(self, request, *args, **kwargs):
        note = self.get_note()
        if note.status != ReleaseNote.Status.RETURNED:
            return redirect("portal:permits:release_note_detail", pk=note.pk)
        initial = {f: getattr(note, f) for f in ("date", "purpose", "vehicle_plate", "carrier_name", "remarks")}
        initial["carrier_id_number"] = note.carrier_id_number
        form, formset = self.forms(initial=initial, items=release_item_initial(note))
        return self.render_forms(form, formset)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "note": self.get_note()}

    def save(self, values, items):
        note = self.get_note()
        try:
            release_notes.release_note_correct(obj=note, by=self.request.user, items=items, **values)
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
        else:
            messages.success(self.request, _("Your corrected release note has been sent again."))
        return redirect("portal:permits:release_note_detail", pk=note.pk)


class PortalReleaseNotePdfView(TenantMemberRequiredMixin, View):
    grant_area = RELEASE_NOTE_AREA

    def get(self, request, pk):
        note = selectors.release_note_for_tenant(pk, self.tenant)
        # Only a note still good at the exit is printed; the desk keeps the rest.
        if not note.document or note.status != ReleaseNote.Status.ISSUED:
            return redirect("portal:permits:release_note_detail", pk=pk)
        return pdf_response(note.document)
