"""施工人员出入证: contractor worker passes."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import STAFF_ROLES
from jinyuan.documents.models import Document

# Re-exported: migrations name permits.models(.worker_pass).validate_id_number.
from jinyuan.id_numbers import (  # noqa: F401
    ID_NUMBER_CHECKS,
    ID_NUMBER_WEIGHTS,
    id_number_check_char,
    validate_id_number,
)
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import DESK, roles
from tenants.models import TenantOwned

# --- worker passes 施工人员出入证 ----------------------------------------------------------------

STAFF = roles(*STAFF_ROLES)


class WorkerPass(TenantOwned, Application):
    """施工人员出入证: one contractor worker's badge for a renovation in works.

    Expiry is not a state: the badge's document carries ``valid_until`` and the gate's verdict
    says "expired" after it (no midnight job). One live pass per worker (ID number): a partial
    unique index, so of twenty clerks issuing at once one succeeds.
    """

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        LOST = "lost", _("Reported lost")
        SUSPENDED = "suspended", _("Suspended with the renovation")
        RETURNED = "returned", _("Returned")
        VOID = "void", _("Void")

    class Trade(models.TextChoices):
        GENERAL = "general", _("General labour")
        CARPENTER = "carpenter", _("Carpenter")
        PAINTER = "painter", _("Painter")
        PLUMBER = "plumber", _("Plumber")
        MASON = "mason", _("Mason or tiler")
        ELECTRICIAN = "electrician", _("Electrician")
        WELDER = "welder", _("Welder")

    # Special operations (特种作业, 安监总局令30): a valid operation certificate is required.
    CERTIFIED_TRADES = (Trade.ELECTRICIAN, Trade.WELDER)
    LIVE = (Status.ISSUED, Status.LOST, Status.SUSPENDED)

    audit_prefix = "worker_pass"
    event_labels = {
        "issued": _("Worker pass issued"),
        "deposit_refunded": _("Pass deposit refunded"),
        "deposit_bill_voided": _("Unpaid pass deposit bill voided"),
        "deposit_partly_paid": _("Pass deposit partly paid: to be settled at the desk"),
    }

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.ISSUED, db_index=True)
    renovation = models.ForeignKey(
        "renovation.Renovation", verbose_name=_("renovation"), on_delete=models.PROTECT, related_name="+"
    )
    worker_name = models.CharField(_("worker's name"), max_length=40)
    id_number = models.CharField(_("ID card number"), max_length=18, validators=[validate_id_number])
    trade = models.CharField(_("trade"), max_length=20, choices=Trade)
    certificate_number = models.CharField(_("special-operation certificate number"), max_length=40, blank=True)
    certificate_expiry = models.DateField(_("certificate valid until"), null=True, blank=True)
    valid_until = models.DateField(_("pass valid until"))
    document = models.OneToOneField(
        Document, verbose_name=_("badge"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reissues = models.PositiveSmallIntegerField(_("reissued"), default=0)

    class Meta:
        verbose_name = _("worker pass")
        verbose_name_plural = _("worker passes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "-created_at"]),
            models.Index(fields=["renovation", "status"]),
            models.Index(fields=["-created_at", "-id"], name="workerpass_created_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(status__in=["issued", "lost", "suspended"]),
                name="uniq_live_worker_pass",
                violation_error_message=_("This worker already holds a live pass."),
            ),
        ]

    def __str__(self) -> str:
        return self.document.number if self.document_id and self.document else f"#{self.pk}"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def verdict_label(self) -> str:
        """What the gate says of the badge now (expired after its last day, with no job)."""
        return str(Document.Verdict(self.document.verdict).label) if self.document else ""

    @property
    def masked_id_number(self) -> str:
        from jinyuan.documents.masking import mask_id_number

        return mask_id_number(self.id_number)

    @property
    def needs_certificate(self) -> bool:
        return self.trade in self.CERTIFIED_TRADES

    @transition(
        field="status",
        source=Status.ISSUED,
        target=Status.LOST,
        permission=DESK,
        custom={
            "label": _("Report lost"),
            "event": "lost",
            "event_label": _("Reported lost"),
            "style": "warning",
            "needs_note": True,
        },
    )
    def report_lost(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.LOST,
        target=Status.ISSUED,
        permission=DESK,
        custom={
            "label": _("Reissue (bill the fee)"),
            "event": "reissued",
            "event_label": _("Reissued"),
            "style": "primary",
        },
    )
    def reissue(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.ISSUED, Status.SUSPENDED],
        target=Status.RETURNED,
        permission=DESK,
        custom={
            "label": _("Badge returned (refund the deposit)"),
            "event": "returned",
            "event_label": _("Badge returned"),
            "style": "success",
        },
    )
    def give_back(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ISSUED,
        target=Status.SUSPENDED,
        permission=STAFF,
        custom={"event": "suspended", "event_label": _("Suspended with the renovation")},
    )
    def suspend(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.SUSPENDED,
        target=Status.ISSUED,
        permission=STAFF,
        custom={"event": "restored", "event_label": _("Restored: works resumed")},
    )
    def restore(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.ISSUED, Status.LOST, Status.SUSPENDED],
        target=Status.VOID,
        permission=STAFF,
        custom={"event": "voided", "event_label": _("Voided")},
    )
    def void(self, by=None):
        pass
