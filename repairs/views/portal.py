"""The tenant's repair pages in the portal: the company's tickets, reporting one from a phone,
and a ticket's progress in plain words."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView

from jinyuan.lists import RegisterView
from jinyuan.workflow.selectors import timeline
from jinyuan.workflow.views import ServiceFormMixin
from tenants.access import TenantMemberRequiredMixin

from .. import selectors, services
from ..filters import PortalTicketFilter
from ..forms import PortalReportForm
from ..models import REPAIRS_AREA

# What a tenant reads for each step of the ticket (internal notes and names stay at the desk).
PROGRESS = {
    "repair.reported": gettext_lazy("We received your report."),
    "repair.dispatched": gettext_lazy("An engineer has been assigned."),
    "repair.pooled": gettext_lazy("Waiting for the next free engineer."),
    "repair.handed_over": gettext_lazy("Another engineer takes over."),
    "repair.taken": gettext_lazy("An engineer has taken your repair."),
    "repair.accepted": gettext_lazy("The engineer is on the way."),
    "repair.arrived": gettext_lazy("The engineer is on site."),
    "repair.paused": gettext_lazy("Work paused (waiting for parts or for you)."),
    "repair.resumed": gettext_lazy("Work resumed."),
    "repair.completed": gettext_lazy("The repair is done."),
    "repair.closed": gettext_lazy("Closed."),
    "repair.cancelled": gettext_lazy("Cancelled."),
    "repair.attachment_added": gettext_lazy("A photo was added."),
}


class PortalTicketListView(TenantMemberRequiredMixin, RegisterView):
    template_name = "repairs/portal/ticket_list.html"
    filterset_class = PortalTicketFilter
    grant_area = REPAIRS_AREA
    paginate_by = 20

    def get_queryset(self):
        return selectors.tickets_of(self.tenant)

    def annotate_page(self, queryset):
        return queryset.select_related("unit", "category")


class PortalTicketNewView(TenantMemberRequiredMixin, ServiceFormMixin, FormView):
    template_name = "repairs/portal/ticket_new.html"
    form_class = PortalReportForm
    grant_area = REPAIRS_AREA

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "tenant": self.tenant}

    def get_initial(self):
        user = self.request.user
        return {"phone": getattr(user, "phone", "") or ""}

    def run_service(self, form):
        ticket = services.report_with_photos(
            by=self.request.user,
            category=form.cleaned_data["category"],
            photos=form.cleaned_data.get("photos"),
            **form.report_fields(self.tenant, self.request.user),
        )
        messages.success(self.request, _("Your repair %(number)s has been reported.") % {"number": ticket.number})
        return redirect("portal:repairs:ticket_detail", pk=ticket.pk)


class PortalTicketDetailView(TenantMemberRequiredMixin, DetailView):
    template_name = "repairs/portal/ticket_detail.html"
    context_object_name = "ticket"
    grant_area = REPAIRS_AREA

    def get_object(self, queryset=None):
        return selectors.ticket_for_tenant(self.kwargs["pk"], self.tenant)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["progress"] = [
            (event.at, PROGRESS.get(event.action, event.action_label)) for event in timeline(self.object)
        ]
        ctx["photos"] = selectors.photos_of(self.object)
        ctx["side"] = "portal"  # for the quote and feedback panels
        return ctx
