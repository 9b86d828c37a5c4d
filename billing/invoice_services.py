"""VAT invoice requests 发票: every write and state change.

A request takes part of one or several payments of one payer (``Payment.invoiced``, reserved at
once, oldest payment first); refusing it gives its amount back, issuing it for less gives back
the difference. The payments are locked (``SELECT … FOR UPDATE``, in id order) while their
invoiced amounts are read and written, so two requests at once never take more than was paid;
the payment's check constraint ``invoiced <= amount`` is the guard of last resort.
"""

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jinyuan.accounts.roles import Role
from jinyuan.accounts.selectors import staff_with_role
from jinyuan.attachments.services import attachment_add
from jinyuan.uploads import PDF
from jinyuan.workflow import deadlines
from jinyuan.workflow.services import check_transition, notify, record_event, transition
from tenants.models import Tenant
from tenants.services import notify_tenant
from tenants.validators import validate_credit_code

from .invoice_models import InvoiceKind, InvoiceProfile, InvoiceRequest, InvoiceRequestLine
from .models import ZERO, Payment
from .money import round_money

BUYER_FIELDS = ("kind", "title", "taxpayer_number", "address", "phone", "bank_name", "bank_account")
# Printed on a 专用发票: required for one.
SPECIAL_FIELDS = ("address", "phone", "bank_name", "bank_account")
PDF_KIND = "e_invoice"


def payer_of(payment: Payment) -> Any:
    """Who paid: the key that every payment of one request shares (today the tenant)."""
    return payment.tenant_id


# --- checks -----------------------------------------------------------------------------------


def check_buyer(fields: dict[str, Any]) -> dict[str, str]:
    """The buyer's particulars, each error beside its field."""
    errors: dict[str, list[str]] = {}
    values = {k: str(fields.get(k) or "").strip() for k in BUYER_FIELDS}
    values["taxpayer_number"] = values["taxpayer_number"].upper()
    if values["kind"] not in InvoiceKind.values:
        errors["kind"] = [_("Choose the type of invoice.")]
    if not values["title"]:
        errors["title"] = [_("This field is required.")]
    try:
        validate_credit_code(values["taxpayer_number"])
    except ValidationError as exc:
        errors["taxpayer_number"] = exc.messages
    if values["kind"] == InvoiceKind.SPECIAL:
        for key in SPECIAL_FIELDS:
            if not values[key]:
                errors[key] = [_("Required for a special VAT invoice (专用发票).")]
    if errors:
        raise ValidationError(errors)
    return values


def _amount(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError({field: _("Enter an amount in yuan.")}) from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError({field: _("Enter an amount above zero.")})
    if amount != round_money(amount):
        raise ValidationError({field: _("At most two decimal places.")})
    return amount


# --- requesting -------------------------------------------------------------------------------


def invoice_request_create(
    *,
    tenant: Tenant,
    payments: Sequence[Payment],
    amount: Any,
    by: Any,
    by_desk: bool = False,
    note: str = "",
    **buyer: Any,
) -> InvoiceRequest:
    """Ask for a VAT invoice of ``amount`` against ``payments`` (all of ``tenant``): at most what
    is left to invoice of them. The tenant's invoice profile keeps these particulars."""
    values = check_buyer(buyer)
    amount = _amount(amount, "amount")
    pks = sorted({p.pk for p in payments})
    if not pks:
        raise ValidationError({"payments": _("Choose at least one payment.")})
    with transaction.atomic():
        # Locked in id order (no deadlock between two requests), taken oldest first.
        locked = list(Payment.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
        locked.sort(key=lambda p: (p.received_at, p.pk))
        if len(locked) != len(pks) or any(payer_of(p) != tenant.pk for p in locked):
            raise ValidationError({"payments": _("Choose payments of the company itself.")})
        left = sum((p.amount - p.invoiced for p in locked), ZERO)
        if amount > left:
            raise ValidationError(
                {"amount": _("At most ¥%(left)s is left to invoice of the payments chosen.") % {"left": left}}
            )
        request = InvoiceRequest.objects.create(
            tenant=tenant, applicant=by, amount=amount, note=(note or "").strip()[:200], **values
        )
        lines, rest = [], amount
        for payment in locked:
            take = min(rest, payment.amount - payment.invoiced)
            if take > 0:
                lines.append(InvoiceRequestLine(request=request, payment=payment, amount=take))
                rest -= take
        InvoiceRequestLine.objects.bulk_create(lines)
        _take(lines)
        deadlines.on_transition(request, "", request.status, now=timezone.now())
        record_event(
            request,
            "invoice_request.requested_by_desk" if by_desk else "invoice_request.requested",
            by=by,
            to_state=request.status,
            data={"amount": str(amount)},
        )
        InvoiceProfile.objects.update_or_create(tenant=tenant, defaults=values)
        notify(
            staff_with_role(Role.FINANCE),
            message=gettext_noop("Invoice requested: %(company)s, ¥%(amount)s"),
            args={"company": tenant.name, "amount": str(amount)},
            url=reverse("desk:billing:invoice_detail", args=[request.pk]),
            dedup_key=f"invoice-request-{request.pk}-requested",
        )
    return request


def _take(lines: Sequence[InvoiceRequestLine]) -> None:
    """Reserve each line's amount on its payment (the payments are locked)."""
    try:
        with transaction.atomic():
            for line in lines:
                Payment.objects.filter(pk=line.payment_id).update(invoiced=F("invoiced") + line.amount)
    except IntegrityError as exc:  # the check constraint: never more than was paid
        raise ValidationError({"amount": _("The amount is more than is left to invoice of the payments.")}) from exc


def _give_back(request: InvoiceRequest, amount: Decimal) -> None:
    """Give ``amount`` of the request back to its payments, the latest taken first."""
    if amount <= 0:
        return
    lines = list(request.lines.order_by("-id"))
    list(Payment.objects.select_for_update().filter(pk__in=[line.payment_id for line in lines]).order_by("pk"))
    for line in lines:
        back = min(amount, line.amount)
        Payment.objects.filter(pk=line.payment_id).update(invoiced=F("invoiced") - back)
        amount -= back
        if amount <= 0:
            break


# --- finance ----------------------------------------------------------------------------------


def invoice_issue(
    *, obj: InvoiceRequest, by: Any, number: str, date: Any, amount: Any, pdf: Any, note: str = ""
) -> InvoiceRequest:
    """Finance records the invoice issued: its number, date, amount (at most the amount asked
    for; less gives the difference back) and the e-invoice's PDF."""
    check_transition(obj, "issue", by=by, note=note)
    errors: dict[str, list[str]] = {}
    number = (number or "").strip()
    if not number:
        errors["number"] = [_("This field is required.")]
    if date is None:
        errors["date"] = [_("This field is required.")]
    elif date > timezone.localdate():
        errors["date"] = [_("The invoice date cannot be in the future.")]
    try:
        amount = _amount(amount, "amount")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    else:
        if amount > obj.amount:
            errors["amount"] = [_("At most the amount requested: ¥%(amount)s.") % {"amount": obj.amount}]
    if pdf is None:
        errors["pdf"] = [_("Upload the e-invoice (PDF).")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        try:
            attachment = attachment_add(
                record=obj, upload=pdf, by=by, kind=PDF_KIND, label=_("E-invoice"), allowed=(PDF,)
            )
        except ValidationError as exc:
            raise ValidationError({"pdf": exc.message_dict.get("file", exc.messages)}) from exc
        transition(
            obj,
            "issue",
            by=by,
            note=note,
            changes={
                "invoice_number": number,
                "invoice_date": date,
                "invoiced_amount": amount,
                "pdf": attachment,
                "issued_by": by,
            },
            data={"number": number, "amount": str(amount)},
        )
        _give_back(obj, obj.amount - amount)
        notify_tenant(
            obj,
            message=gettext_noop(
                "Your VAT invoice %(number)s of ¥%(amount)s has been issued: download it in the portal."
            ),
            args={"number": number, "amount": str(amount)},
            event="issued",
            url=reverse("portal:billing:invoice_detail", args=[obj.pk]),
        )
    return obj


def invoice_refuse(*, obj: InvoiceRequest, by: Any, note: str) -> InvoiceRequest:
    """Finance refuses with a reason: the whole amount goes back to the payments."""
    with transaction.atomic():
        transition(obj, "refuse", by=by, note=note, changes={"refusal_reason": (note or "").strip()[:200]})
        _give_back(obj, obj.amount)
        notify_tenant(
            obj,
            message=gettext_noop("Your invoice request of ¥%(amount)s was refused: %(reason)s"),
            args={"amount": str(obj.amount), "reason": note},
            event="refused",
            url=reverse("portal:billing:invoice_detail", args=[obj.pk]),
        )
    return obj
