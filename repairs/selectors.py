"""Reads of repair tickets."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from jinyuan.workflow.models import Deadline

from .models import RepairTicket


def _late(kinds: tuple[str, ...], now) -> Exists:
    rows = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(RepairTicket),
        object_id=OuterRef("pk"),
        kind__in=kinds,
    )
    # Late: running past its due time, or stopped after it (met = False).
    return Exists(rows.filter(Q(state=Deadline.State.RUNNING, due_at__lt=now) | Q(met=False)))


def with_late(qs: QuerySet[RepairTicket], now=None) -> QuerySet[RepairTicket]:
    """``response_late`` and ``completion_late`` on each ticket, in the same query."""
    now = now or timezone.now()
    return qs.annotate(
        response_late=_late(RepairTicket.RESPONSE_KINDS, now),
        completion_late=_late(RepairTicket.COMPLETION_KINDS, now),
    )


def overdue(qs: QuerySet[RepairTicket], now=None) -> QuerySet[RepairTicket]:
    qs = with_late(qs, now)
    return qs.filter(Q(response_late=True) | Q(completion_late=True))
