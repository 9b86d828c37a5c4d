"""Arrears 催缴: the reminder schedule, the reminders sent, the desk's calls and visits with
promises to pay, the formal demand letters 催告函 with their delivery, and the batches of
notices printed for a building or floor.

Imported at the end of billing.models, so the models belong to the billing app. Nothing here
ever cuts water or power (民法典 art.944 forbids it): the steps only tell people and print paper.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jinyuan.documents.models import Document
from tenants.models import Building, Floor, Tenant


class ReminderStep(models.Model):
    """One step of the reminder schedule, relative to a bill's due date (finance edits it in
    the admin). Each step is sent at most once per bill (ReminderSent)."""

    class Channel(models.TextChoices):
        INAPP = "inapp", _("In-app notification")
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        PRINT = "print", _("Printed notice")

    offset_days = models.SmallIntegerField(
        _("days from the due date"),
        unique=True,
        validators=[MinValueValidator(-60), MaxValueValidator(365)],
        help_text=_("Negative: before the due date; 0: on it; positive: after it."),
    )
    name = models.CharField(_("name"), max_length=60)
    channels = ArrayField(
        models.CharField(max_length=10, choices=Channel), verbose_name=_("channels"), default=list, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reminder step")
        verbose_name_plural = _("reminder schedule")
        ordering = ["offset_days"]

    def __str__(self) -> str:
        return self.name


class ReminderSent(models.Model):
    """A step sent for a bill: the unique row is the claim, so a repeated or concurrent scan
    sends each step once per bill."""

    bill = models.ForeignKey("billing.Bill", verbose_name=_("bill"), on_delete=models.PROTECT, related_name="reminders")
    step = models.ForeignKey(ReminderStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent at"))
    channels = ArrayField(models.CharField(max_length=10), verbose_name=_("channels"), default=list, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["bill", "step"], name="uniq_reminder_per_bill_step")]
        indexes = [models.Index(fields=["-sent_at"], name="reminder_sent_at_idx")]

    def __str__(self) -> str:
        return f"{self.bill_id} · {self.step_id}"


class ArrearsContact(models.Model):
    """A call or visit by the desk about a tenant's arrears, with an optional promise to pay."""

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone call")
        VISIT = "visit", _("Visit")
        MESSAGE = "message", _("Message (WeChat, SMS)")
        EMAIL = "email", _("E-mail")

    audit_prefix = "arrears_contact"
    event_labels = {
        "recorded": _("Arrears contact recorded"),
        "promise_broken": _("Promise to pay broken"),
    }

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="arrears_contacts"
    )
    method = models.CharField(_("method"), max_length=10, choices=Method)
    person = models.CharField(_("person spoken to"), max_length=40)
    contacted_at = models.DateTimeField(_("contacted at"))
    note = models.TextField(_("note"), blank=True)
    promise_date = models.DateField(_("promised to pay by"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Set once when the desk is told the promise was broken (compare-and-swap in the scan).
    promise_reminded_at = models.DateTimeField(_("broken promise reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("arrears contact")
        verbose_name_plural = _("arrears contacts")
        ordering = ["-contacted_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "-contacted_at"], name="arrears_contact_tenant_idx"),
            models.Index(
                fields=["promise_date"],
                name="arrears_promise_open_idx",
                condition=Q(promise_date__isnull=False, promise_reminded_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tenant} · {self.contacted_at:%Y-%m-%d}"


class DemandLetter(models.Model):
    """催告函: the creditor's formal demand (民法典 art.944, interrupting the limitation period
    under art.195), a numbered document; its delivery is recorded with proof (attachments)."""

    class Delivery(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        REGISTERED_MAIL = "registered_mail", _("Registered mail")
        EMAIL = "email", _("E-mail")
        EXPRESS = "express", _("Express courier")

    audit_prefix = "demand_letter"
    event_labels = {"issued": _("Demand letter issued"), "delivered": _("Demand letter delivered")}
    deadline_select_related = ("tenant",)

    tenant = models.ForeignKey(
        Tenant, verbose_name=_("tenant"), on_delete=models.PROTECT, related_name="demand_letters"
    )
    document = models.OneToOneField(
        Document, verbose_name=_("document"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    total = models.DecimalField(_("amount demanded"), max_digits=12, decimal_places=2)
    oldest_due = models.DateField(_("oldest due date"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    delivery_method = models.CharField(_("delivered by"), max_length=20, choices=Delivery, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    delivery_note = models.CharField(_("delivery note"), max_length=200, blank=True)
    delivery_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("delivery recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("demand letter")
        verbose_name_plural = _("demand letters")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["tenant", "-issued_at"], name="demand_letter_tenant_idx")]

    def __str__(self) -> str:
        return self.document.number if self.document_id and self.document else f"#{self.pk}"

    @property
    def is_delivered(self) -> bool:
        return self.delivered_on is not None


class NoticeBatch(models.Model):
    """The notices 催缴通知书 of a building or floor printed as one PDF: numbered together when
    finance presses the button (one notice per company in arrears there, ``documents``), the
    PDF rendered in the background (``pdf``, ``pages``, ``rendered_at``), downloaded from the
    batch's page."""

    audit_prefix = "notice_batch"
    event_labels = {"issued": _("Notices issued"), "rendered": _("Notices ready to print")}

    building = models.ForeignKey(
        Building, verbose_name=_("building"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    floor = models.ForeignKey(
        Floor, verbose_name=_("floor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    as_of = models.DateField(_("as of"))
    documents = models.ManyToManyField(Document, verbose_name=_("notices"), related_name="+")
    notices = models.PositiveIntegerField(_("number of notices"))
    first_number = models.CharField(_("first number"), max_length=30)
    last_number = models.CharField(_("last number"), max_length=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("printed by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("printed at"), auto_now_add=True)
    pdf = models.FileField(_("PDF"), upload_to="arrears/notices/", blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("ready at"), null=True, blank=True)

    class Meta:
        verbose_name = _("batch of notices")
        verbose_name_plural = _("batches of notices")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(building__isnull=False) | Q(floor__isnull=False), name="notice_batch_has_a_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.place} {self.first_number}–{self.last_number}"

    @property
    def place(self) -> str:
        """The building or the floor, as the picker names them (A座, A座 12F)."""
        if self.floor_id:
            return f"{self.floor.building} {self.floor}"
        return str(self.building)

    @property
    def is_ready(self) -> bool:
        return bool(self.rendered_at and self.pdf)
