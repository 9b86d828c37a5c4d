"""Reads of meters, readings and reading rounds (tenants.models.meters), scoped to who asks."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Floor, Meter, MeterReading, Occupancy, ReadingRound, Tenant, Unit
from .selectors import current_q


@dataclass
class SeriesFacts:
    """What a new reading of a meter is judged against: the reading before it, and the average
    consumption of the meter's last readings of the same series (None: too few to judge)."""

    previous: MeterReading | None = None
    average: Decimal | None = None


# The columns a reading is read with where many are (tuples, then an instance for the few shown).
READING_FIELDS = (
    "pk",
    "meter_id",
    "read_on",
    "value",
    "consumption",
    "replacement",
    "status",
    "hold_reason",
    "reading_round_id",
)


def _reading(row: tuple) -> MeterReading:
    reading = MeterReading(**dict(zip(READING_FIELDS, row, strict=True)))
    reading._state.adding = False
    return reading


def series_facts(
    meter_ids: list[int], *, on: date, exclude_round_id: int | None = None, current: dict | None = None
) -> dict[int, SeriesFacts]:
    """For each meter, its latest readings up to ``on`` (not this round's, none held): one query.

    With ``current`` (a dict to fill), the same query also brings the round's own reading of
    each meter (held or not), put into ``current`` by meter: the floor page's one read."""
    depth = settings.METER_AVERAGE_READINGS
    history = Q(read_on__lte=on) & ~Q(status=MeterReading.Status.HELD)
    if exclude_round_id is not None:
        history &= ~Q(reading_round_id=exclude_round_id)
        if current is not None:
            # The round's reading is its meter's latest: one more place keeps the whole history.
            history |= Q(reading_round_id=exclude_round_id)
            depth += 1
    qs = (
        MeterReading.objects.filter(history, meter_id__in=meter_ids)
        .annotate(
            place=Window(RowNumber(), partition_by=[F("meter_id")], order_by=[F("read_on").desc(), F("id").desc()])
        )
        .filter(place__lte=depth)
    )
    # Plain tuples: a floor of 40 meters reads 240 rows, and only each meter's latest becomes a
    # model instance (the page and the services use it as the previous reading).
    series: dict[int, list[tuple]] = {}
    for row in qs.order_by("meter_id", "place").values_list(*READING_FIELDS):
        if current is not None and row[-1] == exclude_round_id:
            current[row[1]] = _reading(row)
        else:
            series.setdefault(row[1], []).append(row)
    facts = {}
    for meter_id in meter_ids:
        rows = series.get(meter_id, [])[: settings.METER_AVERAGE_READINGS]
        used = []
        for row in rows:  # newest first; a series starts at a replacement or a first reading
            consumption, replacement = row[4], row[5]
            if consumption is None:
                break
            used.append(consumption)
            if replacement:
                break
        average = sum(used, Decimal(0)) / len(used) if used else None
        facts[meter_id] = SeriesFacts(previous=_reading(rows[0]) if rows else None, average=average)
    return facts


# --- rounds -----------------------------------------------------------------------------------


def reading_round_register() -> QuerySet[ReadingRound]:
    """The round register's plain rows, newest month first (the filters apply)."""
    return ReadingRound.objects.order_by("-month", "building_id", "pk")


def round_rows(queryset: QuerySet[ReadingRound]) -> QuerySet[ReadingRound]:
    """Rounds with their building and counts of meters, readings and held readings (one query)."""
    meters = (
        Meter.objects.filter(is_active=True, unit__floor__building=OuterRef("building"))
        .order_by()
        .values("unit__floor__building")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.select_related("building").annotate(
        read=Count("readings"),
        held=Count("readings", filter=Q(readings__status=MeterReading.Status.HELD)),
        meter_count=Subquery(meters),
    )


def reading_rounds() -> QuerySet[ReadingRound]:
    return round_rows(reading_round_register())


def reading_round(pk: int) -> ReadingRound:
    """A round with its counts of meters and readings (the round's page)."""
    return get_object_or_404(reading_rounds(), pk=pk)


def reading_round_plain(pk: int) -> ReadingRound:
    """A round with its building, no counts (the floor page, the sheet: one row, fast)."""
    return get_object_or_404(ReadingRound.objects.select_related("building"), pk=pk)


@dataclass
class FloorProgress:
    floor: Floor
    meters: int
    read: int
    held: int


def round_floors(reading_round: ReadingRound) -> list[FloorProgress]:
    """The building's floors with their live meters and this round's readings: two queries."""
    floors = list(
        Floor.objects.filter(building_id=reading_round.building_id)
        .annotate(meters=Count("units__meters", filter=Q(units__meters__is_active=True)))
        .order_by("number")
    )
    done = {
        row["meter__unit__floor"]: row
        for row in MeterReading.objects.filter(reading_round=reading_round)
        .order_by()
        .values("meter__unit__floor")
        .annotate(read=Count("pk"), held=Count("pk", filter=Q(status=MeterReading.Status.HELD)))
    }
    return [
        FloorProgress(f, f.meters, done.get(f.pk, {}).get("read", 0), done.get(f.pk, {}).get("held", 0))
        for f in floors
        if f.meters
    ]


def held_readings(reading_round: ReadingRound) -> QuerySet[MeterReading]:
    return (
        MeterReading.objects.filter(reading_round=reading_round, status=MeterReading.Status.HELD)
        .select_related("meter__unit", "previous", "entered_by")
        .order_by("meter__unit__sort_key", "meter__kind")
    )


@dataclass
class SheetRow:
    """One meter on the floor page: its unit, the reading before and this round's, if any."""

    meter: Meter
    previous: MeterReading | None
    reading: MeterReading | None
    average: Decimal | None = None
    prefix: str = field(default="")
    # What the floor page shows in its inputs (meter_forms.FloorReadingsForm.display_rows).
    value_text: str = ""
    checked: bool = False
    value_errors: list = field(default_factory=list)
    photo_errors: list = field(default_factory=list)


def floor_sheet(reading_round: ReadingRound, floor: Floor) -> list[SheetRow]:
    """Every live meter of the floor in unit order, with its previous reading and this round's
    reading: two queries, whatever the floor holds."""
    meters = list(
        Meter.objects.filter(unit__floor=floor, is_active=True)
        .select_related("unit")
        .order_by("unit__sort_key", "kind")
    )
    ids = [m.pk for m in meters]
    current: dict[int, MeterReading] = {}
    facts = series_facts(ids, on=round_day(reading_round), exclude_round_id=reading_round.pk, current=current)
    return [
        SheetRow(m, facts[m.pk].previous, current.get(m.pk), facts[m.pk].average, prefix=f"m{m.pk}") for m in meters
    ]


def round_day(reading_round: ReadingRound, today: date | None = None) -> date:
    """The date of a reading entered today for the round: readings are taken in the last days
    of the month or the first of the next; outside that window it is dated the month's end."""
    today = today or timezone.localdate()
    last = month_last_day(reading_round.month)
    return today if reading_round.month <= today <= last + timedelta(days=10) else last


def month_last_day(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def round_meters(reading_round: ReadingRound) -> QuerySet[Meter]:
    """The building's live meters in unit order (the import template's rows)."""
    return (
        Meter.objects.filter(unit__floor__building_id=reading_round.building_id, is_active=True)
        .select_related("unit__floor")
        .order_by("unit__sort_key", "kind")
    )


# --- meters ------------------------------------------------------------------------------------


def last_reading_q(field_name: str) -> Subquery:
    latest = MeterReading.objects.filter(meter=OuterRef("pk")).order_by("-read_on", "-id").values(field_name)[:1]
    return Subquery(latest)


def meters() -> QuerySet[Meter]:
    """The meter register's plain rows, in building, floor and unit order (the filters apply)."""
    return Meter.objects.order_by("unit__sort_key", "kind", "pk")


def meter_rows(queryset: QuerySet[Meter]) -> QuerySet[Meter]:
    """A page of the register with its unit, building and latest reading (one query)."""
    return queryset.select_related("unit__floor__building").annotate(
        last_value=last_reading_q("value"), last_read_on=last_reading_q("read_on")
    )


def meter_detail(pk: int) -> Meter:
    return get_object_or_404(Meter.objects.select_related("unit__floor__building"), pk=pk)


def meter_readings(meter: Meter, since: date | None = None) -> QuerySet[MeterReading]:
    qs = MeterReading.objects.filter(meter=meter).select_related("entered_by", "reading_round")
    if since is not None:
        qs = qs.filter(read_on__gte=since)
    return qs.order_by("-read_on", "-id")


# --- the tenant's side -----------------------------------------------------------------------------


def tenant_meters(tenant: Tenant) -> QuerySet[Meter]:
    """The meters of the units the company occupies today, with the day its stay began there."""
    since = (
        Occupancy.objects.filter(current_q(), tenant=tenant, unit=OuterRef("unit")).order_by("start").values("start")
    )
    return (
        meter_rows(meters())
        .filter(is_active=True, unit__in=Unit.objects.filter(current_q("occupancies__"), occupancies__tenant=tenant))
        .annotate(since=Subquery(since[:1]))
    )


def tenant_meter(pk: int, tenant: Tenant) -> Meter:
    """One of the company's meters; another company's (or a unit it left) is a 404."""
    return get_object_or_404(tenant_meters(tenant), pk=pk)
