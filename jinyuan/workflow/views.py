"""Views of the kernel: detail pages with workflow actions, and forms that call a service."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .forms import ActionForm, apply_errors
from .selectors import timeline
from .services import TransitionRefused, available_actions, transition


class ServiceFormMixin:
    """Mix into a FormView whose valid form is handed to a service. ``run_service(form)``
    calls it and returns the response (usually a redirect); a ValidationError the service
    raises re-renders the form with the messages beside their fields, never a 500."""

    def run_service(self, form: forms.Form) -> HttpResponse:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            return self.run_service(form)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)


def _seen(value: str) -> dt.datetime | None:
    """The ``updated_at`` a page was read at, as its form sent it back; None if unreadable (the
    service then treats the page as out of date rather than failing)."""
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


class ActionsMixin:
    """Mix into a DetailView: the buttons of the transitions the user may run, and their POST.

    ``action_names`` are transitions that run as declared (``workflow.services.transition``,
    with the fields the declaration sets); ``action_services`` maps the names that need side
    effects to their service: ``service(obj=..., by=..., note=...)``. A name in neither is 403.
    """

    action_names: tuple[str, ...] = ()
    action_services: dict[str, Callable[..., Any]] = {}
    # Services of actions that must act on the record as the user read it (approving content
    # someone may still be editing): their form carries the record's ``updated_at`` as ``seen``
    # and the service gets it (``seen=``, None when missing or unreadable) to compare under lock.
    seen_actions: tuple[str, ...] = ()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        ctx["actions"] = [a for a in available_actions(obj, self.request.user) if self._runs_here(a.name)]
        ctx["seen_actions"] = self.seen_actions
        ctx["seen_version"] = obj.updated_at.isoformat() if self.seen_actions else ""
        ctx.setdefault("action_form", None)
        ctx.setdefault("events", timeline(obj))
        return ctx

    def _runs_here(self, name: str) -> bool:
        return name in self.action_services or name in self.action_names

    def post(self, request, *args, **kwargs):
        self.object = obj = self.get_object()
        name = request.POST.get("action", "")
        if not self._runs_here(name):
            raise PermissionDenied
        allowed = {a.name: a for a in available_actions(obj, request.user)}
        if name not in allowed:
            if not request.user.is_authenticated or not self._may_ever(obj, name, request.user):
                raise PermissionDenied
            messages.warning(request, _("This action is not possible in the current state."))
            return redirect(request.path)
        form = ActionForm(request.POST, needs_note=allowed[name].needs_note)
        if not form.is_valid():
            ctx = self.get_context_data(object=obj, action_form=form, failed_action=name)
            return self.render_to_response(ctx, status=400)
        note = form.cleaned_data["note"]
        extra = {"seen": _seen(request.POST.get("seen", ""))} if name in self.seen_actions else {}
        try:
            if name in self.action_services:
                self.action_services[name](obj=obj, by=request.user, note=note, **extra)
            else:
                transition(obj, name, by=request.user, note=note)
        except TransitionRefused as exc:
            messages.warning(request, exc.message)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": allowed[name].label})
        return redirect(request.path)

    @staticmethod
    def _may_ever(obj: Any, name: str, user: Any) -> bool:
        """Whether the role allows ``name`` at all, whatever the state: decides 403 vs. a notice."""
        return any(t.name == name and t.has_perm(obj, user) for t in obj.get_all_status_transitions())
