"""``{% quote_panel ticket user %}``: a paid repair's quote on any ticket page, with the actions
the user may take. A fixed number of queries whatever the number of lines: the quote, its
lines, its materials, and for a tenant user their membership."""

from django import template
from django.urls import reverse

from jinyuan.accounts.roles import DESK_ROLES, MONEY_ROLES, Role

from .. import quotes
from ..models import RepairQuote, RepairTicket, quote_proposer, tenant_or_desk

register = template.Library()


@register.inclusion_tag("repairs/quotes/_panel.html", takes_context=True)
def quote_panel(context, ticket: RepairTicket, user) -> dict:
    request = context.get("request")
    ctx = {"ticket": ticket, "shown": False, "csrf_token": context.get("csrf_token")}
    if ticket is None or not ticket.category.paid:
        return ctx
    current = quotes.quote_view(ticket)
    proposed = current is not None and current.quote.status == RepairQuote.Status.PROPOSED
    staff = bool(user and user.is_authenticated and user.has_role(Role.ENGINEERING, *DESK_ROLES))
    ctx.update(shown=True, current=current, here=request.get_full_path() if request else "")
    ctx["refusal"] = _refusal(ticket, current)
    if staff:
        ctx["may_propose"] = not ctx["refusal"] and quote_proposer(ticket, user)
        ctx["may_decide_desk"] = proposed and user.has_role(*DESK_ROLES)
        if current is not None and current.quote.bill_id and user.has_role(*MONEY_ROLES):
            ctx["bill_url"] = reverse("desk:billing:bill_detail", args=[current.quote.bill_id])
    elif proposed and user is not None and user.is_authenticated:
        ctx["may_decide_portal"] = tenant_or_desk(ticket, user)
    return ctx


def _refusal(ticket: RepairTicket, current) -> str:
    """Why no quote may be proposed now, without another query (the live quote is read already)."""
    if ticket.tenant_id is None:
        return quotes.quotable_refusal(ticket)
    if ticket.status not in quotes.QUOTABLE:
        return quotes.quotable_refusal(ticket)
    waiting = current is not None and current.quote.status == RepairQuote.Status.PROPOSED
    if ticket.status == RepairTicket.Status.PAUSED and not waiting:
        return quotes.quotable_refusal(ticket)
    return ""
