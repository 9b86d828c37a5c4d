"""Quote pages of paid repairs: the engineer or the desk proposes (desk:repairs:quote_new), the
tenant answers in the portal (portal:repairs:quote) or on the desk's screen
(desk:repairs:quote_decide). The ticket pages show the quote through the ``quote_panel`` tag."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from billing.forms import collect_lines, paid_line_formsets
from jinyuan.accounts.access import StaffRequiredMixin
from jinyuan.accounts.roles import DESK_ROLES, Role
from jinyuan.params import safe_next
from jinyuan.workflow.services import TransitionRefused
from tenants.access import TenantMemberRequiredMixin

from .. import quotes
from ..models import REPAIRS_AREA, RepairQuote, RepairTicket
from ..quote_forms import QuoteAnswerForm, QuoteNoteForm


def _ticket_queryset():
    return RepairTicket.objects.select_related("category", "tenant", "unit", "assignee")


def back_to(request, ticket: RepairTicket, fallback: str) -> str:
    """Where to go after an action: the page that sent the user (``next``), else the ticket's
    desk page when the desk part declares one, else ``fallback``."""
    return safe_next(request) or getattr(ticket, "deadline_url", "") or fallback


class DeskTicketMixin(StaffRequiredMixin):
    """A ticket at the desk: the desk and supervisors see every ticket; an engineer only the
    tickets assigned to them (another's ticket is a 404, as on their worklist)."""

    def load(self, request, *args, **kwargs):
        self.ticket = get_object_or_404(_ticket_queryset(), pk=kwargs["pk"])
        user = request.user
        if not user.has_role(*DESK_ROLES) and self.ticket.assignee_id != user.pk:
            raise Http404

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["ticket"] = self.ticket
        ctx["current"] = quotes.quote_view(self.ticket)
        ctx["next"] = safe_next(self.request)
        return ctx


class QuoteCreateView(DeskTicketMixin, TemplateView):
    """Propose or revise the quote: items from the price list × quantity, and materials."""

    roles = (Role.ENGINEERING, *DESK_ROLES)
    template_name = "repairs/quotes/quote_form.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["refusal"] = quotes.quotable_refusal(self.ticket)
        if "form" not in ctx:
            ctx["form"] = QuoteNoteForm()
            ctx["lines"], ctx["materials"] = paid_line_formsets(day=timezone.localdate())
        return ctx

    def post(self, request, pk):
        ticket = self.ticket
        form = QuoteNoteForm(request.POST)
        lines, materials = paid_line_formsets(request.POST, day=timezone.localdate())
        line_errors: list[str] = []
        if form.is_valid() and lines.is_valid() and materials.is_valid():
            items, used = collect_lines(lines, materials)
            try:
                quotes.quote_propose(
                    ticket=ticket, items=items, materials=used, by=request.user, note=form.cleaned_data["note"]
                )
            except TransitionRefused as exc:
                messages.warning(request, exc.message)
                return redirect(request.path)
            except ValidationError as exc:
                line_errors = [m for e in exc.error_dict.get("lines", []) for m in e.messages]
                if not line_errors:
                    line_errors = exc.messages
            else:
                messages.success(request, _("Quote proposed: the tenant is asked to accept it."))
                return redirect(back_to(request, ticket, request.path))
        ctx = self.get_context_data(form=form, lines=lines, materials=materials, line_errors=line_errors)
        return self.render_to_response(ctx, status=400)


def _answer(request, ticket: RepairTicket, form: QuoteAnswerForm, via: str) -> str:
    """Run the answer the form carries; returns the message level used."""
    decision = form.cleaned_data["decision"]
    try:
        if decision == "accept":
            quotes.quote_accept(ticket=ticket, by=request.user, via=via)
            messages.success(request, _("Quote accepted: the work goes ahead."))
        else:
            quotes.quote_decline(ticket=ticket, by=request.user, via=via, reason=form.cleaned_data["reason"])
            messages.success(request, _("Quote declined: the repair has ended."))
    except TransitionRefused as exc:
        messages.warning(request, exc.message)
        return "warning"
    return "success"


class QuoteDecideView(DeskTicketMixin, TemplateView):
    """The tenant reads the quote on the desk's screen and the desk records the answer."""

    roles = DESK_ROLES
    template_name = "repairs/quotes/quote_decide.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("form", QuoteAnswerForm())
        return ctx

    def post(self, request, pk):
        form = QuoteAnswerForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        _answer(request, self.ticket, form, RepairQuote.Via.DESK)
        return redirect(back_to(request, self.ticket, request.path))


class PortalQuoteView(TenantMemberRequiredMixin, TemplateView):
    grant_area = REPAIRS_AREA
    """The tenant's own ticket's quote: read it, accept or decline. Another company's ticket
    is a 404."""

    template_name = "repairs/quotes/portal_quote.html"

    def get_ticket(self) -> RepairTicket:
        return get_object_or_404(_ticket_queryset().filter(tenant=self.tenant), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["ticket"] = ticket = kwargs.get("ticket") or self.get_ticket()
        ctx["current"] = quotes.quote_view(ticket)
        ctx.setdefault("form", QuoteAnswerForm())
        return ctx

    def post(self, request, pk):
        ticket = self.get_ticket()
        form = QuoteAnswerForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, ticket=ticket), status=400)
        _answer(request, ticket, form, RepairQuote.Via.PORTAL)
        return redirect(safe_next(request) or request.path)
