"""Reads of the building management log 大厦管理日志: the register, a day's log, and the draft
built from the day's audit events through the kernel's registry (``navigation.log_events``).

The draft reads in a fixed number of queries whatever the number of events: one for the day's
registered events (with their actors), one per kind of record they are about (its labels, in
bulk), one for the open follow-up items and one for the open duty-log entries.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
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


PK_MARK = 987654321  # a pk no record has: a detail URL reversed once per model, then filled in


def _url_pattern(model: type) -> str:
    """The model's desk page URL with ``{pk}`` for the record's id (``desk_detail``), or ""."""
    name = getattr(model, "desk_detail", "")
    if not name:
        return ""
    try:
        return reverse(name, args=[PK_MARK]).replace(str(PK_MARK), "{pk}")
    except NoReverseMatch:
        return ""


def _label(obj: Any) -> str:
    number = getattr(obj, "number", "")
    if number:
        return str(number)
    if hasattr(obj, "deadline_label"):
        return obj.deadline_label
    return str(obj)


def _has_number(model: type) -> bool:
    return any(f.name == "number" for f in model._meta.concrete_fields)


# The paper that names a record without a number of its own: a payment's receipt, a permit's
# or release note's document (their ``__str__``), read in the same query as the record's id.
LABEL_PAPERS = ("receipt", "document")


def _paper_of(model: type) -> str:
    names = {f.name for f in model._meta.concrete_fields if f.is_relation}
    return next((name for name in LABEL_PAPERS if name in names), "")


def _label_related(model: type) -> tuple[str, ...]:
    """What a record's label reads besides its row: ``deadline_select_related``, the records it
    must point at (a booking's room) and the numbered papers it may point at (a payment's
    receipt, a permit's document), which name it."""
    user_model = get_user_model()
    joined = (
        f.name
        for f in model._meta.concrete_fields
        if (f.many_to_one or f.one_to_one)
        and f.related_model not in (None, user_model)  # a label never names its clerk
        and (not f.null or _has_number(f.related_model))
    )
    return tuple(dict.fromkeys((*getattr(model, "deadline_select_related", ()), *joined)))


def record_labels(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], tuple[str, str]]:
    """(content type id, object id) -> (label, desk URL) of the records ``pairs`` name: one
    query per kind of record, reading only its number (or its paper's) where it has one, else
    the record with what its label reads (``_label_related``)."""
    ids: dict[int, set[int]] = defaultdict(set)
    for ct_id, pk in pairs:
        ids[ct_id].add(pk)
    found = {}
    for ct_id, pks in ids.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        pattern = _url_pattern(model)
        rows = model._base_manager.filter(pk__in=pks)
        paper = _paper_of(model)
        if _has_number(model) or paper:
            number = "number" if _has_number(model) else f"{paper}__number"
            for pk, label in rows.values_list("pk", number):
                found[(ct_id, pk)] = (str(label or f"#{pk}"), pattern.replace("{pk}", str(pk)))
            continue
        # JSON columns (an event's data, a form's answers) are never in a label: not parsed.
        json = [f.name for f in model._meta.concrete_fields if f.get_internal_type() == "JSONField"]
        for pk, obj in rows.select_related(*_label_related(model)).defer(*json).in_bulk().items():
            url = pattern.replace("{pk}", str(pk)) if pattern else getattr(obj, "deadline_url", "")
            found[(ct_id, pk)] = (_label(obj), url)
    return found


def day_events(day: dt.date) -> QuerySet[AuditEvent]:
    start, end = day_bounds(day)
    return AuditEvent.objects.filter(registered_q(), at__gte=start, at__lt=end).order_by("at", "id")


def _person(display_name: str, first: str, last: str, username: str) -> str:
    # User.__str__ without loading users: display name, else full name, else username.
    return display_name or f"{first} {last}".strip() or username or ""


def sections(day: dt.date) -> list[dict]:
    """The day's registered events, one section per registry entry in its order (every section
    shown, an empty one with no rows), each row: time, record (label and link), what happened,
    its note and who. Read as plain values (a busy day has thousands), labels looked up once
    per action and per actor."""
    events = list(
        day_events(day).values_list(
            "at",
            "content_type_id",
            "object_id",
            "action",
            "note",
            "actor__display_name",
            "actor__first_name",
            "actor__last_name",
            "actor__username",
        )
    )
    records = record_labels((e[1], e[2]) for e in events)
    entries = nav.log_events()
    rows: dict[str, list[dict]] = {entry.app: [] for entry in entries}
    by_action: dict[str, tuple[str, str] | None] = {}
    tz = timezone.get_current_timezone()
    for at_, ct_id, pk, action, note, *actor in events:
        if action not in by_action:
            section = nav.log_section(action)
            by_action[action] = None if section is None else (section.app, labels.action_label(action))
        known = by_action[action]
        if known is None:
            continue
        label, url = records.get((ct_id, pk), ("", ""))
        local = at_.astimezone(tz)
        rows[known[0]].append(
            {
                "at": f"{local.hour:02d}:{local.minute:02d}",
                "record": label,
                "url": url,
                "what": known[1],
                "note": note,
                "who": _person(*actor) if actor[3] else "",
            }
        )
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
