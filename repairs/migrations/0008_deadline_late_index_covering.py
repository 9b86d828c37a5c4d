"""``deadline_late_idx`` carries the columns the late test reads (kind, state, due_at, met), so
a probe per ticket or complaint is an index-only scan and so is a scan of one model's late
deadlines. Without them the planner weighed a heap probe per open complaint against reading
every complaint deadline of the type (60,000 at the bench) and, as ``now`` moved, flipped
between 0.7 ms and 22 ms for the same count (bench/README.md "Complaints"); covered, both
plans cost 1–3 ms.
"""

from django.db import migrations

LATE = "WHERE state = 'running' OR NOT met"


class Migration(migrations.Migration):
    dependencies = [("repairs", "0007_completed_index")]

    operations = [
        migrations.RunSQL(
            [
                "DROP INDEX IF EXISTS deadline_late_idx",
                "CREATE INDEX deadline_late_idx ON workflow_deadline (content_type_id, object_id)"
                f" INCLUDE (kind, state, due_at, met) {LATE}",
            ],
            [
                "DROP INDEX IF EXISTS deadline_late_idx",
                f"CREATE INDEX deadline_late_idx ON workflow_deadline (content_type_id, object_id) {LATE}",
            ],
        )
    ]
