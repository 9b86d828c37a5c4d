"""Paid services 有偿服务: a service done is charged in one go (bill, payment, receipt, return
visit). The lines are checked by billing.paid, the one check the repair quotes share."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.followups.services import followup_schedule
from jinyuan.workflow.services import next_number, record_event
from tenants.models import Tenant

from . import services
from .models import Payment, ServiceCharge
from .paid import MaterialLine, PaidItem, paid_lines

NUMBER_PREFIX = "FW"
# A charged paid service gets a return visit (回访) within three days.
VISIT_WITHIN = timedelta(days=3)


@dataclass(frozen=True)
class PaidNow:
    """Money the tenant hands over at the desk with the charge."""

    amount: Decimal
    method: str
    reference: str = ""
    submission_key: uuid.UUID | None = None


def source_key_of(source: models.Model) -> str:
    """The bill's source key of a charge made for ``source``: one live bill per record."""
    return f"{source._meta.label_lower}:{source.pk}"


def service_charge(
    *,
    tenant: Tenant,
    items: list[PaidItem],
    materials: list[MaterialLine],
    title: str,
    by: Any,
    done_on: date | None = None,
    source: models.Model | None = None,
    visit: bool = True,
    payment: PaidNow | None = None,
    description: str = "",
    priced_on: date | None = None,
) -> ServiceCharge:
    """Charge a paid service: the bill (priced on ``done_on`` from the price list), the charge
    record, the payment with its receipt when the tenant pays now, and a return visit within
    three days when ``visit`` (a repair has its own visit). ``priced_on``: the day whose price
    list applies when it is not ``done_on`` (a repair is billed at the prices of its quote).

    Raises ValidationError for bad lines (``lines``) or payment (``amount``, ``method``), and
    TransitionRefused when ``source`` was billed already; nothing is saved then. A resent desk
    form raises services.DuplicateSubmission (its ``payment`` is the first one) and rolls back.
    """
    done_on = done_on or timezone.localdate()
    if not title.strip():
        raise ValidationError({"title": _("Say what service was done.")})
    lines = paid_lines(items, materials, on=priced_on or done_on)
    if payment is not None:
        if payment.amount is None or payment.amount <= 0:
            raise ValidationError({"amount": _("The amount must be more than zero.")})
        if payment.method not in dict(Payment.RECEIVED_METHODS):
            raise ValidationError({"method": _("Choose a payment method.")})
    with transaction.atomic():
        bill = services.bill_create(
            tenant=tenant,
            title=title.strip(),
            lines=lines,
            by=by,
            source_key=source_key_of(source) if source is not None else "",
        )
        charge = ServiceCharge.objects.create(
            number=next_number(NUMBER_PREFIX),
            tenant=tenant,
            title=title.strip(),
            description=description.strip(),
            bill=bill,
            source_type=ContentType.objects.get_for_model(source) if source is not None else None,
            source_id=source.pk if source is not None else None,
            done_on=done_on,
            created_by=by,
        )
        record_event(
            charge,
            "service_charge.charged",
            by=by,
            data={"bill": bill.number, "total": str(bill.total)},
        )
        if payment is not None:
            services.payment_record(
                tenant=tenant,
                amount=payment.amount,
                method=payment.method,
                reference=payment.reference,
                bills=[bill],
                by=by,
                submission_key=payment.submission_key,
            )
        if visit:
            followup_schedule(record=charge, due=timezone.localdate() + VISIT_WITHIN, by=by)
    return charge


def charge_of_payment(payment: Payment) -> ServiceCharge | None:
    """The charge a payment was taken with (a resent form leads back to it)."""
    return ServiceCharge.objects.filter(bill__allocations__payment=payment).first()
