"""Reads of follow-up items: the worklists (an owner's own, every open one), the items of a
record, the desk home's counts."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.records import of_record

from .models import ActionItem


def items() -> QuerySet[ActionItem]:
    return ActionItem.objects.all()


def items_for(user: Any) -> QuerySet[ActionItem]:
    """What a member of staff may open: every item for the desk and supervisors, else their own."""
    if user.has_role(*DESK_ROLES):
        return items()
    return items().filter(owner=user)


def item_for_desk(pk: int, user: Any) -> ActionItem:
    return get_object_or_404(items_for(user).select_related("owner", "closed_by", "tenant", "content_type"), pk=pk)


def items_of(record: Any) -> list[ActionItem]:
    """A record's follow-up items with their owners: one query."""
    return list(of_record(items(), record).select_related("owner", "closed_by").order_by("due_at", "pk"))


def open_counts(user: Any) -> dict[str, int]:
    """The user's own open and overdue items, and every overdue one (the desk home): one query."""
    now = timezone.now()
    open_q = Q(status=ActionItem.Status.OPEN)
    return items().aggregate(
        mine=Count("pk", filter=open_q & Q(owner=user)),
        mine_overdue=Count("pk", filter=open_q & Q(owner=user, due_at__lt=now)),
        overdue=Count("pk", filter=open_q & Q(due_at__lt=now)),
    )
