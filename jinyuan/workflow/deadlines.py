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
  time left is kept) and coming back resumes it with a new ``due_at``. Leaving them for an
  ``uncounted_in`` state (by default the withdrawals: cancelled, withdrawn, void, voided,
  revoked) stops it with ``met`` left empty: a record withdrawn before anyone acted on it was
  neither served on time nor late, and counting it as met would flatter the on-time rates.
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
  ``action`` names what the step does besides telling people (a permit expired at its end, a
  written payment reminder printed): a handler a higher app registered with
  ``register_step_action``. The scan claims the step once, as for its reminders, and queues
  the task ``workflow.run_step_action`` after commit; the handler loads the records by id and
  calls their services, and must do nothing a second time (a task may run twice).

Reminders name the record by its ``deadline_label`` and link to ``deadline_url`` (portal
recipients: ``deadline_portal_url``); ``deadline_select_related`` lists what the label reads,
loaded with the records in one query per model.

One periodic task (``jinyuan.workflow.scan.scan``) sends the steps: it reads running deadlines whose next step is
due, in a fixed number of queries per batch whatever their number, and marks each step sent in
the database (a unique row per deadline and step) in the same transaction as its
notifications, so a repeated or concurrent scan sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .calendar import WorkingCalendar, load_calendar
from .models import Deadline

ZERO = dt.timedelta(0)

# The states a record is withdrawn into, in every app's own words: a deadline stopped by a move
# into one of them has no outcome (``met`` stays NULL) and counts in no on-time figure.
WITHDRAWN_STATES = ("cancelled", "withdrawn", "void", "voided", "revoked")

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


@dataclass(frozen=True)
class Step:
    offset: dt.timedelta = ZERO
    to: tuple[str, ...] = ()
    channels: tuple[str, ...] = ("email",)
    escalation: bool = False
    action: str = ""


AllowedT = dt.timedelta | Callable[[Any, dt.datetime], dt.datetime | None] | None


@dataclass(frozen=True)
class DeadlineSpec:
    kind: str
    states: tuple[str, ...] = ()
    allowed: AllowedT = None
    working_hours: bool = False
    steps: tuple[Step, ...] = ()
    pause_in: tuple[str, ...] = ()
    uncounted_in: tuple[str, ...] = WITHDRAWN_STATES

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


def register_deadline_kind(kind: str, label: str) -> None:
    """Name a deadline kind an app declares (called from its AppConfig.ready). ``label`` is a
    msgid (``gettext_noop``): reminders render it in each reader's language. A kind keeps its
    first label; registering it again with another label is a programming error."""
    known = KIND_LABELS.get(kind)
    if known is not None and known != label:
        raise ValueError(f"Deadline kind {kind!r} is already labelled {known!r}.")
    KIND_LABELS[kind] = label


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


# --- what a step does besides telling people ---------------------------------------------------

# name -> handler(model, pks, now): runs the step's action on the records (their services).
StepAction = Callable[[type[models.Model], Sequence[int], dt.datetime], Any]
_actions: dict[str, StepAction] = {}


def register_step_action(name: str, handler: StepAction) -> None:
    """Let steps name ``action=name`` (called from a higher app's AppConfig.ready)."""
    _actions[name] = handler


def run_step_action(name: str, model: type[models.Model], pks: Sequence[int], now: dt.datetime) -> Any:
    """Run a registered step action on the records ``pks`` of ``model`` (the task calls it)."""
    return _actions[name](model, pks, now)


# --- starting, stopping, pausing -------------------------------------------------------------


class DeadlineLinks:
    """How reminders name a record and link to it, for models that declare ``deadlines``:
    ``desk_detail`` and ``portal_detail`` are the URL names of its pages (taking its pk; no
    portal page: ""). The label is ``str(record)`` unless the model says otherwise, reading
    only what ``deadline_select_related`` loads."""

    desk_detail: str = ""
    portal_detail: str = ""
    deadline_select_related: tuple[str, ...] = ()

    @property
    def deadline_label(self) -> str:
        return str(self)

    @property
    def deadline_url(self) -> str:
        return reverse(self.desk_detail, args=[self.pk]) if self.desk_detail else ""  # type: ignore[attr-defined]

    @property
    def deadline_portal_url(self) -> str:
        return reverse(self.portal_detail, args=[self.pk]) if self.portal_detail else ""  # type: ignore[attr-defined]


class TenantUnitLinks(DeadlineLinks):
    """A tenant's request about one unit, named "company · unit" in reminders."""

    deadline_select_related = ("tenant", "unit")

    @property
    def deadline_label(self) -> str:
        return f"{self.tenant.name} · {self.unit.number}"  # type: ignore[attr-defined]


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


def _stop(row: Deadline, now: dt.datetime, *, counted: bool = True) -> None:
    # Stopped while paused: met if time was left when it paused. Not counted (a withdrawal): no
    # outcome at all.
    met: bool | None = None
    if counted:
        met = (
            row.remaining > ZERO
            if row.state == Deadline.State.PAUSED and row.remaining is not None
            else now <= row.due_at
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
            _stop(row, now, counted=to_state not in spec.uncounted_in)


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


def deadline_found_missed(obj: Any, kind: str) -> Deadline | None:
    """Record ``obj``'s last stopped run of ``kind`` as missed after all: it stopped in time on
    work that a later check found not done (a failed re-check), so counting it met would
    flatter the on-time rate. The run that follows is a new one; None if none stopped."""
    row = (
        Deadline.objects.filter(**_record_filter(obj), kind=kind, state=Deadline.State.STOPPED)
        .order_by("-stopped_at", "-id")
        .first()
    )
    if row is not None and row.met is not False:
        Deadline.objects.filter(pk=row.pk).update(met=False)
        row.met = False
    return row


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
