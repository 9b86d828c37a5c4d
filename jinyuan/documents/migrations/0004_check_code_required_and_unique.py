import jinyuan.documents.codes
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_give_every_document_a_check_code")]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="code",
            field=models.CharField(
                default=jinyuan.documents.codes.new_code, max_length=16, unique=True, verbose_name="check code"
            ),
        ),
    ]
