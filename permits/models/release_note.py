"""大件物品放行条: large-item release notes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import SUPERVISOR_ROLES, Role
from jinyuan.documents.models import Document
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import DESK, roles
from tenants.models import TenantOwned

from .worker_pass import validate_id_number

# The portal area a company's admin opens to the staff who apply for release notes.
RELEASE_NOTE_AREA = "release_notes"


def member_with_grant(instance: "ReleaseNote", user) -> bool:
    """A portal member of the note's company who may open release notes (admins always)."""
    from tenants import grants

    return grants.member_may_open(user, instance.tenant_id, RELEASE_NOTE_AREA)


def nobody_but_the_scan(instance: "ReleaseNote", user) -> bool:
    """Expiry is the scan's, run with no user; no button offers it to anyone."""
    return user is None


GATE = roles(Role.SECURITY, *SUPERVISOR_ROLES)


class ReleaseNote(TenantOwned, Application):
    """大件物品放行条: the goods a company takes out of the building on one day, checked once by
    a guard at the exit.

    The paper is a kernel document (kind ``release_note``, single use, valid on ``date``
    only); the guard's release uses it compare-and-swap, so of two guards scanning at once one
    records the release. Items are a list of ``{"name", "quantity"}`` on the note, copied onto
    the paper at issue (the gate ticks them there).
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for the desk")
        RETURNED = "returned", _("Returned for correction")
        ISSUED = "issued", _("Issued: valid on its date")
        RELEASED = "released", _("Released at the exit")
        REFUSED = "refused", _("Refused at the exit")
        EXPIRED = "expired", _("Expired unused")
        REJECTED = "rejected", _("Refused by the desk")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REVOKED = "revoked", _("Revoked")

    class Purpose(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary (equipment, furniture, goods)")
        MOVE_OUT = "move_out", _("Move-out")

    OPEN = (Status.SUBMITTED, Status.RETURNED)
    MAX_ITEMS = 30

    audit_prefix = "release_note"
    event_labels = {
        "submitted": _("Release note applied for"),
        "created": _("Release note created by the desk"),
    }

    status = FSMField(_("status"), max_length=20, choices=Status, default=Status.SUBMITTED, db_index=True)
    date = models.DateField(_("release date"))
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose, default=Purpose.ORDINARY)
    move_out = models.ForeignKey(
        "tenants.MoveOut",
        verbose_name=_("move-out"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    items = models.JSONField(_("items"), default=list)
    vehicle_plate = models.CharField(_("vehicle plate"), max_length=10)
    carrier_name = models.CharField(_("carrier's name"), max_length=40)
    carrier_id_number = models.CharField(_("carrier's ID card number"), max_length=18, validators=[validate_id_number])
    remarks = models.CharField(_("remarks"), max_length=200, blank=True)
    document = models.OneToOneField(
        Document, verbose_name=_("release note"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("release note")
        verbose_name_plural = _("release notes")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "-created_at", "-id"], name="releasenote_tenant_idx"),
            models.Index(fields=["-created_at", "-id"], name="releasenote_created_idx"),
            models.Index(fields=["date"], condition=Q(status="issued"), name="releasenote_issued_date_idx"),
            models.Index(fields=["vehicle_plate"], name="releasenote_plate_idx"),
        ]

    def __str__(self) -> str:
        return self.document.number if self.document_id and self.document else f"#{self.pk}"

    @property
    def item_count(self) -> int:
        return sum(int(item.get("quantity") or 0) for item in self.items or [])

    @property
    def items_text(self) -> str:
        return "、".join(f"{item.get('name', '')} × {item.get('quantity', '')}" for item in self.items or [])

    @property
    def masked_carrier_id(self) -> str:
        from jinyuan.documents.masking import mask_id_number

        return mask_id_number(self.carrier_id_number)

    @property
    def is_overdue(self) -> bool:
        """Waiting for the desk on (or after) the day the goods are to leave."""
        return self.status == self.Status.SUBMITTED and self.date <= timezone.localdate()

    @property
    def verdict_label(self) -> str:
        return str(Document.Verdict(self.document.verdict).label) if self.document_id and self.document else ""

    # Declared transitions; side effects (the paper, notifications) are in permits.release_notes.
    @transition(
        field="status",
        source=Status.SUBMITTED,
        target=Status.ISSUED,
        permission=DESK,
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
        source=Status.SUBMITTED,
        target=Status.RETURNED,
        permission=DESK,
        custom={
            "label": _("Return for correction"),
            "event": "returned",
            "event_label": _("Returned for correction"),
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
        permission=member_with_grant,
        custom={
            "label": _("Submit again"),
            "event": "resubmitted",
            "event_label": _("Corrected and submitted again"),
            "style": "primary",
        },
    )
    def resubmit(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.SUBMITTED,
        target=Status.REJECTED,
        permission=DESK,
        custom={
            "label": _("Refuse the note"),
            "event": "rejected",
            "event_label": _("Refused by the desk"),
            "style": "danger",
            "needs_note": True,
        },
    )
    def reject(self, by=None):
        pass

    @transition(
        field="status",
        source=[Status.SUBMITTED, Status.RETURNED],
        target=Status.WITHDRAWN,
        permission=member_with_grant,
        custom={
            "label": _("Withdraw"),
            "event": "withdrawn",
            "event_label": _("Withdrawn by the company"),
            "confirm": _("Withdraw this release note? It cannot be sent again afterwards."),
            "style": "outline-secondary",
        },
    )
    def withdraw(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ISSUED,
        target=Status.RELEASED,
        permission=GATE,
        custom={"event": "released", "event_label": _("Goods released at the exit")},
    )
    def release(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ISSUED,
        target=Status.REFUSED,
        permission=GATE,
        custom={"event": "refused", "event_label": _("Refused at the exit"), "needs_note": True},
    )
    def refuse_at_gate(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ISSUED,
        target=Status.EXPIRED,
        permission=nobody_but_the_scan,
        custom={"event": "expired", "event_label": _("Expired unused at the end of its day")},
    )
    def expire(self, by=None):
        pass

    @transition(
        field="status",
        source=Status.ISSUED,
        target=Status.REVOKED,
        permission=DESK,
        custom={
            "label": _("Revoke"),
            "event": "revoked",
            "event_label": _("Revoked"),
            "confirm": _("Revoke this release note? The paper stops working at the exit at once."),
            "style": "outline-danger",
            "needs_note": True,
        },
    )
    def revoke(self, by=None):
        pass
