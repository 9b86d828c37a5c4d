"""Deadlines, declared on the model, run by the kernel.

A procedure model lists its deadlines::

    class PremisesCertificate(Application):
        deadlines = (
            DeadlineSpec(
                kind="review",
                states=("submitted",),
                allowed=timedelta(hours=8),
                working_hours=True,
                steps=(
                    Step(offset=-timedelta(hours=1), to=("role:front_desk",)),
                    Step(to=("role:front_desk",)),
                    Step(offset=timedelta(hours=4), to=("role:supervisor",), escalation=True),
                ),
            ),
        )

- ``states``: the deadline runs while the record is in one of them. ``transition()`` calls
  ``on_transition`` in its transaction: entering such a state starts it, leaving them all
  stops it (``met`` = stopped in time), entering a ``pause_in`` state pauses it (the working
  time left is kept) and coming back resumes it with a new ``due_at``.
- ``allowed``: a ``timedelta`` (working time when ``working_hours``, else calendar time) or a
  callable ``(record, now) -> datetime`` giving the due time (a planned date, a valid_until).
  ``None``: the deadline runs between events, started and stopped by the app's services with
  ``deadline_start(obj, kind, due_at=...)`` / ``deadline_stop(obj, kind)``.
- ``steps``: reminders and escalations, each sent once per deadline run, at ``due_at +
  offset`` (in working time for a working-hours deadline). ``to`` names recipients:
    ``"role:<code>"``   active staff holding that role (jinyuan.accounts.roles.Role),
    ``"applicant"``     the record's applicant,
    ``"field:<name>"``  the user in a foreign key of the record (an assignee),
    ``"<name>"``        a resolver a higher app registered with ``register_recipients``,
                        e.g. ``"tenant_admins"`` (the kernel knows no tenants).
  ``channels`` are the copies besides in-app the step may send ("email", "sms"); each user
  chooses in their profile which they receive.

Reminders name the record by its ``deadline_label`` and link to ``deadline_url`` (portal
recipients: ``deadline_portal_url``); ``deadline_select_related`` lists what the label reads,
loaded with the records in one query per model.

One periodic task (``scan``) sends the steps: it reads running deadlines whose next step is
due, in a fixed number of queries per batch whatever their number, and marks each step sent in
the database (a unique row per deadline and step) in the same transaction as its
notifications, so a repeated or concurrent scan sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from psycopg.types.json import Jsonb

from .calendar import WorkingCalendar, load_calendar
from .models import Deadline

ZERO = dt.timedelta(0)

KIND_LABELS = {
    "review": gettext_noop("Review"),
    "approval": gettext_noop("Approval"),
    "response": gettext_noop("Response"),
    "completion": gettext_noop("Completion"),
    "reply": gettext_noop("Reply"),
    "expiry": gettext_noop("Expiry"),
    "renewal": gettext_noop("Renewal"),
    "confirmation": gettext_noop("Confirmation"),
}

MSG_BEFORE = gettext_noop("%(kind_label)s of %(record)s is due at %(due)s")
MSG_DUE = gettext_noop("%(kind_label)s of %(record)s is due now (%(due)s)")
MSG_OVERDUE = gettext_noop("Overdue: %(kind_label)s of %(record)s was due at %(due)s")


@dataclass(frozen=True)
class Step:
    offset: dt.timedelta = ZERO
    to: tuple[str, ...] = ()
    channels: tuple[str, ...] = ("email",)
    escalation: bool = False


AllowedT = dt.timedelta | Callable[[Any, dt.datetime], dt.datetime | None] | None


@dataclass(frozen=True)
class DeadlineSpec:
    kind: str
    states: tuple[str, ...] = ()
    allowed: AllowedT = None
    working_hours: bool = False
    steps: tuple[Step, ...] = ()
    pause_in: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Steps are kept in time order: a row's ``next_step`` is an index into this tuple.
        object.__setattr__(self, "steps", tuple(sorted(self.steps, key=lambda s: s.offset)))


def on_date(field_name: str, *, at: str = "closes") -> Callable[[Any, dt.datetime], dt.datetime | None]:
    """``allowed`` for a deadline that runs to a date field of the record (a planned move-out,
    a lease start): due at that day's office closing (or opening) time, default office hours."""
    from .models import default_office_closes, default_office_opens

    def due(obj: Any, now: dt.datetime) -> dt.datetime | None:
        day = getattr(obj, field_name)
        if day is None:
            return None
        time = default_office_closes() if at == "closes" else default_office_opens()
        return dt.datetime.combine(day, time, timezone.get_current_timezone())

    return due


def kind_label(kind: str) -> str:
    return str(_(KIND_LABELS.get(kind, kind)))


def specs_of(model: type[models.Model]) -> dict[str, DeadlineSpec]:
    return {spec.kind: spec for spec in getattr(model, "deadlines", ())}


# --- recipients a higher app resolves -----------------------------------------------------------

# name -> resolver(model, records) -> {record pk: [user ids]}; one call per scan batch and model.
RecipientResolver = Callable[[type[models.Model], Sequence[models.Model]], dict[int, list[int]]]
_resolvers: dict[str, RecipientResolver] = {}


def register_recipients(name: str, resolver: RecipientResolver) -> None:
    """Let steps name ``name`` as recipients (called from a higher app's AppConfig.ready)."""
    _resolvers[name] = resolver


# --- starting, stopping, pausing -------------------------------------------------------------


class _Clock:
    """Deadline arithmetic for one call; loads the working calendar only if it is needed."""

    def __init__(self, calendar: WorkingCalendar | None = None):
        self._calendar = calendar

    @property
    def calendar(self) -> WorkingCalendar:
        if self._calendar is None:
            self._calendar = load_calendar()
        return self._calendar

    def add(self, start: dt.datetime, amount: dt.timedelta, working: bool) -> dt.datetime:
        return self.calendar.add(start, amount) if working else start + amount

    def between(self, a: dt.datetime, b: dt.datetime, working: bool) -> dt.timedelta:
        return self.calendar.between(a, b) if working else b - a

    def step_at(self, row: Deadline, step: Step) -> dt.datetime:
        return self.add(row.due_at, step.offset, row.working_hours)

    def next_step(self, row: Deadline, spec: DeadlineSpec, index: int) -> dt.datetime | None:
        return self.step_at(row, spec.steps[index]) if index < len(spec.steps) else None


def _record_filter(obj: models.Model) -> dict[str, Any]:
    ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return {"content_type": ct, "object_id": obj.pk}


def _live(obj: models.Model) -> dict[str, Deadline]:
    rows = Deadline.objects.filter(**_record_filter(obj)).exclude(state=Deadline.State.STOPPED)
    return {row.kind: row for row in rows}


def _start(obj: models.Model, spec: DeadlineSpec, due_at: dt.datetime, now: dt.datetime, clock: _Clock) -> Deadline:
    row = Deadline(
        **_record_filter(obj),
        kind=spec.kind,
        working_hours=spec.working_hours,
        started_at=now,
        due_at=due_at,
    )
    row.next_step_at = clock.next_step(row, spec, 0)
    row.save(force_insert=True)
    return row


def _stop(row: Deadline, now: dt.datetime) -> None:
    met = (
        row.remaining > ZERO if row.state == Deadline.State.PAUSED and row.remaining is not None else now <= row.due_at
    )
    Deadline.objects.filter(pk=row.pk).exclude(state=Deadline.State.STOPPED).update(
        state=Deadline.State.STOPPED, stopped_at=now, met=met, next_step_at=None
    )


def _pause(row: Deadline, now: dt.datetime, clock: _Clock) -> None:
    remaining = clock.between(now, row.due_at, row.working_hours)
    Deadline.objects.filter(pk=row.pk, state=Deadline.State.RUNNING).update(
        state=Deadline.State.PAUSED, remaining=remaining, paused_at=now
    )


def _resume(row: Deadline, spec: DeadlineSpec, now: dt.datetime, clock: _Clock) -> None:
    row.due_at = clock.add(now, row.remaining or ZERO, row.working_hours)
    Deadline.objects.filter(pk=row.pk, state=Deadline.State.PAUSED).update(
        state=Deadline.State.RUNNING,
        due_at=row.due_at,
        remaining=None,
        paused_at=None,
        next_step_at=clock.next_step(row, spec, row.next_step),
    )


def _due_at(obj: Any, spec: DeadlineSpec, now: dt.datetime, clock: _Clock) -> dt.datetime | None:
    if spec.allowed is None:
        return None
    if isinstance(spec.allowed, dt.timedelta):
        return clock.add(now, spec.allowed, spec.working_hours)
    return spec.allowed(obj, now)


def on_transition(obj: Any, from_state: str, to_state: str, *, now: dt.datetime | None = None) -> None:
    """Start, stop, pause or resume ``obj``'s declared deadlines for a move into ``to_state``.

    Called by ``workflow.services.transition`` inside its transaction, after the record's
    compare-and-swap save: a second transition of the same record waits on that row lock, so
    two of them never start the same deadline twice (the partial unique index would refuse it).
    """
    specs = getattr(type(obj), "deadlines", ())
    if not specs:
        return
    now = now or timezone.now()
    clock = _Clock()
    live = _live(obj)
    for spec in specs:
        row = live.get(spec.kind)
        if to_state in spec.pause_in:
            if row is not None and row.state == Deadline.State.RUNNING:
                _pause(row, now, clock)
        elif to_state in spec.states:
            if row is None:
                due_at = _due_at(obj, spec, now, clock)
                if due_at is not None:
                    _start(obj, spec, due_at, now, clock)
            elif row.state == Deadline.State.PAUSED:
                _resume(row, spec, now, clock)
        elif row is not None and spec.states:
            _stop(row, now)


def deadline_start(
    obj: Any, kind: str, *, due_at: dt.datetime | None = None, now: dt.datetime | None = None
) -> Deadline:
    """Start ``kind`` on ``obj`` (a deadline between events, or one running to a date).

    ``due_at`` defaults to what the declaration's ``allowed`` gives. A run of the same kind
    that is still live is stopped first (its ``met`` recorded) and a new one starts, with its
    reminders to send again: a renewed pass gets its expiry reminders for the new date.
    """
    spec = specs_of(type(obj))[kind]
    now = now or timezone.now()
    clock = _Clock()
    due_at = due_at or _due_at(obj, spec, now, clock)
    if due_at is None:
        raise ValueError(f"deadline {kind!r} needs a due_at")
    with transaction.atomic():
        row = _live(obj).get(kind)
        if row is not None:
            _stop(row, now)
        return _start(obj, spec, due_at, now, clock)


def build_running(
    obj: Any, kind: str, *, started_at: dt.datetime, now: dt.datetime, calendar: WorkingCalendar | None = None
) -> Deadline:
    """An unsaved running deadline for ``obj`` as if started at ``started_at`` and scanned up to
    ``now`` (steps already past count as sent). For bulk loads (demo data), which COPY rows
    rather than run transitions."""
    spec = specs_of(type(obj))[kind]
    clock = _Clock(calendar)
    due_at = _due_at(obj, spec, started_at, clock)
    row = Deadline(
        **_record_filter(obj),
        kind=kind,
        working_hours=spec.working_hours,
        started_at=started_at,
        due_at=due_at,
    )
    index = 0
    while index < len(spec.steps) and clock.step_at(row, spec.steps[index]) <= now:
        index += 1
    row.next_step, row.next_step_at = index, clock.next_step(row, spec, index)
    return row


def deadline_stop(obj: Any, kind: str, *, now: dt.datetime | None = None) -> Deadline | None:
    """Stop the live run of ``kind`` on ``obj``, recording whether it was met; None if none runs."""
    now = now or timezone.now()
    row = _live(obj).get(kind)
    if row is not None:
        _stop(row, now)
        row.refresh_from_db()
    return row


# --- the scan --------------------------------------------------------------------------------


@dataclass
class _Due:
    row: Deadline
    spec: DeadlineSpec
    steps: list[int] = field(default_factory=list)
    next_step: int = 0
    next_step_at: dt.datetime | None = None


def scan(*, now: dt.datetime | None = None, batch_size: int | None = None) -> int:
    """Send every reminder step that has come due; return how many steps were sent.

    Each batch runs in its own transaction and costs a fixed number of queries: rows locked
    with SKIP LOCKED (a concurrent scan takes other rows), the calendar, the records and the
    recipients per model, one insert of step marks (ON CONFLICT DO NOTHING: only steps nobody
    sent before come back), one insert of notifications and one update of the rows.
    """
    now = now or timezone.now()
    batch_size = batch_size or settings.DEADLINE_SCAN_BATCH
    sent = 0
    while True:
        with transaction.atomic():
            count, taken = _scan_batch(now, batch_size)
        sent += count
        if taken < batch_size:
            return sent


def _scan_batch(now: dt.datetime, batch_size: int) -> tuple[int, int]:
    rows = list(
        Deadline.objects.filter(state=Deadline.State.RUNNING, next_step_at__lte=now)
        .order_by("next_step_at")
        .select_for_update(skip_locked=True)[:batch_size]
    )
    if not rows:
        return 0, 0
    clock = _Clock()
    due = _due_steps(rows, now, clock)
    records = _records(due)
    recipients = _recipients(due, records)
    claimed = _claim_steps([(d.row.pk, i) for d in due for i in d.steps], now)
    note_ids = _insert_notifications(due, claimed, records, recipients, now)
    _advance(due)
    if note_ids:
        from .tasks import deliver_notifications

        deliver_notifications.delay_on_commit(note_ids)
    return len(claimed), len(rows)


def _due_steps(rows: list[Deadline], now: dt.datetime, clock: _Clock) -> list[_Due]:
    """For each row, the steps whose time has come and where its next step falls."""
    result = []
    for row in rows:
        model = ContentType.objects.get_for_id(row.content_type_id).model_class()
        spec = specs_of(model).get(row.kind) if model else None
        item = _Due(row=row, spec=spec or DeadlineSpec(kind=row.kind))
        index = row.next_step
        steps = item.spec.steps
        while index < len(steps):
            at = clock.step_at(row, steps[index])
            if at > now:
                item.next_step_at = at
                break
            item.steps.append(index)
            index += 1
        item.next_step = index
        result.append(item)
    return result


def _records(due: list[_Due]) -> dict[tuple[int, int], models.Model]:
    """The records of the due rows: one query per model."""
    ids: dict[int, list[int]] = defaultdict(list)
    for d in due:
        if d.steps:
            ids[d.row.content_type_id].append(d.row.object_id)
    records = {}
    for ct_id, pks in ids.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        related = getattr(model, "deadline_select_related", ())
        for pk, record in model._base_manager.select_related(*related).in_bulk(pks).items():
            records[(ct_id, pk)] = record
    return records


def _recipients(due: list[_Due], records: dict[tuple[int, int], models.Model]) -> dict[tuple[int, int, str], list[int]]:
    """User ids per (content type, record, recipient name): one query for every role, one
    resolver call per registered name and model."""
    from django.contrib.auth import get_user_model

    names: dict[int, set[str]] = defaultdict(set)
    for d in due:
        for i in d.steps:
            names[d.row.content_type_id].update(d.spec.steps[i].to)
    roles = {n.removeprefix("role:") for ns in names.values() for n in ns if n.startswith("role:")}
    by_role: dict[str, list[int]] = defaultdict(list)
    if roles:
        users = get_user_model().objects.filter(is_active=True, groups__name__in=roles)
        for pk, role in users.values_list("pk", "groups__name").order_by("pk"):
            by_role[role].append(pk)

    result: dict[tuple[int, int, str], list[int]] = {}
    for ct_id, ns in names.items():
        recs = [r for (c, _pk), r in records.items() if c == ct_id]
        model = ContentType.objects.get_for_id(ct_id).model_class()
        for name in ns:
            if name.startswith("role:"):
                for r in recs:
                    result[(ct_id, r.pk, name)] = by_role.get(name.removeprefix("role:"), [])
            elif name == "applicant" or name.startswith("field:"):
                attname = "applicant_id" if name == "applicant" else f"{name.removeprefix('field:')}_id"
                for r in recs:
                    user_id = getattr(r, attname, None)
                    result[(ct_id, r.pk, name)] = [user_id] if user_id else []
            elif name in _resolvers and model is not None:
                for pk, user_ids in _resolvers[name](model, recs).items():
                    result[(ct_id, pk, name)] = list(user_ids)
    return result


def _claim_steps(pairs: list[tuple[int, int]], now: dt.datetime) -> set[tuple[int, int]]:
    """Mark steps sent; returns only those no scan had marked before (the dedup)."""
    if not pairs:
        return set()
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO workflow_deadlinestepsent (deadline_id, step, sent_at)
            SELECT d, s, %s FROM unnest(%s::bigint[], %s::int[]) AS v(d, s)
            ON CONFLICT (deadline_id, step) DO NOTHING
            RETURNING deadline_id, step
            """,
            [now, [p[0] for p in pairs], [p[1] for p in pairs]],
        )
        return {(d, s) for d, s in cur.fetchall()}


def _record_label(record: models.Model | None, pk: int) -> str:
    if record is None:
        return f"#{pk}"
    label = getattr(record, "deadline_label", None)
    return str(label) if label is not None else f"#{pk}"


# Recipients who read the record in the portal get its portal link (``deadline_portal_url``).
PORTAL_RECIPIENTS = frozenset({"applicant", "tenant_admins"})


def _record_url(record: models.Model | None, portal: bool = False) -> str:
    if record is None:
        return ""
    url = getattr(record, "deadline_portal_url", None) if portal else None
    return url or getattr(record, "deadline_url", None) or ""


def _insert_notifications(
    due: list[_Due],
    claimed: set[tuple[int, int]],
    records: dict[tuple[int, int], models.Model],
    recipients: dict[tuple[int, int, str], list[int]],
    now: dt.datetime,
) -> list[int]:
    """One INSERT for every notification of the batch; returns the ids that have copies to
    send by e-mail or SMS."""
    cols: dict[str, list[Any]] = defaultdict(list)
    for d in due:
        row = d.row
        record = records.get((row.content_type_id, row.object_id))
        label = _record_label(record, row.object_id)
        desk_url, portal_url = _record_url(record), _record_url(record, portal=True)
        due_text = f"{timezone.localtime(row.due_at):%Y-%m-%d %H:%M}"
        for i in d.steps:
            if (row.pk, i) not in claimed:
                continue
            step = d.spec.steps[i]
            message = MSG_BEFORE if step.offset < ZERO else MSG_DUE if step.offset == ZERO else MSG_OVERDUE
            args = {"kind_label": KIND_LABELS.get(row.kind, row.kind), "record": label, "due": due_text}
            users: dict[int, str] = {}
            for name in step.to:
                url = portal_url if name in PORTAL_RECIPIENTS else desk_url
                for user_id in recipients.get((row.content_type_id, row.object_id, name), []):
                    users.setdefault(user_id, url)
            for user_id, url in sorted(users.items()):
                cols["recipient"].append(user_id)
                cols["message"].append(message)
                cols["args"].append(Jsonb(args))
                cols["url"].append(url)
                cols["dedup"].append(f"deadline-{row.pk}-{i}")
                cols["channels"].append(",".join(c for c in step.channels if c != "inapp"))
    if not cols:
        return []
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO workflow_notification
                (recipient_id, message, args, body, url, dedup_key, created_at, channels)
            SELECT r, m, a, '', u, k, %s, COALESCE(string_to_array(NULLIF(c, ''), ','), '{}')
            FROM unnest(%s::bigint[], %s::text[], %s::jsonb[], %s::text[], %s::text[], %s::text[])
                AS v(r, m, a, u, k, c)
            ON CONFLICT (recipient_id, dedup_key) DO NOTHING
            RETURNING id, cardinality(channels)
            """,
            [now, cols["recipient"], cols["message"], cols["args"], cols["url"], cols["dedup"], cols["channels"]],
        )
        return [pk for pk, n in cur.fetchall() if n]


def _advance(due: list[_Due]) -> None:
    """Move each row to its next unsent step (NULL when none is left): one UPDATE."""
    with connection.cursor() as cur:
        cur.execute(
            """
            UPDATE workflow_deadline AS d SET next_step = v.n, next_step_at = v.t
            FROM unnest(%s::bigint[], %s::int[], %s::timestamptz[]) AS v(id, n, t)
            WHERE d.id = v.id
            """,
            [[d.row.pk for d in due], [d.next_step for d in due], [d.next_step_at for d in due]],
        )


def running_for(objs: Iterable[models.Model]) -> dict[tuple[int, str], Deadline]:
    """Live deadlines of ``objs`` keyed by (pk, kind): one query, for detail pages."""
    objs = list(objs)
    if not objs:
        return {}
    ct = ContentType.objects.get_for_model(objs[0], for_concrete_model=False)
    rows = Deadline.objects.filter(content_type=ct, object_id__in=[o.pk for o in objs]).exclude(
        state=Deadline.State.STOPPED
    )
    return {(row.object_id, row.kind): row for row in rows}
