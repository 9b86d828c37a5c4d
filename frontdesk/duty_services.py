"""Writes of the duty log: opening a shift, logging entries, closing open items, the handover
and its acceptance. Every change in one transaction with its audit event."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.records import content_type_of
from jinyuan.workflow import deadlines
from jinyuan.workflow.services import record_event, transition

from .models import DutyEntry, Inquiry, Shift

TEXT_MAX = DutyEntry._meta.get_field("text").max_length
NOTES_MAX = Shift._meta.get_field("handover_notes").max_length


@dataclass(frozen=True)
class Window:
    """One shift of the setting on one date: its code and its start and end times."""

    date: dt.date
    code: str
    starts_at: dt.datetime
    ends_at: dt.datetime


def windows_on(day: dt.date) -> list[Window]:
    """The setting's shifts beginning on ``day``."""
    tz = timezone.get_current_timezone()
    windows = []
    for shift in settings.FRONTDESK_SHIFTS:
        starts, ends = dt.time.fromisoformat(shift["starts"]), dt.time.fromisoformat(shift["ends"])
        end_day = day + dt.timedelta(days=1) if ends <= starts else day  # a night shift ends the next morning
        windows.append(
            Window(day, shift["code"], dt.datetime.combine(day, starts, tz), dt.datetime.combine(end_day, ends, tz))
        )
    return windows


def window_at(moment: dt.datetime) -> Window:
    """The shift of the setting running at ``moment`` (a night shift belongs to the date it began)."""
    local = timezone.localtime(moment)
    for day in (local.date(), local.date() - dt.timedelta(days=1)):
        for window in windows_on(day):
            if window.starts_at <= moment < window.ends_at:
                return window
    raise ValueError(f"FRONTDESK_SHIFTS leave {local:%H:%M} uncovered")


def _shift_of(window: Window, *, by: Any, now: dt.datetime) -> Shift:
    """The window's shift, opened by ``by`` if nobody has yet (two clerks at once: one row)."""
    shift, created = Shift.objects.get_or_create(
        date=window.date,
        code=window.code,
        defaults={"starts_at": window.starts_at, "ends_at": window.ends_at, "applicant": by},
    )
    if created:
        record_event(shift, "shift.opened", by=by, to_state=shift.status)
        # The handover deadline runs from the opening (a created record has no transition).
        deadlines.on_transition(shift, "", shift.status, now=now)
    return shift


def _on_duty(shift: Shift, by: Any) -> None:
    if not shift.clerks.filter(pk=by.pk).exists():
        shift.clerks.add(by)
        if shift.applicant_id != by.pk:
            record_event(shift, "shift.joined", by=by)


def live_shift(now: dt.datetime | None = None) -> Shift | None:
    """The shift the desk works in: the newest one not yet handed over and signed that has not
    ended (the next one, once a handover is signed early), else none (to be opened)."""
    now = now or timezone.now()
    return (
        Shift.objects.exclude(status=Shift.Status.ACCEPTED)
        .filter(ends_at__gt=now)
        .order_by("-starts_at", "-id")
        .first()
    )


@transaction.atomic
def shift_open(*, by: Any, now: dt.datetime | None = None) -> Shift:
    """``by`` comes on duty: the live shift, or the one running now opened, with ``by`` among
    its clerks."""
    now = now or timezone.now()
    shift = live_shift(now) or _shift_of(window_at(now), by=by, now=now)
    if shift.status == Shift.Status.ACCEPTED:  # signed early and the next not yet opened
        shift = _shift_of(window_at(shift.ends_at), by=by, now=now)
    _on_duty(shift, by)
    return shift


def _link(entry: DutyEntry, record: models.Model | None) -> None:
    if record is not None:
        entry.record_type = content_type_of(record)
        entry.record_id = record.pk
        entry.record_label = str(record)[:100]


@transaction.atomic
def entry_log(
    *,
    by: Any,
    kind: str,
    text: str,
    is_open: bool = False,
    at: dt.datetime | None = None,
    record: models.Model | None = None,
    now: dt.datetime | None = None,
) -> DutyEntry:
    """A line in the live shift's log (the first entry opens the shift)."""
    now = now or timezone.now()
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = _("Write what happened.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("Keep it to %(max)s characters.") % {"max": TEXT_MAX}
    if kind not in DutyEntry.Kind.values:
        errors["kind"] = _("Choose a kind from the list.")
    if at is not None and at > now + dt.timedelta(minutes=5):
        errors["at"] = _("The time cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    shift = shift_open(by=by, now=now)
    entry = DutyEntry(shift=shift, at=at or now, kind=kind, text=text, is_open=is_open, written_by=by)
    _link(entry, record)
    entry.save(force_insert=True)
    record_event(entry, "duty_entry.logged", by=by, data={"open": is_open} if is_open else None)
    return entry


@transaction.atomic
def entry_close(*, obj: DutyEntry, by: Any, note: str, now: dt.datetime | None = None) -> DutyEntry:
    """Close an open item, saying how. A second close (two clerks at once) changes nothing."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say how the item was dealt with.")})
    if len(note) > DutyEntry._meta.get_field("closing_note").max_length:
        raise ValidationError({"note": _("Keep it to %(max)s characters.") % {"max": 500}})
    if obj.record_type_id == content_type_of(Inquiry).pk and (
        Inquiry.objects.filter(pk=obj.record_id, status=Inquiry.Status.OPEN).exists()
    ):
        # The inquiry closes its own line when it is answered, converted or escalated; closing
        # the line alone would leave the visitor's request open and out of every handover.
        raise ValidationError({"note": _("Answer, convert or escalate the inquiry on its page.")})
    now = now or timezone.now()
    done = DutyEntry.objects.filter(pk=obj.pk, is_open=True, closed_at__isnull=True).update(
        closed_at=now, closed_by=by, closing_note=note
    )
    if not done:
        raise ValidationError({"note": _("This item is closed already.")})
    obj.closed_at, obj.closed_by, obj.closing_note = now, by, note
    record_event(obj, "duty_entry.closed", by=by, note=note)
    return obj


@transaction.atomic
def entries_close_for(record: models.Model, *, by: Any, note: str, now: dt.datetime | None = None) -> int:
    """Close the open items linked to ``record`` (an inquiry answered or turned into a ticket)."""
    now = now or timezone.now()
    items = list(
        DutyEntry.objects.select_for_update().filter(
            record_type=content_type_of(record), record_id=record.pk, is_open=True, closed_at__isnull=True
        )
    )
    for item in items:
        DutyEntry.objects.filter(pk=item.pk).update(closed_at=now, closed_by=by, closing_note=note[:500])
        record_event(item, "duty_entry.closed", by=by, note=note[:500])
    return len(items)


def _arriving_errors(shift: Shift, by: Any, arriving: Any, notes: str) -> dict[str, str]:
    errors = {}
    if arriving is None:
        errors["arriving"] = _("Name the clerk who takes over.")
    elif arriving.pk == by.pk:
        errors["arriving"] = _("The arriving clerk must be someone else: you are leaving.")
    elif not (arriving.is_active and arriving.has_role(*DESK_ROLES)):
        errors["arriving"] = _("Choose a front-desk clerk.")
    if len(notes) > NOTES_MAX:
        errors["handover_notes"] = _("Keep it to %(max)s characters.") % {"max": NOTES_MAX}
    return errors


def open_items_until(shift: Shift) -> models.QuerySet[DutyEntry]:
    """The open items of ``shift`` and of the shifts before it: what its handover passes on."""
    return DutyEntry.objects.filter(
        is_open=True, closed_at__isnull=True, shift__starts_at__lte=shift.starts_at
    ).order_by("at", "id")


@transaction.atomic
def shift_hand_over(*, obj: Shift, by: Any, arriving: Any, notes: str = "", now: dt.datetime | None = None) -> Shift:
    """The leaving clerk writes and signs the handover, naming the arriving clerk; the open
    items are passed on as they are (listed from the log, not copied)."""
    notes = (notes or "").strip()
    errors = _arriving_errors(obj, by, arriving, notes)
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    open_items = open_items_until(obj).count()
    return transition(
        obj,
        "hand_over",
        by=by,
        changes={"handover_notes": notes, "arriving": arriving, "handed_over_by": by, "handed_over_at": now},
        data={"arriving": str(arriving), "open_items": open_items},
    )


@transaction.atomic
def shift_accept(*, obj: Shift, by: Any, note: str = "", now: dt.datetime | None = None) -> Shift:
    """The arriving clerk signs the handover (only they may); the following shift opens with
    them on duty, and the open items show there as carried over."""
    now = now or timezone.now()
    transition(obj, "accept", by=by, note=note, changes={"accepted_at": now})
    following = window_at(obj.ends_at)
    if following.ends_at > now:
        _on_duty(_shift_of(following, by=by, now=now), by)
    else:
        # Signed late, after the following shift too had ended: the clerk comes on duty in the
        # shift running now, not in a past one whose handover would be overdue at once.
        shift_open(by=by, now=now)
    return obj
