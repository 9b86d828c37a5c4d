import datetime as dt
import functools
import operator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import OuterRef, Q, QuerySet, Subquery

from .models import AuditEvent, Deadline, Notification


def timeline(*objs: Any) -> QuerySet[AuditEvent]:
    """Events of one or more records, oldest first, actors loaded in the same query."""
    q = Q()
    for obj in objs:
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        q |= Q(content_type=ct, object_id=obj.pk)
    return AuditEvent.objects.filter(q).select_related("actor").order_by("at", "id")


def unread_notifications(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def notifications_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def deadline_due_at(model: type[models.Model], *kinds: str) -> Subquery:
    """The due time of the record's running deadline (of ``kinds``, the earliest), to
    ``annotate(due_at=...)`` a register or detail queryset: part of the same query, so a page's
    query count does not change. Joins the content type by name rather than looking it up,
    which would cost a query on a cold cache."""
    rows = Deadline.objects.filter(
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
        object_id=OuterRef("pk"),
        state=Deadline.State.RUNNING,
    )
    if kinds:
        rows = rows.filter(kind__in=kinds)
    return Subquery(rows.order_by("due_at").values("due_at")[:1])


def deadline_statistics(model: type[models.Model], kind: str, since: Any = None) -> dict[str, int]:
    """How many runs of ``kind`` on ``model`` were met and missed (stopped since ``since``): the
    on-time figures. One query."""
    from django.db.models import Count

    rows = Deadline.objects.filter(
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
        kind=kind,
        state=Deadline.State.STOPPED,
    )
    if since is not None:
        rows = rows.filter(stopped_at__gte=since)
    counts = rows.aggregate(n_met=Count("pk", filter=Q(met=True)), n_missed=Count("pk", filter=Q(met=False)))
    return {"met": counts["n_met"], "missed": counts["n_missed"]}


def decided_between(start: Any, end: Any, now: Any) -> tuple[Q, Q]:
    """Deadline runs whose outcome was decided in ``[start, end)``, as (met, missed) conditions.

    A run counts once, in the period its outcome became known: met when it stopped in time
    (``stopped_at``); missed when its due time passed without it stopping (``due_at``), whether
    it stopped late since or still runs past due (before ``now``), or was paused after its due
    time. Running runs not yet due and runs paused with time left are undecided: counted nowhere;
    so are runs stopped by a withdrawal (stopped with ``met`` NULL, see ``deadlines``).
    """
    met = Q(met=True, stopped_at__gte=start, stopped_at__lt=end)
    # "met is not true" written as the partial index deadline_not_met_idx states it, so the
    # planner reads each period's rows from the two partial indexes (deadline_met_idx).
    late = Q(state=Deadline.State.STOPPED, met=False) | Q(state=Deadline.State.RUNNING)
    late |= Q(state=Deadline.State.PAUSED, remaining__lte=dt.timedelta(0))
    missed = (Q(met=False) | Q(met__isnull=True)) & late & Q(due_at__gte=start, due_at__lt=min(end, now))
    return met, missed


def deadline_outcomes(
    model: type[models.Model],
    kinds: tuple[str, ...],
    periods: dict[str, tuple[Any, Any]],
    *,
    by: tuple[str, ...] = (),
    now: Any = None,
) -> list[dict[str, Any]]:
    """On-time figures of ``model``'s deadlines of ``kinds``: per kind (and per the record's
    fields ``by``, e.g. its assignee), how many runs were met and missed in each of ``periods``
    (name -> [start, end)), as ``met_<name>`` and ``missed_<name>``, the record's fields as
    ``record_<field>``; see ``decided_between`` for what counts.

    One query whatever the number of rows (after the model's content type is cached): the runs
    come from the partial indexes ``deadline_met_idx`` and ``deadline_not_met_idx`` and are
    joined to their records on the primary key for ``by`` (Deadline has no relation to join
    with; a correlated subquery per field cost twice the one lookup per run)."""
    from django.db.models import BooleanField, ExpressionWrapper
    from django.utils import timezone

    now = now or timezone.now()
    # The content type's id itself, not a join or a subquery: the planner then knows how many
    # rows it matches and reads the periods from the partial indexes.
    ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
    flags: dict[str, Any] = {}
    within: list[Q] = []
    for name, (start, end) in periods.items():
        met, missed = decided_between(start, end, now)
        flags[f"met_{name}"] = ExpressionWrapper(met, output_field=BooleanField())
        flags[f"missed_{name}"] = ExpressionWrapper(missed, output_field=BooleanField())
        within += [met, missed]
    runs = (
        Deadline.objects.filter(content_type=ct, kind__in=kinds)
        .filter(functools.reduce(operator.or_, within))
        .annotate(**flags)
        .values("kind", "object_id", *flags)
        .order_by()
    )
    inner, params = runs.query.sql_with_params()
    qn = connection.ops.quote_name
    opts = model._meta
    columns = [opts.get_field(field).column for field in by]
    record_cols = "".join(f", r.{qn(c)} AS {qn('record_' + f)}" for c, f in zip(columns, by, strict=True))
    counts = "".join(f", COUNT(*) FILTER (WHERE d.{qn(flag)}) AS {qn(flag)}" for flag in flags)
    group = ", ".join(["d.kind", *(f"r.{qn(c)}" for c in columns)])
    # Each run's record by its primary key (OFFSET 0 keeps the lookup per run: left to itself
    # the planner hashed the whole table of records, 200,000 tickets, for 33,000 runs).
    record = ", ".join(qn(c) for c in columns)
    join = (
        # Identifiers from the model's metadata, quoted; every value is a parameter.
        f"LEFT JOIN LATERAL (SELECT {record} FROM {qn(opts.db_table)} "  # noqa: S608
        f"WHERE {qn(opts.pk.column)} = d.object_id OFFSET 0) r ON true "
        if by
        else ""
    )
    # Unordered: a hash aggregate; sorting 33,000 runs for the groups spilled to disk.
    sql = f"SELECT d.kind AS kind{record_cols}{counts} FROM ({inner}) d {join}GROUP BY {group}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [col[0] for col in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _deadlines_of_model(model: type[models.Model]) -> QuerySet[Deadline]:
    # The content type joined by name: a lookup would cost a query on a cold cache.
    return Deadline.objects.filter(
        content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name
    )


def late_exists(model: type[models.Model], kinds: tuple[str, ...], now: Any) -> models.Exists:
    """Whether the outer row of ``model`` has a deadline of ``kinds`` that is late: running past
    its due time, or stopped after it (met = False). A correlated EXISTS: a register walks its
    own index and probes each row's deadlines (repairs: 0.2 ms a page of 200,000 tickets)."""
    # By content type id (cached after the first use), not joined by name: with the join the
    # planner read every late deadline for the overdue filter (245 ms at 200,000 tickets, not 17).
    rows = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk"), kind__in=kinds
    )
    return models.Exists(rows.filter(Q(state=Deadline.State.RUNNING, due_at__lt=now) | Q(met=False)))


def deadlines_of(record: models.Model, now: Any = None) -> list[Deadline]:
    """A record's deadlines, every run, oldest first, each with ``label`` and ``late``: one query."""
    from django.utils import timezone

    from .deadlines import kind_label

    now = now or timezone.now()
    rows = list(_deadlines_of_model(type(record)).filter(object_id=record.pk).order_by("started_at", "id"))
    for row in rows:
        row.label = kind_label(row.kind)
        row.late = row.met is False or (row.state == Deadline.State.RUNNING and row.due_at < now)
    return rows
