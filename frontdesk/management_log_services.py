"""Writes of the building management log 大厦管理日志: opening a day's log (the scheduler opens
yesterday's, once), the supervisor's remarks, items noted on the log, and signing (which
freezes the content, issues the PDF and stops the signing deadline)."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jinyuan.documents.services import PRINT_LANGUAGE, document_issue
from jinyuan.workflow import deadlines
from jinyuan.workflow.services import TransitionRefused, record_event, transition

from . import action_services, management_log_selectors
from .models import ActionItem, ManagementLog
from .models.management_log import LOG_DEADLINE

LOG_KIND = "management_log"
REMARKS_MAX = 2000


def log_open(*, day: dt.date, by: Any = None, now: dt.datetime | None = None) -> tuple[ManagementLog, bool]:
    """The log of ``day``, made if it is not there yet (with its audit event and its signing
    deadline); ``created`` says whether this call made it. Two calls at once make one: the
    unique date decides, the loser reads the winner's row."""
    now = now or timezone.now()
    with transaction.atomic():
        log, created = ManagementLog.objects.get_or_create(date=day, defaults={"applicant": by})
        if created:
            record_event(log, "management_log.opened", by=by, to_state=log.status)
            deadlines.deadline_start(log, LOG_DEADLINE, now=now)
    return log, created


def open_yesterday(*, now: dt.datetime | None = None) -> bool:
    """The scheduler's daily step: yesterday's log is opened (once, however often it runs)."""
    now = now or timezone.now()
    _log, created = log_open(day=timezone.localdate(now) - dt.timedelta(days=1), now=now)
    return created


def _refuse_signed(log: ManagementLog) -> None:
    if log.status == ManagementLog.Status.SIGNED:
        raise TransitionRefused(_("The log of %(day)s is signed: it no longer changes.") % {"day": log.date})


def log_write_remarks(*, day: dt.date, by: Any, building_remarks: str, manager_opinion: str) -> ManagementLog:
    """The supervisor's remarks (大厦情况, 值班经理意见), until the log is signed."""
    building_remarks, manager_opinion = (building_remarks or "").strip(), (manager_opinion or "").strip()
    errors = {}
    for field, value in (("building_remarks", building_remarks), ("manager_opinion", manager_opinion)):
        if len(value) > REMARKS_MAX:
            errors[field] = _("At most %(n)d characters.") % {"n": REMARKS_MAX}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        log, _created = log_open(day=day, by=by)
        log = ManagementLog.objects.select_for_update().get(pk=log.pk)
        _refuse_signed(log)
        log.building_remarks, log.manager_opinion = building_remarks, manager_opinion
        log.save(update_fields=["building_remarks", "manager_opinion", "updated_at"])
        record_event(
            log,
            "management_log.remarks_written",
            by=by,
            note="\n".join(v for v in (building_remarks, manager_opinion) if v)[:500],
        )
    return log


def log_add_item(*, day: dt.date, by: Any, text: str, owner: Any, due_at: dt.datetime) -> ActionItem:
    """An open item noted on the day's log: a follow-up item of the log, carried forward on
    each next day's log until it is closed (with a note: ``action_services``)."""
    with transaction.atomic():
        log, _created = log_open(day=day, by=by)
        _refuse_signed(log)
        return action_services.action_item_add(record=log, text=text, owner=owner, due_at=due_at, by=by)


def log_sign(*, day: dt.date, by: Any, now: dt.datetime | None = None) -> ManagementLog:
    """Sign the day's log: its sections and items are frozen on the row as they now read (in
    the print language), its PDF is issued, the signing deadline stops. Only supervisors
    (PermissionDenied); a signed log refuses a second signature (TransitionRefused)."""
    now = now or timezone.now()
    with transaction.atomic():
        log, _created = log_open(day=day, by=by, now=now)
        with translation.override(PRINT_LANGUAGE):
            content = management_log_selectors.draft(day)
        transition(log, "sign", by=by, changes={"content": content, "signed_by": by, "signed_at": now})
        document = document_issue(kind=LOG_KIND, source=log, by=by)
        ManagementLog.objects.filter(pk=log.pk).update(document=document)
        log.document = document
    return log
