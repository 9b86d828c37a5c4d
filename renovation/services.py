"""Renovations: every write and state change."""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from billing.services import bill_create
from jinyuan.accounts.roles import Role
from jinyuan.accounts.selectors import staff_with_role
from jinyuan.attachments.models import Attachment
from jinyuan.attachments.selectors import attachments_of
from jinyuan.attachments.services import attachment_add, attachment_void
from jinyuan.documents.services import document_issue, document_resume, document_suspend
from jinyuan.workflow import deadlines
from jinyuan.workflow.services import TransitionRefused, check_transition, notify, record_event, transition
from tenants.models import Tenant, Unit
from tenants.selectors import occupancy_of
from tenants.services import notify_tenant

from . import passes
from .fees import fees_for
from .models import (
    DEPARTMENT_ROLE,
    Deduction,
    DeductionItem,
    Department,
    FeeSchedule,
    FireApprovalRule,
    Inspection,
    RectificationOrder,
    Renovation,
    tenant_admin_of,
)

FileKind = Renovation.FileKind

# What the application form sets (the unit is chosen once: another unit is another application).
APPLICATION_FIELDS = (
    "contact_name",
    "contact_phone",
    "contractor_name",
    "contractor_person",
    "contractor_phone",
    "planned_start",
    "planned_end",
    "work_items",
    "electrical_load_kw",
    "fire_safety_person",
    "fire_safety_phone",
    "intended_use",
)


def fire_approval_needed(unit: Unit, use: str) -> str:
    """The documents the fire authority must issue for this fit-out ("" = none), from the
    supervisors' rule table: every active rule for ``use`` whose area threshold the unit passes."""
    rules = FireApprovalRule.objects.filter(is_active=True, use=use, area_above__lt=unit.area).order_by("area_above")
    return "；".join(dict.fromkeys(r.document for r in rules))


def live_renovation(unit: Unit, exclude_pk: int | None = None) -> Renovation | None:
    qs = Renovation.objects.filter(unit=unit, status__in=Renovation.LIVE)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.order_by("pk").first()


def _live_message(live: Renovation) -> str:
    return _("Unit %(unit)s already has a renovation in progress: %(name)s (%(status)s, applied %(date)s).") % {
        "unit": live.unit.number,
        "name": str(live),
        "status": live.get_status_display(),
        "date": timezone.localtime(live.created_at).date().isoformat(),
    }


def _check_fields(unit: Unit, fields: Mapping[str, Any], *, today: date, errors: dict[str, list[str]]) -> None:
    start, end = fields.get("planned_start"), fields.get("planned_end")
    if start and start < today:
        errors.setdefault("planned_start", []).append(_("The start cannot be in the past."))
    if start and end and end <= start:
        errors.setdefault("planned_end", []).append(_("The end must be after the start."))
    load = fields.get("electrical_load_kw")
    if load is not None and unit.power_supply_kw is not None and load > unit.power_supply_kw:
        errors.setdefault("electrical_load_kw", []).append(
            _("%(load)s kW is more than the unit's supply of %(supply)s kW.")
            % {"load": load, "supply": unit.power_supply_kw}
        )
    if not [item for item in fields.get("work_items") or [] if item.strip()]:
        errors.setdefault("work_items", []).append(_("List at least one work item."))


def _attach(renovation: Renovation, files: Mapping[str, UploadedFile | None], by: Any) -> None:
    """Attach each uploaded file under its kind; a file that is not what it says goes beside
    its field. A new file of a kind replaces (voids) the earlier one."""
    errors: dict[str, list[str]] = {}
    earlier = {a.kind: a for a in attachments_of(renovation)}
    for kind, upload in files.items():
        if not upload:
            continue
        try:
            attachment_add(record=renovation, upload=upload, by=by, kind=kind, label=str(FileKind(kind).label))
        except ValidationError as exc:
            errors[kind] = exc.messages
            continue
        if kind in earlier:
            attachment_void(attachment=earlier[kind], by=by, reason=_("Replaced by a corrected file"))
    if errors:
        raise ValidationError(errors)


def _missing_files(renovation: Renovation | None, files: Mapping[str, Any], fire_needed: str) -> dict[str, list[str]]:
    have = set(files_by_kind(renovation)) if renovation is not None else set()
    have |= {kind for kind, upload in files.items() if upload}
    required = list(Renovation.REQUIRED_FILES) + ([FileKind.FIRE_APPROVAL] if fire_needed else [])
    return {kind: [_("This file is required.")] for kind in required if kind not in have}


def files_by_kind(renovation: Renovation) -> dict[str, Attachment]:
    return {a.kind: a for a in attachments_of(renovation)}


def renovation_apply(
    *, tenant: Tenant, unit: Unit, by: Any, files: Mapping[str, UploadedFile | None], **fields: Any
) -> Renovation:
    """A new application (portal or desk). Every problem is raised at once, beside its field."""
    today = timezone.localdate()
    fields = {key: fields[key] for key in APPLICATION_FIELDS if key in fields}
    errors: dict[str, list[str]] = {}
    if occupancy_of(tenant, unit) is None:
        errors["unit"] = [_("The company does not occupy this unit now.")]
    elif live := live_renovation(unit):
        errors["unit"] = [_live_message(live)]
    _check_fields(unit, fields, today=today, errors=errors)
    fire_needed = fire_approval_needed(unit, fields.get("intended_use") or "office")
    errors.update(_missing_files(None, files, fire_needed))
    if errors:
        raise ValidationError(errors)
    fields["work_items"] = [item.strip() for item in fields["work_items"] if item.strip()]
    with transaction.atomic():
        renovation = Renovation(tenant=tenant, unit=unit, applicant=by, fire_approval_required=fire_needed, **fields)
        try:
            with transaction.atomic():
                renovation.save()
        except IntegrityError as exc:
            # Another application for the unit was saved between the check and this insert.
            live = live_renovation(unit)
            raise ValidationError({"unit": [_live_message(live)] if live else exc.args[:1]}) from exc
        _attach(renovation, files, by)
        record_event(renovation, "renovation.applied", by=by, to_state=renovation.status, data={"unit": unit.number})
        deadlines.on_transition(renovation, "", renovation.status, now=timezone.now())
        _tell_reviewers(renovation, "applied")
    return renovation


def renovation_resubmit(
    *, obj: Renovation, by: Any, note: str = "", files: Mapping[str, UploadedFile | None] | None = None, **changes: Any
) -> Renovation:
    """A returned application, corrected (``APPLICATION_FIELDS`` and new files), goes to both
    reviews again: corrected drawings are looked at by both departments."""
    files = files or {}
    fields = {key: changes[key] for key in APPLICATION_FIELDS if key in changes}
    merged = {key: fields.get(key, getattr(obj, key)) for key in APPLICATION_FIELDS}
    errors: dict[str, list[str]] = {}
    _check_fields(obj.unit, merged, today=timezone.localdate(), errors=errors)
    fire_needed = fire_approval_needed(obj.unit, merged["intended_use"])
    errors.update(_missing_files(obj, files, fire_needed))
    if errors:
        raise ValidationError(errors)
    if "work_items" in fields:
        fields["work_items"] = [item.strip() for item in fields["work_items"] if item.strip()]
    with transaction.atomic():
        check_transition(obj, "resubmit", by=by, note=note)
        _attach(obj, files, by)
        changes = {
            **fields,
            "fire_approval_required": fire_needed,
            "engineering_remarks": "",
            "security_remarks": "",
        }
        # Corrected by the desk for the company, or by the company itself: the timeline says which.
        by_desk = not tenant_admin_of(obj, by)
        data = {"corrected_by": "desk" if by_desk else "tenant", "fields": sorted(fields)}
        transition(obj, "resubmit", by=by, note=note, changes=changes, data=data)
        _tell_reviewers(obj, "resubmitted")
        if by_desk:
            _tell_tenant(
                obj,
                gettext_noop(
                    "The service center corrected your renovation application for %(unit)s and sent it again."
                ),
                {"unit": obj.unit.number},
                f"resubmitted-{timezone.now():%Y%m%d%H%M%S%f}",
            )
    return obj


# --- reviews -----------------------------------------------------------------------------------


def renovation_pass_engineering(*, obj: Renovation, by: Any, note: str = "") -> Renovation:
    return _review(obj, "pass_engineering", "engineering_remarks", by, note)


def renovation_pass_security(*, obj: Renovation, by: Any, note: str = "") -> Renovation:
    return _review(obj, "pass_security", "security_remarks", by, note)


def renovation_return_engineering(*, obj: Renovation, by: Any, note: str) -> Renovation:
    return _review(obj, "return_engineering", "engineering_remarks", by, note)


def renovation_return_security(*, obj: Renovation, by: Any, note: str) -> Renovation:
    return _review(obj, "return_security", "security_remarks", by, note)


def _lock(obj: Renovation) -> Renovation:
    """Lock the renovation's row for this transaction and read its state as now committed.

    Someone acting on the same renovation at this moment waits here until the other commits,
    then sees the state it left: two reviews of different departments both count (the second
    moves on from the state the first made), and a second approval or works start is refused
    by the state check before it bills or draws a permit number."""
    Renovation.objects.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True).get()
    obj.refresh_from_db()
    return obj


def _review(obj: Renovation, name: str, remarks_field: str, by: Any, note: str) -> Renovation:
    with transaction.atomic():
        _lock(obj)
        transition(obj, name, by=by, note=note, changes={remarks_field: note})
        if obj.status == Renovation.Status.RETURNED:
            _tell_tenant(
                obj,
                gettext_noop("Your renovation application for %(unit)s was returned for correction: %(reason)s"),
                {"unit": obj.unit.number, "reason": note},
                f"returned-{timezone.now():%Y%m%d%H%M%S%f}",
            )
        elif obj.status == Renovation.Status.REVIEWED:
            notify(
                staff_with_role(Role.SUPERVISOR),
                message=gettext_noop("Renovation waiting for approval: %(company)s, %(unit)s"),
                args={"company": obj.tenant.name, "unit": obj.unit.number},
                url=reverse("desk:renovation:renovation_detail", args=[obj.pk]),
                dedup_key=f"renovation-{obj.pk}-reviewed-{timezone.now():%Y%m%d%H%M%S%f}",
            )
    return obj


# --- decision, fees, works ---------------------------------------------------------------------


def renovation_approve(*, obj: Renovation, by: Any, note: str = "") -> Renovation:
    """Approve the planned period (from today if its start has passed meanwhile) and bill the
    fees in the same transaction: a lost race rolls the bill back."""
    today = timezone.localdate()
    start, end = max(obj.planned_start, today), obj.planned_end
    if end <= start:
        raise TransitionRefused(_("The planned period has passed; reject the application so the tenant applies again."))
    with transaction.atomic():
        _lock(obj)
        check_transition(obj, "approve", by=by, note=note)
        fees = fees_for(obj, start, end)
        bill = None
        if fees.lines:
            bill = bill_create(
                tenant=obj.tenant,
                title=_("Renovation fees %(unit)s") % {"unit": obj.unit.number},
                lines=fees.lines,
                by=by,
                source_key=f"renovation:{obj.pk}",
            )
        transition(
            obj,
            "approve",
            by=by,
            note=note,
            changes={
                "granted_start": start,
                "granted_end": end,
                "fees_bill": bill,
                "deposit_from_move_in": fees.from_move_in,
            },
            data={"granted": f"{start.isoformat()} – {end.isoformat()}"},
        )
        record_event(
            obj,
            "renovation.fees_billed",
            by=by,
            data={
                "bill": bill.number if bill else "",
                "total": str(fees.total),
                "deposit": str(fees.deposit),
                "deposit_from_move_in": str(fees.from_move_in),
            },
        )
        _tell_tenant(
            obj,
            gettext_noop("Your renovation of %(unit)s was approved. Fees due: CNY %(total)s."),
            {"unit": obj.unit.number, "total": str(fees.total)},
            "approved",
        )
    return obj


def renovation_reject(*, obj: Renovation, by: Any, note: str) -> Renovation:
    with transaction.atomic():
        transition(obj, "reject", by=by, note=note)
        _tell_tenant(
            obj,
            gettext_noop("Your renovation application for %(unit)s was rejected: %(reason)s"),
            {"unit": obj.unit.number, "reason": note},
            "rejected",
        )
    return obj


def renovation_start_works(*, obj: Renovation, by: Any, note: str = "") -> Renovation:
    """Works start once the fees are paid (the checklist); the permit is issued now, not at
    approval, so no valid-looking permit hangs on the door while the fees are unpaid."""
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        _lock(obj)
        check_transition(obj, "start_works", by=by, note=note)
        permit = document_issue(
            kind="renovation_permit",
            source=obj,
            by=by,
            valid_from=datetime.combine(obj.granted_start, time.min, tz),
            valid_until=datetime.combine(obj.granted_end, time(23, 59, 59), tz),
        )
        transition(
            obj, "start_works", by=by, note=note, changes={"permit": permit, "works_started_on": timezone.localdate()}
        )
        record_event(obj, "renovation.permit_issued", by=by, data={"number": permit.number})
        _tell_tenant(
            obj,
            gettext_noop("Works on %(unit)s may start: renovation permit %(number)s. Post it at the door."),
            {"unit": obj.unit.number, "number": permit.number},
            "works_started",
        )
    return obj


def _tell_reviewers(obj: Renovation, event: str) -> None:
    notify(
        [*staff_with_role(Role.ENGINEERING), *staff_with_role(Role.SECURITY)],
        message=gettext_noop("Renovation to review: %(company)s, %(unit)s"),
        args={"company": obj.tenant.name, "unit": obj.unit.number},
        url=reverse("desk:renovation:renovation_detail", args=[obj.pk]),
        dedup_key=f"renovation-{obj.pk}-{event}-{timezone.now():%Y%m%d%H%M%S%f}",
    )


def _tell_tenant(obj: Renovation, message: str, args: dict, event: str) -> None:
    url = reverse("portal:renovation:renovation_detail", args=[obj.pk])
    notify_tenant(obj, message=message, args=args, event=event, url=url)


# --- part 2: inspections and rectification orders -----------------------------------------------

# Works are inspected while they run, while they are stopped and until the renovation is closed.
INSPECTABLE = (Renovation.Status.IN_WORKS, Renovation.Status.STOPPED, *Renovation.ACCEPTANCE)


def renovation_inspect(
    *,
    renovation: Renovation,
    by: Any,
    department: str,
    inspected_at: datetime,
    findings: str,
    violation: bool,
    photos: list[UploadedFile] | tuple = (),
    requirement: str = "",
    due_on: date | None = None,
    reinspects: RectificationOrder | None = None,
) -> Inspection:
    """Record an inspection by ``department`` (its staff or a supervisor). A violation found on
    a first inspection issues a rectification order 整改通知书 (numbered, with its kernel
    deadline); a re-inspection of an order closes it when the violation is gone, else
    escalates it to the supervisor."""
    if not by.has_role(DEPARTMENT_ROLE[Department(department)], Role.SUPERVISOR):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not (findings or "").strip():
        errors["findings"] = [_("Describe what was found.")]
    if inspected_at > timezone.now():
        errors["inspected_at"] = [_("The inspection cannot be in the future.")]
    if violation and reinspects is None:
        if not (requirement or "").strip():
            errors["requirement"] = [_("Say what must be rectified.")]
        if due_on is None:
            errors["due_on"] = [_("Give the day by which it must be rectified.")]
        elif due_on < timezone.localdate():
            errors["due_on"] = [_("The day cannot be in the past.")]
    if reinspects is not None and reinspects.renovation_id != renovation.pk:
        errors["reinspects"] = [_("This order belongs to another renovation.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _lock(renovation)
        if renovation.status not in INSPECTABLE:
            raise TransitionRefused(_("Only a renovation under works is inspected."))
        inspection = Inspection.objects.create(
            renovation=renovation,
            department=department,
            inspected_at=inspected_at,
            inspector=by,
            findings=findings.strip(),
            violation=violation,
            reinspects=reinspects,
        )
        photo_errors = []
        for n, photo in enumerate(photos, 1):
            try:
                attachment_add(record=inspection, upload=photo, by=by, kind="photo", label=_("Photo %(n)s") % {"n": n})
            except ValidationError as exc:
                photo_errors += exc.messages
        if photo_errors:
            raise ValidationError({"photos": photo_errors})
        record_event(
            renovation,
            "renovation.inspected",
            by=by,
            note=inspection.findings,
            data={"department": department, "violation": violation, "inspection": inspection.pk},
        )
        if reinspects is not None:
            _reinspected(reinspects, inspection, by)
        elif violation:
            _issue_order(renovation, inspection, by, requirement.strip(), due_on)
    return inspection


def _issue_order(renovation: Renovation, inspection: Inspection, by: Any, requirement: str, due_on: date):
    order = RectificationOrder.objects.create(
        tenant_id=renovation.tenant_id,
        renovation=renovation,
        inspection=inspection,
        applicant=by,
        requirement=requirement,
        due_on=due_on,
    )
    order.document = document_issue(kind="rectification_order", source=order, by=by)
    order.save(update_fields=["document", "updated_at"])
    record_event(order, "rectification.issued", by=by, to_state=order.status, data={"number": order.document.number})
    record_event(renovation, "renovation.order_issued", by=by, data={"number": order.document.number})
    deadlines.on_transition(order, "", order.status, now=timezone.now())
    notify_tenant(
        order,
        message=gettext_noop("Rectification order %(number)s for %(unit)s: rectify by %(date)s. %(requirement)s"),
        args={
            "number": order.document.number,
            "unit": renovation.unit.number,
            "date": due_on.isoformat(),
            "requirement": requirement,
        },
        event="issued",
        url=reverse("portal:renovation:renovation_detail", args=[renovation.pk]),
    )
    return order


def _reinspected(order: RectificationOrder, inspection: Inspection, by: Any) -> None:
    order = RectificationOrder.objects.select_for_update().get(pk=order.pk)
    number = order.document.number if order.document_id else ""
    if not inspection.violation:
        transition(order, "close", by=by, changes={"closed_at": timezone.now()}, data={"number": number})
        record_event(order.renovation, "renovation.order_closed", by=by, data={"number": number})
    elif order.status == RectificationOrder.Status.OPEN:
        transition(order, "escalate", by=by, note=inspection.findings, data={"number": number})
        record_event(order.renovation, "renovation.order_escalated", by=by, data={"number": number})
        notify(
            staff_with_role(Role.SUPERVISOR),
            message=gettext_noop("Rectification order %(number)s not complied with: %(company)s, %(unit)s"),
            args={"number": number, "company": order.tenant.name, "unit": order.renovation.unit.number},
            url=reverse("desk:renovation:renovation_detail", args=[order.renovation_id]),
            dedup_key=f"rectification-{order.pk}-escalated",
        )


# --- stop-work 停工 ---------------------------------------------------------------------------------


def renovation_stop_works(*, obj: Renovation, by: Any, note: str) -> Renovation:
    """The supervisor stops the works: the permit is suspended (a guard's scan says so) and so
    are the renovation's worker passes (through ``renovation.passes``), until the stop is lifted."""
    with transaction.atomic():
        _lock(obj)
        check_transition(obj, "stop_works", by=by, note=note)
        if obj.permit_id:
            document_suspend(document=obj.permit, by=by, reason=note)
        suspended = passes.suspend(obj, by=by, reason=note)
        transition(obj, "stop_works", by=by, note=note, data={"passes": suspended})
        _tell_tenant(
            obj,
            gettext_noop("Works on %(unit)s are stopped by the service center: %(reason)s"),
            {"unit": obj.unit.number, "reason": note},
            f"stopped-{timezone.now():%Y%m%d%H%M%S%f}",
        )
    return obj


def renovation_lift_stop(*, obj: Renovation, by: Any, note: str = "") -> Renovation:
    """Lifting the stop restores the permit and the passes the stop suspended."""
    with transaction.atomic():
        _lock(obj)
        check_transition(obj, "lift_stop", by=by, note=note)
        if obj.permit_id:
            document_resume(document=obj.permit, by=by, note=note)
        restored = passes.restore(obj, by=by)
        transition(obj, "lift_stop", by=by, note=note, data={"passes": restored})
        _tell_tenant(
            obj,
            gettext_noop("Works on %(unit)s may continue: the stop-work order is lifted."),
            {"unit": obj.unit.number},
            f"lifted-{timezone.now():%Y%m%d%H%M%S%f}",
        )
    return obj


# --- deductions from the deposit -----------------------------------------------------------------

# Deductions may be proposed until the deposit is refunded.
DEDUCTIBLE = (
    Renovation.Status.IN_WORKS,
    Renovation.Status.STOPPED,
    *Renovation.ACCEPTANCE,
    Renovation.Status.ACCEPTED,
)


def deduction_propose(
    *, renovation: Renovation, by: Any, department: str, items: list[tuple[str, Decimal]], note: str = ""
) -> Deduction:
    """Engineering or security proposes an itemised deduction (reason and amount per line)."""
    if not by.has_role(DEPARTMENT_ROLE[Department(department)]):
        raise PermissionDenied
    lines = [((reason or "").strip(), amount) for reason, amount in items if (reason or "").strip() or amount]
    errors: dict[str, list[str]] = {}
    if not lines:
        errors["items"] = [_("List at least one item with its reason and amount.")]
    for reason, amount in lines:
        if not reason or amount is None or amount <= 0:
            errors["items"] = [_("Every item needs a reason and an amount above zero.")]
    if errors:
        raise ValidationError(errors)
    total = sum((amount for _reason, amount in lines), Decimal("0"))
    with transaction.atomic():
        _lock(renovation)
        if renovation.status not in DEDUCTIBLE:
            raise TransitionRefused(_("Deductions are proposed while the renovation's deposit is held."))
        deduction = Deduction.objects.create(
            tenant_id=renovation.tenant_id, renovation=renovation, applicant=by, department=department, total=total
        )
        DeductionItem.objects.bulk_create(
            [DeductionItem(deduction=deduction, reason=reason, amount=amount) for reason, amount in lines]
        )
        data = {"total": str(total), "items": [f"{reason} {amount}" for reason, amount in lines]}
        record_event(deduction, "deduction.proposed", by=by, to_state=deduction.status, note=note, data=data)
        record_event(renovation, "renovation.deduction_proposed", by=by, note=note, data=data)
        notify(
            staff_with_role(Role.SUPERVISOR),
            message=gettext_noop("Deposit deduction of CNY %(total)s to approve: %(company)s, %(unit)s"),
            args={"total": str(total), "company": renovation.tenant.name, "unit": renovation.unit.number},
            url=reverse("desk:renovation:renovation_detail", args=[renovation.pk]),
            dedup_key=f"deduction-{deduction.pk}-proposed",
        )
    return deduction


def deduction_approve(*, obj: Deduction, by: Any, note: str = "") -> Deduction:
    return _decide_deduction(obj, "approve", by, note)


def deduction_reject(*, obj: Deduction, by: Any, note: str) -> Deduction:
    return _decide_deduction(obj, "reject", by, note)


def _decide_deduction(obj: Deduction, name: str, by: Any, note: str) -> Deduction:
    with transaction.atomic():
        Deduction.objects.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True).get()
        obj.refresh_from_db()
        transition(
            obj,
            name,
            by=by,
            note=note,
            changes={"decided_by": by, "decided_at": timezone.now()},
            data={"total": str(obj.total)},
        )
        record_event(
            obj.renovation, f"renovation.deduction_{obj.status}", by=by, note=note, data={"total": str(obj.total)}
        )
        if obj.status == Deduction.Status.APPROVED:
            _tell_tenant(
                obj.renovation,
                gettext_noop("A deduction of CNY %(total)s from the renovation deposit for %(unit)s was approved."),
                {"total": str(obj.total), "unit": obj.renovation.unit.number},
                f"deduction-{obj.pk}",
            )
    return obj


# --- acceptance 竣工验收 -----------------------------------------------------------------------------


def renovation_request_acceptance(*, obj: Renovation, by: Any, note: str = "") -> Renovation:
    """The tenant says the works are finished: engineering and security inspect for acceptance."""
    with transaction.atomic():
        _lock(obj)
        transition(obj, "request_acceptance", by=by, note=note)
        notify(
            [*staff_with_role(Role.ENGINEERING), *staff_with_role(Role.SECURITY)],
            message=gettext_noop("Renovation to inspect for acceptance: %(company)s, %(unit)s"),
            args={"company": obj.tenant.name, "unit": obj.unit.number},
            url=reverse("desk:renovation:renovation_detail", args=[obj.pk]),
            dedup_key=f"renovation-{obj.pk}-acceptance-{timezone.now():%Y%m%d%H%M%S%f}",
        )
    return obj


def renovation_pass_acceptance_engineering(*, obj: Renovation, by: Any, note: str = "") -> Renovation:
    return _acceptance(obj, "pass_acceptance_engineering", by, note)


def renovation_pass_acceptance_security(*, obj: Renovation, by: Any, note: str = "") -> Renovation:
    return _acceptance(obj, "pass_acceptance_security", by, note)


def renovation_fail_acceptance_engineering(*, obj: Renovation, by: Any, note: str) -> Renovation:
    return _acceptance(obj, "fail_acceptance_engineering", by, note)


def renovation_fail_acceptance_security(*, obj: Renovation, by: Any, note: str) -> Renovation:
    return _acceptance(obj, "fail_acceptance_security", by, note)


def _acceptance(obj: Renovation, name: str, by: Any, note: str) -> Renovation:
    """The two departments' acceptance inspections, each counted whatever the order (the row
    lock makes the second see the first). Both passed: accepted, the defect period starts (its
    kernel deadline), the worker passes are voided. A fail sends the renovation back to works
    with the items to put right (the note)."""
    S = Renovation.Status
    with transaction.atomic():
        _lock(obj)
        changes: dict[str, Any] = {}
        completes = name.startswith("pass_") and obj.status in (S.ACCEPTANCE_ENG_PASSED, S.ACCEPTANCE_SEC_PASSED)
        if completes:
            today = timezone.localdate()
            changes = {
                "accepted_on": today,
                "defect_period_ends": today + timedelta(days=FeeSchedule.current().defect_period_days),
            }
        transition(obj, name, by=by, note=note, changes=changes)
        if obj.status == S.ACCEPTED:
            voided = passes.void(obj, by=by, reason=_("Renovation accepted"))
            record_event(
                obj,
                "renovation.accepted",
                by=by,
                data={"defect_period_ends": obj.defect_period_ends.isoformat(), "passes": voided},
            )
            _tell_tenant(
                obj,
                gettext_noop(
                    "The renovation of %(unit)s passed acceptance. The deposit is refunded after the defect "
                    "period, on %(date)s, less any approved deductions."
                ),
                {"unit": obj.unit.number, "date": obj.defect_period_ends.isoformat()},
                "accepted",
            )
        elif obj.status == S.IN_WORKS:
            _tell_tenant(
                obj,
                gettext_noop("The renovation of %(unit)s did not pass acceptance: %(reason)s"),
                {"unit": obj.unit.number, "reason": note},
                f"acceptance-failed-{timezone.now():%Y%m%d%H%M%S%f}",
            )
    return obj


# --- deposit refund after the defect period ------------------------------------------------------


def renovation_deposit_held(obj: Renovation) -> Decimal:
    """This renovation's deposit in the ledger (entries keyed ``renovation:<pk>``; a renovation
    deposit paid at move-in and counted toward the tier stays with the move-in deposit)."""
    from billing.models import DepositEntry

    totals = {
        row["kind"]: row["s"]
        for row in DepositEntry.objects.filter(tenant_id=obj.tenant_id, source_key=f"renovation:{obj.pk}")
        .values("kind")
        .annotate(s=models.Sum("amount"))
        .order_by()
    }
    zero = Decimal("0.00")
    return totals.get("received", zero) - totals.get("deducted", zero) - totals.get("refunded", zero)


def renovation_refund(*, obj: Renovation, by: Any, note: str = "") -> Renovation:
    """After the defect period: unreturned worker passes forfeit their own pass deposits first
    (the pass provider settles those), then this renovation's deposit entries are settled -
    each approved deduction deducted with its reasons, the rest refunded - and deductions
    above the deposit are billed to the tenant. Settles this renovation's entries only."""
    from billing.models import DepositEntry, FeeItem
    from billing.services import LineSpec

    from .refund import settle

    with transaction.atomic():
        _lock(obj)
        check_transition(obj, "refund", by=by, note=note)
        forfeited = passes.forfeit_unreturned(obj, by=by)
        approved = list(
            Deduction.objects.filter(renovation=obj, status=Deduction.Status.APPROVED).prefetch_related("items")
        )
        s = settle(renovation_deposit_held(obj), sum((d.total for d in approved), Decimal("0.00")))
        key = f"renovation:{obj.pk}"
        item = FeeItem.objects.get(code="renovation_deposit")
        left = s.deducted
        for d in approved:
            take = min(d.total, left)
            if take > 0:
                reasons = "；".join(i.reason for i in d.items.all())
                DepositEntry.objects.create(
                    tenant_id=obj.tenant_id,
                    fee_item=item,
                    kind=DepositEntry.Kind.DEDUCTED,
                    amount=take,
                    reason=reasons[:200],
                    source_key=key,
                    created_by=by,
                )
                left -= take
        if s.refund > 0:
            DepositEntry.objects.create(
                tenant_id=obj.tenant_id,
                fee_item=item,
                kind=DepositEntry.Kind.REFUNDED,
                amount=s.refund,
                reason=_("Renovation deposit refunded"),
                source_key=key,
                created_by=by,
            )
        bill = None
        if s.excess > 0:
            damage = FeeItem.objects.filter(code="renovation_deduction").first() or FeeItem.objects.create(
                code="renovation_deduction",
                name=_("Renovation deductions above the deposit"),
                kind=FeeItem.Kind.ONE_OFF,
                price=Decimal("0.00"),
            )
            bill = bill_create(
                tenant=obj.tenant,
                title=_("Renovation deductions above the deposit: %(unit)s") % {"unit": obj.unit.number},
                lines=[LineSpec(damage, damage.name, Decimal(1), s.excess, obj.unit)],
                by=by,
                source_key=f"renovation-excess:{obj.pk}",
            )
        transition(
            obj,
            "refund",
            by=by,
            note=note,
            data={
                "held": str(s.held),
                "deducted": str(s.deducted),
                "refunded": str(s.refund),
                "billed": str(s.excess),
                "bill": bill.number if bill else "",
                "forfeited_passes": [f"{p.number} {p.amount}" for p in forfeited],
            },
        )
        _tell_tenant(
            obj,
            gettext_noop(
                "Renovation deposit for %(unit)s settled: CNY %(refund)s refunded, CNY %(deducted)s deducted, "
                "CNY %(billed)s billed."
            ),
            {"unit": obj.unit.number, "refund": str(s.refund), "deducted": str(s.deducted), "billed": str(s.excess)},
            "refunded",
        )
    return obj
