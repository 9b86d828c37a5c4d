import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="code",
            # Nullable first: each existing document gets its own random code in 0003.
            field=models.CharField(max_length=16, null=True, verbose_name="check code"),
        ),
        migrations.AddField(
            model_name="document",
            name="single_use",
            field=models.BooleanField(default=False, verbose_name="single use"),
        ),
        migrations.AddField(
            model_name="document",
            name="valid_from",
            field=models.DateTimeField(blank=True, null=True, verbose_name="valid from"),
        ),
        migrations.AlterField(
            model_name="document",
            name="status",
            field=models.CharField(
                choices=[("valid", "Valid"), ("suspended", "Suspended"), ("used", "Used"), ("revoked", "Revoked")],
                db_index=True,
                default="valid",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.CreateModel(
            name="GateCheck",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "at",
                    models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="time"),
                ),
                ("action", models.CharField(max_length=20, verbose_name="action")),
                (
                    "result",
                    models.CharField(
                        choices=[("done", "Done"), ("refused", "Refused")], max_length=10, verbose_name="result"
                    ),
                ),
                (
                    "verdict",
                    models.CharField(
                        choices=[
                            ("valid", "Valid"),
                            ("not_yet_valid", "Not yet valid"),
                            ("expired", "Expired"),
                            ("suspended", "Suspended"),
                            ("used", "Already used"),
                            ("revoked", "Revoked"),
                        ],
                        max_length=20,
                        verbose_name="verdict then",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="guard",
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="gate_checks",
                        to="documents.document",
                        verbose_name="document",
                    ),
                ),
            ],
            options={
                "verbose_name": "gate check",
                "verbose_name_plural": "gate checks",
                "ordering": ["-at", "-id"],
                "indexes": [models.Index(fields=["document", "-at"], name="documents_g_documen_b9f5a1_idx")],
            },
        ),
    ]
