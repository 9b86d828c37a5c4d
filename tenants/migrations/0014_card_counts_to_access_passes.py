"""Access cards are access passes now (permits): the counts leave move-in and move-out, after
permits 0007 turned every count into passes, so no count is ever lost."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('tenants', '0013_drop_archivefile'),
        ('permits', '0008_access_pass_from_card_counts'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='moveinunit',
            name='cards_handed',
        ),
        migrations.RemoveField(
            model_name='moveoutunit',
            name='cards_returned',
        ),
    ]
