from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import STAFF_ROLES, Role
from jinyuan.documents.models import Document
from jinyuan.workflow.deadlines import DeadlineSpec, Step
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import DESK, SUPERVISOR, roles
from tenants.models import TenantOwned, Unit


def tenant_admin_of(instance: "PremisesCertificate", user) -> bool:
    """The requesting company's portal administrator."""
    from tenants.selectors import membership_for

    membership = membership_for(user)
    return bool(membership and membership.is_admin and membership.tenant_id == instance.tenant_id)


def review_deadline(kind: str, state: str, role: Role) -> DeadlineSpec:
    """8 working hours in ``state`` for ``role``: reminded an hour before and when due; the
    supervisor is told 4 working hours late."""
    return DeadlineSpec(
        kind=kind,
        states=(state,),
        allowed=timedelta(hours=8),
        working_hours=True,
        steps=(
            Step(offset=-timedelta(hours=1), to=(f"role:{role}",)),
            Step(to=(f"role:{role}",)),
            Step(offset=timedelta(hours=4), to=(f"role:{Role.SUPERVISOR}",), escalation=True),
        ),
    )


class PremisesCertificate(TenantOwned, Application):
    """场地证明: proof that a tenant occupies a unit, e.g. for business registration."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for desk check")
        RETURNED = "returned", _("Returned to tenant")
        CHECKED = "checked", _("Waiting for approval")
        ISSUED = "issued", _("Issued")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REVOKED = "revoked", _("Revoked")

    class Purpose(models.TextChoices):
        BUSINESS_REGISTRATION = "business_registration", _("Business registration")
        REGISTRATION_CHANGE = "registration_change", _("Change of registered address")
        TAX = "tax", _("Tax registration")
        BANK = "bank", _("Bank account")
        OTHER = "other", _("Other")

    audit_prefix = "certificate"
    event_labels = {"submitted": _("Certificate requested")}

    # The desk checks within a working day, then the supervisor decides within another.
    deadlines = (
        review_deadline("review", "submitted", Role.FRONT_DESK),
        review_deadline("approval", "checked", Role.SUPERVISOR),
    )

    status = FSMField(_("status"), max_length=30, choices=Status, default=Status.SUBMITTED, db_index=True)

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose)
    purpose_detail = models.CharField(_("details of the purpose"), max_length=200, blank=True)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    document = models.OneToOneField(
        Document, verbose_name=_("certificate"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("premises certificate")
        verbose_name_plural = _("premises certificates")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "-created_at"])]

    def __str__(self) -> str:
        return self.document.number if self.document_id and self.document else f"#{self.pk}"

    # Reminders name the request by company and unit (loaded with it by the scan).
    deadline_select_related = ("tenant", "unit")

    @property
    def deadline_label(self) -> str:
        return f"{self.tenant.name} · {self.unit.number}"

    @property
    def deadline_url(self) -> str:
        return reverse("desk:permits:certificate_detail", args=[self.pk])

    @property
    def deadline_portal_url(self) -> str:
        return reverse("portal:permits:certificate_detail", args=[self.pk])

    @property
    def purpose_text(self) -> str:
        label = str(self.get_purpose_display())
        return f"{label}（{self.purpose_detail}）" if self.purpose_detail else label

    # Declared transitions. Bodies stay empty: side effects belong to services.
    @transition(
        field="status",
        source=Status.SUBMITTED,
        target=Status.CHECKED,
        permission=DESK,
        custom={
            "label": _("Occupancy checked: pass to supervisor"),
            "event": "checked",
            "event_label": _("Occupancy checked by the desk"),
            "style": "primary",
        },
    )
    def pass_check(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.SUBMITTED, Status.CHECKED],
        target=Status.RETURNED,
        permission=DESK,
        custom={
            "label": _("Return to tenant"),
            "event": "returned",
            "event_label": _("Returned to tenant"),
            "style": "warning",
            "needs_note": True,
        },
    )
    def send_back(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.RETURNED,
        target=Status.SUBMITTED,
        permission=tenant_admin_of,
        custom={
            "label": _("Submit again"),
            "event": "resubmitted",
            "event_label": _("Submitted again"),
            "style": "primary",
        },
    )
    def resubmit(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.SUBMITTED, Status.RETURNED],
        target=Status.WITHDRAWN,
        permission=tenant_admin_of,
        custom={
            "label": _("Withdraw"),
            "event": "withdrawn",
            "event_label": _("Withdrawn by tenant"),
            "confirm": _("Withdraw this request? It cannot be sent again afterwards."),
            "style": "outline-secondary",
            "needs_note": False,
        },
    )
    def withdraw(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.CHECKED,
        target=Status.ISSUED,
        permission=SUPERVISOR,
        custom={
            "label": _("Approve and issue"),
            "event": "approved",
            "event_label": _("Approved and issued"),
            "style": "success",
        },
    )
    def approve(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.CHECKED,
        target=Status.REJECTED,
        permission=SUPERVISOR,
        custom={
            "label": _("Reject"),
            "event": "rejected",
            "event_label": _("Rejected"),
            "style": "danger",
            "needs_note": True,
        },
    )
    def reject(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ISSUED,
        target=Status.REVOKED,
        permission=SUPERVISOR,
        custom={
            "label": _("Revoke certificate"),
            "event": "revoked",
            "event_label": _("Certificate revoked"),
            "style": "outline-danger",
            "needs_note": True,
        },
    )
    def revoke(self, by=None):
        pass


# --- worker passes 施工人员出入证 ----------------------------------------------------------------

ID_NUMBER_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_CHECKS = "10X98765432"


def id_number_check_char(first17: str) -> str:
    """The check character of a resident ID number (GB 11643-1999, ISO 7064 MOD 11-2)."""
    return ID_NUMBER_CHECKS[sum(int(c) * w for c, w in zip(first17, ID_NUMBER_WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> None:
    number = (value or "").strip().upper()
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("An ID card number has 18 characters: 17 digits and a digit or X."), code="format")
    if id_number_check_char(number[:17]) != number[17]:
        raise ValidationError(_("The check digit does not match; please check the ID number."), code="check")


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
