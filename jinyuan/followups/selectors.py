"""Reads of follow-ups."""

from datetime import date

from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from jinyuan.records import of_record

from .models import FollowUp


def followups() -> QuerySet[FollowUp]:
    # The followed records come with one query per kind of record (GenericForeignKey prefetch),
    # not one per row.
    return FollowUp.objects.select_related("content_type", "assigned_to", "done_by").prefetch_related("record")


def worklist(on: date | None = None) -> QuerySet[FollowUp]:
    """The desk's calls to make: open follow-ups due today or overdue, oldest first."""
    on = on or timezone.localdate()
    return followups().filter(status=FollowUp.Status.OPEN, due_on__lte=on).order_by("due_on", "id")


def followups_of(record: models.Model) -> QuerySet[FollowUp]:
    return of_record(FollowUp.objects.select_related("done_by", "assigned_to"), record)


def open_followup(pk: int) -> FollowUp:
    try:
        return followups().get(pk=pk)
    except FollowUp.DoesNotExist as exc:
        raise Http404 from exc
