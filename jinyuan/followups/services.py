"""Writes of follow-ups: schedule, record the result, cancel. Each writes an audit event on
the followed record, so its timeline tells the whole story."""

import datetime as dt
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.workflow.services import TransitionRefused, event_prefix, record_event

from . import hooks
from .models import FollowUp

# A return visit is due this many working days after the followed record closed (the desk's
# calendar): repairs and complaints alike (PROCEDURES.md "Return visits").
VISIT_WORKING_DAYS = 3


def visit_due_on(closed_at: dt.datetime, calendar: Any = None, *, days: int = VISIT_WORKING_DAYS) -> date:
    """The ``days``-th working day after the closing day: the desk makes the calls, so a record
    closed before a holiday is not overdue the morning the desk comes back."""
    from jinyuan.workflow.calendar import load_calendar

    calendar = calendar or load_calendar()
    day = timezone.localdate(closed_at)
    left = days
    while left:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            left -= 1
    return day


def followup_schedule(
    *, record: models.Model, due: date, by: Any, assigned_to: Any = None, channel: str = ""
) -> FollowUp:
    followup = FollowUp(
        due_on=due,
        channel=channel,
        assigned_to=assigned_to,
        created_by=by,
    )
    followup.set_record(record)
    followup.full_clean(exclude=["content_type", "created_by", "assigned_to"])
    with transaction.atomic():
        followup.save()
        record_event(
            record,
            f"{event_prefix(record)}.followup_scheduled",
            by=by,
            data={"followup": followup.pk, "due_on": due.isoformat()},
        )
    return followup


def _close(followup: FollowUp, status: str, fields: dict[str, Any]) -> None:
    """Compare-and-swap from open: of two clerks recording at once, one wins."""
    changed = FollowUp.objects.filter(pk=followup.pk, status=FollowUp.Status.OPEN).update(status=status, **fields)
    if not changed:
        raise TransitionRefused(_("This follow-up is already closed."))
    followup.refresh_from_db()


def followup_record(*, followup: FollowUp, result: str, channel: str, comments: str = "", by: Any) -> FollowUp:
    """Record what the tenant said. A dissatisfied result runs the record's app's hook in the
    same transaction (a complaint reopens with it, or neither happens)."""
    errors = {}
    if result not in FollowUp.Result.values:
        errors["result"] = _("Choose how satisfied the tenant is.")
    if channel not in FollowUp.Channel.values:
        errors["channel"] = _("Choose how the tenant was reached.")
    if result == FollowUp.Result.DISSATISFIED and not comments.strip():
        errors["comments"] = _("Note what the tenant is dissatisfied with.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _close(
            followup,
            FollowUp.Status.DONE,
            {
                "result": result,
                "channel": channel,
                "comments": comments.strip(),
                "done_at": timezone.now(),
                "done_by": by,
            },
        )
        record = followup.record
        record_event(
            record,
            f"{event_prefix(record)}.followup_recorded",
            by=by,
            note=followup.comments,
            data={"followup": followup.pk, "result": result, "channel": channel},
        )
        if result == FollowUp.Result.DISSATISFIED:
            hooks.run_dissatisfied(followup, by)
    return followup


def followup_cancel(*, followup: FollowUp, by: Any, reason: str) -> FollowUp:
    if not (reason or "").strip():
        raise ValidationError({"comments": _("Please give a reason.")})
    with transaction.atomic():
        _close(
            followup, FollowUp.Status.CANCELLED, {"comments": reason.strip(), "done_at": timezone.now(), "done_by": by}
        )
        record = followup.record
        record_event(
            record, f"{event_prefix(record)}.followup_cancelled", by=by, note=reason, data={"followup": followup.pk}
        )
    return followup
