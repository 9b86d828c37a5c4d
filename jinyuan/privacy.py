"""Personal information (个人信息保护法): masking for lists and exports, and retention.

Masking: an ID number or a phone is shown whole only on its record's page, to the roles that
need it; lists and Excel exports show ``mask_id_number``/``mask_phone``.

Retention: ID scans and photos of people are kept while their record is open and
``settings.PERSONAL_DATA_RETENTION_DAYS`` (default 183) after it closes. Each app declares
which records close when and which of their files are personal (``register_retention`` in its
``AppConfig.ready()``), and optionally how personal values in the record's own fields are
replaced (``scrub``: a worker's ID number masked); ``personal_data_purge(now)``, run daily
under Celery beat, deletes the stored files through the storage API, keeps each row marked
``purged_at`` with a note, replaces those fields, and writes ``<prefix>.personal_data_purged``
on the record. Running it twice purges nothing twice.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from jinyuan.documents.masking import mask_id_number, mask_phone

# One masking for the whole system: the verify page's (jinyuan.documents.masking), re-exported
# here for lists and exports.
__all__ = ["mask_id_number", "mask_phone", "personal_data_purge", "register_retention"]

# Kernel attachments of these kinds are personal data (photos of workers and visitors, ID scans).
PERSONAL_KINDS = ("photo", "id_scan")


def retention_days() -> int:
    return int(getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", 183))


# --- retention registry -------------------------------------------------------------------


@dataclass(frozen=True)
class Retention:
    model: type[models.Model]
    # A field name (the record's closing time: purge when it is before the cutoff), or a
    # callable giving the records closed before the cutoff: ``closed_before(cutoff) -> QuerySet``.
    closed_at: str | Callable[[datetime], QuerySet]
    kinds: tuple[str, ...] = PERSONAL_KINDS  # kinds of the record's attachments to purge
    # Personal data kept in the record's own fields: ``scrub(record) -> {field: new value}``
    # (e.g. an ID number masked), ``{}`` where nothing may be replaced (yet). Applying it again
    # must give the same values: a second run then changes nothing.
    scrub: Callable[[Any], dict[str, Any]] | None = None

    def closed_before(self, cutoff: datetime) -> QuerySet:
        if callable(self.closed_at):
            return self.closed_at(cutoff)
        return self.model._default_manager.filter(**{f"{self.closed_at}__lt": cutoff})


_registry: dict[type[models.Model], Retention] = {}


def register_retention(
    model: type[models.Model],
    *,
    closed_at: str | Callable[[datetime], QuerySet],
    kinds: Iterable[str] = PERSONAL_KINDS,
    scrub: Callable[[Any], dict[str, Any]] | None = None,
) -> None:
    _registry[model] = Retention(model, closed_at, tuple(kinds), scrub)


def retentions() -> list[Retention]:
    return list(_registry.values())


# --- the purge ----------------------------------------------------------------------------------


def _files_of(record: Any, retention: Retention) -> QuerySet:
    from jinyuan.attachments.models import Attachment
    from jinyuan.records import of_record

    return of_record(Attachment.objects.all(), record).filter(kind__in=retention.kinds, purged_at__isnull=True)


def _purge_row(row: models.Model, *, now: datetime, note: str) -> bool:
    """Delete the stored files of one attachment and mark it. False when another run got there first."""
    locked = type(row)._default_manager.select_for_update().filter(pk=row.pk, purged_at__isnull=True).first()
    if locked is None:
        return False
    # The files go first: should the commit fail, the next run finds the row unmarked and
    # deleting a missing file again is harmless in every storage.
    locked.file.delete(save=False)
    locked.thumbnail.delete(save=False)
    locked.original_name = ""  # "王建国身份证.jpg" is personal data too
    locked.purged_at = now
    locked.purge_note = note
    locked.save(update_fields=["purged_at", "purge_note", "file", "thumbnail", "original_name"])
    return True


def _scrub_fields(record: models.Model, retention: Retention) -> list[str]:
    """Replace the personal data in the record's own fields (its row locked); the names of the
    fields changed, none when a run got there first."""
    if retention.scrub is None:
        return []
    model = type(record)
    locked = model._default_manager.select_for_update().get(pk=record.pk)
    changes = {name: value for name, value in retention.scrub(locked).items() if getattr(locked, name) != value}
    if changes:
        model._default_manager.filter(pk=record.pk).update(**changes)
    return sorted(changes)


def personal_data_purge(now: datetime) -> int:
    """Purge the personal files (and fields, where the record's app says which) of every record
    closed more than the retention period before ``now``; returns how many files were deleted
    and fields replaced."""
    from jinyuan.workflow.services import event_prefix, record_event

    days = retention_days()
    cutoff = now - timedelta(days=days)
    note = str(_("Deleted %(days)s days after the record closed (personal data retention).") % {"days": days})
    purged = 0
    for retention in retentions():
        for record in list(retention.closed_before(cutoff)):
            with transaction.atomic():
                done = [
                    {"model": row._meta.model_name, "id": row.pk, "kind": row.kind}
                    for row in _files_of(record, retention)
                    if _purge_row(row, now=now, note=note)
                ]
                fields = _scrub_fields(record, retention)
                if done or fields:
                    data: dict[str, Any] = {"purged": done, "deleted_files": len(done)}
                    if fields:
                        data["masked_fields"] = fields
                    record_event(record, f"{event_prefix(record)}.personal_data_purged", note=note, data=data)
                    purged += len(done) + len(fields)
    return purged


# --- the admin shows the policy -------------------------------------------------------------


class RetentionAdminMixin:
    """For the changelists of files that may hold personal data: a read-only notice of the
    retention policy above the list, and purged rows marked in a column and a filter."""

    change_list_template = "admin/retention_change_list.html"
    retention_notice = _("ID scans and photos of people are deleted %(days)s days after their record closes.")

    def changelist_view(self, request, extra_context=None):
        notice = self.retention_notice % {"days": retention_days()}
        return super().changelist_view(request, {**(extra_context or {}), "retention_notice": notice})

    @admin.display(description=_("personal data"), ordering="purged_at")
    def purged(self, obj) -> str:
        if obj.purged_at is None:
            return "—"
        return format_html(
            '<span class="purged">{} {}</span>', _("Deleted"), timezone.localtime(obj.purged_at).strftime("%Y-%m-%d")
        )
