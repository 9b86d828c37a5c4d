from django.db import migrations

from jinyuan.documents.codes import new_code

BATCH = 5000


def give_codes(apps, schema_editor):
    """Every existing document gets its own random code; their old signed links keep working.
    One UPDATE ... FROM (VALUES ...) per batch: a bulk_update's CASE is slow on 100,000 rows."""
    Document = apps.get_model("documents", "Document")
    with schema_editor.connection.cursor() as cursor:
        while True:
            ids = list(Document.objects.filter(code__isnull=True).values_list("pk", flat=True)[:BATCH])
            if not ids:
                return
            rows = [(pk, new_code()) for pk in ids]
            values = ", ".join(["(%s::bigint, %s)"] * len(rows))
            cursor.execute(
                f"UPDATE documents_document AS d SET code = v.code FROM (VALUES {values}) AS v(id, code) "  # noqa: S608
                "WHERE d.id = v.id",
                [item for row in rows for item in row],
            )


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_gate_checks_and_check_codes")]

    operations = [migrations.RunPython(give_codes, migrations.RunPython.noop)]
