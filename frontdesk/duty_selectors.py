"""Reads of the duty log for the desk: the live shift's page, the registers, a shift's detail
and the desk home's counts. Each page reads a fixed number of queries whatever the rows."""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import DutyEntry, Shift

ENTRY_RELATED = ("written_by", "closed_by")


def entries_of(shift: Shift) -> QuerySet[DutyEntry]:
    return DutyEntry.objects.filter(shift=shift).select_related(*ENTRY_RELATED).order_by("-at", "-id")


def carried_over(shift: Shift) -> QuerySet[DutyEntry]:
    """Open items of the shifts before ``shift``: shown on its page until closed."""
    return (
        DutyEntry.objects.filter(is_open=True, closed_at__isnull=True, shift__starts_at__lt=shift.starts_at)
        .select_related("shift", *ENTRY_RELATED)
        .order_by("at", "id")
    )


def shift_for_desk(pk: int) -> Shift:
    clerks = Prefetch("clerks")
    return get_object_or_404(
        Shift.objects.select_related("applicant", "arriving", "handed_over_by").prefetch_related(clerks), pk=pk
    )


def shift_register() -> QuerySet[Shift]:
    return Shift.objects.order_by("-starts_at", "-id")


def shift_rows(queryset: QuerySet[Shift]) -> QuerySet[Shift]:
    """The register's columns: who opened it, the arriving clerk, entries and open items."""
    return queryset.select_related("applicant", "arriving", "handed_over_by").annotate(
        entry_count=Count("entries"),
        open_count=Count("entries", filter=Q(entries__is_open=True, entries__closed_at__isnull=True)),
    )


def entry_register() -> QuerySet[DutyEntry]:
    return DutyEntry.objects.order_by("-at", "-id")


def entry_rows(queryset: QuerySet[DutyEntry]) -> QuerySet[DutyEntry]:
    return queryset.select_related("shift", *ENTRY_RELATED)


def panel_counts(now: dt.datetime | None = None) -> dict[str, int]:
    """Open items, and shifts that ended without a signed handover (two counts, partial indexes)."""
    now = now or timezone.now()
    return {
        "open_items": DutyEntry.objects.filter(is_open=True, closed_at__isnull=True).count(),
        "unsigned": Shift.objects.exclude(status=Shift.Status.ACCEPTED).filter(ends_at__lte=now).count(),
    }
