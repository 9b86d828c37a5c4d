"""Fast inserts for demo data: PostgreSQL COPY of unsaved model instances.

``bulk_create`` would do for most rows, but it runs ``pre_save`` and so overwrites every
``auto_now``/``auto_now_add`` field with the current time; demo records need their history
(registered three years ago, issued last March). COPY writes the values as given and is
several times faster for the large scale.
"""

from collections.abc import Sequence

from django.db import connection, models


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Draw ``count`` ids from the table's own sequence, so later ordinary inserts never collide."""
    if count == 0:
        return []
    table = model._meta.db_table
    pk_column = model._meta.pk.column
    with connection.cursor() as cur:
        cur.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk_column, count],
        )
        return [row[0] for row in cur.fetchall()]


def copy_insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` with COPY; ids are taken from the sequence where unset.

    Field values are written exactly as they are on the instances (``auto_now`` fields too),
    converted the way Django converts them for a save.
    """
    if not objs:
        return
    missing = [obj for obj in objs if obj.pk is None]
    for obj, pk in zip(missing, reserve_ids(model, len(missing)), strict=True):
        obj.pk = pk
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cur, cur.copy(sql) as copy:
        for obj in objs:
            copy.write_row([f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
