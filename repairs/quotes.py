"""Paid repairs: the quote (报价) from the price list, the tenant's answer, and the charge on
completion. Every write here; the lines are checked by billing.paid, the same check as the
desk's paid-service charge, and billed through billing.paid_services.service_charge."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from billing.models import ZERO, Bill
from billing.paid import MaterialLine, PaidItem, paid_lines
from billing.paid_services import service_charge
from jinyuan.workflow.services import TransitionRefused, record_event, transition
from tenants.services import notify_tenant

from .models import RepairQuote, RepairQuoteLine, RepairQuoteMaterial, RepairTicket, quote_proposer, tenant_or_desk

# States in which a quote may be proposed: the engineer has taken the job (accepted) or is on
# site, and work has not started; or the ticket already waits for the tenant on a quote.
QUOTABLE = (RepairTicket.Status.ACCEPTED, RepairTicket.Status.ON_SITE, RepairTicket.Status.PAUSED)


@dataclass(frozen=True)
class QuoteView:
    """A quote with its lines, read once for a page."""

    quote: RepairQuote
    lines: list[RepairQuoteLine]
    materials: list[RepairQuoteMaterial]


def live_quote(ticket: RepairTicket) -> RepairQuote | None:
    return ticket.quotes.filter(status__in=RepairQuote.LIVE).first()


def quotable_refusal(ticket: RepairTicket) -> str:
    """Why no quote can be proposed on this ticket now ("" when it can)."""
    if not ticket.category.paid:
        return _("This repair category is free of charge: no quote is needed.")
    if ticket.tenant_id is None:
        return _("A public-area repair has no tenant to pay it: it cannot be quoted.")
    if ticket.status not in QUOTABLE:
        return _("A quote is made once the engineer has taken the job and before the work is done.")
    if ticket.status == RepairTicket.Status.PAUSED and not _waits_on_quote(ticket):
        return _("The work is paused: resume it before proposing a quote.")
    return ""


def _waits_on_quote(ticket: RepairTicket) -> bool:
    return (
        ticket.status == RepairTicket.Status.PAUSED
        and ticket.pause_reason == RepairTicket.PauseReason.TENANT
        and ticket.quotes.filter(status=RepairQuote.Status.PROPOSED).exists()
    )


def quote_propose(
    *,
    ticket: RepairTicket,
    items: list[PaidItem],
    materials: list[MaterialLine],
    by: Any,
    note: str = "",
    on: date | None = None,
) -> RepairQuote:
    """Propose (or revise) the quote of a paid repair, priced on ``on`` (today). A live quote
    is superseded. On site, the work pauses for the tenant's answer (the completion deadline
    pauses with it). Bad lines raise ValidationError({"lines": [...]}) and save nothing."""
    if not quote_proposer(ticket, by):
        raise PermissionDenied
    refusal = quotable_refusal(ticket)
    if refusal:
        raise TransitionRefused(refusal)
    on = on or timezone.localdate()
    specs = paid_lines(items, materials, on=on)
    with transaction.atomic():
        ticket = RepairTicket.objects.select_for_update().select_related("category").get(pk=ticket.pk)
        refusal = quotable_refusal(ticket)
        if refusal:
            raise TransitionRefused(refusal)
        superseded = list(ticket.quotes.filter(status__in=RepairQuote.LIVE).values_list("pk", flat=True))
        ticket.quotes.filter(pk__in=superseded).update(status=RepairQuote.Status.SUPERSEDED)
        total = sum((spec.amount for spec in specs), ZERO)
        quote = RepairQuote.objects.create(
            ticket=ticket, quoted_on=on, total=total, note=note.strip()[:200], proposed_by=by
        )
        item_specs, material_specs = specs[: len(items)], specs[len(items) :]
        RepairQuoteLine.objects.bulk_create(
            RepairQuoteLine(
                quote=quote,
                fee_item=item.fee_item,
                quantity=item.quantity,
                unit_price=spec.unit_price,
                reason=item.reason.strip()[:200],
                amount=spec.amount,
            )
            for item, spec in zip(items, item_specs, strict=True)
        )
        RepairQuoteMaterial.objects.bulk_create(
            RepairQuoteMaterial(
                quote=quote,
                description=spec.description,
                quantity=spec.quantity,
                unit_price=spec.unit_price,
                amount=spec.amount,
            )
            for spec in material_specs
        )
        data = {"quote": quote.pk, "total": str(total), "superseded": superseded}
        if ticket.status == RepairTicket.Status.ON_SITE:
            # Work stops until the tenant answers: the ticket waits for the tenant.
            transition(
                ticket,
                "await_quote",
                by=by,
                note=quote.note,
                data=data,
                changes={"pause_reason": RepairTicket.PauseReason.TENANT},
            )
        else:
            record_event(ticket, "repair.quote_proposed", by=by, note=quote.note, data=data)
        notify_tenant(
            ticket,
            message=gettext_noop("Quote for repair %(number)s: CNY %(total)s. Please accept or decline it."),
            args={"number": ticket.number, "total": str(total)},
            event=f"quote-{quote.pk}",
            url=reverse("portal:repairs:quote", args=[ticket.pk]),
        )
    return quote


def _open_quote(ticket: RepairTicket) -> RepairQuote:
    quote = RepairQuote.objects.select_for_update().filter(ticket=ticket, status=RepairQuote.Status.PROPOSED).first()
    if quote is None:
        raise TransitionRefused(_("There is no quote waiting for an answer."))
    return quote


def quote_accept(*, ticket: RepairTicket, by: Any, via: str) -> RepairQuote:
    """The tenant accepts the open quote (``via`` portal, or desk on the tenant's behalf); a
    ticket paused for it resumes on site."""
    if not tenant_or_desk(ticket, by):
        raise PermissionDenied
    with transaction.atomic():
        quote = _open_quote(ticket)
        changed = RepairQuote.objects.filter(pk=quote.pk, status=RepairQuote.Status.PROPOSED).update(
            status=RepairQuote.Status.ACCEPTED, decided_by=by, decided_at=timezone.now(), decided_via=via
        )
        if not changed:
            raise TransitionRefused(_("Someone else has just answered this quote. Reload and check."))
        data = {"quote": quote.pk, "total": str(quote.total), "via": via}
        ticket.refresh_from_db(fields=["status", "pause_reason"])
        if ticket.status == RepairTicket.Status.PAUSED:
            transition(ticket, "accept_quote", by=by, data=data, changes={"pause_reason": ""})
        else:
            record_event(ticket, "repair.quote_accepted", by=by, data=data)
    quote.refresh_from_db()
    return quote


def quote_decline(*, ticket: RepairTicket, by: Any, via: str, reason: str = "") -> RepairQuote:
    """The tenant declines the open quote: the repair ends (cancelled, with the reason)."""
    if not tenant_or_desk(ticket, by):
        raise PermissionDenied
    with transaction.atomic():
        quote = _open_quote(ticket)
        RepairQuote.objects.filter(pk=quote.pk).update(
            status=RepairQuote.Status.DECLINED,
            decided_by=by,
            decided_at=timezone.now(),
            decided_via=via,
            note=(reason.strip() or quote.note)[:200],
        )
        ticket.refresh_from_db(fields=["status"])
        transition(
            ticket,
            "decline_quote",
            by=by,
            note=reason.strip() or _("The tenant declined the quote."),
            data={"quote": quote.pk, "total": str(quote.total), "via": via},
        )
    quote.refresh_from_db()
    return quote


def accepted_quote(ticket: RepairTicket) -> RepairQuote | None:
    return ticket.quotes.filter(status=RepairQuote.Status.ACCEPTED).first()


def check_completable(ticket: RepairTicket) -> None:
    """A paid repair is completed only with a quote the tenant accepted."""
    if ticket.category.paid and ticket.tenant_id is not None and accepted_quote(ticket) is None:
        raise TransitionRefused(_("This is a paid repair: the tenant must accept a quote before it is completed."))


def quote_bill(*, ticket: RepairTicket, by: Any) -> Bill | None:
    """Bill the accepted quote of a completed paid repair to the ticket's tenant, once: the
    quote row is locked and remembers its bill, and the bill's source key is the ticket."""
    with transaction.atomic():
        quote = (
            RepairQuote.objects.select_for_update().filter(ticket=ticket, status=RepairQuote.Status.ACCEPTED).first()
        )
        if quote is None or ticket.tenant_id is None:
            return None
        if quote.bill_id is not None:
            return quote.bill
        lines = list(quote.lines.select_related("fee_item"))
        try:
            charge = service_charge(
                tenant=ticket.tenant,
                items=[PaidItem(x.fee_item, x.quantity, x.unit_price, x.reason) for x in lines],
                materials=[MaterialLine(x.description, x.quantity, x.unit_price) for x in quote.materials.all()],
                title=_("Repair %(number)s: %(category)s") % {"number": ticket.number, "category": ticket.category},
                description=ticket.description,
                by=by,
                source=ticket,
                visit=False,
                priced_on=quote.quoted_on,
            )
        except ValidationError as exc:
            # The price list changed under the quote (an item withdrawn): say so rather than fail.
            raise TransitionRefused(
                _("The quote can no longer be billed (%(why)s): revise it with the tenant.")
                % {"why": " ".join(exc.messages)}
            ) from exc
        RepairQuote.objects.filter(pk=quote.pk).update(bill=charge.bill)
        record_event(ticket, "repair.billed", by=by, data={"bill": charge.bill.number, "total": str(charge.bill.total)})
    return charge.bill


def quote_view(ticket: RepairTicket) -> QuoteView | None:
    """The quote a ticket page shows: the live one, else the latest (declined). Three queries
    when there is one (quote, its lines, its materials), one when there is none."""
    quote = (
        RepairQuote.objects.filter(ticket_id=ticket.pk)
        .exclude(status=RepairQuote.Status.SUPERSEDED)
        .select_related("bill", "proposed_by", "decided_by")
        .order_by("-proposed_at", "-id")
        .first()
    )
    if quote is None:
        return None
    lines = list(RepairQuoteLine.objects.filter(quote=quote).select_related("fee_item"))
    materials = list(RepairQuoteMaterial.objects.filter(quote=quote))
    return QuoteView(quote, lines, materials)
