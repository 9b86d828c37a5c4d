"""The customer archive's files become attachments of their tenant (jinyuan.attachments), so a
file is stored, checked, served, voided and purged one way.

Each ArchiveFile row becomes one Attachment on the tenant with the same stored file name (no
file is copied, moved or deleted), kind, title (as the label), original name, size, uploader
and upload time, voided state (and who voided it, from the archive's own event) and purged
state. The type is the stored name's extension, which the archive set from the sniffed
content. Two things the archive never had stay empty: the SHA-256 (computing it would read
every stored file, from the bucket in production, during the deploy) and a thumbnail (old
inspection photos show as a link, as they did). A move-in unit's inspection photo points at
the new attachment. Migration 0013 then drops the archive's table.

Reverse: nothing to do. The files stay attachments of their tenants; the archive's own table
comes back empty, as nothing would serve, check or purge its rows any more.
"""

import django.db.models.deletion
from django.db import migrations, models

CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def archive_to_attachments(apps, schema_editor):
    ArchiveFile = apps.get_model("tenants", "ArchiveFile")
    Attachment = apps.get_model("attachments", "Attachment")
    AuditEvent = apps.get_model("workflow", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    MoveInUnit = apps.get_model("tenants", "MoveInUnit")

    rows = list(ArchiveFile.objects.order_by("pk"))
    if not rows:
        return
    tenant_type, _ = ContentType.objects.get_or_create(app_label="tenants", model="tenant")
    voided_by = dict(
        AuditEvent.objects.filter(action="tenant.archive_voided", content_type=tenant_type).values_list(
            "data__file", "actor_id"
        )
    )
    attachments = Attachment.objects.bulk_create(
        Attachment(
            content_type=tenant_type,
            object_id=row.tenant_id,
            kind=row.kind,
            label=row.title,
            file=row.file.name,
            original_name=row.original_name,
            content_type_sniffed=CONTENT_TYPES.get(row.file.name.rsplit(".", 1)[-1].lower(), ""),
            size=row.size,
            sha256="",
            uploaded_by_id=row.uploaded_by_id,
            voided_at=row.voided_at,
            voided_by_id=voided_by.get(row.pk) if row.voided_at else None,
            void_reason=row.void_reason,
            purged_at=row.purged_at,
            purge_note=row.purge_note,
        )
        for row in rows
    )
    # bulk_create stamps auto_now_add fields with the current time: put the upload time back.
    for row, attachment in zip(rows, attachments, strict=True):
        attachment.uploaded_at = row.uploaded_at
    Attachment.objects.bulk_update(attachments, ["uploaded_at"], batch_size=1000)

    new_pk = {row.pk: attachment.pk for row, attachment in zip(rows, attachments, strict=True)}
    units = list(MoveInUnit.objects.filter(photo__isnull=False))
    for unit in units:
        unit.attachment_photo_id = new_pk[unit.photo_id]
    MoveInUnit.objects.bulk_update(units, ["attachment_photo"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("attachments", "0002_personal_data_purge"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("tenants", "0011_unit_power_supply_kw"),
        ("workflow", "0004_number_sequence_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="moveinunit",
            name="attachment_photo",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="attachments.attachment",
                verbose_name="photo",
            ),
        ),
        migrations.RunPython(archive_to_attachments, migrations.RunPython.noop),
    ]
