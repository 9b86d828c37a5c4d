from django.db import migrations

from jinyuan.documents.codes import new_code

BATCH = 2000


def give_codes(apps, schema_editor):
    """Every existing document gets its own random code; their old signed links keep working."""
    Document = apps.get_model("documents", "Document")
    while True:
        batch = list(Document.objects.filter(code__isnull=True).only("pk")[:BATCH])
        if not batch:
            return
        for doc in batch:
            doc.code = new_code()
        Document.objects.bulk_update(batch, ["code"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_gate_checks_and_check_codes")]

    operations = [migrations.RunPython(give_codes, migrations.RunPython.noop)]
