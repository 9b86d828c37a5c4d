"""Reads of attachments. Access is the record's app's rule (see access.py)."""

from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from jinyuan.records import of_record

from . import access
from .models import Attachment


def attachments_of(record: models.Model, *, include_voided: bool = False) -> QuerySet[Attachment]:
    qs = of_record(Attachment.objects.select_related("uploaded_by"), record)
    # A purged file (personal data past retention) has nothing left to show or serve.
    return qs if include_voided else qs.filter(voided_at__isnull=True, purged_at__isnull=True)


def attachment_for(user: Any, pk: int) -> Attachment:
    """A live attachment the user may see, or 404 (another tenant learns nothing, not even
    that the id exists)."""
    attachment = (
        Attachment.objects.filter(pk=pk, voided_at__isnull=True, purged_at__isnull=True)
        .select_related("content_type")
        .first()
    )
    if attachment is None or not access.can_view(user, attachment.record):
        raise Http404
    return attachment
