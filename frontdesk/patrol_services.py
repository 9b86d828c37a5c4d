"""Writes of patrols 巡视: the day's tasks made from the plans (once, however often or however
concurrently the scheduler runs), starting a task, checking a point (scan, items, note, photo),
turning a finding into one repair ticket, transferring a task, closing tasks whose window is
long over. Every change writes an audit event on the task."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.workflow import deadlines
from jinyuan.workflow.calendar import load_calendar
from jinyuan.workflow.services import TransitionRefused, record_event, transition

from .models import PatrolCheck, PatrolPlan, PatrolPoint, PatrolStop, PatrolTask
from .models.patrols import PATROL_PAGE_ROLES

# A task stays open this long after its window ends: a late scan is still recorded (marked
# late); then the scheduler closes it, its unchecked points missed.
LATE_GRACE = dt.timedelta(hours=2)
NOTE_MAX = PatrolCheck._meta.get_field("note").max_length
REASON_MAX = PatrolTask._meta.get_field("transfer_reason").max_length
PHOTO = "photo"


# --- the scheduler ---------------------------------------------------------------------------


def _aware(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, timezone.get_current_timezone())


def route_points(route_id: int) -> list[int]:
    """The route's active points in order (the task's copy)."""
    return list(
        PatrolStop.objects.filter(route_id=route_id, point__is_active=True)
        .order_by("position", "id")
        .values_list("point_id", flat=True)
    )


def tasks_create_for_day(day: dt.date | None = None) -> list[PatrolTask]:
    """Each active plan's tasks of ``day`` (today), one per window, on the plan's days. A task
    that exists is left alone: the unique (plan, day, window) and ``get_or_create`` make a
    second run, or two at once, create nothing twice. Returns the tasks this run created."""
    day = day or timezone.localdate()
    calendar = load_calendar()
    plans = (
        PatrolPlan.objects.filter(is_active=True, route__is_active=True, starts_on__lte=day)
        .select_related("route")
        .prefetch_related("windows")
    )
    points_of: dict[int, list[int]] = {}
    created = []
    for plan in plans:
        if not plan.runs_on(day, calendar):
            continue
        if plan.route_id not in points_of:
            points_of[plan.route_id] = route_points(plan.route_id)
        points = points_of[plan.route_id]
        if not points:
            continue
        for window in plan.windows.all():
            with transaction.atomic():
                task, made = PatrolTask.objects.get_or_create(
                    plan=plan,
                    date=day,
                    window=window,
                    defaults={
                        "route_id": plan.route_id,
                        "applicant_id": plan.assignee_id,
                        "assignee_id": plan.assignee_id,
                        "starts_at": _aware(day, window.starts),
                        "ends_at": _aware(day, window.ends),
                        "points": points,
                        "points_due": len(points),
                    },
                )
                if made:
                    record_event(task, "patrol_task.created", to_state=task.status, data={"plan": plan.name})
                    # The window's deadline runs from the task's making (a made record has no transition).
                    deadlines.on_transition(task, "", task.status, now=timezone.now())
                    created.append(task)
    return created


def tasks_close_due(now: dt.datetime | None = None) -> int:
    """Close the open tasks whose window ended more than ``LATE_GRACE`` ago: missed when no
    point was checked, incomplete otherwise (a finished task completed itself). Each by a
    compare-and-swap transition: a second run, or a scan at the same moment, closes nothing twice."""
    now = now or timezone.now()
    closed = 0
    due = PatrolTask.objects.filter(status__in=PatrolTask.OPEN, ends_at__lte=now - LATE_GRACE).order_by("ends_at")
    for task in due:
        name = "close_missed" if task.points_checked == 0 else "close_incomplete"
        missed = task.points_due - task.points_checked
        try:
            transition(task, name, by=None, changes={"finished_at": now}, data={"points_missed": missed})
        except TransitionRefused:
            continue
        closed += 1
    return closed


def patrol_tick(now: dt.datetime | None = None) -> dict[str, int]:
    """The beat task's work: today's tasks made, the long-past ones closed."""
    now = now or timezone.now()
    created = tasks_create_for_day(timezone.localdate(now))
    return {"created": len(created), "closed": tasks_close_due(now)}


# --- on the phone ----------------------------------------------------------------------------


def point_by_code(code: str) -> PatrolPoint | None:
    code = "".join((code or "").split()).upper()
    if not code:
        return None
    return PatrolPoint.objects.filter(code=code).select_related("building", "floor").first()


def _must_be_assignee(task: PatrolTask, by: Any) -> None:
    if by is None or by.pk != task.assignee_id:
        raise PermissionDenied


def _must_be_open(task: PatrolTask) -> None:
    if task.status not in PatrolTask.OPEN:
        raise TransitionRefused(_("This patrol task is closed."))


def task_start(*, task: PatrolTask, by: Any, now: dt.datetime | None = None) -> PatrolTask:
    return transition(task, "start", by=by, changes={"started_at": now or timezone.now()})


def _result_errors(items: list[str], results: dict[str, Any], note: str) -> tuple[dict[str, bool], dict[str, str]]:
    """Each item's answer as a bool (True: normal), and the field errors."""
    errors = {}
    answers = {}
    for item in items:
        value = results.get(item)
        if value not in (True, False):
            errors["results"] = _("Mark every item normal or abnormal.")
            continue
        answers[item] = value
    if not errors and not all(answers.values()) and not note:
        errors["note"] = _("Say what is abnormal.")
    if len(note) > NOTE_MAX:
        errors["note"] = _("Keep it to %(max)s characters.") % {"max": NOTE_MAX}
    return answers, errors


def check_record(
    *,
    task: PatrolTask,
    by: Any,
    code: str,
    results: dict[str, Any],
    note: str = "",
    photos: Iterable[Any] = (),
    now: dt.datetime | None = None,
) -> PatrolCheck:
    """The point whose label ``code`` was scanned (or typed), checked on the task: every item
    normal (True) or abnormal (False), a note (required when anything is abnormal) and photos.
    A point not on the task's route is an error on ``code``; a point checked before is too (a
    second scan changes nothing). The first check starts a pending task; the last completes it."""
    now = now or timezone.now()
    _must_be_assignee(task, by)
    note = (note or "").strip()
    point = point_by_code(code)
    if point is None:
        raise ValidationError({"code": _("No patrol point has this code.")})
    if point.pk not in task.points:
        raise ValidationError({"code": _("%(point)s is not on this task's route.") % {"point": point.name}})
    stop = PatrolStop.objects.filter(route_id=task.route_id, point=point).first()
    answers, errors = _result_errors(stop.items if stop else [], results, note)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = PatrolTask.objects.select_for_update().get(pk=task.pk)
        _must_be_open(locked)
        done = set(PatrolCheck.objects.filter(task=locked).values_list("point_id", flat=True))
        if point.pk in done:
            raise ValidationError({"code": _("%(point)s is already checked on this task.") % {"point": point.name}})
        if locked.status == PatrolTask.Status.PENDING:
            task_start(task=locked, by=by, now=now)
        earlier = locked.points[: locked.points.index(point.pk)]
        check = PatrolCheck.objects.create(
            task=locked,
            point=point,
            checked_at=now,
            checked_by=by,
            results=answers,
            is_abnormal=not all(answers.values()),
            note=note,
            is_late=now > locked.ends_at,
            is_out_of_order=any(p not in done for p in earlier),
        )
        _attach_photos(check, photos, by)
        PatrolTask.objects.filter(pk=locked.pk).update(points_checked=F("points_checked") + 1)
        locked.points_checked += 1
        data = {"point": point.name}
        if check.is_abnormal:
            data["abnormal_items"] = "、".join(check.abnormal_items)
        record_event(
            locked,
            "patrol_task.finding_reported" if check.is_abnormal else "patrol_task.point_checked",
            by=by,
            note=note,
            data=data,
        )
        if locked.points_checked >= locked.points_due:
            transition(locked, "complete", by=by, changes={"finished_at": now})
    task.status, task.points_checked = locked.status, locked.points_checked
    return check


def _attach_photos(check: PatrolCheck, photos: Iterable[Any], by: Any) -> None:
    from jinyuan.attachments.services import attachment_add
    from jinyuan.uploads import IMAGE_TYPES

    for upload in photos or ():
        try:
            attachment_add(record=check, upload=upload, by=by, kind=PHOTO, allowed=IMAGE_TYPES)
        except ValidationError as exc:
            raise ValidationError({"photo": exc.messages}) from exc


def default_category(check: PatrolCheck) -> Any:
    """The repair category a finding's ticket gets in one tap: the point's, or the first in use."""
    from repairs.models import RepairCategory

    if check.point.repair_category_id and check.point.repair_category.active:
        return check.point.repair_category
    return RepairCategory.objects.filter(active=True).order_by("pk").first()


def check_to_ticket(*, check: PatrolCheck, by: Any, category: Any = None) -> tuple[Any, bool]:
    """One repair ticket from an abnormal check, its ``source`` the check. The check's row is
    locked first: of two submits (a double tap, two clerks) the second waits and finds the
    first one's ticket. ``(ticket, created)``."""
    from repairs import services as repairs

    if not (by and by.has_role(*PATROL_PAGE_ROLES)):
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            PatrolCheck.objects.select_for_update(of=("self",))
            .select_related("point__building", "point__floor", "point__repair_category", "task", "repair")
            .get(pk=check.pk)
        )
        if locked.repair_id:
            return locked.repair, False
        if not locked.is_abnormal:
            raise TransitionRefused(_("Only an abnormal finding becomes a repair ticket."))
        category = category or default_category(locked)
        if category is None:
            raise ValidationError({"category": _("Choose a repair category.")})
        items = "、".join(locked.abnormal_items)
        ticket = repairs.report(
            by=by,
            category=category,
            place=f"{locked.point.place_text} · {locked.point.name}"[:100],
            reporter_name=str(by)[:40],
            phone="",
            description=(_("Patrol finding: %(items)s. %(note)s") % {"items": items, "note": locked.note})[:1000],
            source=locked,
        )
        locked.repair = ticket
        locked.save(update_fields=["repair"])
        record_event(locked.task, "patrol_task.ticket_created", by=by, data={"repair_ticket": ticket.number})
    check.repair = ticket
    return ticket, True


def task_transfer(*, task: PatrolTask, by: Any, to: Any, reason: str) -> PatrolTask:
    """Hand the task to another person with a reason; the first assignee is kept."""
    if not (by and (by.pk == task.assignee_id or by.has_role(*DESK_ROLES))):
        raise PermissionDenied
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Give the reason for the transfer.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("Keep it to %(max)s characters.") % {"max": REASON_MAX}
    if to is None or not (to.is_active and to.has_role(*PATROL_PAGE_ROLES)):
        errors["to"] = _("Choose a member of security, engineering or the desk.")
    elif to.pk == task.assignee_id:
        errors["to"] = _("The task is already theirs.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = PatrolTask.objects.select_for_update().select_related("assignee").get(pk=task.pk)
        _must_be_open(locked)
        previous = locked.assignee
        locked.original_assignee_id = locked.original_assignee_id or previous.pk
        locked.assignee = to
        locked.transfer_reason = reason
        locked.save(update_fields=["original_assignee", "assignee", "transfer_reason", "updated_at"])
        record_event(
            locked, "patrol_task.transferred", by=by, note=reason, data={"from_user": str(previous), "to_user": str(to)}
        )
    return locked


def checks_prefetch() -> Prefetch:
    return Prefetch("checks", queryset=PatrolCheck.objects.order_by("checked_at", "id"))
