"""The tenant's complaint pages in the portal: the company's complaints, filing one from a phone,
and a complaint's progress in plain words with the reply once it is sent (internal notes and
the staff's names stay at the desk)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView

from jinyuan.lists import RegisterView
from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.views import ActionsMixin, ServiceFormMixin
from tenants.access import TenantMemberRequiredMixin

from .. import selectors, services
from ..filters import PortalComplaintFilter
from ..forms import PortalComplaintForm
from ..models import COMPLAINTS_AREA, Complaint

# What a tenant reads for each step (no notes, no names); a sent reply is shown in full.
PROGRESS = {
    "complaint.recorded": gettext_lazy("We received your complaint."),
    "complaint.acknowledged": gettext_lazy("The service center has taken up your complaint."),
    "complaint.assigned": gettext_lazy("The department concerned is looking into it."),
    "complaint.handed_over": gettext_lazy("Another colleague takes it over."),
    "complaint.reply_proposed": gettext_lazy("A reply is being prepared."),
    "complaint.sent_back": gettext_lazy("The reply is being reworked."),
    "complaint.reply_approved": gettext_lazy("The reply has been approved."),
    "complaint.waiting": gettext_lazy("We are waiting for information from you."),
    "complaint.resumed": gettext_lazy("Work on your complaint has resumed."),
    "complaint.replied": gettext_lazy("We have replied."),
    "complaint.reply_emailed": gettext_lazy("The reply was e-mailed to you."),
    "complaint.followup_recorded": gettext_lazy("We called you back about our reply."),
    "complaint.reopened": gettext_lazy("Your complaint has been reopened."),
    "complaint.cancelled": gettext_lazy("Cancelled by the service center."),
    "complaint.withdrawn": gettext_lazy("Withdrawn."),
    "complaint.attachment_added": gettext_lazy("A file was added."),
}
# Steps a tenant does not see at all: internal (validity).
HIDDEN = {"complaint.validity_marked"}


class PortalComplaintListView(TenantMemberRequiredMixin, RegisterView):
    template_name = "complaints/portal/complaint_list.html"
    filterset_class = PortalComplaintFilter
    grant_area = COMPLAINTS_AREA
    paginate_by = 20

    def get_queryset(self):
        return selectors.member_complaints(self.request.user, self.membership)

    def annotate_page(self, queryset):
        return queryset.select_related("category")


class PortalComplaintNewView(TenantMemberRequiredMixin, ServiceFormMixin, FormView):
    template_name = "complaints/portal/complaint_new.html"
    form_class = PortalComplaintForm
    grant_area = COMPLAINTS_AREA

    def get_initial(self):
        return {"complainant_phone": getattr(self.request.user, "phone", "") or ""}

    def run_service(self, form):
        complaint = services.record_with_attachments(
            by=self.request.user,
            category=form.cleaned_data["category"],
            files=form.cleaned_data.get("files"),
            channel=Complaint.Channel.PORTAL,
            **form.record_fields(),
        )
        messages.success(self.request, _("Your complaint %(number)s has been sent.") % {"number": complaint.number})
        return redirect("portal:complaints:complaint_detail", pk=complaint.pk)


class PortalComplaintDetailView(TenantMemberRequiredMixin, ActionsMixin, DetailView):
    template_name = "complaints/portal/complaint_detail.html"
    context_object_name = "complaint"
    grant_area = COMPLAINTS_AREA
    action_services = {"withdraw": lambda obj, by, note: services.withdraw(obj, by=by, reason=note)}

    def get_object(self, queryset=None):
        return selectors.complaint_for(self.request.user, self.kwargs["pk"], membership=self.membership)

    def get_context_data(self, **kwargs):
        complaint = self.object
        ctx = super().get_context_data(events=(), **kwargs)
        ctx["progress"] = [
            (
                event.at,
                PROGRESS.get(event.action, event.action_label),
                event.note if event.action == "complaint.replied" else "",
            )
            for event in timeline(complaint)
            if event.action not in HIDDEN
        ]
        ctx["complainant"] = selectors.complainant_for(complaint, self.request.user)
        ctx["files"] = selectors.attachments_of(complaint)
        return ctx
