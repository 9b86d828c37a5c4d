"""Credit notes 贷项通知单: issue and void (see billing.credit_note_models for the design)."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from jinyuan.documents.registry import DocumentKind
from jinyuan.documents.services import document_issue, document_revoke
from jinyuan.workflow.services import TransitionRefused, next_number, record_event
from tenants.models import Tenant
from tenants.services import notify_tenant as tell_tenant

from .credit_note_models import CreditNote
from .documents import ISSUER
from .models import ZERO, BillLine, FeeItem, Payment
from .money import rmb_upper, round_money
from .services import LineSpec, _allocate, _apply_credit, _bill_lines, _new_bill, lock_tenant

PREFIX = "HS"
# The fee item of a voided credit note's reversal bill (billing migration 0017).
REVERSAL_ITEM = "credit_note_reversal"


def credit_note_data(payment: Payment) -> dict:
    """What the credit note says, frozen at issue (its source is the payment that carries it)."""
    return {
        "payer": payment.payer.name,
        "amount": f"{payment.amount:,.2f}",
        "amount_upper": rmb_upper(payment.amount),
        "title": payment.note,
        "issued_by": str(payment.received_by),
        "issued_on": timezone.localtime(payment.received_at).strftime("%Y-%m-%d"),
        "issuer": ISSUER,
    }


CREDIT_NOTE = DocumentKind(
    code="credit_note",
    prefix=PREFIX,
    title=gettext_lazy("Credit note"),
    template="billing/pdf/credit_note.html",
    build_data=credit_note_data,
    verify_fields=(
        ("payer", gettext_lazy("Payer")),
        ("amount", gettext_lazy("Amount (CNY)")),
        ("title", gettext_lazy("Title")),
        ("issued_on", gettext_lazy("Issued on")),
    ),
)


def credit_note_issue(*, tenant: Tenant, amount: Decimal, title: str, by: Any, source_key: str = "") -> CreditNote:
    """Put ``amount`` on the tenant's account: a payment of method credit note, its paper (a kernel
    document numbered ``HS-YYYY-NNNNN``, the payment's receipt) and the credit note row; its open
    bills consume the credit at once, the oldest first, and its next bills after."""
    amount = round_money(amount)
    if amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    with transaction.atomic():
        lock_tenant(tenant)
        if source_key and CreditNote.objects.filter(source_key=source_key, status=CreditNote.Status.ISSUED).exists():
            raise TransitionRefused(_("A credit note has already been issued for this."))
        payment = Payment.objects.create(
            tenant=tenant, amount=amount, method=Payment.Method.CREDIT_NOTE, note=title[:200], received_by=by
        )
        paper = document_issue(kind=CREDIT_NOTE.code, source=payment, by=by)
        Payment.objects.filter(pk=payment.pk).update(receipt=paper, reference=paper.number)
        payment.receipt, payment.reference = paper, paper.number
        note = CreditNote.objects.create(
            number=paper.number,
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
            args={"number": note.number, "amount": str(amount)},
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
        note = (
            CreditNote.objects.select_for_update(of=("self",))
            .select_related("payment__receipt", "tenant")
            .get(pk=note.pk)
        )
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
        if payment.receipt_id:  # the paper reads "revoked" on /verify/
            document_revoke(document=payment.receipt, by=by, reason=reason.strip())
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
