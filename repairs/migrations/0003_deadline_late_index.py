"""The late deadlines of any record (running, or stopped late), for the repair register's late
filter at 200,000 tickets (bench/repair_tickets.py, EXPLAIN ANALYZE in bench/README.md "Repair
tickets"): ``repairs.selectors.late_q`` and ``overdue`` probe it per ticket; it holds a few
percent of the deadline table. On the kernel's table, made here as only repairs needs it so far;
written as SQL so the kernel's ``Deadline`` Meta stays as it is.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("repairs", "0002_register_indexes"),
        ("workflow", "0004_number_sequence_labels"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS deadline_late_idx ON workflow_deadline (content_type_id, object_id)"
            " WHERE state = 'running' OR NOT met",
            "DROP INDEX IF EXISTS deadline_late_idx",
        )
    ]
