"""Reads of follow-ups."""

from collections.abc import Callable
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from jinyuan.records import of_record

from .models import FollowUp

# model -> the queryset its records are loaded with for the worklist (what their
# ``followup_contact`` reads: a repair's company), registered by the record's app.
_record_querysets: dict[type[models.Model], Callable[[], QuerySet]] = {}


def register_record_queryset(model: type[models.Model], queryset: Callable[[], QuerySet]) -> None:
    """Let an app load its followed records with what the worklist shows of them (called from
    its AppConfig.ready)."""
    _record_querysets[model] = queryset


def followups() -> QuerySet[FollowUp]:
    # The followed records come with one query per kind of record (GenericForeignKey prefetch),
    # not one per row; an app's registered queryset brings what their contact line reads.
    querysets = [make() for make in _record_querysets.values()]
    # The prefetch looks up each registered model's content type: one cached lookup for all of
    # them here (no query once cached), not one in the middle of a page's rows.
    ContentType.objects.get_for_models(*(qs.model for qs in querysets), for_concrete_models=False)
    record = GenericPrefetch("record", querysets)
    return FollowUp.objects.select_related("content_type", "assigned_to", "done_by").prefetch_related(record)


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
