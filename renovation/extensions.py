"""Extension of the period 延期: an application of its own (``Extension``), approved by the
supervisor, with the management fee recalculated for the added months and the permit issued
again for the longer period."""

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from billing.services import bill_create
from jinyuan.accounts.roles import Role
from jinyuan.accounts.selectors import staff_with_role
from jinyuan.documents.models import Document
from jinyuan.documents.services import document_issue, document_revoke, document_suspend
from jinyuan.workflow import deadlines
from jinyuan.workflow.services import TransitionRefused, check_transition, notify, record_event, transition

from .fees import extension_fees
from .models import Extension, Renovation
from .services import _lock, _tell_tenant

# --- extension of the period 延期 ----------------------------------------------------------------


def pending_extension(renovation: Renovation) -> Extension | None:
    return Extension.objects.filter(renovation=renovation, status=Extension.Status.APPLIED).order_by("pk").first()


def _pending_message(pending: Extension) -> str:
    return _("An extension to %(date)s applied on %(applied)s is still waiting for the supervisor.") % {
        "date": pending.new_end.isoformat(),
        "applied": timezone.localtime(pending.created_at).date().isoformat(),
    }


def _extendable(renovation: Renovation) -> None:
    if renovation.status not in Extension.EXTENDABLE or renovation.granted_end is None:
        raise TransitionRefused(_("Only a renovation in works or stopped can be extended."))


def extension_apply(*, renovation: Renovation, by: Any, new_end: date | None, reason: str) -> Extension:
    """The company's admin (portal) or the desk for it asks to work until ``new_end``. Refused
    beside the field: an end not after the granted one, an end in the past, a second pending."""
    _extendable(renovation)
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if new_end is None:
        errors["new_end"] = [_("Give the new end date.")]
    elif new_end < today:
        errors["new_end"] = [_("The new end cannot be in the past.")]
    elif new_end <= renovation.granted_end:
        errors["new_end"] = [
            _("The new end must be after the granted end, %(date)s.") % {"date": renovation.granted_end.isoformat()}
        ]
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the works need more time.")]
    if pending := pending_extension(renovation):
        errors.setdefault("new_end", []).append(_pending_message(pending))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock(renovation)
        _extendable(renovation)
        extension = Extension(
            tenant_id=renovation.tenant_id,
            renovation=renovation,
            applicant=by,
            previous_end=renovation.granted_end,
            new_end=new_end,
            reason=reason.strip(),
        )
        try:
            with transaction.atomic():
                extension.save()
        except IntegrityError as exc:
            # Another extension was applied for between the check and this insert.
            pending = pending_extension(renovation)
            raise ValidationError({"new_end": [_pending_message(pending)] if pending else exc.args[:1]}) from exc
        data = {"previous_end": renovation.granted_end.isoformat(), "new_end": new_end.isoformat()}
        record_event(extension, "extension.applied", by=by, to_state=extension.status, note=extension.reason, data=data)
        record_event(renovation, "renovation.extension_applied", by=by, note=extension.reason, data=data)
        deadlines.on_transition(extension, "", extension.status, now=timezone.now())
        notify(
            staff_with_role(Role.SUPERVISOR),
            message=gettext_noop("Renovation extension to %(date)s to approve: %(company)s, %(unit)s"),
            args={"date": new_end.isoformat(), "company": renovation.tenant.name, "unit": renovation.unit.number},
            url=reverse("desk:renovation:extension_detail", args=[extension.pk]),
            dedup_key=f"extension-{extension.pk}-applied",
        )
    return extension


def _lock_extension(obj: Extension) -> Extension:
    Extension.objects.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True).get()
    obj.refresh_from_db()
    return obj


def extension_approve(*, obj: Extension, by: Any, note: str = "") -> Extension:
    """The supervisor approves: the fee for the added months is billed, ``granted_end`` moves
    (new worker passes may run to it), the permit is issued again for the longer period and
    the earlier one revoked (a stopped renovation's new permit is suspended like the old).
    Two approvals at once: the row locks make the second see the first and be refused."""
    with transaction.atomic():
        _lock_extension(obj)
        renovation = _lock(obj.renovation)
        check_transition(obj, "approve", by=by, note=note)
        _extendable(renovation)
        if obj.new_end <= renovation.granted_end:
            raise TransitionRefused(_("The renovation is already granted until this date or later."))
        fees = extension_fees(renovation, obj.new_end)
        bill = None
        if fees.lines:
            bill = bill_create(
                tenant=renovation.tenant,
                title=_("Renovation extension %(unit)s") % {"unit": renovation.unit.number},
                lines=fees.lines,
                by=by,
                source_key=f"renovation-extension:{obj.pk}",
            )
        old_permit = renovation.permit
        renovation.granted_end = obj.new_end
        permit = _reissue_permit(renovation, old_permit, by)
        renovation.permit = permit
        renovation.save(update_fields=["granted_end", "permit", "updated_at"])
        data = {
            "previous_end": obj.previous_end.isoformat(),
            "new_end": obj.new_end.isoformat(),
            "months": fees.months,
            "bill": bill.number if bill else "",
            "total": str(fees.total),
            "permit": permit.number if permit else "",
        }
        transition(
            obj,
            "approve",
            by=by,
            note=note,
            changes={"decided_by": by, "decided_at": timezone.now(), "fees_bill": bill, "permit": permit},
            data=data,
        )
        record_event(renovation, "renovation.extended", by=by, note=note, data=data)
        _tell_tenant(
            renovation,
            gettext_noop(
                "The renovation of %(unit)s is extended until %(date)s. Fee due: CNY %(total)s. "
                "Permit %(number)s replaces the earlier one: post it at the door."
            ),
            {
                "unit": renovation.unit.number,
                "date": obj.new_end.isoformat(),
                "total": str(fees.total),
                "number": data["permit"],
            },
            f"extended-{obj.pk}",
        )
    return obj


def _reissue_permit(renovation: Renovation, old_permit: Document | None, by: Any) -> Document | None:
    """The permit for the longer period: a new paper (number, code); the old one is revoked so
    a guard scanning it is told to look at the new one; suspended if the works are stopped."""
    if old_permit is None:
        return None
    tz = timezone.get_current_timezone()
    permit = document_issue(
        kind="renovation_permit",
        source=renovation,
        by=by,
        valid_from=datetime.combine(renovation.granted_start, time.min, tz),
        valid_until=datetime.combine(renovation.granted_end, time(23, 59, 59), tz),
    )
    if old_permit.status in (Document.Status.VALID, Document.Status.SUSPENDED):
        document_revoke(
            document=old_permit,
            by=by,
            reason=_("Replaced by permit %(number)s (period extended)") % {"number": permit.number},
        )
    if renovation.status == Renovation.Status.STOPPED:
        document_suspend(document=permit, by=by, reason=_("Works stopped (stop-work order)"))
    record_event(renovation, "renovation.permit_issued", by=by, data={"number": permit.number})
    return permit


def extension_reject(*, obj: Extension, by: Any, note: str) -> Extension:
    with transaction.atomic():
        _lock_extension(obj)
        transition(obj, "reject", by=by, note=note, changes={"decided_by": by, "decided_at": timezone.now()})
        data = {"new_end": obj.new_end.isoformat()}
        record_event(obj.renovation, "renovation.extension_rejected", by=by, note=note, data=data)
        _tell_tenant(
            obj.renovation,
            gettext_noop("The extension of the renovation of %(unit)s to %(date)s was rejected: %(reason)s"),
            {"unit": obj.renovation.unit.number, "date": obj.new_end.isoformat(), "reason": note},
            f"extension-rejected-{obj.pk}",
        )
    return obj


def extension_withdraw(*, obj: Extension, by: Any, note: str = "") -> Extension:
    with transaction.atomic():
        _lock_extension(obj)
        transition(obj, "withdraw", by=by, note=note)
        data = {"new_end": obj.new_end.isoformat()}
        record_event(obj.renovation, "renovation.extension_withdrawn", by=by, note=note, data=data)
    return obj
