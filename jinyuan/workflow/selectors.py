from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from .models import AuditEvent, Notification


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
