"""The archive's rows are attachments now (0012): the inspection photo's column takes the
attachment's, and the archive's table goes. Its own migration, so that 0012's row updates are
committed before the tables they touch are altered."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0012_archive_files_to_attachments"),
    ]

    operations = [
        migrations.RemoveField(model_name="moveinunit", name="photo"),
        migrations.RenameField(model_name="moveinunit", old_name="attachment_photo", new_name="photo"),
        migrations.DeleteModel(name="ArchiveFile"),
    ]
