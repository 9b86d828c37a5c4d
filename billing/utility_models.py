"""Utility charges (水电费): what a confirmed reading round billed, one row per meter reading.

The row links the bill line to the readings it was counted from, so the bill shows the previous
and current readings, and its unique reading is the key that bills a round once however often
the billing task runs (billing.utilities)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.models import Meter, MeterReading, ReadingRound


class MeterCharge(models.Model):
    reading = models.OneToOneField(
        MeterReading, verbose_name=_("reading"), on_delete=models.PROTECT, related_name="meter_charge"
    )
    previous_reading = models.ForeignKey(
        MeterReading, verbose_name=_("previous reading"), on_delete=models.PROTECT, related_name="+"
    )
    meter = models.ForeignKey(Meter, verbose_name=_("meter"), on_delete=models.PROTECT, related_name="charges")
    reading_round = models.ForeignKey(
        ReadingRound, verbose_name=_("reading round"), on_delete=models.PROTECT, related_name="charges"
    )
    bill_line = models.OneToOneField(
        "billing.BillLine", verbose_name=_("bill line"), on_delete=models.PROTECT, related_name="meter_charge"
    )
    bill = models.ForeignKey("billing.Bill", verbose_name=_("bill"), on_delete=models.PROTECT, related_name="+")
    previous_value = models.DecimalField(_("previous reading"), max_digits=12, decimal_places=2)
    current_value = models.DecimalField(_("current reading"), max_digits=12, decimal_places=2)
    consumption = models.DecimalField(_("consumption"), max_digits=12, decimal_places=2)
    multiplier = models.DecimalField(_("multiplier"), max_digits=8, decimal_places=2)
    rate = models.DecimalField(_("rate"), max_digits=12, decimal_places=4)

    class Meta:
        verbose_name = _("meter charge")
        verbose_name_plural = _("meter charges")
        ordering = ["bill_id", "id"]
        constraints = [models.CheckConstraint(condition=Q(consumption__gte=0), name="meter_charge_not_negative")]
        indexes = [models.Index(fields=["bill"], name="meter_charge_bill_idx")]

    def __str__(self) -> str:
        return f"{self.meter}: {self.previous_value} → {self.current_value}"
