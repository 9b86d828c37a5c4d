"""Detail pages with workflow actions: the buttons a user may press, and their POST."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .forms import ActionForm
from .selectors import timeline
from .services import TransitionRefused, available_actions


class ActionsMixin:
    """Mix into a DetailView. ``action_services`` maps a transition name to the service that
    runs it: ``service(obj=..., by=..., note=...)``."""

    action_services: dict[str, Callable[..., Any]] = {}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        ctx["actions"] = available_actions(obj, self.request.user)
        ctx.setdefault("action_form", None)
        ctx.setdefault("events", timeline(obj))
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = obj = self.get_object()
        name = request.POST.get("action", "")
        if name not in self.action_services:
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
        try:
            self.action_services[name](obj=obj, by=request.user, note=form.cleaned_data["note"])
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
