"""The engineer's phone pages: my open tickets by due time and the pool, then one ticket with
take, accept, arrive, pause and resume, complete with materials and before/after photos."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import Role
from jinyuan.workflow.services import TransitionRefused, available_actions
from jinyuan.workflow.views import ActionsMixin, apply_errors

from .. import selectors, services
from ..forms import CompleteForm, PauseForm
from ..models import RepairTicket

ENGINEER_ROLES = (Role.ENGINEERING, Role.SUPERVISOR)

STEP_ACTIONS = {
    "accept": lambda obj, by, note: services.accept(obj, by=by),
    "arrive": lambda obj, by, note: services.arrive(obj, by=by),
    "resume": lambda obj, by, note: services.resume(obj, by=by),
}
# Steps with a form of their own: form class and service(ticket, by, cleaned_data).
FORM_STEPS = {
    "pause": (
        PauseForm,
        lambda t, by, d: services.pause(t, by=by, reason=d["pause_reason"], note=d["note"]),
    ),
    "complete": (
        CompleteForm,
        lambda t, by, d: services.complete_with_photos(
            t, by=by, materials=d["materials"], before=d["before"], after=d["after"]
        ),
    ),
}


class EngineerWorklistView(StaffRequiredMixin, TemplateView):
    roles = ENGINEER_ROLES
    template_name = "repairs/engineer/worklist.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["mine"] = list(selectors.engineer_open(self.request.user))
        ctx["pool"] = list(selectors.pool())
        return ctx


class EngineerTicketView(StaffRequiredMixin, ActionsMixin, DetailView):
    roles = ENGINEER_ROLES
    template_name = "repairs/engineer/ticket.html"
    context_object_name = "ticket"
    action_services = STEP_ACTIONS

    def get_object(self, queryset=None):
        return selectors.ticket_for_engineer(self.kwargs["pk"], self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        allowed = {a.name for a in available_actions(self.object, self.request.user)}
        for name, (form_class, _service) in FORM_STEPS.items():
            if name in allowed and ctx.get(f"{name}_form") is None:
                ctx[f"{name}_form"] = form_class()
        ctx["photos"] = selectors.photos_of(self.object)
        ctx["deadlines"] = selectors.deadlines_of(self.object)
        ctx["side"] = "engineer"  # for the quote and feedback panels
        return ctx

    def post(self, request, *args, **kwargs):
        name = request.POST.get("action", "")
        if name == "take":
            return self.take(request)
        if name not in FORM_STEPS:
            return super().post(request, *args, **kwargs)
        self.object = ticket = self.get_object()
        if name not in {a.name for a in available_actions(ticket, request.user)}:
            if not self._may_ever(ticket, name, request.user):
                raise PermissionDenied
            messages.warning(request, _("This action is not possible in the current state."))
            return redirect(request.path)
        form_class, service = FORM_STEPS[name]
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                service(ticket, request.user, form.cleaned_data)
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
                return redirect(request.path)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Recorded."))
                return redirect(request.path)
        self.object = selectors.ticket_for_engineer(ticket.pk, request.user)
        return self.render_to_response(self.get_context_data(**{f"{name}_form": form}), status=400)

    def take(self, request):
        """抢单: of many engineers pressing Take at once one wins; the others are told so and
        go back to their list (the ticket is no longer theirs to open)."""
        ticket = RepairTicket.objects.filter(pk=self.kwargs["pk"], status=RepairTicket.Status.POOLED).first()
        if ticket is not None:
            try:
                services.take(ticket, by=request.user)
            except TransitionRefused:
                ticket = None
        if ticket is None:
            messages.warning(request, _("Another engineer has already taken this repair."))
            return redirect("desk:repairs:engineer_worklist")
        messages.success(request, _("The repair is yours: %(number)s.") % {"number": ticket.number})
        return redirect(request.path)
