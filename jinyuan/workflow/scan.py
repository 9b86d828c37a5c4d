"""The one scan that sends every declared deadline's reminder steps (Celery beat, every minute).

It reads running deadlines whose next step is due, in a fixed number of queries per batch
whatever their number, and marks each step sent in the database (a unique row per deadline
and step) in the same transaction as its notifications, so a repeated or concurrent scan sends
nothing twice. See ``jinyuan.workflow.deadlines`` for the declarations.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from psycopg.types.json import Jsonb

from .deadlines import KIND_LABELS, ZERO, DeadlineSpec, _Clock, _resolvers, specs_of
from .models import Deadline

MSG_BEFORE = gettext_noop("%(kind_label)s of %(record)s is due at %(due)s")
MSG_DUE = gettext_noop("%(kind_label)s of %(record)s is due now (%(due)s)")
MSG_OVERDUE = gettext_noop("Overdue: %(kind_label)s of %(record)s was due at %(due)s")


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
    _queue_actions(due, claimed, now)
    return len(claimed), len(rows)


def _queue_actions(due: list[_Due], claimed: set[tuple[int, int]], now: dt.datetime) -> None:
    """One task per action and model for the steps this scan claimed (so each runs once per
    deadline run); the task loads the records by id and calls their services after commit."""
    batches: dict[tuple[str, int], list[int]] = defaultdict(list)
    for d in due:
        for i in d.steps:
            action = d.spec.steps[i].action
            if action and (d.row.pk, i) in claimed:
                batches[(action, d.row.content_type_id)].append(d.row.object_id)
    if not batches:
        return
    from .tasks import run_step_action

    for (action, ct_id), pks in batches.items():
        run_step_action.delay_on_commit(action, ct_id, sorted(set(pks)), now.isoformat())


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
        for i in _latest_per_audience(d, claimed):
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


def _latest_per_audience(d: _Due, claimed: set[tuple[int, int]]) -> list[int]:
    """The claimed steps of one deadline that people are told of: when a late scan (the worker
    was down, the demo was just seeded) finds several steps due at once, each audience hears
    only the latest ("overdue", not also "due soon" and "due now"). The earlier ones stay
    claimed, so they are never sent later, and their actions still run."""
    steps = [i for i in d.steps if (d.row.pk, i) in claimed]
    latest: dict[tuple[str, ...], int] = {}
    for i in steps:
        latest[d.spec.steps[i].to] = i
    return sorted(latest.values())


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
