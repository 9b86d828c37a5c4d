"""Hot-work permits 动火作业: every write and state change.

A company applies in the portal (or the desk applies for it) at least one working day ahead:
the start may not fall before the day after the next working day (the kernel's working
calendar: weekends, holidays and make-up days 调休 as the supervisors keep them). Engineering
reviews, then security; security's approval issues the paper (kernel document
``hot_work_permit``, valid over the window). Before the start security or engineering checks
the site on a phone, every item ticked (``hot_work_site_check``), and the work is in progress.
When it ends (``hot_work_end``) the fire watch stays at least 30 minutes: the recheck that
closes the permit is refused before ``work_ended_at + 30 min`` by the server's clock. Security
may stop the work on the spot (the paper is revoked). A permit not started by the window's end
expires: the deadline step's action (``expire_due``), whose step also tells security.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jinyuan.accounts.roles import Role
from jinyuan.accounts.selectors import staff_with_role
from jinyuan.documents.models import Document
from jinyuan.documents.services import document_issue, document_revoke
from jinyuan.phones import validate_phone
from jinyuan.workflow.calendar import WorkingCalendar, load_calendar
from jinyuan.workflow.services import TransitionRefused, check_transition, notify, record_event, transition
from tenants.models import Tenant
from tenants.services import notify_tenant

from .models.hot_work import (
    CHECK_BEFORE_START,
    FIRE_WATCH,
    MAX_WINDOW,
    HotWorkPermit,
    Measure,
    SiteCheck,
    extinguishers_needed,
)

KIND = "hot_work_permit"
FIELDS = (
    "renovation",
    "unit",
    "part",
    "work",
    "method",
    "starts_at",
    "ends_at",
    "operator_name",
    "certificate_number",
    "certificate_expiry",
    "fire_watch_name",
    "fire_watch_phone",
    "area_m2",
    "extinguishers",
    "measures",
)


# --- checks -----------------------------------------------------------------------------------


def earliest_start(now: dt.datetime, calendar: WorkingCalendar | None = None) -> dt.datetime:
    """At least one working day ahead: the next working day from today on is the reviewers'
    day, and the work may start from the day after it (Monday's application: Tuesday;
    Friday's: Saturday; Saturday's: Tuesday, Monday being the reviewers' day)."""
    calendar = calendar or load_calendar()
    day = timezone.localdate(now)
    for _i in range(3660):
        if calendar.is_working_day(day):
            break
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), timezone.get_current_timezone())


def _local(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i")


def _number(value: Any, kind: type) -> Any:
    """A number typed or given as text; None when it is none."""
    if value in (None, ""):
        return None
    try:
        return kind(value)
    except (TypeError, ValueError, ArithmeticError):
        return None


def check_fields(fields: dict[str, Any], tenant: Tenant, now: dt.datetime) -> dict[str, Any]:
    """Every rule on what the applicant writes, each error beside its field."""
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    values = {k: fields.get(k) for k in FIELDS}
    for key in ("part", "work", "operator_name", "certificate_number", "fire_watch_name", "fire_watch_phone"):
        values[key] = (values[key] or "").strip()
        if not values[key]:
            err(key, _("This field is required."))
    if values["method"] not in HotWorkPermit.Method.values:
        err("method", _("Choose the method of the hot work."))
    renovation = values["renovation"]
    if renovation is not None and renovation.tenant_id != tenant.pk:
        err("renovation", _("Choose one of the company's own renovations."))
    if values["unit"] is None:
        err("unit", _("Choose the unit where the work is done."))
    start, end = values["starts_at"], values["ends_at"]
    if start is None:
        err("starts_at", _("Give the start of the window."))
    if end is None:
        err("ends_at", _("Give the end of the window."))
    if start is not None and end is not None:
        if end <= start:
            err("ends_at", _("The window ends after it starts."))
        elif timezone.localdate(start) != timezone.localdate(end):
            err("ends_at", _("One permit covers one calendar day: the window may not run past midnight."))
        elif end - start > MAX_WINDOW:
            err("ends_at", _("A window lasts at most 8 hours."))
        if start < now:
            err("starts_at", _("The window cannot start in the past."))
        else:
            earliest = earliest_start(now)
            if start < earliest:
                err(
                    "starts_at",
                    _("Hot work is applied for at least one working day ahead: the earliest start is %(day)s.")
                    % {"day": formats.date_format(timezone.localtime(earliest), "Y-m-d")},
                )
    expiry = values["certificate_expiry"]
    if expiry is None:
        err("certificate_expiry", _("Give the date the welder certificate is valid until."))
    elif end is not None and expiry < timezone.localdate(end):
        err(
            "certificate_expiry",
            _("The welder certificate expires before the window's end: an expired certificate is refused."),
        )
    area = _number(values["area_m2"], Decimal)
    values["area_m2"] = area
    if area is None or area <= 0:
        err("area_m2", _("Give the area of the work in m²."))
    count = values["extinguishers"] = _number(values["extinguishers"], int)
    needed = extinguishers_needed(area if area and area > 0 else None)
    if count is None or count < needed:
        err(
            "extinguishers",
            _("At least %(n)d extinguishers of 2 kg are needed: one per 50 m² of the area stated, at least one.")
            % {"n": needed},
        )
    measures = [m for m in (values["measures"] or []) if m in Measure.values]
    if set(measures) != set(Measure.values):
        err("measures", _("Every measure is required: tick each one once it is arranged."))
    values["measures"] = [m for m in Measure.values if m in measures]
    if values["fire_watch_phone"]:
        try:
            validate_phone(values["fire_watch_phone"])
        except ValidationError as exc:
            errors["fire_watch_phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    values["certificate_number"] = values["certificate_number"].upper()
    return values


# --- applying ---------------------------------------------------------------------------------


def _create(*, tenant: Tenant, by: Any, event: str, fields: dict) -> HotWorkPermit:
    values = check_fields(fields, tenant, timezone.now())
    with transaction.atomic():
        permit = HotWorkPermit(tenant=tenant, applicant=by, status=HotWorkPermit.Status.SUBMITTED, **values)
        permit.full_clean(exclude=["tenant", "applicant", "status", "renovation", "unit"])
        permit.save()
        record_event(
            permit,
            f"hot_work.{event}",
            by=by,
            to_state=permit.status,
            data={"window": permit.window_text, "method": permit.method},
        )
        _tell_role(permit, Role.ENGINEERING, gettext_noop("Hot work to review: %(company)s, %(window)s"), "submitted")
    return permit


def hot_work_apply(*, tenant: Tenant, by: Any, **fields: Any) -> HotWorkPermit:
    """The company's application in the portal: waits for engineering."""
    return _create(tenant=tenant, by=by, event="submitted", fields=fields)


def hot_work_create_for(*, tenant: Tenant, by: Any, **fields: Any) -> HotWorkPermit:
    """The desk applies for the company (a call, the counter): the same rules and reviews."""
    return _create(tenant=tenant, by=by, event="created", fields=fields)


def hot_work_correct(*, obj: HotWorkPermit, by: Any, note: str = "", **fields: Any) -> HotWorkPermit:
    """A returned permit corrected and sent again to engineering."""
    check_transition(obj, "resubmit", by=by, note=note)
    current = {k: getattr(obj, k) for k in FIELDS}
    values = check_fields({**current, **fields}, obj.tenant, timezone.now())
    changes = {k: v for k, v in values.items() if getattr(obj, k) != v}
    with transaction.atomic():
        transition(obj, "resubmit", by=by, note=note, changes=changes, data={"corrected": sorted(changes)})
        _tell_role(
            obj,
            Role.ENGINEERING,
            gettext_noop("Hot work to review: %(company)s, %(window)s"),
            f"resubmitted-{timezone.now():%Y%m%d%H%M%S}",
        )
    return obj


# --- the reviews ------------------------------------------------------------------------------


def hot_work_engineering_approve(*, obj: HotWorkPermit, by: Any, note: str = "") -> HotWorkPermit:
    with transaction.atomic():
        transition(obj, "engineering_approve", by=by, note=note)
        _tell_role(obj, Role.SECURITY, gettext_noop("Hot work to review: %(company)s, %(window)s"), "security")
    return obj


def hot_work_security_approve(*, obj: HotWorkPermit, by: Any, note: str = "") -> HotWorkPermit:
    """Security's approval issues the paper, valid over the window."""
    check_transition(obj, "security_approve", by=by, note=note)
    if obj.ends_at <= timezone.now():
        raise TransitionRefused(_("The window has passed: return the permit for a new window or reject it."))
    with transaction.atomic():
        doc = document_issue(kind=KIND, source=obj, by=by, valid_from=obj.starts_at, valid_until=obj.ends_at)
        transition(obj, "security_approve", by=by, note=note, changes={"document": doc}, data={"number": doc.number})
        _tell_tenant(
            obj,
            gettext_noop("Your hot-work permit %(number)s for %(window)s has been issued: post it at the place."),
            {"number": doc.number, "window": obj.window_text},
            "issued",
        )
    return obj


def hot_work_send_back(*, obj: HotWorkPermit, by: Any, note: str) -> HotWorkPermit:
    with transaction.atomic():
        transition(obj, "send_back", by=by, note=note)
        _tell_tenant(
            obj,
            gettext_noop("Your hot-work application was returned for correction: %(reason)s"),
            {"reason": note},
            f"returned-{timezone.now():%Y%m%d%H%M%S}",
        )
    return obj


def hot_work_reject(*, obj: HotWorkPermit, by: Any, note: str) -> HotWorkPermit:
    with transaction.atomic():
        transition(obj, "reject", by=by, note=note)
        _tell_tenant(
            obj, gettext_noop("Your hot-work application was rejected: %(reason)s"), {"reason": note}, "rejected"
        )
    return obj


def hot_work_withdraw(*, obj: HotWorkPermit, by: Any, note: str = "") -> HotWorkPermit:
    """The company withdraws before the work starts; an issued paper is revoked with it."""
    with transaction.atomic():
        transition(obj, "withdraw", by=by, note=note)
        _revoke_paper(obj, by, _("Withdrawn by the company"))
    return obj


# --- on site ----------------------------------------------------------------------------------


def hot_work_site_check(
    *, obj: HotWorkPermit, by: Any, ticked: Iterable[str], note: str = "", now: dt.datetime | None = None
) -> HotWorkPermit:
    """The on-site check before the start: every item ticked, then the work is in progress.
    Recorded from two hours before the window's start until its end."""
    check_transition(obj, "start", by=by, note=note)
    now = now or timezone.now()
    if now < obj.starts_at - CHECK_BEFORE_START:
        raise TransitionRefused(
            _("The on-site check is recorded from %(at)s on (two hours before the window's start).")
            % {"at": _local(obj.starts_at - CHECK_BEFORE_START)}
        )
    if now >= obj.ends_at:
        raise TransitionRefused(_("The window has ended: the permit can no longer be started."))
    ticked = set(ticked)
    missing = [str(label) for code, label in SiteCheck.choices if code not in ticked]
    if missing:
        raise ValidationError(
            {"checks": _("Tick every item once checked on site. Not ticked: %(items)s") % {"items": "；".join(missing)}}
        )
    checks = dict.fromkeys(SiteCheck.values, True)
    with transaction.atomic():
        transition(
            obj,
            "start",
            by=by,
            note=note,
            changes={"site_checks": checks, "checked_at": now, "checked_by": by},
            data={"checked": list(SiteCheck.values)},
        )
    return obj


def hot_work_end(*, obj: HotWorkPermit, by: Any, note: str = "", now: dt.datetime | None = None) -> HotWorkPermit:
    """The work ended: its time is recorded and the fire watch of at least 30 minutes runs."""
    now = now or timezone.now()
    with transaction.atomic():
        transition(
            obj,
            "end_work",
            by=by,
            note=note,
            changes={"work_ended_at": now},
            data={"recheck_from": _local(now + FIRE_WATCH)},
        )
    return obj


def hot_work_recheck(
    *,
    obj: HotWorkPermit,
    by: Any,
    detectors_restored: bool,
    note: str = "",
    now: dt.datetime | None = None,
) -> HotWorkPermit:
    """The site rechecked after the fire watch: refused before ``work_ended_at + 30 min``
    (the server's clock decides), and the smoke detectors must be back on."""
    check_transition(obj, "close", by=by, note=note)
    now = now or timezone.now()
    if obj.work_ended_at is None or now < obj.work_ended_at + FIRE_WATCH:
        at = obj.recheck_from or now
        raise TransitionRefused(
            _("The fire watch lasts at least 30 minutes after the work ended: recheck the site from %(at)s on.")
            % {"at": _local(at)}
        )
    if not detectors_restored:
        raise ValidationError({"detectors_restored": _("Restore the smoke detectors before closing the permit.")})
    with transaction.atomic():
        transition(
            obj,
            "close",
            by=by,
            note=note,
            changes={
                "rechecked_at": now,
                "rechecked_by": by,
                "site_checks": {**(obj.site_checks or {}), "detectors_restored": True},
            },
            data={"fire_watch_minutes": int((now - obj.work_ended_at).total_seconds() // 60)},
        )
        _tell_tenant(
            obj,
            gettext_noop("Hot-work permit %(number)s is closed: the site was rechecked."),
            {"number": str(obj)},
            "closed",
        )
    return obj


def hot_work_stop(*, obj: HotWorkPermit, by: Any, note: str) -> HotWorkPermit:
    """Security stops the work on the spot, with a reason: the paper is revoked at once."""
    with transaction.atomic():
        transition(obj, "stop", by=by, note=note, changes={"stop_reason": (note or "").strip()[:200]})
        _revoke_paper(obj, by, _("Stopped on the spot: %(reason)s") % {"reason": note})
        _tell_tenant(
            obj,
            gettext_noop("Hot-work permit %(number)s was stopped on the spot by security: %(reason)s"),
            {"number": str(obj), "reason": note},
            "stopped",
        )
    return obj


def _revoke_paper(obj: HotWorkPermit, by: Any, reason: str) -> None:
    if obj.document_id and obj.document.status in (Document.Status.VALID, Document.Status.SUSPENDED):
        document_revoke(document=obj.document, by=by, reason=reason)


def revoke_from_admin(document: Document, by: Any, reason: str) -> None:
    """The kind's ``revoke`` hook (the admin's document action): the permit's own workflow."""
    permit = HotWorkPermit.objects.select_related("document", "tenant").get(document=document)
    hot_work_stop(obj=permit, by=by, note=reason)


# --- expiry (the deadline step's action) ------------------------------------------------------


def hot_work_expire(*, obj: HotWorkPermit, now: dt.datetime | None = None) -> bool:
    """Not started by the window's end: expired. Nothing when it started, was stopped or
    withdrawn meanwhile, or its window has not ended: a second run changes nothing."""
    now = now or timezone.now()
    if obj.status != HotWorkPermit.Status.APPROVED or obj.ends_at > now:
        return False
    with transaction.atomic():
        transition(obj, "expire", by=None, data={"window": obj.window_text})
        _tell_tenant(
            obj,
            gettext_noop("Hot-work permit %(number)s expired: the work did not start in its window."),
            {"number": str(obj)},
            "expired",
        )
    return True


def expire_due(model: type[models.Model], pks: Sequence[int], now: dt.datetime) -> int:
    expired = 0
    for permit in HotWorkPermit.objects.filter(pk__in=pks).select_related("tenant", "document").order_by("pk"):
        try:
            expired += hot_work_expire(obj=permit, now=now)
        except TransitionRefused:
            continue  # changed meanwhile (started, stopped): nothing to do
    return expired


# --- who is told ------------------------------------------------------------------------------


def _tell_role(permit: HotWorkPermit, role: Role, message: str, event: str) -> None:
    notify(
        staff_with_role(role),
        message=message,
        args={"company": permit.tenant.name, "window": permit.window_text},
        url=reverse("desk:permits:hot_work_detail", args=[permit.pk]),
        dedup_key=f"hot-work-{permit.pk}-{role}-{event}",
    )


def _tell_tenant(permit: HotWorkPermit, message: str, args: dict, event: str) -> None:
    url = reverse("portal:permits:hot_work_detail", args=[permit.pk])
    notify_tenant(permit, message=message, args=args, event=event, url=url)
