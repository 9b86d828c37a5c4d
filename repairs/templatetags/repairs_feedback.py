"""``{% feedback_panel ticket user %}``: the sign-off, ratings and return visits of a ticket on
its page (desk, engineer and portal). Two queries whatever the number of ratings and visits."""

from typing import Any

from django import template
from django.urls import reverse

from jinyuan.accounts.roles import DESK_ROLES

from ..models import RepairTicket
from ..selectors import feedback_of

register = template.Library()


@register.inclusion_tag("repairs/feedback/panel.html")
def feedback_panel(ticket: RepairTicket, user: Any) -> dict[str, Any]:
    desk = bool(user and user.is_authenticated and user.has_role(*DESK_ROLES))
    staff = bool(user and user.is_authenticated and getattr(user, "is_desk_staff", False))
    # A page that shows the ticket has already scoped it to the user: a tenant sees only its
    # company's tickets, so the portal link needs no further query.
    portal = not staff
    sign_off_url = ""
    if ticket.status == RepairTicket.Status.COMPLETED:
        if desk:
            sign_off_url = reverse("desk:repairs:sign_off", args=[ticket.pk])
        elif portal and ticket.tenant_id:
            sign_off_url = reverse("portal:repairs:sign_off", args=[ticket.pk])
    return {
        "ticket": ticket,
        "portal": portal,
        "sign_off_url": sign_off_url,
        "may_record": desk,
        **feedback_of(ticket),
    }
