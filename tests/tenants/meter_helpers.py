"""Meters, rounds and readings for the meter tests (tenants and billing)."""

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from tenants.meter_forms import READING_SHEET
from tenants.models import Meter, ReadingRound
from tenants.services import meters as services


def meter(unit, kind: str = "electricity", multiplier: str = "1", number: str = "") -> Meter:
    prefix = "E" if kind == "electricity" else "W"
    return Meter.objects.create(
        unit=unit, kind=kind, number=number or f"{prefix}-{unit.number}", multiplier=Decimal(multiplier)
    )


def months_ago(n: int, today: date | None = None) -> date:
    """The first day of the month ``n`` months before this one."""
    from django.utils import timezone

    today = today or timezone.localdate()
    index = today.year * 12 + today.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def open_round(building, month: date, by) -> ReadingRound:
    return services.round_open(building=building, month=month, by=by)


def read(reading_round: ReadingRound, by, *values, replacement: bool = False):
    """``read(round, desk, (meter, "123.00"), ...)``: enter readings, return them in order."""
    entries = [services.Entry(m, Decimal(v), replacement) for m, v in values]
    return services.readings_enter(reading_round=reading_round, entries=entries, by=by)


def series(building, by, supervisor, meter_values: dict, months: int):
    """Confirmed rounds for the past ``months`` months (oldest first), each meter read with the
    next of its values: ``{meter: ["100", "150", ...]}``. Returns the rounds."""
    rounds = []
    for i in range(months):
        r = open_round(building, months_ago(months - i), by)
        read(r, by, *[(m, values[i]) for m, values in meter_values.items()])
        services.round_confirm(obj=r, by=supervisor)
        rounds.append(r)
    return rounds


def english_headers(*fields: str) -> list[str]:
    with translation.override("en"):
        return [READING_SHEET.header_of(f) for f in fields]


def workbook(*rows, header=None) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(header or english_headers("meter", "value", "replacement"))
    for row in rows:
        ws.append(list(row))
    buf = BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("readings.xlsx", buf.getvalue())


def billed_round(records):
    """A round of tenant A's unit, confirmed and billed (the admin pages' rows)."""
    from billing.utilities import utility_bills_issue

    desk, supervisor = records.fixture("desk"), records.fixture("supervisor")
    unit = records.fixture("unit_a")
    m = meter(unit, "electricity", number="E-ADMIN")
    rounds = series(records.fixture("building"), desk, supervisor, {m: ["100.00", "180.00"]}, months=2)
    return utility_bills_issue(reading_round=rounds[-1], by=supervisor)


def ensure_utility_items() -> None:
    """Transactional tests flush the migrated price list: billing 0016's 电费 and 水费 again."""
    from importlib import import_module

    from django.apps import apps

    import_module("billing.migrations.0016_utility_meters").seed_utility_items(apps, None)
