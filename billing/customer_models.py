"""Customers (客户): payers who rent no unit, e.g. an exhibition organiser or a visiting company.

A bill, a payment or a deposit entry belongs to exactly one payer: a tenant or a customer
(billing.payers; a CHECK constraint on each table). Customers have no portal.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.validators import validate_credit_code


class Customer(models.Model):
    # Events on a customer's timeline (codes "customer.<event>").
    audit_prefix = "customer"
    event_labels = {
        "created": _("Customer created"),
        "updated": _("Customer details changed"),
        "deposit_refunded": _("Deposit settled"),
    }

    name = models.CharField(_("name"), max_length=120)
    contact_person = models.CharField(_("contact person"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18 characters, for companies; leave empty for a person."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="uniq_customer_credit_code"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # "91450100ma5k…" and "91450100MA5K…" are the same registration (as Tenant.clean).
        self.credit_code = (self.credit_code or "").strip().upper()
        self.name = (self.name or "").strip()
