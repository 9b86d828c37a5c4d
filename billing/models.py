"""Billing core: fee items, bills with lines, payments allocated to bills, deposits ledger.

Money is Decimal with 2 places (CNY). Derived amounts kept on rows (bill total, bill paid)
are written only by billing.services, inside the transaction that changes their parts, and
database constraints keep them within bounds.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jinyuan.documents.models import Document
from tenants.models import Building, MeterKind, Tenant, Unit

from .customer_models import Customer  # noqa: F401  (payers who are not tenants, issue 14)
from .payers import PayerMixin, customer_key, one_payer

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# Source keys of late fees (违约金): a late-fee bill and each of its lines (billing.latefees).
LATE_FEE_KEY_PREFIX = "latefee:"


def money(**kwargs) -> models.DecimalField:
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


class FeeItem(models.Model):
    """An entry of the price list (价目表), managed by finance in the admin."""

    class Kind(models.TextChoices):
        AREA_MONTHLY = "area_monthly", _("Monthly, per m²")
        FIXED_MONTHLY = "fixed_monthly", _("Monthly, fixed amount")
        ONE_OFF = "one_off", _("One-off")
        DEPOSIT = "deposit", _("Deposit")
        METERED = "metered", _("Per meter reading")

    # Events on a fee item's timeline (codes "fee_item.<event>").
    audit_prefix = "fee_item"
    event_labels = {"price_added": _("Dated price added")}

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    price = money(verbose_name=_("price (CNY)"), validators=[MinValueValidator(ZERO)])
    unit_label = models.CharField(_("unit of charge"), max_length=20, blank=True, help_text=_("e.g. CNY/m²/month"))
    is_active = models.BooleanField(_("active"), default=True)
    # Charged automatically at move-in (first month's fee, deposits).
    at_move_in = models.BooleanField(_("charged at move-in"), default=False)
    # On every tenant's monthly bill (recurring kinds only).
    billed_monthly = models.BooleanField(_("on the monthly bill"), default=False)
    # 明码标价: a ranged item is charged within min–max; materials may be charged on top.
    price_min = money(verbose_name=_("lowest price"), null=True, blank=True, validators=[MinValueValidator(ZERO)])
    price_max = money(verbose_name=_("highest price"), null=True, blank=True, validators=[MinValueValidator(ZERO)])
    materials_extra = models.BooleanField(_("materials extra"), default=False)
    # The rate of the unit meters of this kind (电费, 水费): billing.utilities prices readings by it.
    meter_kind = models.CharField(
        _("meter kind"), max_length=12, choices=MeterKind, blank=True, help_text=_("Empty: not a metered utility.")
    )

    class Meta:
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meter_kind"],
                condition=Q(is_active=True) & ~Q(meter_kind=""),
                name="uniq_live_fee_item_per_meter_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_deposit(self) -> bool:
        return self.kind == self.Kind.DEPOSIT

    @property
    def is_ranged(self) -> bool:
        return self.price_min is not None and self.price_max is not None


class FeePrice(models.Model):
    """A dated price of a fee item: in force from effective_from until the next row. Never overwritten."""

    fee_item = models.ForeignKey(FeeItem, verbose_name=_("fee item"), on_delete=models.PROTECT, related_name="prices")
    effective_from = models.DateField(_("effective from"))
    price = money(verbose_name=_("price (CNY)"), validators=[MinValueValidator(ZERO)])
    price_min = money(verbose_name=_("lowest price"), null=True, blank=True)
    price_max = money(verbose_name=_("highest price"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dated price")
        verbose_name_plural = _("dated prices")
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["fee_item", "effective_from"], name="uniq_fee_price_per_day"),
            models.CheckConstraint(
                condition=Q(price_min__isnull=True) | Q(price_max__isnull=True) | Q(price_min__lte=F("price_max")),
                name="fee_price_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fee_item} {self.effective_from}: {self.price}"


class Bill(PayerMixin, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PARTLY_PAID = "partly_paid", _("Partly paid")
        PAID = "paid", _("Paid")
        VOID = "void", _("Void")

    # Events on a bill's timeline (codes "bill.<event>"; see workflow.labels).
    audit_prefix = "bill"
    event_labels = {
        "issued": _("Bill issued"),
        "payment_allocated": _("Payment applied"),
        "voided": _("Bill voided"),
        "late_fee_waived": _("Late fee waived"),
    }

    number = models.CharField(_("number"), max_length=30, unique=True)
    # The payer: a tenant or a customer (billing.payers), exactly one of the two.
    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), null=True, blank=True, on_delete=models.PROTECT, related_name="bills"
    )
    customer = customer_key(_("customer"), "bills")
    title = models.CharField(_("title"), max_length=100)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period until"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"))
    due_date = models.DateField(_("due date"))
    total = money(verbose_name=_("total"), default=ZERO)
    paid = money(verbose_name=_("paid"), default=ZERO)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.OPEN, db_index=True)
    # What the bill is for, e.g. "movein:12", "signboard:3", "monthly:2026-11": one bill per key.
    source_key = models.CharField(_("source"), max_length=60, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    void_reason = models.TextField(_("reason for voiding"), blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    # The building the bill is for, fixed at issue and kept by database triggers (migration
    # 0012), so the ORM, bulk COPY and every service set it alike; never written from Python.
    # The collection dashboard (billing.collection) groups tens of thousands of bills by it:
    # derived from the lines on each request it cost ~0.6 s at the large scale. The register's
    # building filter reads it too (index below).
    building = models.ForeignKey(
        Building,
        verbose_name=_("building"),
        null=True,
        blank=True,
        editable=False,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="bill_total_not_negative"),
            models.CheckConstraint(condition=Q(paid__gte=0) & Q(paid__lte=F("total")), name="bill_paid_within_total"),
            models.UniqueConstraint(
                fields=["tenant", "source_key"],
                condition=~Q(source_key="") & ~Q(status="void"),
                name="uniq_live_bill_per_source",
            ),
            models.UniqueConstraint(
                fields=["customer", "source_key"],
                condition=~Q(source_key="") & ~Q(status="void"),
                name="uniq_live_customer_bill_per_source",
            ),
            one_payer("bill_one_payer"),
        ]
        indexes = [
            models.Index(fields=["tenant", "-issued_on"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["-issued_on", "-id"]),
            # The register filtered by building: its pages in order and its count from the
            # index (a quarter of 97,000 bills counted by a scan of the table: 19 ms).
            models.Index(fields=["building", "-issued_on", "-id"], name="bill_building_issued_idx"),
            # The collection dashboard sums a year of bills by month and building from the
            # index alone (billing.collection).
            models.Index(
                fields=["issued_on"], include=["building", "status", "total", "paid"], name="bill_issued_totals_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def outstanding(self) -> Decimal:
        return ZERO if self.status == self.Status.VOID else self.total - self.paid

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.status in (self.Status.OPEN, self.Status.PARTLY_PAID) and self.due_date < timezone.localdate()

    @property
    def is_late_fee_bill(self) -> bool:
        """A bill of late fees (违约金): it never accrues a late fee itself (no interest on interest)."""
        return self.source_key.startswith(LATE_FEE_KEY_PREFIX)


class BillLine(models.Model):
    bill = models.ForeignKey(Bill, verbose_name=_("bill"), on_delete=models.PROTECT, related_name="lines")
    fee_item = models.ForeignKey(FeeItem, verbose_name=_("fee item"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.CharField(_("description"), max_length=120)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("until"), null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=4)
    unit_price = money(verbose_name=_("unit price"))
    amount = money(verbose_name=_("amount"))

    class Meta:
        verbose_name = _("bill line")
        verbose_name_plural = _("bill lines")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class Payment(PayerMixin, models.Model):
    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        BANK = "bank", _("Bank transfer")
        WECHAT = "wechat", _("WeChat Pay")
        ALIPAY = "alipay", _("Alipay")
        CARD = "card", _("Bank card")
        # Not money received: the carrier of a credit note 贷项通知单 (billing.credit_notes).
        CREDIT_NOTE = "creditnote", _("Credit note")

    # What the desk may record as money received (a credit note is issued, never typed in).
    RECEIVED_METHODS = [(value, label) for value, label in Method.choices if value != "creditnote"]

    audit_prefix = "payment"
    event_labels = {"received": _("Payment received")}

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    customer = customer_key(_("customer"), "payments")
    amount = money(verbose_name=_("amount"), validators=[MinValueValidator(CENT)])
    method = models.CharField(_("method"), max_length=10, choices=Method)
    reference = models.CharField(_("reference"), max_length=60, blank=True, help_text=_("Transfer or order number"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    allocated = money(verbose_name=_("allocated to bills"), default=ZERO)
    # What VAT invoice requests 发票 have taken of the payment (billing.invoice_services):
    # reserved by a request, given back when it is refused; never above the amount.
    invoiced = money(verbose_name=_("invoiced"), default=ZERO, db_default=ZERO, editable=False)
    receipt = models.OneToOneField(
        Document, verbose_name=_("receipt"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # One form, one payment: the key the payment form carries, so a double click or a resent
    # form finds the payment it already made instead of taking the money twice.
    submission_key = models.UUIDField(_("submission key"), null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(allocated__gte=0) & Q(allocated__lte=F("amount")), name="payment_allocated_within_amount"
            ),
            one_payer("payment_one_payer"),
            models.CheckConstraint(
                condition=Q(invoiced__gte=0) & Q(invoiced__lte=F("amount")), name="payment_invoiced_within_amount"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "-received_at"])]

    def __str__(self) -> str:
        return self.receipt.number if self.receipt_id and self.receipt else f"#{self.pk}"

    @property
    def credit(self) -> Decimal:
        """What is left of this payment for future bills."""
        return self.amount - self.allocated


class Allocation(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="allocations")
    amount = money(verbose_name=_("amount"))
    created_at = models.DateTimeField(auto_now_add=True)
    # The bill's issue date, copied by a database trigger as the allocation is inserted
    # (migration 0011; never written from Python; a bill's issue date never changes): the
    # collection dashboard finds the payments that came after their bill's month among a year
    # of allocations without reading a bill for each (billing.collection).
    bill_issued_on = models.DateField(_("bill issued on"), editable=False)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive")]
        # The collection dashboard reads a year of allocations by time from the index alone:
        # allocations are only ever inserted.
        indexes = [
            models.Index(
                fields=["created_at"], include=["bill", "amount", "bill_issued_on"], name="allocation_created_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.payment_id} → {self.bill_id}: {self.amount}"


class DepositEntry(PayerMixin, models.Model):
    """The deposit ledger: the balance is always the sum of its entries."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        DEDUCTED = "deducted", _("Deducted")
        REFUNDED = "refunded", _("Refunded")

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), null=True, blank=True, on_delete=models.PROTECT, related_name="deposits"
    )
    customer = customer_key(_("customer"), "deposits")
    fee_item = models.ForeignKey(FeeItem, verbose_name=_("deposit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("entry"), max_length=10, choices=Kind)
    amount = money(verbose_name=_("amount"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    bill_line = models.OneToOneField(
        BillLine, null=True, blank=True, on_delete=models.PROTECT, related_name="deposit_entry"
    )
    source_key = models.CharField(_("source"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deposit entry")
        verbose_name_plural = _("deposit entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="deposit_amount_positive"),
            one_payer("deposit_one_payer"),
        ]
        indexes = [models.Index(fields=["tenant", "fee_item"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def signed_amount(self) -> Decimal:
        return self.amount if self.kind == self.Kind.RECEIVED else -self.amount


class ServiceCharge(models.Model):
    """有偿服务单: a paid service done for a tenant (by the desk or engineering), charged from the
    price list. Its bill carries the money; the charge records what was done, when and why."""

    audit_prefix = "service_charge"
    event_labels = {"charged": _("Paid service charged")}

    number = models.CharField(_("number"), max_length=30, unique=True)
    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="service_charges"
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    bill = models.OneToOneField(Bill, verbose_name=_("bill"), on_delete=models.PROTECT, related_name="service_charge")
    # The record the service was done for (a repair ticket ...), when there is one.
    source_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_id = models.BigIntegerField(_("source record"), null=True, blank=True)
    done_on = models.DateField(_("done on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("paid service charge")
        verbose_name_plural = _("paid service charges")
        ordering = ["-done_on", "-id"]
        indexes = [
            models.Index(fields=["-done_on", "-id"], name="service_charge_done_idx"),
            models.Index(fields=["tenant", "-done_on"], name="service_charge_tenant_idx"),
            models.Index(fields=["source_type", "source_id"], name="service_charge_source_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class LateFeeCharge(models.Model):
    """One bill's late fee (违约金) for one calendar month, as billed: ``latefee:<bill>:<YYYY-MM>``.

    A late-fee bill carries several of these (one line each), so the bill's own source key
    cannot say "billed once"; this row can: unique per source bill and month in the database,
    so a run repeated, late or concurrent bills nothing twice. ``fee`` is the month's fee
    (rounded once, capped at the principal), ``waived`` the part of the supervisor's waivers
    it absorbed, ``amount`` what the line bills. A month waived whole has no bill and no line.
    """

    source_bill = models.ForeignKey(
        Bill, verbose_name=_("overdue bill"), on_delete=models.PROTECT, related_name="late_fee_charges"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month the fee accrued in"))
    source_key = models.CharField(_("source"), max_length=60, unique=True)
    days = models.PositiveSmallIntegerField(_("days"))
    daily_rate = models.DecimalField(_("late fee per day"), max_digits=7, decimal_places=6)
    fee = money(verbose_name=_("late fee"))
    waived = money(verbose_name=_("waived"), default=ZERO)
    amount = money(verbose_name=_("billed"))
    bill = models.ForeignKey(
        Bill,
        verbose_name=_("late-fee bill"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="late_fees_billed",
    )
    bill_line = models.OneToOneField(
        BillLine, null=True, blank=True, on_delete=models.PROTECT, related_name="late_fee_charge"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("late fee billed")
        verbose_name_plural = _("late fees billed")
        ordering = ["source_bill_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["source_bill", "month"], name="uniq_late_fee_per_bill_and_month"),
            models.CheckConstraint(condition=Q(fee__gt=0), name="late_fee_charge_fee_positive"),
            models.CheckConstraint(
                condition=Q(waived__gte=0) & Q(amount__gte=0) & Q(amount=F("fee") - F("waived")),
                name="late_fee_charge_amount_is_fee_less_waived",
            ),
            models.CheckConstraint(
                condition=Q(amount=0) | Q(bill__isnull=False), name="late_fee_charge_billed_on_a_bill"
            ),
        ]

    def __str__(self) -> str:
        return self.source_key


class LateFeeWaiver(models.Model):
    """The supervisor waives part or all of a bill's late fee accrued and not yet billed, with a
    reason. Billing takes waivers off the bill's oldest unbilled months first."""

    source_bill = models.ForeignKey(
        Bill, verbose_name=_("overdue bill"), on_delete=models.PROTECT, related_name="late_fee_waivers"
    )
    amount = money(verbose_name=_("amount waived"), validators=[MinValueValidator(CENT)])
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("waived by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("waived at"), auto_now_add=True)

    class Meta:
        verbose_name = _("late fee waiver")
        verbose_name_plural = _("late fee waivers")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="late_fee_waiver_amount_positive")]

    def __str__(self) -> str:
        return f"{self.source_bill_id}: {self.amount}"


# Arrears 催缴 (issue 13): reminder schedule, reminders sent, calls and visits, demand letters.
from .arrears_models import ArrearsContact, DemandLetter, NoticeBatch, ReminderSent, ReminderStep  # noqa: E402, F401

# Credit notes 贷项通知单 (issue 16): credit put on a tenant's account (recyclables bought).
from .credit_note_models import CreditNote  # noqa: E402, F401

# VAT invoice requests 发票 (issue 14).
from .invoice_models import InvoiceProfile, InvoiceRequest, InvoiceRequestLine  # noqa: E402, F401

# Utility charges 水电费 (issue 14): what a confirmed reading round billed, per meter reading.
from .utility_models import MeterCharge  # noqa: E402, F401
