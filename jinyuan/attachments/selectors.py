"""Reads of attachments. Access is the record's app's rule (see access.py)."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from . import access
from .models import Attachment


def attachments_of(record: models.Model, *, include_voided: bool = False) -> QuerySet[Attachment]:
    ct = ContentType.objects.get_for_model(record, for_concrete_model=False)
    qs = Attachment.objects.filter(content_type=ct, object_id=record.pk).select_related("uploaded_by")
    return qs if include_voided else qs.filter(voided_at__isnull=True)


def attachment_for(user: Any, pk: int) -> Attachment:
    """A live attachment the user may see, or 404 (another tenant learns nothing, not even
    that the id exists)."""
    attachment = Attachment.objects.filter(pk=pk, voided_at__isnull=True).select_related("content_type").first()
    if attachment is None or not access.can_view(user, attachment.record):
        raise Http404
    return attachment
