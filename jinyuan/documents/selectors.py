"""Reads of documents and gate checks."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import Document, GateCheck


def document_by_code(code: str) -> Document | None:
    """One lookup on the unique index (no ordering: ``first()`` would sort by the model's)."""
    try:
        # Who used or revoked the paper is said on the page: in the same query.
        return Document.objects.select_related("used_by", "revoked_by").get(code=code)
    except Document.DoesNotExist:
        return None


def recent_checks(document: Document, limit: int) -> list[GateCheck]:
    checks = list(GateCheck.objects.filter(document=document).select_related("by").order_by("-at", "-id")[:limit])
    for check in checks:
        check.document = document  # their labels come from its kind: no query per row
    return checks


def checks_on(day: date) -> QuerySet[GateCheck]:
    """The checks of one local day at every gate, newest first (a range, so the index on ``at`` serves)."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return (
        GateCheck.objects.filter(at__gte=start, at__lt=end)
        .select_related("by", "document")
        .only(
            "at",
            "action",
            "result",
            "verdict",
            "note",
            "by__username",
            "by__display_name",
            "by__first_name",
            "by__last_name",
            "document__number",
            "document__kind",
            "document__code",
        )
        .order_by("-at", "-id")
    )
