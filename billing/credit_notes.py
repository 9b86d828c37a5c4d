"""Credit notes 贷项通知单: issue and void (see billing.credit_note_models for the design)."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jinyuan.workflow.services import TransitionRefused, next_number, record_event
from tenants.models import Tenant
from tenants.services import notify_tenant as tell_tenant

from .credit_note_models import CreditNote
from .models import ZERO, BillLine, FeeItem, Payment
from .money import round_money
from .services import LineSpec, _allocate, _apply_credit, _bill_lines, _new_bill, lock_tenant

PREFIX = "HS"
# The fee item of a voided credit note's reversal bill (billing migration 0017).
REVERSAL_ITEM = "credit_note_reversal"


def credit_note_issue(*, tenant: Tenant, amount: Decimal, title: str, by: Any, source_key: str = "") -> CreditNote:
    """Put ``amount`` on the tenant's account under a new gapless number: a payment of method
    credit note that its open bills consume at once, the oldest first, and its next bills after."""
    amount = round_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    with transaction.atomic():
        lock_tenant(tenant)
        if source_key and CreditNote.objects.filter(source_key=source_key, status=CreditNote.Status.ISSUED).exists():
            raise TransitionRefused(_("A credit note has already been issued for this."))
        number = next_number(PREFIX)
        payment = Payment.objects.create(
            tenant=tenant,
            amount=amount,
            method=Payment.Method.CREDIT_NOTE,
            reference=number,
            note=title[:200],
            received_by=by,
        )
        note = CreditNote.objects.create(
            number=number,
            tenant=tenant,
            amount=amount,
            title=title[:100],
            source_key=source_key,
            payment=payment,
            created_by=by,
        )
        record_event(note, "credit_note.issued", by=by, to_state=note.status, data={"amount": str(amount)})
        _apply_credit(tenant, by)
        tell_tenant(
            note,
            message=gettext_noop("Credit note %(number)s: CNY %(amount)s credited to your account"),
            args={"number": number, "amount": str(amount)},
            event="issued",
            url=reverse("portal:billing:billing_home"),
        )
    return note


def credit_note_void(*, note: CreditNote, by: Any, reason: str) -> CreditNote:
    """Void a mistaken credit note with a reason, only while nothing of it is allocated: a
    reversal bill of its amount, paid by the credit note's own payment, takes it out of the
    balance (the statement keeps both lines, as for a void bill)."""
    if not (reason or "").strip():
        raise ValidationError({"note": _("Please give a reason.")})
    with transaction.atomic():
        lock_tenant(note.tenant)
        note = CreditNote.objects.select_for_update().select_related("payment", "tenant").get(pk=note.pk)
        payment = note.payment
        if note.status != CreditNote.Status.ISSUED:
            raise TransitionRefused(_("This credit note is already void."))
        if payment.allocated > ZERO:
            raise TransitionRefused(_("Part of this credit note has paid bills: it can no longer be voided."))
        item, _created = FeeItem.objects.get_or_create(
            code=REVERSAL_ITEM,
            defaults={"name": "贷项通知单冲销", "kind": FeeItem.Kind.ONE_OFF, "price": ZERO, "is_active": False},
        )
        line = LineSpec(
            fee_item=item,
            description=_("Credit note %(number)s voided") % {"number": note.number},
            quantity=Decimal(1),
            unit_price=note.amount,
        )
        today = timezone.localdate()
        bill = _new_bill(
            number=next_number("ZD"),
            tenant=note.tenant,
            title=line.description,
            lines=[line],
            by=by,
            issued_on=today,
            due_date=today,
            source_key=f"creditnote-void:{note.pk}",
        )
        bill.save(force_insert=True)
        BillLine.objects.bulk_create(_bill_lines(bill, [line]))
        record_event(bill, "bill.issued", by=by, to_state=bill.status, data={"total": str(bill.total)})
        _allocate(payment, [bill], by)
        CreditNote.objects.filter(pk=note.pk).update(
            status=CreditNote.Status.VOID, void_reason=reason.strip(), voided_at=timezone.now(), reversal=bill
        )
        record_event(
            note,
            "credit_note.voided",
            by=by,
            from_state="issued",
            to_state="void",
            note=reason.strip(),
            data={"bill": bill.number},
        )
    note.refresh_from_db()
    return note


def credit_left(note: CreditNote) -> Decimal:
    """What of the credit note is still on the account (nothing once void)."""
    if note.status == CreditNote.Status.VOID:
        return ZERO
    return note.payment.amount - note.payment.allocated
