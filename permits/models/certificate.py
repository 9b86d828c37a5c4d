"""场地证明: the premises certificate."""

from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from jinyuan.accounts.roles import Role
from jinyuan.documents.models import Document
from jinyuan.workflow.deadlines import DeadlineSpec, Step, TenantUnitLinks
from jinyuan.workflow.models import Application
from jinyuan.workflow.permissions import DESK, SUPERVISOR
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


class PremisesCertificate(TenantUnitLinks, TenantOwned, Application):
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

    desk_detail = "desk:permits:certificate_detail"
    portal_detail = "portal:permits:certificate_detail"

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
