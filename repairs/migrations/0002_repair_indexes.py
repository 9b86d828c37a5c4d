"""Indexes the desk's repair register needs at 200,000 tickets (bench/repair_tickets.py, EXPLAIN
ANALYZE in bench/README.md "Repair tickets").

- ``repair_phone_idx``: the search by a caller's phone (``phone`` or ``phone LIKE 'x%'``; a
  sequential scan took 30 ms). ``varchar_pattern_ops`` serves both.
- ``repair_reporter_idx``: the search by the reporter's name from its start (40 ms as
  ``icontains``, 0.1 ms as ``startswith`` on this index).
- ``deadline_late_idx``: the late deadlines of any record (running, or stopped late): the
  overdue filter probes it per open ticket (``repairs.selectors.overdue``); a few percent of
  the deadline table. On the kernel's table, made here as only repairs needs it so far.

Written as SQL, not ``AddIndex``: the models' Meta stays as it is (``repairs/models.py`` and
the kernel's ``Deadline`` declare them when next edited, with this migration's state).
"""

from django.db import migrations

INDEXES = (
    ("repair_phone_idx", "repairs_repairticket (phone varchar_pattern_ops)"),
    ("repair_reporter_idx", "repairs_repairticket (reporter_name varchar_pattern_ops)"),
    (
        "deadline_late_idx",
        "workflow_deadline (content_type_id, object_id) WHERE state = 'running' OR NOT met",
    ),
)


class Migration(migrations.Migration):
    dependencies = [
        ("repairs", "0001_repairs"),
        ("workflow", "0004_number_sequence_labels"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {target}", f"DROP INDEX IF EXISTS {name}")
        for name, target in INDEXES
    ]
