"""Move-in and move-out handover readings (MoveInUnit/MoveOutUnit water_reading and
electricity_reading) become readings of the unit's meters; a unit without a meter of the kind
gets one. Each meter's readings are chained in date order (previous, consumption); a value below
the one before is held for the supervisor, as a new one would be."""

from django.db import migrations

KINDS = (("electricity", "electricity_reading", "E"), ("water", "water_reading", "W"))


def handover_rows(apps):
    MoveInUnit = apps.get_model("tenants", "MoveInUnit")
    MoveOutUnit = apps.get_model("tenants", "MoveOutUnit")
    for row in MoveInUnit.objects.select_related("move_in", "unit__floor__building").order_by("pk"):
        day = row.inspected_at.date() if row.inspected_at else row.move_in.start_date
        by = row.inspected_by_id or row.move_in.applicant_id
        yield row, "move_in", day, by
    for row in MoveOutUnit.objects.select_related("move_out", "unit__floor__building").order_by("pk"):
        day = row.inspected_at.date() if row.inspected_at else row.move_out.planned_date
        by = row.inspected_by_id or row.move_out.applicant_id
        yield row, "move_out", day, by


def forwards(apps, schema_editor):
    Meter = apps.get_model("tenants", "Meter")
    MeterReading = apps.get_model("tenants", "MeterReading")
    found: dict[tuple[int, str], list] = {}
    units = {}
    for row, source, day, by in handover_rows(apps):
        units[row.unit_id] = row.unit
        for kind, field, _prefix in KINDS:
            value = getattr(row, field)
            if value is not None:
                found.setdefault((row.unit_id, kind), []).append((day, row.pk, source, value, by))
    prefixes = {kind: prefix for kind, _f, prefix in KINDS}
    for (unit_id, kind), readings in found.items():
        meter = Meter.objects.filter(unit_id=unit_id, kind=kind, is_active=True).first()
        if meter is None:
            unit = units[unit_id]
            meter = Meter.objects.create(
                unit_id=unit_id,
                kind=kind,
                number=f"{prefixes[kind]}-{unit.floor.building.code}{unit.number}",
                installed_on=min(r[0] for r in readings),
            )
        previous = MeterReading.objects.filter(meter=meter).order_by("-read_on", "-id").first()
        for day, _pk, source, value, by in sorted(readings, key=lambda r: (r[0], r[2] == "move_in", r[1])):
            consumption = None if previous is None else value - previous.value
            held = consumption is not None and consumption < 0
            previous = MeterReading.objects.create(
                meter=meter,
                source=source,
                read_on=day,
                value=value,
                previous=previous,
                consumption=consumption,
                status="held" if held else "confirmed",
                hold_reason="Below the previous reading (handover records)" if held else "",
                entered_by_id=by,
            )


class Migration(migrations.Migration):
    dependencies = [("tenants", "0016_meters")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
