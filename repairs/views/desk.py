"""The desk's repair pages: phone intake, the register, a ticket with its dispatch actions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES, Role
from jinyuan.lists import RegisterView
from jinyuan.paginator import EstimatedCountPaginator
from jinyuan.workflow.services import TransitionRefused, available_actions, transition
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin, apply_errors

from .. import selectors, services
from ..filters import TicketFilter
from ..forms import AssignForm, DeskIntakeForm


def _yes(value: bool) -> str:
    return _("Yes") if value else ""


class TicketNewView(StaffRequiredMixin, ServiceFormMixin, FormView):
    """A phone call: one form, keyboard only; the company found by unit number or name."""

    roles = DESK_ROLES
    template_name = "repairs/desk/ticket_new.html"
    form_class = DeskIntakeForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # What the clerk typed in the company search stays after an error, like every field.
        ctx["tenant_lookup"] = self.request.POST.get("tenant_lookup", "")[:100]
        return ctx

    def run_service(self, form):
        ticket = services.report_with_photos(
            by=self.request.user,
            category=form.cleaned_data["category"],
            photos=form.cleaned_data.get("photos"),
            **form.report_fields(),
        )
        messages.success(self.request, _("Repair %(number)s saved.") % {"number": ticket.number})
        return redirect("desk:repairs:ticket_detail", pk=ticket.pk)


class TenantLookupView(StaffRequiredMixin, View):
    """The intake's typeahead: companies by unit number or name, as JSON."""

    roles = DESK_ROLES

    def get(self, request):
        return JsonResponse({"results": selectors.tenant_matches(request.GET.get("q", "")[:100])})


class TicketListView(StaffRequiredMixin, RegisterView):
    roles = DESK_ROLES
    template_name = "repairs/desk/ticket_list.html"
    filterset_class = TicketFilter
    export_name = gettext_lazy("Repair register")
    export_columns = (
        (gettext_lazy("Number"), lambda t: t.number),
        (gettext_lazy("Reported at"), lambda t: t.created_at),
        (gettext_lazy("Company"), lambda t: t.tenant.name if t.tenant_id else ""),
        (gettext_lazy("Place"), lambda t: t.where),
        (gettext_lazy("Caller"), lambda t: t.reporter_name),
        (gettext_lazy("Phone"), lambda t: t.phone),
        (gettext_lazy("Category"), lambda t: t.category.name),
        (gettext_lazy("Urgency"), lambda t: t.get_urgency_display()),
        (gettext_lazy("Description"), lambda t: t.description),
        (gettext_lazy("Engineer"), lambda t: str(t.assignee or "")),
        (gettext_lazy("Status"), lambda t: t.get_status_display()),
        (gettext_lazy("Response late"), lambda t: _yes(t.response_late)),
        (gettext_lazy("Completion late"), lambda t: _yes(t.completion_late)),
        (gettext_lazy("Completed at"), lambda t: t.completed_at),
    )

    paginator_class = EstimatedCountPaginator

    def get_queryset(self):
        return selectors.ticket_register()

    def annotate_page(self, queryset):
        return selectors.ticket_rows(queryset)


# Transitions that run from a plain button (with a reason where declared).
DESK_ACTIONS = {
    "pool": lambda obj, by, note: transition(obj, "pool", by=by, note=note),
    "cancel": lambda obj, by, note: services.cancel(obj, by=by, reason=note),
    "close": lambda obj, by, note: services.close(obj, by=by, note=note),
}
# Transitions that need an engineer chosen: (transition name, service).
ENGINEER_ACTIONS = {
    "dispatch": lambda obj, by, engineer, note: services.assign(obj, engineer=engineer, by=by),
    "hand_over": lambda obj, by, engineer, note: services.hand_over(obj, engineer=engineer, by=by, reason=note),
}


def _engineer_only(user) -> bool:
    return user.has_role(Role.ENGINEERING) and not user.has_role(*DESK_ROLES)


class TicketDetailView(StaffRequiredMixin, ActionsMixin, DetailView):
    roles = DESK_ROLES
    template_name = "repairs/desk/ticket_detail.html"
    context_object_name = "ticket"
    action_services = DESK_ACTIONS

    def dispatch(self, request, *args, **kwargs):
        # Reminders and the follow-up worklist link every ticket here; an engineer works it
        # from the phone page (which 404s a ticket that is neither theirs nor in the pool).
        user = request.user
        if request.method == "GET" and user.is_authenticated and _engineer_only(user):
            return redirect("desk:repairs:engineer_ticket", pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return selectors.ticket_for_desk(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        allowed = {a.name for a in available_actions(self.object, self.request.user)}
        for name in ENGINEER_ACTIONS:
            if name in allowed and ctx.get(f"{name}_form") is None:
                ctx[f"{name}_form"] = AssignForm(needs_reason=name == "hand_over", prefix=name)
        ctx["photos"] = selectors.photos_of(self.object)
        ctx["deadlines"] = selectors.deadlines_of(self.object)
        ctx["side"] = "desk"  # for the quote and feedback panels
        return ctx

    def post(self, request, *args, **kwargs):
        name = request.POST.get("action", "")
        if name not in ENGINEER_ACTIONS:
            return super().post(request, *args, **kwargs)
        self.object = ticket = self.get_object()
        if name not in {a.name for a in available_actions(ticket, request.user)}:
            if not self._may_ever(ticket, name, request.user):
                raise PermissionDenied
            messages.warning(request, _("This action is not possible in the current state."))
            return redirect(request.path)
        form = AssignForm(request.POST, needs_reason=name == "hand_over", prefix=name)
        if form.is_valid():
            try:
                ENGINEER_ACTIONS[name](ticket, request.user, form.cleaned_data["engineer"], form.cleaned_data["note"])
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
                return redirect(request.path)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Assigned to %(name)s.") % {"name": form.cleaned_data["engineer"]})
                return redirect(request.path)
        self.object = selectors.ticket_for_desk(ticket.pk)
        return self.render_to_response(self.get_context_data(**{f"{name}_form": form}), status=400)
