"""For the collection dashboard: the building a bill is for (``Bill.building``) and an
allocation's bill's issue date (``Allocation.bill_issued_on``), both fixed when the row is
inserted and set by triggers; two covering indexes from which it reads a year of bills by issue
date and of allocations by time without the tables.

Which building: the building of the units its lines charge (BillLine.unit → floor → building),
the one holding the larger part of those lines' amount when they name units of two buildings
(ties: the lower id). A bill whose lines name no unit (a paid service, a signboard, late fees,
a fixed monthly item alone) takes the building of its tenant's occupancy on the issue date:
the one started last on or before it (in force, or just ended: a final bill after a move-out),
else the first starting after it (first charges before move-in); no occupancy, no building.

Why the lines first and not the tenant's occupancy as the bill ledger's building filter reads
it (a current occupancy there): a tenant holds units in two buildings or moves, so the ledger's
filter counts such a bill in both buildings, or in none once the tenant left, and the buildings
would not add up to the whole. The lines say what was charged for which unit and never change
after issue, so the building is decided once and every bill counts in exactly one building.

Triggers, not Python, so every way a bill is written agrees: ``bill_create``, the demo's and
the benchmarks' bulk COPY, tests. The bill's insert sets the occupancy's building (a row
trigger: one indexed lookup); the lines' insert (a statement trigger over the new lines) sets
the lines' building where it differs, so a bill of a one-building tenant is written once.

``Allocation.bill_issued_on`` (a row trigger: one lookup by primary key) lets the dashboard pick
the payments that came after their bill's issue month out of a year of allocations by reading
the index alone; joining each of them to its bill cost a hash of every bill ever issued.
"""

import django.db.models.deletion
from django.db import migrations, models

SQL = r"""
CREATE FUNCTION billing_bill_building_of_tenant(bigint, date) RETURNS bigint
LANGUAGE sql STABLE AS $$
    SELECT f.building_id
    FROM tenants_occupancy o
    JOIN tenants_unit u ON u.id = o.unit_id
    JOIN tenants_floor f ON f.id = u.floor_id
    WHERE o.tenant_id = $1
    ORDER BY o.start <= $2 DESC, CASE WHEN o.start <= $2 THEN o.start END DESC, o.start, o.id
    LIMIT 1
$$;

CREATE FUNCTION billing_bill_set_building() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.building_id IS NULL THEN
        NEW.building_id := billing_bill_building_of_tenant(NEW.tenant_id, NEW.issued_on);
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER billing_bill_building BEFORE INSERT ON billing_bill
FOR EACH ROW EXECUTE FUNCTION billing_bill_set_building();

CREATE FUNCTION billing_bill_building_from_lines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE billing_bill b SET building_id = x.building_id
    FROM (
        SELECT DISTINCT ON (l.bill_id) l.bill_id, f.building_id
        FROM billing_billline l
        JOIN tenants_unit u ON u.id = l.unit_id
        JOIN tenants_floor f ON f.id = u.floor_id
        WHERE l.bill_id IN (SELECT n.bill_id FROM new_lines n WHERE n.unit_id IS NOT NULL)
        GROUP BY l.bill_id, f.building_id
        ORDER BY l.bill_id, SUM(l.amount) DESC, f.building_id
    ) x
    WHERE b.id = x.bill_id AND b.building_id IS DISTINCT FROM x.building_id;
    RETURN NULL;
END $$;

CREATE TRIGGER billing_billline_building AFTER INSERT ON billing_billline
REFERENCING NEW TABLE AS new_lines
FOR EACH STATEMENT EXECUTE FUNCTION billing_bill_building_from_lines();

CREATE FUNCTION billing_allocation_set_bill_issued_on() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT b.issued_on INTO NEW.bill_issued_on FROM billing_bill b WHERE b.id = NEW.bill_id;
    RETURN NEW;
END $$;

CREATE TRIGGER billing_allocation_bill_issued_on BEFORE INSERT ON billing_allocation
FOR EACH ROW EXECUTE FUNCTION billing_allocation_set_bill_issued_on();

UPDATE billing_allocation a SET bill_issued_on = b.issued_on FROM billing_bill b WHERE b.id = a.bill_id;

-- The bills there are: the tenant's occupancy first, then the lines where they name units.
UPDATE billing_bill SET building_id = billing_bill_building_of_tenant(tenant_id, issued_on);
UPDATE billing_bill b SET building_id = x.building_id
FROM (
    SELECT DISTINCT ON (l.bill_id) l.bill_id, f.building_id
    FROM billing_billline l
    JOIN tenants_unit u ON u.id = l.unit_id
    JOIN tenants_floor f ON f.id = u.floor_id
    GROUP BY l.bill_id, f.building_id
    ORDER BY l.bill_id, SUM(l.amount) DESC, f.building_id
) x
WHERE b.id = x.bill_id AND b.building_id IS DISTINCT FROM x.building_id;
"""

REVERSE_SQL = r"""
DROP TRIGGER billing_allocation_bill_issued_on ON billing_allocation;
DROP FUNCTION billing_allocation_set_bill_issued_on();
DROP TRIGGER billing_billline_building ON billing_billline;
DROP FUNCTION billing_bill_building_from_lines();
DROP TRIGGER billing_bill_building ON billing_bill;
DROP FUNCTION billing_bill_set_building();
DROP FUNCTION billing_bill_building_of_tenant(bigint, date);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0011_ledger_notice_batch"),
        ("tenants", "0015_late_fee_terms"),
    ]

    operations = [
        migrations.AddField(
            model_name="bill",
            name="building",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="tenants.building",
                verbose_name="building",
            ),
        ),
        migrations.AddField(
            model_name="allocation",
            name="bill_issued_on",
            field=models.DateField(editable=False, null=True, verbose_name="bill issued on"),
        ),
        migrations.RunSQL(SQL, REVERSE_SQL),
        migrations.AlterField(
            model_name="allocation",
            name="bill_issued_on",
            field=models.DateField(editable=False, verbose_name="bill issued on"),
        ),
        migrations.AddIndex(
            model_name="bill",
            index=models.Index(
                fields=["issued_on"], include=("building", "status", "total", "paid"), name="bill_issued_totals_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="allocation",
            index=models.Index(
                fields=["created_at"], include=("bill", "amount", "bill_issued_on"), name="allocation_created_idx"
            ),
        ),
    ]
