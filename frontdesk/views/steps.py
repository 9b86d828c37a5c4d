"""One shape for a form posted from a record's page (a follow-up item, a ticket, a link, a
rectification, a day's remarks): GET goes back to the page; valid, the service runs and the page
is shown again; a refused transition is a notice there; bad input is the page again with the form
filled in and its errors beside the fields (400), so nothing typed is lost."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError

from jinyuan.workflow.forms import apply_errors
from jinyuan.workflow.services import TransitionRefused


class PageStepMixin:
    """Mixed into the record's detail view, which gives ``back()``: the response returning to its
    page (not declared here: the mixin comes first and would hide the view's own).
    ``load_step()`` loads the record and refuses what the user may not do; ``run(form)`` calls
    the service."""

    form_class: Any = None
    prefix = ""
    context_key = ""  # the page's context name of this form

    def load_step(self) -> None:
        """Before the form is read: load the record, check the step is the user's to take."""

    def run(self, form) -> None:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        self.load_step()
        return self.back()

    def post(self, request, *args, **kwargs):
        self.load_step()
        form = self.form_class(request.POST, request.FILES, prefix=self.prefix)
        if form.is_valid():
            try:
                self.run(form)
            except ValidationError as exc:
                apply_errors(form, exc)
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
                return self.back()
            else:
                return self.back()
        return self.render_to_response(self.get_context_data(**{self.context_key: form}), status=400)
