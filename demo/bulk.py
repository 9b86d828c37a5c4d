"""Fast inserts for demo data: PostgreSQL COPY of unsaved model instances.

``bulk_create`` would do for most rows, but it runs ``pre_save`` and so overwrites every
``auto_now``/``auto_now_add`` field with the current time; demo records need their history
(registered three years ago, issued last March). COPY writes the values as given and is
several times faster for the large scale.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

from jinyuan.workflow.models import NumberSequence


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
    # The wrapper itself, not the ``connection`` proxy: each attribute read on the proxy goes
    # through a context-local lookup, which costs more than the conversion for a million values.
    conn = connections[DEFAULT_DB_ALIAS]
    with conn.cursor() as cur, cur.copy(sql) as copy:
        for obj in objs:
            copy.write_row([f.get_db_prep_save(getattr(obj, f.attname), conn) for f in fields])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY plain tuples into ``model``'s table: the hundreds of thousands of billing rows of
    the large scale, where building model instances would cost more than the insert itself.

    ``columns`` are field attnames (``tenant_id``); values must already be what the column
    takes (Decimal, date, aware datetime, JSON as a ``json.dumps`` string). Columns left out
    get NULL, so every NOT NULL column must be listed. Returns the number of rows written.
    """
    names = {f.attname: f.column for f in model._meta.concrete_fields}
    quoted = ", ".join(connection.ops.quote_name(names[c]) for c in columns)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"
    written = 0
    with connection.cursor() as cur, cur.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    return written


def analyze(*model_classes: type[models.Model]) -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would a minute later:
    the first pages served right after seeding should be planned on the real row counts."""
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in model_classes)
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {tables}")


def continue_numbers(prefix: str, years: list[int]) -> list[str]:
    """Numbers ``prefix-year-NNNNN`` for items issued in ``years`` (in issue order), continuing
    each year's sequence, which is then moved on so the next real issue follows without a gap."""
    last = dict(NumberSequence.objects.filter(prefix=prefix, year__in=set(years)).values_list("year", "last"))
    numbers = []
    for year in years:
        last[year] = last.get(year, 0) + 1
        numbers.append(f"{prefix}-{year}-{last[year]:05d}")
    for year, n in last.items():
        NumberSequence.objects.update_or_create(prefix=prefix, year=year, defaults={"last": n})
    return numbers
