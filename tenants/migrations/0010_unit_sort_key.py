"""The unit register's order (building code, floor number, unit number) as one indexed column.

Triggers keep it on every write path (the ORM, the admin, bulk COPY, renames of a floor or a
building), so nothing in Python has to remember it. The key sorts bytewise (collation "C"): the
parts are joined with U+001F, below every printable character, and the floor is offset so that
basements (negative numbers) sort first.
"""

import django.db.models.functions.text
from django.db import migrations, models


SQL = r"""
-- (floor id, unit number); positional: in SQL functions a column name would shadow a parameter.
CREATE FUNCTION tenants_unit_sort_key(bigint, text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT b.code || chr(31) || lpad((f.number + 1000)::text, 5, '0') || chr(31) || $2
    FROM tenants_floor f JOIN tenants_building b ON b.id = f.building_id
    WHERE f.id = $1
$$;

CREATE FUNCTION tenants_unit_set_sort_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.sort_key := tenants_unit_sort_key(NEW.floor_id, NEW.number);
    RETURN NEW;
END $$;

CREATE TRIGGER tenants_unit_sort_key BEFORE INSERT OR UPDATE ON tenants_unit
FOR EACH ROW EXECUTE FUNCTION tenants_unit_set_sort_key();

CREATE FUNCTION tenants_floor_resort_units() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenants_unit SET sort_key = tenants_unit_sort_key(floor_id, number) WHERE floor_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER tenants_floor_resort_units AFTER UPDATE OF number, building_id ON tenants_floor
FOR EACH ROW EXECUTE FUNCTION tenants_floor_resort_units();

CREATE FUNCTION tenants_building_resort_units() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tenants_unit u SET sort_key = tenants_unit_sort_key(u.floor_id, u.number)
    FROM tenants_floor f WHERE f.id = u.floor_id AND f.building_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER tenants_building_resort_units AFTER UPDATE OF code ON tenants_building
FOR EACH ROW EXECUTE FUNCTION tenants_building_resort_units();

UPDATE tenants_unit SET sort_key = tenants_unit_sort_key(floor_id, number);
"""

REVERSE_SQL = r"""
DROP TRIGGER tenants_building_resort_units ON tenants_building;
DROP FUNCTION tenants_building_resort_units();
DROP TRIGGER tenants_floor_resort_units ON tenants_floor;
DROP FUNCTION tenants_floor_resort_units();
DROP TRIGGER tenants_unit_sort_key ON tenants_unit;
DROP FUNCTION tenants_unit_set_sort_key();
DROP FUNCTION tenants_unit_sort_key(bigint, text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0009_movein_ready_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="sort_key",
            field=models.CharField(db_collation="C", default="", editable=False, max_length=60),
        ),
        migrations.AddIndex(
            model_name="unit",
            index=models.Index(fields=["sort_key", "id"], name="unit_sort_key_idx"),
        ),
        migrations.AddIndex(
            model_name="unit",
            index=models.Index(django.db.models.functions.text.Upper("number"), name="unit_number_upper_idx"),
        ),
        migrations.RunSQL(SQL, reverse_sql=REVERSE_SQL),
    ]
