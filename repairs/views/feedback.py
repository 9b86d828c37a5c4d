"""The tenant's sign-off and ratings of a completed repair: in the portal, or on the desk's
screen (the tenant fills the same form at the counter). Thin: the service decides."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView

from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.workflow.services import TransitionRefused
from jinyuan.workflow.views import ServiceFormMixin
from tenants.access import TenantMemberRequiredMixin

from .. import selectors, services
from ..forms import SignOffForm
from ..models import REPAIRS_AREA, RepairRating, RepairTicket


def ticket_url(ticket: RepairTicket, *, portal: bool) -> str:
    """The ticket's page (the record's declared detail page), else its sign-off page."""
    url = ticket.deadline_portal_url if portal else ticket.deadline_url
    if url:
        return url
    name = "portal:repairs:sign_off" if portal else "desk:repairs:sign_off"
    return reverse(name, args=[ticket.pk])


class _SignOffView(ServiceFormMixin, FormView):
    form_class = SignOffForm
    template_name = "repairs/feedback/sign_off.html"
    portal = False
    channel = RepairRating.Channel.PORTAL

    @cached_property
    def ticket(self) -> RepairTicket:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "ticket": self.ticket,
            "portal": self.portal,
            "base_template": "portal/base.html" if self.portal else "desk/base.html",
            "back_url": ticket_url(self.ticket, portal=self.portal),
            "waiting": self.ticket.status == RepairTicket.Status.COMPLETED,
        }

    def run_service(self, form):
        ticket = self.ticket
        try:
            rating = services.sign_off(ticket, by=self.request.user, channel=self.channel, **form.cleaned_data)
        except TransitionRefused as exc:
            messages.warning(self.request, exc.message)
            return redirect(ticket_url(ticket, portal=self.portal))
        except PermissionDenied:
            raise
        if rating.satisfied:
            messages.success(self.request, _("Thank you: the repair is signed off and closed."))
        else:
            messages.warning(self.request, _("The repair is reopened and goes back to the engineer."))
        return redirect(ticket_url(ticket, portal=self.portal))


class PortalSignOffView(TenantMemberRequiredMixin, _SignOffView):
    grant_area = REPAIRS_AREA
    portal = True
    channel = RepairRating.Channel.PORTAL

    @cached_property
    def ticket(self) -> RepairTicket:
        return selectors.ticket_for_tenant(self.kwargs["pk"], self.tenant)

    def get(self, request, *args, **kwargs):
        self.ticket  # noqa: B018 - another company's ticket: 404 before anything renders
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.ticket  # noqa: B018
        return super().post(request, *args, **kwargs)


class DeskSignOffView(StaffRequiredMixin, _SignOffView):
    """The tenant signs on the desk's screen; the clerk is the one logged in."""

    roles = DESK_ROLES
    portal = False
    channel = RepairRating.Channel.DESK

    def load(self, request, *args, **kwargs):
        self.__dict__["ticket"] = selectors.ticket_for_desk(kwargs["pk"])
