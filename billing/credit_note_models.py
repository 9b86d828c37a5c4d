"""Credit notes 贷项通知单: money the center owes a tenant, put on its account instead of paid
out (recyclables bought from the tenant, issue 16).

A credit note is a numbered paper (a kernel document ``HS-2026-00001`` with its QR, the receipt
of the ``Payment`` of method ``creditnote`` that carries it). Bills can never be negative, so the
credit is exactly an unallocated payment, and everything billing already does with payments'
credit holds for it unchanged: it counts in the tenant's balance (``tenant_balance``'s credit)
and on its statement the day it is issued, and the next bills consume it in issue order
(``bill_create`` applies credit). It is never deleted: a mistaken one is voided with a reason
while nothing of it is allocated, by a reversal bill of its amount that its own payment pays (the
statement shows the credit and its reversal, as a void bill shows its reversal line; no printed
period changes), and its paper is revoked. A credit is never invoiced (billing.invoice_selectors
leaves such payments out)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant


class CreditNote(models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        VOID = "void", _("Void")

    audit_prefix = "credit_note"
    event_labels = {"issued": _("Credit note issued"), "voided": _("Credit note voided")}

    number = models.CharField(_("number"), max_length=30, unique=True)
    tenant = models.ForeignKey(Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="credit_notes")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    title = models.CharField(_("title"), max_length=100)
    # What the credit is for ("recycle:12"): one live credit note per source.
    source_key = models.CharField(_("source"), max_length=60, blank=True)
    payment = models.OneToOneField(
        "billing.Payment", verbose_name=_("credit"), on_delete=models.PROTECT, related_name="credit_note"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ISSUED, db_index=True)
    void_reason = models.TextField(_("reason for voiding"), blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    reversal = models.OneToOneField(
        "billing.Bill",
        verbose_name=_("reversal bill"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_credit_note",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_note_amount_positive"),
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~Q(source_key="") & Q(status="issued"),
                name="uniq_live_credit_note_per_source",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "-created_at"], name="credit_note_tenant_idx")]

    def __str__(self) -> str:
        return self.number
