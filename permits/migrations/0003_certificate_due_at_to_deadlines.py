from datetime import timedelta

from django.db import migrations

KINDS = {"submitted": "review", "checked": "approval"}


def due_at_to_deadlines(apps, schema_editor):
    """Requests waiting with a due time keep it as a running deadline (the review or approval
    the model now declares). Their first reminder is put an hour before (calendar time: close
    enough for the few rows waiting at the switch), the scan sends what has come due once."""
    PremisesCertificate = apps.get_model("permits", "PremisesCertificate")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Deadline = apps.get_model("workflow", "Deadline")
    waiting = PremisesCertificate.objects.filter(status__in=list(KINDS), due_at__isnull=False)
    if not waiting.exists():
        return
    ct, _ = ContentType.objects.get_or_create(app_label="permits", model="premisescertificate")
    Deadline.objects.bulk_create(
        [
            Deadline(
                content_type_id=ct.pk,
                object_id=cert.pk,
                kind=KINDS[cert.status],
                state="running",
                working_hours=True,
                started_at=cert.updated_at,
                due_at=cert.due_at,
                next_step=0,
                next_step_at=cert.due_at - timedelta(hours=1),
            )
            for cert in waiting.only("pk", "status", "updated_at", "due_at")
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("permits", "0002_tenant_owned_related_name"),
        ("workflow", "0003_deadlines_calendar"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(due_at_to_deadlines, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="premisescertificate",
            name="due_at",
        ),
    ]
