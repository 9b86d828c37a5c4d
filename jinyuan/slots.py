"""The rules of a slot booked by the minute within one day (the freight elevator, a meeting
room): given, ordered, not past, within the resource's hours, on its grid, not too long.
Each message goes beside its field (``start`` or ``end``); the caller adds its own rules
(notice, days ahead) to the same errors."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

Errors = dict[str, list[str]]


def _hm(t: dt.time) -> str:
    return t.strftime("%H:%M")


def slot_errors(
    start: dt.datetime | None,
    end: dt.datetime | None,
    *,
    now: dt.datetime,
    opens: dt.time,
    closes: dt.time,
    step_minutes: int,
    max_hours: int,
    hours_message: str,
) -> Errors:
    """What is wrong with ``[start, end)``. ``hours_message`` names the resource's hours, with
    ``%(opens)s`` and ``%(closes)s`` ("The room is open from %(opens)s to %(closes)s.").
    Errors of a stage stop the later stages (an end before the start has no grid to check)."""
    errors: Errors = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if start is None:
        add("start", _("Give the start time."))
    if end is None:
        add("end", _("Give the end time."))
    if errors:
        return errors
    start, end = timezone.localtime(start), timezone.localtime(end)
    if end <= start:
        add("end", _("The end must be after the start."))
    if start < now:
        add("start", _("This time is already past."))
    if errors:
        return errors
    hours = hours_message % {"opens": _hm(opens), "closes": _hm(closes)}
    if start.time() < opens or start.time() >= closes:
        add("start", hours)
    if end.date() != start.date():
        add("end", _("A booking ends on the day it starts."))
    elif end.time() > closes:
        add("end", hours)
    for field, value in (("start", start), ("end", end)):
        if (value.hour * 60 + value.minute) % step_minutes or value.second or value.microsecond:
            add(field, _("Book in steps of %(n)d minutes (e.g. 09:00, 09:30).") % {"n": step_minutes})
    if end - start > dt.timedelta(hours=max_hours):
        add("end", _("At most %(n)d hours in one booking.") % {"n": max_hours})
    return errors
