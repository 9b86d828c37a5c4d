"""The complaint register's search of the content: a trigram index on UPPER(content), which
``content__icontains`` uses (complaints.filters). Numbered after the monthly statistics'
0002, made in parallel; it depends on 0001 only (the lead orders them on merge)."""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0002_service_report"),
        # pg_trgm: created by repairs' register indexes (complaints comes after repairs).
        ("repairs", "0002_register_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="complaint",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("content"), name="gin_trgm_ops"
                ),
                name="complaint_content_trgm_idx",
            ),
        ),
    ]
