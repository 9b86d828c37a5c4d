"""Writes of the kernel: state transitions, audit events, gapless numbers, notifications."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition
from psycopg.types.json import Jsonb

from . import deadlines
from .models import AuditEvent, Notification


class TransitionRefused(Exception):
    """The record is not in a state that allows this action (or another person just acted)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def record_event(
    obj: models.Model,
    action: str,
    *,
    by: Any = None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Append an event to the object's timeline."""
    return AuditEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action=action,
        actor=by if (by is not None and getattr(by, "is_authenticated", False)) else None,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
    )


def record_events(
    objs: Iterable[models.Model],
    action: str,
    *,
    by: Any = None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: Any = None,
) -> list[AuditEvent]:
    """``record_event`` for many records at once (a batch of bills, of notices): one INSERT.
    ``data`` is a dict for all, or a function of the record giving each its own."""
    objs = list(objs)
    if not objs:
        return []
    actor = by if (by is not None and getattr(by, "is_authenticated", False)) else None
    types = ContentType.objects.get_for_models(*{type(o) for o in objs}, for_concrete_models=False)
    return AuditEvent.objects.bulk_create(
        AuditEvent(
            content_type=types[type(o)],
            object_id=o.pk,
            action=action,
            actor=actor,
            from_state=from_state,
            to_state=to_state,
            note=note,
            data=(data(o) if callable(data) else data) or {},
        )
        for o in objs
    )


def event_prefix(obj: models.Model) -> str:
    """The first part of a record's event codes: its declared ``audit_prefix`` or its model
    name. Kernel pieces that write on any record (attachments, follow-ups) use it, so a
    repair's timeline reads ``repair.attachment_added``."""
    return getattr(obj, "audit_prefix", "") or obj._meta.model_name


def transition(
    obj: Any,
    name: str,
    *,
    by: Any,
    note: str = "",
    data: dict | None = None,
    changes: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Any:
    """Run the declared transition ``name`` on ``obj`` as user ``by``.

    Refuses with PermissionDenied when the role does not allow it and TransitionRefused when
    the state does not. ``changes`` are fields set together with the state (a due time, the
    issued document, an installation date); fields the declaration always sets go in its
    ``custom={"changes": {...}}`` (a callable value is called at the time). This is the one way
    to write fields with a transition: transition bodies stay empty.

    The save writes only the status, ``updated_at`` and those fields (``update_fields``), so a
    transition never undoes another request's write to other fields of the row. It is
    compare-and-swap (``UPDATE ... WHERE status = <the state read>``): of two people (or
    workers) acting on the same record at once, exactly one wins; the other gets
    TransitionRefused and their transaction rolls back, taking any number or document it drew
    with it.

    The audit event is ``<audit_prefix>.<event>``, ``event`` being the past participle the
    declaration names in ``custom={"event": "approved", "event_label": _("Approved")}``
    (see ``event_code``).
    """
    method = getattr(obj, name)
    meta = method._django_fsm
    custom = check_transition(obj, name, by=by, note=note)
    # Declared changes may be callables evaluated now (``{"removed_on": timezone.localdate}``).
    declared = {k: v() if callable(v) else v for k, v in custom.get("changes", {}).items()}
    fields = {**declared, **(changes or {})}
    from_state = obj.status
    with transaction.atomic():
        # After the method: its conditions judge the record as it was, not with the changes.
        method(by=by, **kwargs)
        for field, value in fields.items():
            setattr(obj, field, value)
        try:
            obj.save(update_fields=[meta.field.name, "updated_at", *fields])
        except ConcurrentTransition as exc:
            raise TransitionRefused(_("Someone else has just acted on this record. Reload and check.")) from exc
        deadlines.on_transition(obj, from_state, obj.status, now=timezone.now())
        record_event(
            obj,
            event_code(obj, name),
            by=by,
            from_state=from_state,
            to_state=obj.status,
            note=note,
            data=data,
        )
    return obj


def check_transition(obj: Any, name: str, *, by: Any, note: str = "") -> dict[str, Any]:
    """Raise what ``transition`` would refuse with, before a service does costly work (draws a
    number, issues a document); return the declaration's ``custom`` dict."""
    meta = getattr(obj, name)._django_fsm
    state = meta.field.get_state(obj)
    # Order matters for the answer the user gets: wrong state, then wrong role (403), then an
    # unmet condition (e.g. an unfinished checklist), which is a state problem, not a role one.
    if not meta.has_transition(state):
        raise TransitionRefused(_("This action is not possible in the current state."))
    if not meta.has_transition_perm(obj, state, by):
        raise PermissionDenied
    if not meta.conditions_met(obj, state):
        raise TransitionRefused(_("Not everything required for this action is done yet."))
    custom = meta.get_transition(state).custom or {}
    # A transition declared with needs_note (return, reject, revoke ...) is refused without a
    # reason whoever calls it: the form, the admin or a script.
    if custom.get("needs_note") and not (note or "").strip():
        raise ValidationError({"note": _("Please give a reason.")})
    return custom


def event_code(obj_or_model: Any, name: str) -> str:
    """The audit code of transition ``name``: ``<audit_prefix>.<custom["event"]>``."""
    method = getattr(obj_or_model, name)
    for t in method._django_fsm.transitions.values():
        event = (t.custom or {}).get("event")
        if event:
            return f"{obj_or_model.audit_prefix}.{event}"
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    raise ImproperlyConfigured(f"{model.__name__}.{name} declares no custom['event']")


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    style: str
    needs_note: bool
    # A question the browser asks before the form is sent (withdraw, cancel, void): "" for none.
    confirm: str = ""


def available_actions(obj: Any, user: Any) -> list[Action]:
    """Transitions ``user`` may run now, for the buttons on a detail page."""
    actions = []
    for t in obj.get_available_user_status_transitions(user):
        custom = t.custom or {}
        actions.append(
            Action(
                name=t.name,
                label=str(custom.get("label", t.name)),
                style=custom.get("style", "primary"),
                needs_note=bool(custom.get("needs_note", False)),
                confirm=str(custom.get("confirm", "")),
            )
        )
    return actions


def next_number(prefix: str, year: int | None = None) -> str:
    """The next gapless number for ``prefix`` and ``year``, e.g. ``CM-2026-00042``.

    One statement inserts or increments the row and leaves it locked until the calling
    transaction ends: concurrent callers queue on that lock, and a rollback returns the number.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the issuing transaction")
    year = year or timezone.localdate().year
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO workflow_numbersequence (prefix, year, last) VALUES (%s, %s, 1)
            ON CONFLICT (prefix, year) DO UPDATE SET last = workflow_numbersequence.last + 1
            RETURNING last
            """,
            [prefix, year],
        )
        (last,) = cur.fetchone()
    return f"{prefix}-{year}-{last:05d}"


def next_numbers(prefix: str, count: int, year: int | None = None) -> list[str]:
    """``count`` consecutive gapless numbers in one statement (a batch of notices or bills),
    taken under the same row lock as ``next_number``: the range is the issuing transaction's
    until it ends, and a rollback returns all of it."""
    if count < 1:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_numbers must run inside the issuing transaction")
    year = year or timezone.localdate().year
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO workflow_numbersequence (prefix, year, last) VALUES (%s, %s, %s)
            ON CONFLICT (prefix, year) DO UPDATE SET last = workflow_numbersequence.last + EXCLUDED.last
            RETURNING last
            """,
            [prefix, year, count],
        )
        (last,) = cur.fetchone()
    return [f"{prefix}-{year}-{n:05d}" for n in range(last - count + 1, last + 1)]


@dataclass(frozen=True)
class Message:
    """One notification of a batch (``notify_many``): to whom, what, where, once per key."""

    recipient_id: int
    message: str
    args: dict
    url: str
    dedup_key: str


def notify_many(messages: Iterable[Message], *, channels: Iterable[str] = ("email",)) -> list[int]:
    """``notify`` for a batch (each message to its own recipient): one INSERT that skips what
    was sent already (the same recipient and key); copies by the ``channels`` each recipient
    chose go out after commit. Returns the new notifications' ids."""
    from .tasks import deliver_notifications

    messages = list(messages)
    if not messages:
        return []
    channels = [c for c in channels if c != "inapp"]
    with connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO workflow_notification
                (recipient_id, message, args, body, url, dedup_key, created_at, channels)
            SELECT r, m, a, '', u, k, %s, %s::varchar[]
            FROM unnest(%s::bigint[], %s::text[], %s::jsonb[], %s::text[], %s::text[]) AS v(r, m, a, u, k)
            ON CONFLICT (recipient_id, dedup_key) DO NOTHING
            RETURNING id
            """,
            [
                timezone.now(),
                channels,
                [m.recipient_id for m in messages],
                [m.message for m in messages],
                [Jsonb(m.args) for m in messages],
                [m.url for m in messages],
                [m.dedup_key for m in messages],
            ],
        )
        created = [row[0] for row in cur.fetchall()]
    if channels and created:
        deliver_notifications.delay_on_commit(created)
    return created


def notify(
    recipients: Iterable[Any],
    *,
    message: str = "",
    args: dict | None = None,
    title: str = "",
    body: str = "",
    url: str = "",
    dedup_key: str,
    channels: Iterable[str] = ("email",),
) -> list[Notification]:
    """Create in-app notifications (once per recipient and key); copies by the ``channels``
    each recipient chose go out after commit.

    ``message`` is an English msgid (mark it with ``gettext_noop``) with ``args``; it is
    rendered in each reader's language when shown or sent. ``title`` is the older name for it.
    """
    from .tasks import deliver_notifications

    message = message or title
    channels = [c for c in channels if c != "inapp"]
    created = []
    for user in recipients:
        note, was_new = Notification.objects.get_or_create(
            recipient=user,
            dedup_key=dedup_key,
            defaults={"message": message, "args": args or {}, "body": body, "url": url, "channels": channels},
        )
        if was_new:
            created.append(note)
    if channels and created:
        deliver_notifications.delay_on_commit([n.pk for n in created])
    return created


def mark_read(*, notification: Notification, by: Any) -> None:
    Notification.objects.filter(pk=notification.pk, recipient=by, read_at__isnull=True).update(read_at=timezone.now())
