"""Premises certificates: every write and state change."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jinyuan.accounts.roles import Role
from jinyuan.accounts.selectors import staff_with_role
from jinyuan.documents.models import Document
from jinyuan.documents.services import document_issue, document_revoke
from jinyuan.workflow import deadlines
from jinyuan.workflow.services import TransitionRefused, check_transition, notify, record_event, transition
from tenants.models import Tenant, Unit
from tenants.selectors import occupancy_of
from tenants.services import notify_tenant

from .models import PremisesCertificate


def certificate_request(
    *, tenant: Tenant, unit: Unit, purpose: str, by: Any, purpose_detail: str = "", copies: int = 1
) -> PremisesCertificate:
    if occupancy_of(tenant, unit) is None:
        raise ValidationError({"unit": _("Your company does not occupy this unit now.")})
    with transaction.atomic():
        cert = PremisesCertificate(
            tenant=tenant,
            unit=unit,
            purpose=purpose,
            purpose_detail=purpose_detail,
            copies=copies,
            applicant=by,
            status=PremisesCertificate.Status.SUBMITTED,
        )
        cert.full_clean()
        cert.save()
        record_event(cert, "certificate.submitted", by=by, to_state=cert.status, data={"unit": unit.number})
        deadlines.on_transition(cert, "", cert.status, now=timezone.now())
        notify(
            staff_with_role(Role.FRONT_DESK),
            message=gettext_noop("New premises certificate request from %(company)s"),
            args={"company": tenant.name},
            url=reverse("desk:permits:certificate_detail", args=[cert.pk]),
            dedup_key=f"certificate-{cert.pk}-submitted",
        )
    return cert


def certificate_pass_check(*, obj: PremisesCertificate, by: Any, note: str = "") -> PremisesCertificate:
    """The desk has seen the occupancy; the supervisor decides."""
    occupancy = occupancy_of(obj.tenant, obj.unit)
    if occupancy is None:
        raise TransitionRefused(_("The tenant does not occupy this unit now; return or let the supervisor reject."))
    with transaction.atomic():
        transition(
            obj,
            "pass_check",
            by=by,
            note=note,
            data={"occupancy_id": occupancy.pk},
        )
        notify(
            staff_with_role(Role.SUPERVISOR),
            message=gettext_noop("Premises certificate waiting for approval: %(company)s"),
            args={"company": obj.tenant.name},
            url=reverse("desk:permits:certificate_detail", args=[obj.pk]),
            dedup_key=f"certificate-{obj.pk}-checked-{timezone.now():%Y%m%d%H%M%S}",
        )
    return obj


def certificate_send_back(*, obj: PremisesCertificate, by: Any, note: str) -> PremisesCertificate:
    with transaction.atomic():
        transition(obj, "send_back", by=by, note=note)
        _tell_tenant(
            obj,
            gettext_noop("Your premises certificate request was returned: %(reason)s"),
            {"reason": note},
            "returned",
        )
    return obj


# What the tenant may correct on a returned request before sending it again.
CORRECTABLE = ("unit", "purpose", "purpose_detail", "copies")


def certificate_resubmit(*, obj: PremisesCertificate, by: Any, note: str = "", **changes: Any) -> PremisesCertificate:
    """Send a returned request again, with the tenant's corrections (``CORRECTABLE`` fields)."""
    unit = changes.get("unit")
    if unit is not None and unit != obj.unit and occupancy_of(obj.tenant, unit) is None:
        raise ValidationError({"unit": _("Your company does not occupy this unit now.")})
    with transaction.atomic():
        fields = {key: changes[key] for key in CORRECTABLE if key in changes}
        for key, value in fields.items():
            setattr(obj, key, value)
        obj.full_clean(exclude=["status"])
        transition(obj, "resubmit", by=by, note=note, changes=fields)
    return obj


def certificate_approve(*, obj: PremisesCertificate, by: Any, note: str = "") -> PremisesCertificate:
    """Approve, number and issue in one transaction: a lost race rolls the number back."""
    if occupancy_of(obj.tenant, obj.unit) is None:
        raise TransitionRefused(_("The tenant no longer occupies this unit; reject the request instead."))
    with transaction.atomic():
        # The document is drawn first so that the state change and its number save together
        # (checked first, so a refused approval draws nothing); a lost race raises in
        # transition() and rolls the number back with it.
        check_transition(obj, "approve", by=by, note=note)
        doc = document_issue(kind="premises_certificate", source=obj, by=by)
        transition(obj, "approve", by=by, note=note, changes={"document": doc})
        _tell_tenant(
            obj, gettext_noop("Your premises certificate %(number)s has been issued."), {"number": doc.number}, "issued"
        )
    return obj


def certificate_reject(*, obj: PremisesCertificate, by: Any, note: str) -> PremisesCertificate:
    with transaction.atomic():
        transition(obj, "reject", by=by, note=note)
        _tell_tenant(
            obj,
            gettext_noop("Your premises certificate request was rejected: %(reason)s"),
            {"reason": note},
            "rejected",
        )
    return obj


def certificate_revoke(*, obj: PremisesCertificate, by: Any, note: str) -> PremisesCertificate:
    with transaction.atomic():
        transition(obj, "revoke", by=by, note=note)
        # A paper revoked around the workflow (the admin's old action) must not block revoking the record.
        if obj.document_id and obj.document.status != Document.Status.REVOKED:
            document_revoke(document=obj.document, by=by, reason=note)
        _tell_tenant(
            obj, gettext_noop("Your premises certificate %(number)s was revoked."), {"number": str(obj)}, "revoked"
        )
    return obj


def _tell_tenant(cert: PremisesCertificate, message: str, args: dict, event: str) -> None:
    url = reverse("portal:permits:certificate_detail", args=[cert.pk])
    notify_tenant(cert, message=message, args=args, event=event, url=url)
