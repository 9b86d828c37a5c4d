"""Reads of patrols 巡视, scoped to the user: the desk and supervisors see every task; security
and engineering their own (those assigned to them, or transferred away from them)."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from jinyuan.accounts.roles import DESK_ROLES

from .models import PatrolCheck, PatrolPoint, PatrolStop, PatrolTask


def sees_all(user: Any) -> bool:
    return user.has_role(*DESK_ROLES)


def tasks_for(user: Any) -> QuerySet[PatrolTask]:
    qs = PatrolTask.objects.all()
    if not sees_all(user):
        qs = qs.filter(Q(assignee=user) | Q(original_assignee=user))
    return qs


def task_for(user: Any, pk: Any) -> PatrolTask:
    try:
        return tasks_for(user).select_related("route", "assignee", "original_assignee").get(pk=pk)
    except (PatrolTask.DoesNotExist, ValueError):
        raise Http404 from None


def my_tasks(user: Any, day: dt.date) -> QuerySet[PatrolTask]:
    """The user's tasks of the day and any still open from before, by window."""
    return (
        PatrolTask.objects.filter(assignee=user)
        .filter(Q(date=day) | Q(status__in=PatrolTask.OPEN, date__lt=day))
        .select_related("route", "original_assignee")
        .order_by("starts_at", "id")
    )


def findings_for(user: Any) -> QuerySet[PatrolCheck]:
    qs = PatrolCheck.objects.filter(is_abnormal=True)
    if not sees_all(user):
        qs = qs.filter(Q(task__assignee=user) | Q(task__original_assignee=user))
    return qs


def check_for(user: Any, pk: Any) -> PatrolCheck:
    check = findings_for(user).select_related("task", "point").filter(pk=pk).first()
    if check is None:
        raise Http404
    return check


@dataclass
class StopRow:
    """A point of a task as the task page shows it."""

    position: int
    point: PatrolPoint
    items: list[str]
    check: PatrolCheck | None
    missed: bool
    photo_ids: list = field(default_factory=list)  # the check's photos (attachment ids)

    @property
    def state(self) -> str:
        if self.check is None:
            return "missed" if self.missed else "due"
        return "abnormal" if self.check.is_abnormal else "normal"


def task_stops(task: PatrolTask, now: dt.datetime | None = None) -> list[StopRow]:
    """The task's points in order with their checks (three queries, whatever the route's length:
    the route's stops with their points, the checks with their photos' ids). A point is missed once the
    window is over and it was not checked."""
    now = now or timezone.now()
    stops = PatrolStop.objects.filter(route_id=task.route_id).select_related("point__building", "point__floor")
    points, items = {}, {}
    for stop in stops:
        points[stop.point_id], items[stop.point_id] = stop.point, stop.items
    if not points.keys() >= set(task.points):  # a point taken off the route since: read it by itself
        points.update(PatrolPoint.objects.select_related("building", "floor").in_bulk(task.points))
    checks = {
        c.point_id: c
        for c in with_photo_ids(PatrolCheck.objects.filter(task=task).select_related("repair", "checked_by"))
    }
    over = now > task.ends_at or task.status not in PatrolTask.OPEN
    return [
        StopRow(
            i,
            points[pk],
            items.get(pk, []),
            checks.get(pk),
            over and pk not in checks,
            checks[pk].photo_ids if pk in checks else [],
        )
        for i, pk in enumerate(task.points, 1)
        if pk in points
    ]


def with_photo_ids(checks: QuerySet[PatrolCheck]) -> QuerySet[PatrolCheck]:
    """Each check with the ids of its live photos (``photo_ids``), in the checks' own query."""
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import OuterRef

    from jinyuan.attachments.models import Attachment

    photos = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(PatrolCheck),
        object_id=OuterRef("pk"),
        voided_at__isnull=True,
        purged_at__isnull=True,
    ).order_by("pk")
    return checks.annotate(photo_ids=ArraySubquery(photos.values("pk")))


def open_task_with(user: Any, point: PatrolPoint, now: dt.datetime | None = None) -> PatrolTask | None:
    """The user's open task with this point on it: the one started first, else the one whose
    window is nearest now (a scan outside any of the user's tasks finds none)."""
    now = now or timezone.now()
    tasks = list(
        PatrolTask.objects.filter(assignee=user, status__in=PatrolTask.OPEN, points__contains=[point.pk])
        .select_related("route")
        .order_by("starts_at", "id")
    )
    started = [t for t in tasks if t.status == PatrolTask.Status.STARTED]
    if started:
        return started[0]
    return min(tasks, key=lambda t: abs((t.starts_at - now).total_seconds()), default=None)


# --- the supervisor dashboard's figure --------------------------------------------------------


def completion(start: dt.date | None = None, end: dt.date | None = None, now: dt.datetime | None = None) -> float:
    """Patrol completion 巡视完成率: points checked of the points due, in % (one decimal), over the
    tasks whose window is over (this month's, or ``[start, end)``'s). One aggregate query; a
    float, as the dashboard's figures are."""
    now = now or timezone.now()
    if start is None:
        today = timezone.localdate(now)
        start = today.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1)
    sums = PatrolTask.objects.filter(date__gte=start, date__lt=end, ends_at__lte=now).aggregate(
        due=Sum("points_due"), checked=Sum("points_checked")
    )
    if not sums["due"]:
        return 0.0
    return round(100 * sums["checked"] / sums["due"], 1)
