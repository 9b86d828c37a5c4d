"""Meters and reading rounds 抄表: every unit of the first building (its ten lowest floors) gets an
electricity and a water meter (the handover inspections of the move-ins made some already), read each month through the
services. The rounds of the last three months are confirmed by the supervisor and billed (one
utility bill per occupying company); this month's round is open with most floors read and one
reading held for the supervisor: lower than last month's (a replaced meter, or a typo?).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Max

from billing.utilities import utility_bills_issue
from tenants.meter_selectors import month_last_day
from tenants.models import Meter, MeterReading, Unit
from tenants.services import meters as services

from . import clock
from .premises import Premises, local_dt

MONTHS = 3  # confirmed and billed, before this month's open round
FLOORS = 10
# Monthly use of an office: kWh of electricity, m³ of water.
USE = {Meter.Kind.ELECTRICITY: (900, 2600), Meter.Kind.WATER: (12, 45)}
START = {Meter.Kind.ELECTRICITY: (5000, 60000), Meter.Kind.WATER: (100, 2000)}


@dataclass(frozen=True)
class People:
    desk: Any
    engineer: Any
    supervisor: Any


def months_before(today: date, n: int) -> date:
    index = today.year * 12 + today.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def install_meters(rng: random.Random, units: list[Unit], since: date) -> list[Meter]:
    """Both meters of every unit (those a handover made are kept); large suites on a CT (倍率 40)."""
    have = {(m.unit_id, m.kind): m for m in Meter.objects.filter(unit__in=units, is_active=True)}
    new = []
    for unit in units:
        for kind, prefix in ((Meter.Kind.ELECTRICITY, "E"), (Meter.Kind.WATER, "W")):
            if (unit.pk, kind) not in have:
                multiplier = Decimal(40) if kind == Meter.Kind.ELECTRICITY and unit.area >= 300 else Decimal(1)
                new.append(
                    Meter(
                        unit=unit,
                        kind=kind,
                        number=f"{prefix}-{unit.floor.building.code}{unit.number}",
                        multiplier=multiplier,
                        installed_on=since,
                    )
                )
    Meter.objects.bulk_create(new)
    return list(
        Meter.objects.filter(unit__in=units, is_active=True).select_related("unit__floor").order_by("unit__sort_key")
    )


def through_services(rng: random.Random, premises: Premises, people: People, today: date) -> None:
    building = premises.buildings[0]
    # The large demo's tower has 50 floors: its lowest ten are metered, as the small demo's all.
    units = [u for u in premises.units if u.floor.building_id == building.pk and u.floor.number <= FLOORS]
    first = months_before(today, MONTHS)
    meters = install_meters(rng, units, first - timedelta(days=400))
    # Above every handover reading the move-ins and move-outs recorded, so no month runs backwards.
    highest = dict(
        MeterReading.objects.filter(meter__in=meters).values("meter").annotate(v=Max("value")).values_list("meter", "v")
    )
    values = {m.pk: highest.get(m.pk, Decimal(0)) + Decimal(rng.randint(*START[m.kind])) for m in meters}
    # The months before: read at the month's end by engineering, confirmed and billed on the 3rd.
    for n in range(MONTHS, 0, -1):
        month = months_before(today, n)
        read_day = min(month_last_day(month), today)
        with clock.at(local_dt(month, 9)):
            reading_round = services.round_open(building=building, month=month, by=people.desk)
        with clock.at(local_dt(read_day, 10)):
            services.readings_enter(
                reading_round=reading_round,
                entries=_entries(rng, meters, values),
                by=people.engineer,
                today=read_day,
            )
        for held in MeterReading.objects.filter(reading_round=reading_round, status="held").select_related("meter"):
            with clock.at(local_dt(read_day + timedelta(days=1), 11)):
                services.reading_confirm(reading=held, by=people.supervisor, note="现场复核无误")
        confirm_day = min(month_last_day(month) + timedelta(days=3), today)
        with clock.at(local_dt(confirm_day, 15)):
            services.round_confirm(obj=reading_round, by=people.supervisor)
            utility_bills_issue(reading_round=reading_round, by=people.supervisor)
    # This month: open, all floors but the top one read, one reading lower than last month's.
    current = services.round_open(building=building, month=today.replace(day=1), by=people.desk)
    top = max(m.unit.floor.number for m in meters)
    entries = _entries(rng, [m for m in meters if m.unit.floor.number != top], values)
    if entries:
        # A digit dropped: a tenth of the figure, far below last month's reading.
        low = entries[0]
        entries[0] = services.Entry(low.meter, (low.value / 10).quantize(Decimal("0.01")))
        services.readings_enter(reading_round=current, entries=entries, by=people.engineer, today=today)


def _entries(rng: random.Random, meters: list[Meter], values: dict) -> list[services.Entry]:
    out = []
    for m in meters:
        low, high = USE[m.kind]
        use = Decimal(rng.randint(low, high)) / (m.multiplier if m.multiplier > 1 else 1)
        values[m.pk] = (values[m.pk] + use).quantize(Decimal("0.01"))
        out.append(services.Entry(m, values[m.pk]))
    return out
