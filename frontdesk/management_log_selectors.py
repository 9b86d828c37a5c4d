"""Reads of the building management log 大厦管理日志: the register, a day's log, and the draft
built from the day's audit events through the kernel's registry (``navigation.log_events``).

The draft reads in a fixed number of queries whatever the number of events: one for the day's
registered events (with their actors), one per kind of record they are about (its labels, in
bulk), one for the open follow-up items and one for the open duty-log entries.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, When
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from jinyuan import navigation as nav
from jinyuan.records import content_type_of
from jinyuan.workflow import labels
from jinyuan.workflow.models import AuditEvent

from .models import ActionItem, DutyEntry, ManagementLog


def logs() -> QuerySet[ManagementLog]:
    return ManagementLog.objects.all()


def log_of(day: dt.date) -> ManagementLog | None:
    return logs().select_related("signed_by", "document").filter(date=day).first()


def day_or_404(value: str, *, today: dt.date | None = None) -> dt.date:
    """A day of the URL (YYYY-MM-DD); a malformed one or one still to come: 404."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise Http404 from exc
    if day > (today or timezone.localdate()):
        raise Http404
    return day


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time(0), tz)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tz)


# --- the draft -------------------------------------------------------------------------------------


def registered_q() -> Q:
    """The audit actions the registry names: exact codes, and prefixes (``emergency.``)."""
    exact: set[str] = set()
    q = Q()
    for section in nav.log_events():
        for code in section.codes:
            if code.endswith("."):
                q |= Q(action__startswith=code)
            else:
                exact.add(code)
    return q | Q(action__in=sorted(exact))


def _detail_url(model: type, pk: int) -> str:
    name = getattr(model, "desk_detail", "")
    if not name:
        return ""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _label(obj: Any) -> str:
    number = getattr(obj, "number", "")
    if number:
        return str(number)
    if hasattr(obj, "deadline_label"):
        return obj.deadline_label
    return str(obj)


def record_labels(events: list[AuditEvent]) -> dict[tuple[int, int], tuple[str, str]]:
    """(content type id, object id) -> (label, desk URL) of the records the events are about:
    one query per kind of record, reading what its label needs (``deadline_select_related``)."""
    ids: dict[int, set[int]] = defaultdict(set)
    for e in events:
        ids[e.content_type_id].add(e.object_id)
    found = {}
    for ct_id, pks in ids.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        related = getattr(model, "deadline_select_related", ())
        for pk, obj in model._base_manager.select_related(*related).in_bulk(pks).items():
            found[(ct_id, pk)] = (_label(obj), getattr(obj, "deadline_url", "") or _detail_url(model, pk))
    return found


@dataclass
class Row:
    at: dt.datetime
    record: str
    url: str
    what: str
    note: str
    who: str

    def as_dict(self) -> dict:
        return {
            "at": timezone.localtime(self.at).strftime("%H:%M"),
            "record": self.record,
            "url": self.url,
            "what": self.what,
            "note": self.note,
            "who": self.who,
        }


def day_events(day: dt.date) -> QuerySet[AuditEvent]:
    start, end = day_bounds(day)
    return AuditEvent.objects.filter(registered_q(), at__gte=start, at__lt=end).order_by("at", "id")


def sections(day: dt.date) -> list[dict]:
    """The day's registered events, one section per registry entry in its order (every section
    shown, an empty one with no rows), each row: time, record (label and link), what happened,
    its note and who."""
    events = list(day_events(day).select_related("actor"))
    records = record_labels(events)
    entries = nav.log_events()
    rows: dict[str, list[dict]] = {entry.app: [] for entry in entries}
    for e in events:
        section = nav.log_section(e.action)
        if section is None:
            continue
        label, url = records.get((e.content_type_id, e.object_id), ("", ""))
        row = Row(e.at, label, url, labels.action_label(e.action), e.note, str(e.actor) if e.actor_id else "")
        rows[section.app].append(row.as_dict())
    return [{"app": entry.app, "label": str(entry.label), "rows": rows[entry.app]} for entry in entries]


def carried_items(day: dt.date, *, today: dt.date | None = None) -> list[dict]:
    """The items open at the end of ``day``: follow-up items (those noted on a log and every
    other record's) and open duty-log entries, oldest first, with their age in days. Two
    queries."""
    _start, end = day_bounds(day)
    open_then = Q(status=ActionItem.Status.OPEN) | Q(closed_at__gte=end)
    # An item noted on a log belongs to that log's date, also when noted on it days later.
    log_type = content_type_of(ManagementLog)
    on_log = Q(content_type=log_type, object_id__in=logs().filter(date__lte=day).values("pk"))
    log_date = Case(
        When(content_type=log_type, then=Subquery(logs().filter(pk=OuterRef("object_id")).values("date")[:1])),
        default=None,
    )
    items = (
        ActionItem.objects.filter(open_then, Q(created_at__lt=end) | on_log)
        .annotate(log_date=log_date)
        .select_related("owner")
        .order_by("created_at", "id")
    )
    entries = (
        DutyEntry.objects.filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end), is_open=True, at__lt=end)
        .select_related("shift", "written_by")
        .order_by("at", "id")
    )
    rows = []
    for i in items:
        since = min(filter(None, (timezone.localtime(i.created_at).date(), i.log_date)))
        rows.append(
            {
                "kind": "item",
                "pk": i.pk,
                "text": i.text,
                "owner": str(i.owner),
                "since": since.isoformat(),
                "age": (day - since).days,
                "due": timezone.localtime(i.due_at).strftime("%Y-%m-%d %H:%M"),
                "open": i.status == ActionItem.Status.OPEN,
                "url": reverse("desk:frontdesk:action_item_detail", args=[i.pk]),
            }
        )
    for entry in entries:
        since = timezone.localtime(entry.at).date()
        rows.append(
            {
                "kind": "duty",
                "pk": entry.pk,
                "text": entry.text,
                "owner": f"{entry.written_by} · {entry.shift.label}",
                "since": since.isoformat(),
                "age": (day - since).days,
                "due": "",
                "open": entry.still_open,
                "url": reverse("desk:frontdesk:shift_detail", args=[entry.shift_id]),
            }
        )
    rows.sort(key=lambda r: r["since"])
    return rows


def draft(day: dt.date) -> dict:
    """What the day's log says now: its sections and the open items carried forward."""
    return {"sections": sections(day), "items": carried_items(day)}


def content_of(log: ManagementLog | None, day: dt.date) -> tuple[dict, bool]:
    """A signed log's frozen content, else the live draft; and whether it is frozen."""
    if log is not None and log.status == ManagementLog.Status.SIGNED and log.content:
        return log.content, True
    return draft(day), False
