from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
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
