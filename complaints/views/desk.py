"""The desk's and the departments' complaint pages: the register, recording a complaint, and a
complaint with every step of its reply workflow (each a form posting to a service)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import DetailView, FormView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES, Role
from jinyuan.lists import RegisterView
from jinyuan.paginator import EstimatedCountPaginator
from jinyuan.workflow.services import TransitionRefused, available_actions
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin, apply_errors
from repairs.views.desk import TenantLookupView  # noqa: F401 (the repair intake's typeahead serves both)

from .. import selectors, services
from ..filters import ComplaintFilter
from ..forms import (
    ApproveReplyForm,
    AssignForm,
    DeskComplaintForm,
    HandOverForm,
    ProposeReplyForm,
    SendReplyForm,
    ValidityForm,
)
from ..models import Complaint

# The register and a complaint's page: the desk and supervisors (every complaint), engineering
# and security (their department's, complaints.selectors.scope_q). Cleaning's answers are the
# desk's to relay (models.DEPARTMENT_ROLE).
COMPLAINT_ROLES = (*DESK_ROLES, Role.ENGINEERING, Role.SECURITY)


def _yes(value: bool) -> str:
    return _("Yes") if value else ""


class ComplaintNewView(StaffRequiredMixin, ServiceFormMixin, FormView):
    """A complaint at the counter, on the phone, by letter or e-mail: one form, keyboard first;
    the company found by unit number or name as at the repair intake."""

    roles = DESK_ROLES
    template_name = "complaints/desk/complaint_new.html"
    form_class = DeskComplaintForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # What the clerk typed in the company search stays after an error, like every field.
        ctx["tenant_lookup"] = self.request.POST.get("tenant_lookup", "")[:100]
        return ctx

    def run_service(self, form):
        complaint = services.record_with_attachments(
            by=self.request.user,
            category=form.cleaned_data["category"],
            files=form.cleaned_data.get("files"),
            **form.record_fields(),
        )
        messages.success(self.request, _("Complaint %(number)s recorded.") % {"number": complaint.number})
        return redirect("desk:complaints:complaint_detail", pk=complaint.pk)


class ComplaintListView(StaffRequiredMixin, RegisterView):
    roles = COMPLAINT_ROLES
    template_name = "complaints/desk/complaint_list.html"
    filterset_class = ComplaintFilter
    paginator_class = EstimatedCountPaginator
    export_name = gettext_lazy("Complaint register")

    @property
    def export_columns(self):
        user = self.request.user

        def who(c: Complaint) -> selectors.Complainant:
            return selectors.complainant_for(c, user, in_list=True)

        return (
            (gettext_lazy("Number"), lambda c: c.number),
            (gettext_lazy("Recorded at"), lambda c: c.created_at),
            (pgettext_lazy("complaint", "Channel"), lambda c: c.get_channel_display()),
            (gettext_lazy("Type"), lambda c: c.get_kind_display()),
            (gettext_lazy("Category"), lambda c: c.category.name),
            (gettext_lazy("Company"), lambda c: c.tenant.name if c.tenant_id else ""),
            (gettext_lazy("Complainant"), lambda c: who(c).name),
            (gettext_lazy("Phone"), lambda c: who(c).phone),
            (gettext_lazy("Content"), lambda c: c.content),
            (gettext_lazy("Urgent"), lambda c: _yes(c.urgent)),
            (gettext_lazy("Department"), lambda c: c.get_department_display()),
            (gettext_lazy("Handled by"), lambda c: str(c.assignee or "")),
            (gettext_lazy("Status"), lambda c: c.get_status_display()),
            (gettext_lazy("Validity"), lambda c: c.get_validity_display()),
            (gettext_lazy("Acknowledgement late"), lambda c: _yes(c.acknowledgement_late)),
            (gettext_lazy("Reply late"), lambda c: _yes(c.reply_late)),
            (gettext_lazy("Reply sent at"), lambda c: c.reply_sent_at),
            (gettext_lazy("Times reopened"), lambda c: c.reopen_count),
        )

    def get_queryset(self):
        return selectors.complaints_for(self.request.user)

    def annotate_page(self, queryset):
        return selectors.complaint_rows(queryset)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = list(ctx["object_list"])
        for row in rows:
            row.shown_complainant = selectors.complainant_for(row, user, in_list=True)
        ctx["object_list"] = rows
        ctx["may_record"] = user.has_role(*DESK_ROLES)
        return ctx


# --- a complaint and its actions ---------------------------------------------------------------

# Transitions from a plain button (with a reason where declared): service(obj, by, note).
NOTE_ACTIONS: dict[str, Callable[..., Any]] = {
    "acknowledge": lambda obj, by, note: services.acknowledge(obj, by=by, note=note),
    "wait_for_complainant": lambda obj, by, note: services.wait_for_complainant(obj, by=by, reason=note),
    "resume": lambda obj, by, note: services.resume(obj, by=by, note=note),
    "send_back": lambda obj, by, note: services.send_back(obj, by=by, reason=note),
    "reopen": lambda obj, by, note: services.reopen(obj, by=by, reason=note),
    "cancel": lambda obj, by, note: services.cancel(obj, by=by, reason=note),
}


def _assign(c: Complaint, by: Any, d: dict) -> Any:
    return services.assign(c, department=d["department"], assignee=d["person"], by=by)


def _hand_over(c: Complaint, by: Any, d: dict) -> Any:
    return services.hand_over(c, department=d["department"], assignee=d["person"], by=by, reason=d["note"])


# Transitions with a form of their own: form class and service(complaint, by, cleaned_data).
FORM_ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Any]]] = {
    "assign": (AssignForm, _assign),
    "hand_over": (HandOverForm, _hand_over),
    "propose_reply": (ProposeReplyForm, lambda c, by, d: services.propose_reply(c, text=d["reply_draft"], by=by)),
    "approve_reply": (
        ApproveReplyForm,
        lambda c, by, d: services.approve_reply(c, text=d["approved_reply"], by=by),
    ),
    "send_reply": (SendReplyForm, lambda c, by, d: services.send_reply(c, via=d["reply_via"], by=by)),
}
# Not a transition: valid or invalid, with the reason (the desk and supervisors, until cancelled).
VALIDITY = "mark_validity"


class ComplaintDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    roles = COMPLAINT_ROLES
    template_name = "complaints/desk/complaint_detail.html"
    context_object_name = "complaint"
    action_services = NOTE_ACTIONS

    def get_object(self, queryset=None):
        return selectors.complaint_for(self.request.user, self.kwargs["pk"])

    # --- what the page shows

    def _form(self, name: str, data: Any = None) -> forms.Form:
        form_class = FORM_ACTIONS[name][0]
        kwargs: dict[str, Any] = {"prefix": name}
        if issubclass(form_class, AssignForm):
            kwargs["handlers"] = self.handlers
        complaint = self.object
        if data is None:
            kwargs["initial"] = {
                "assign": {"department": complaint.department},
                "hand_over": {"department": complaint.department, "assignee": complaint.assignee_id},
                "propose_reply": {"reply_draft": complaint.reply_draft},
                "approve_reply": {"approved_reply": complaint.reply_draft},
                "send_reply": {
                    "reply_via": Complaint.ReplyVia.PORTAL if complaint.tenant_id else Complaint.ReplyVia.PHONE
                },
            }[name]
        return form_class(data, **kwargs)

    @property
    def handlers(self) -> dict[str, list]:
        if not hasattr(self, "_handlers"):
            self._handlers = selectors.handler_choices()
        return self._handlers

    def may_mark_validity(self) -> bool:
        return self.request.user.has_role(*DESK_ROLES) and self.object.status != Complaint.Status.CANCELLED

    def get_context_data(self, **kwargs):
        complaint, user = self.object, self.request.user
        ctx = super().get_context_data(**kwargs)
        allowed = {a.name: a for a in available_actions(complaint, user)}
        ctx["forms"] = {}
        for name in FORM_ACTIONS:
            if name in allowed:
                ctx["forms"][name] = kwargs.get(f"{name}_form") or self._form(name)
        if self.may_mark_validity():
            ctx["validity_form"] = kwargs.get("validity_form") or ValidityForm(
                prefix="validity",
                initial={"validity": complaint.validity if complaint.validity != "undecided" else ""},
            )
        ctx["complainant"] = selectors.complainant_for(complaint, user)
        ctx["filed_by_complainant"] = selectors.filed_by_complainant(complaint)
        ctx["events"] = selectors.timeline_for(complaint, user)
        ctx["deadlines"] = deadlines = selectors.deadlines_of(complaint)
        ctx["late"] = {d.kind for d in deadlines if d.late}
        ctx["files"] = selectors.attachments_of(complaint)
        ctx["visits"] = selectors.returned_visits(complaint)
        return ctx

    # --- the actions

    def post(self, request, *args, **kwargs):
        name = request.POST.get("action", "")
        if name == VALIDITY:
            return self.mark_validity(request)
        if name not in FORM_ACTIONS:
            return super().post(request, *args, **kwargs)
        self.object = complaint = self.get_object()
        allowed = {a.name: a for a in available_actions(complaint, request.user)}
        if name not in allowed:
            if not self._may_ever(complaint, name, request.user):
                raise PermissionDenied
            messages.warning(request, _("This action is not possible in the current state."))
            return redirect(request.path)
        form = self._form(name, request.POST)
        if form.is_valid():
            try:
                FORM_ACTIONS[name][1](complaint, request.user, form.cleaned_data)
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
                return redirect(request.path)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Done: %(action)s.") % {"action": allowed[name].label})
                return redirect(request.path)
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(**{f"{name}_form": form}), status=400)

    def mark_validity(self, request):
        self.object = complaint = self.get_object()
        if not request.user.has_role(*DESK_ROLES):
            raise PermissionDenied
        form = ValidityForm(request.POST, prefix="validity")
        if form.is_valid():
            try:
                services.mark_validity(
                    complaint,
                    valid=form.cleaned_data["validity"] == Complaint.Validity.VALID,
                    reason=form.cleaned_data["validity_reason"],
                    by=request.user,
                )
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
                return redirect(request.path)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Marked %(validity)s.") % {"validity": complaint.get_validity_display()})
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(validity_form=form), status=400)
