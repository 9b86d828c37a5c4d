import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0004_register_count_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="source_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="source",
            ),
        ),
        migrations.AddField(
            model_name="complaint",
            name="source_id",
            field=models.BigIntegerField(blank=True, null=True, verbose_name="source record"),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["source_type", "source_id"], name="complaint_source_idx"),
        ),
    ]
