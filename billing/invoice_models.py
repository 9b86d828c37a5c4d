"""VAT invoice requests 发票 (issue 14): a tenant (in the portal) or the desk asks for an invoice
against one or several paid payments of one payer; finance issues it (number, date, amount,
the e-invoice's PDF as an attachment) or refuses it with a reason.

Imported at the end of billing.models, so the models belong to the billing app. The amount
invoiced of a payment (``Payment.invoiced``, reserved when a request is made, given back when
it is refused or issued for less) never exceeds the payment: the request locks its payments,
and a check constraint on the payment row is the guard of last resort.
"""

import datetime as dt

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import Role
from jinyuan.workflow.deadlines import DeadlineLinks, DeadlineSpec, Step
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import roles
from tenants.models import Tenant, TenantOwned
from tenants.validators import validate_credit_code

# Finance issues or refuses; the supervisor may stand in.
INVOICE_ROLES = (Role.FINANCE, Role.SUPERVISOR)
FINANCE = roles(*INVOICE_ROLES)
# A request waiting longer than this many working days is a deadline step to finance.
WAIT_WORKING_DAYS = 5


def money(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class InvoiceKind(models.TextChoices):
    NORMAL = "normal", _("Ordinary VAT invoice (普通发票)")
    SPECIAL = "special", _("Special VAT invoice (专用发票)")


class InvoiceBuyer(models.Model):
    """What an invoice names as its buyer: title, taxpayer number, address and phone, bank and
    account (the last four printed on a 专用发票)."""

    kind = models.CharField(_("invoice type"), max_length=10, choices=InvoiceKind, default=InvoiceKind.NORMAL)
    title = models.CharField(_("invoice title"), max_length=100)
    taxpayer_number = models.CharField(
        _("taxpayer number"),
        max_length=18,
        validators=[validate_credit_code],
        help_text=_("The 18-character unified social credit code"),
    )
    address = models.CharField(_("address"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    bank_name = models.CharField(_("bank"), max_length=80, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=40, blank=True)

    class Meta:
        abstract = True


class InvoiceProfile(InvoiceBuyer):
    """The tenant's invoice defaults: they pre-fill the request form and are updated by each
    request."""

    tenant = models.OneToOneField(
        Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="invoice_profile"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("invoice profile")
        verbose_name_plural = _("invoice profiles")

    def __str__(self) -> str:
        return self.title


def due_after_working_days(request: "InvoiceRequest", now: dt.datetime) -> dt.datetime:
    """The close of the fifth working day after the day of the request (working calendar)."""
    from jinyuan.workflow.calendar import load_calendar

    calendar = load_calendar()
    day, counted = timezone.localdate(now), 0
    while counted < WAIT_WORKING_DAYS:
        day += dt.timedelta(days=1)
        counted += calendar.is_working_day(day)
    return calendar.office(day)[1]


class InvoiceRequest(DeadlineLinks, TenantOwned, InvoiceBuyer, Application):
    """发票申请: a VAT invoice asked for against paid payments of one payer (``lines``)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for finance")
        ISSUED = "issued", _("Invoice issued")
        REFUSED = "refused", _("Refused")

    audit_prefix = "invoice_request"
    event_labels = {
        "requested": _("Invoice requested"),
        "requested_by_desk": _("Invoice requested by the desk"),
    }
    deadlines = (
        DeadlineSpec(
            kind="invoice",
            states=("requested",),
            allowed=due_after_working_days,
            steps=(Step(to=(f"role:{Role.FINANCE}",)),),
        ),
    )
    deadline_select_related = ("tenant",)
    desk_detail = "desk:billing:invoice_detail"
    portal_detail = "portal:billing:invoice_detail"

    status = FSMField(_("status"), max_length=12, choices=Status, default=Status.REQUESTED, db_index=True)
    amount = money(verbose_name=_("amount requested"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Recorded by finance at issue.
    invoice_number = models.CharField(_("invoice number"), max_length=30, blank=True)
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    invoiced_amount = money(verbose_name=_("amount invoiced"), null=True, blank=True)
    pdf = models.ForeignKey(
        "attachments.Attachment",
        verbose_name=_("e-invoice (PDF)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal_reason = models.CharField(_("reason for refusal"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("invoice request")
        verbose_name_plural = _("invoice requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="invoice_request_created_idx"),
            models.Index(fields=["tenant", "-created_at", "-id"], name="invoice_request_tenant_idx"),
            # The register's search by a part of the title (icontains: UPPER(title) LIKE): 20,000
            # requests scanned took ~40 ms.
            GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="invoice_request_title_trgm_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="invoice_request_amount_positive"),
            models.CheckConstraint(
                condition=Q(invoiced_amount__isnull=True)
                | (Q(invoiced_amount__gt=0) & Q(invoiced_amount__lte=models.F("amount"))),
                name="invoice_request_invoiced_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.invoice_number or f"FP#{self.pk}"

    @property
    def deadline_label(self) -> str:
        return f"{_('Invoice request')} {self.tenant.name} ¥{self.amount}"

    @transition(
        field="status",
        source=Status.REQUESTED,
        target=Status.ISSUED,
        permission=FINANCE,
        custom={"event": "issued", "event_label": _("Invoice issued")},
    )
    def issue(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.REQUESTED,
        target=Status.REFUSED,
        permission=FINANCE,
        custom={
            "label": _("Refuse"),
            "event": "refused",
            "event_label": _("Invoice refused"),
            "style": "danger",
            "needs_note": True,
        },
    )
    def refuse(self, by=None):
        pass


class InvoiceRequestLine(models.Model):
    """The part of one payment a request invoices."""

    request = models.ForeignKey(InvoiceRequest, on_delete=models.PROTECT, related_name="lines")
    payment = models.ForeignKey(
        "billing.Payment", verbose_name=_("payment"), on_delete=models.PROTECT, related_name="invoice_lines"
    )
    amount = money(verbose_name=_("amount"))

    class Meta:
        verbose_name = _("invoiced payment")
        verbose_name_plural = _("invoiced payments")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="invoice_line_amount_positive"),
            models.UniqueConstraint(fields=["request", "payment"], name="uniq_invoice_line_per_payment"),
        ]

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.amount}"
