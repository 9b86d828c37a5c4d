"""Kernel rows that belong to any record (a repair, a complaint, a tenant): attachments,
follow-up visits. One abstract base and one lookup, so each kind of row points at its record
the same way."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet


def content_type_of(record: models.Model) -> ContentType:
    # for_concrete_model=False: a proxy model's rows are kept under the proxy, as audit events are.
    return ContentType.objects.get_for_model(record, for_concrete_model=False)


class OnAnyRecord(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.BigIntegerField()
    record = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True

    def set_record(self, record: models.Model) -> None:
        self.content_type = content_type_of(record)
        self.object_id = record.pk


def of_record(qs: QuerySet, record: models.Model) -> QuerySet:
    return qs.filter(content_type=content_type_of(record), object_id=record.pk)
