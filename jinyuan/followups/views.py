"""The desk's follow-up worklist and the form to record a call."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import Role
from jinyuan.lists import RegisterView
from jinyuan.workflow.forms import apply_errors
from jinyuan.workflow.services import TransitionRefused

from . import selectors, services
from .filters import FollowUpFilter
from .forms import FollowUpRecordForm

# Return visits are the customer service desk's calls.
FOLLOWUP_ROLES = (Role.FRONT_DESK, Role.SUPERVISOR)


class FollowUpListView(StaffRequiredMixin, RegisterView):
    roles = FOLLOWUP_ROLES
    template_name = "followups/followup_list.html"
    filterset_class = FollowUpFilter
    export_name = gettext_lazy("Follow-up register")
    export_columns = (
        (gettext_lazy("Record"), lambda f: str(f.record)),
        # Who to call, where the record's app says (a repair: company, reporter, phone).
        (gettext_lazy("Contact"), lambda f: getattr(f.record, "followup_contact", "")),
        (gettext_lazy("Kind"), lambda f: str(f.content_type.model_class()._meta.verbose_name)),
        (gettext_lazy("Due on"), lambda f: f.due_on),
        (gettext_lazy("Status"), lambda f: f.get_status_display()),
        (gettext_lazy("Channel"), lambda f: f.get_channel_display()),
        (gettext_lazy("Result"), lambda f: f.get_result_display()),
        (gettext_lazy("Comments"), lambda f: f.comments),
        (gettext_lazy("Done by"), lambda f: str(f.done_by or "")),
    )

    def get_queryset(self):
        return selectors.followups()


class FollowUpRecordView(StaffRequiredMixin, FormView):
    roles = FOLLOWUP_ROLES
    template_name = "followups/followup_record.html"
    form_class = FollowUpRecordForm

    def load(self, request, *args, **kwargs):
        self.followup = selectors.open_followup(kwargs["pk"])

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "followup": self.followup}

    def form_valid(self, form):
        try:
            services.followup_record(followup=self.followup, by=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
            return redirect("desk:followups:followup_list")
        messages.success(self.request, _("Follow-up recorded."))
        return redirect("desk:followups:followup_list")
