"""大厦管理日志: the register of daily logs, a day's log (today's live draft, a past day's
draft, or a signed log's frozen content), the supervisor's remarks and signature, items noted
on the log, the PDF. The desk reads; supervisors write remarks and sign."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES, SUPERVISOR_ROLES
from jinyuan.documents.views import pdf_response
from jinyuan.lists import RegisterView
from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.services import TransitionRefused

from .. import management_log_selectors as selectors
from .. import management_log_services as services
from ..action_forms import ActionItemForm
from ..management_log_filters import ManagementLogFilter
from ..management_log_forms import RemarksForm
from ..management_log_render import sections_html
from ..models import ManagementLog
from .steps import PageStepMixin


class ManagementLogListView(StaffRequiredMixin, RegisterView):
    template_name = "frontdesk/management_log/list.html"
    filterset_class = ManagementLogFilter
    roles = DESK_ROLES
    export_name = gettext_lazy("Building management logs")
    export_columns = (
        (gettext_lazy("Date"), lambda log: log.date),
        (gettext_lazy("Status"), lambda log: log.get_status_display()),
        (gettext_lazy("State of the building"), lambda log: log.building_remarks),
        (gettext_lazy("Duty manager's opinion"), lambda log: log.manager_opinion),
        (gettext_lazy("Signed by"), lambda log: str(log.signed_by) if log.signed_by_id else ""),
        (gettext_lazy("Signed at"), lambda log: log.signed_at),
    )

    def get_queryset(self):
        return selectors.logs().order_by("-date")

    def annotate_page(self, queryset):
        return queryset.select_related("signed_by")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "today": timezone.localdate()}


class DayMixin(StaffRequiredMixin):
    roles = DESK_ROLES

    def load(self, request, *args, **kwargs):
        self.day = selectors.day_or_404(kwargs["day"])

    def back(self):
        return redirect("desk:frontdesk:management_log_day", day=self.day.isoformat())


class ManagementLogDayView(DayMixin, TemplateView):
    """The day's log with the forms its reader may use; a form posted with errors comes back
    here with them beside its fields (400)."""

    template_name = "frontdesk/management_log/day.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        log = selectors.log_of(self.day)
        content, frozen = selectors.content_of(log, self.day)
        signed = log is not None and log.status == ManagementLog.Status.SIGNED
        ctx |= {
            "day": self.day,
            "log": log,
            "content": content,
            "sections_html": sections_html(content["sections"]),
            "frozen": frozen,
            "signed": signed,
            "is_today": self.day == timezone.localdate(),
            "may_sign": not signed and user.has_role(*SUPERVISOR_ROLES),
            "may_note": not signed,
            "may_close": not signed,
            "events": list(timeline(log)) if log is not None else [],
        }
        if ctx["may_sign"]:
            initial = {"building_remarks": log.building_remarks, "manager_opinion": log.manager_opinion} if log else {}
            ctx.setdefault("remarks_form", RemarksForm(initial=initial, prefix="remarks"))
        if ctx["may_note"]:
            ctx.setdefault("item_form", ActionItemForm(prefix="item"))
        return ctx


class DayStepView(PageStepMixin, ManagementLogDayView):
    """A form posted from the day's page (remarks, an item); GET goes back to the page."""

    form_class = RemarksForm


class ManagementLogRemarksView(DayStepView):
    roles = SUPERVISOR_ROLES
    form_class = RemarksForm
    prefix = "remarks"
    context_key = "remarks_form"

    def run(self, form):
        services.log_write_remarks(day=self.day, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Remarks saved."))


class ManagementLogItemView(DayStepView):
    form_class = ActionItemForm
    prefix = "item"
    context_key = "item_form"

    def run(self, form):
        services.log_add_item(day=self.day, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Item noted on the log: it is carried forward until closed."))


class ManagementLogSignView(DayMixin, View):
    roles = SUPERVISOR_ROLES

    def get(self, request, *args, **kwargs):
        return self.back()

    def post(self, request, *args, **kwargs):
        try:
            services.log_sign(day=self.day, by=request.user)
        except TransitionRefused as exc:
            messages.warning(request, exc.message)
        else:
            messages.success(request, _("The log of %(day)s is signed; its PDF is on its way.") % {"day": self.day})
        return self.back()


class ManagementLogPdfView(DayMixin, View):
    def get(self, request, *args, **kwargs):
        log = selectors.log_of(self.day)
        if log is None or log.document is None:
            raise Http404
        return pdf_response(log.document)
