"""Writes of meters and readings: reading rounds, readings entered on the floor page or imported
from Excel, held readings confirmed, handover readings of move-in and move-out.

A reading is judged as it is entered (``judge``): below the reading before it without a meter
replacement, or a consumption above ``METER_JUMP_FACTOR`` times the meter's recent average, it is
held with a reason. The supervisor confirms a held reading (correcting it, or marking the meter
replaced), never as a negative consumption; a round with a held reading cannot be confirmed.
Confirming the round tells billing (``signals.reading_round_confirmed``), which bills it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.accounts.roles import SUPERVISOR_ROLES
from jinyuan.attachments.services import attachment_add
from jinyuan.uploads import IMAGE_TYPES
from jinyuan.workflow import deadlines
from jinyuan.workflow.services import TransitionRefused, record_event, transition

from .. import meter_selectors, signals
from ..models import Building, Meter, MeterReading, ReadingRound, Unit

HELD, CONFIRMED, ENTERED = MeterReading.Status.HELD, MeterReading.Status.CONFIRMED, MeterReading.Status.ENTERED


@dataclass(frozen=True)
class Verdict:
    previous: MeterReading | None
    consumption: Decimal | None
    status: str
    reason: str


def judge(
    value: Decimal, facts: meter_selectors.SeriesFacts, *, replacement: bool = False, status: str = ENTERED
) -> Verdict:
    """A new reading's consumption and whether it is held. A replaced meter starts a new series:
    its first reading has no previous and no consumption (nothing from the old meter). Ticked
    in a round, it bills nothing for the month: held until the supervisor confirms it (the
    engineers' replacement page records the old meter's final reading instead)."""
    if replacement and facts.previous is not None and status == ENTERED:
        reason = _("Marked as a replaced meter (nothing billed from the old one since %(previous)s): to confirm.") % {
            "previous": facts.previous.value
        }
        return Verdict(None, None, HELD, reason)
    if replacement or facts.previous is None:
        return Verdict(None, None, status, "")
    consumption = value - facts.previous.value
    if consumption < 0:
        reason = _("Below the previous reading (%(previous)s): a replaced meter or a typing error?") % {
            "previous": facts.previous.value
        }
        return Verdict(facts.previous, consumption, HELD, reason)
    factor = settings.METER_JUMP_FACTOR
    if facts.average and consumption > facts.average * factor:
        reason = _("Consumption %(used)s is more than %(factor)s× the recent average (%(average)s).") % {
            "used": consumption,
            "factor": factor,
            "average": facts.average.quantize(Decimal("0.01")),
        }
        return Verdict(facts.previous, consumption, HELD, reason)
    return Verdict(facts.previous, consumption, status, "")


def consumption_billed(reading: MeterReading, multiplier: Decimal) -> Decimal:
    """What a reading bills in units (kWh, m³): the meters' difference times the multiplier."""
    return (reading.consumption or Decimal(0)) * multiplier


# --- rounds -------------------------------------------------------------------------------------


def round_open(*, building: Building, month: date, by: Any, today: date | None = None) -> ReadingRound:
    """A building's round for a month: this month or an earlier one, never before a confirmed
    round of the building (its readings would slip under readings already billed)."""
    first = month.replace(day=1)
    if first > (today or timezone.localdate()).replace(day=1):
        raise ValidationError({"month": _("A reading round can only be opened for this month or an earlier one.")})
    latest = (
        ReadingRound.objects.filter(building=building, status=ReadingRound.Status.CONFIRMED)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    if latest is not None and first < latest:
        raise ValidationError(
            {
                "month": _("The round of %(month)s is confirmed already: open a later month.")
                % {"month": f"{latest:%Y-%m}"}
            }
        )
    last = meter_selectors.month_last_day(first)
    confirm_by = date(last.year + (last.month == 12), last.month % 12 + 1, 5)
    with transaction.atomic():
        try:
            with transaction.atomic():
                obj = ReadingRound.objects.create(
                    building=building, month=first, confirm_by=confirm_by, applicant=by, status="open"
                )
        except IntegrityError:
            raise ValidationError({"month": _("This building already has a reading round for that month.")}) from None
        record_event(obj, "reading_round.opened", by=by, to_state=obj.status, data={"month": f"{first:%Y-%m}"})
        deadlines.on_transition(obj, "", obj.status, now=timezone.now())
    return obj


def _require_open(reading_round: ReadingRound) -> None:
    if reading_round.status != ReadingRound.Status.OPEN:
        raise TransitionRefused(_("This reading round is confirmed: its readings can no longer change."))


@dataclass(frozen=True)
class Entry:
    """One reading as the floor page or a row of the sheet gives it."""

    meter: Meter
    value: Decimal
    replacement: bool = False
    photo: UploadedFile | None = None


def readings_enter(
    *, reading_round: ReadingRound, entries: list[Entry], by: Any, today: date | None = None, imported: bool = False
) -> list[MeterReading]:
    """Record a round's readings (new, or corrections while the round is open), each judged
    against the reading before it. All or none: one transaction."""
    if not entries:
        return []
    day = meter_selectors.round_day(reading_round, today)
    with transaction.atomic():
        round_row = ReadingRound.objects.select_for_update().get(pk=reading_round.pk)
        _require_open(round_row)
        if any(entry.value < 0 for entry in entries):
            raise ValidationError({"value": _("A meter reading cannot be negative.")})
        ids = [e.meter.pk for e in entries]
        elsewhere = list(
            Meter.objects.filter(pk__in=ids)
            .exclude(unit__floor__building_id=round_row.building_id, is_active=True)
            .values_list("number", flat=True)
        )
        if elsewhere:
            raise ValidationError(
                _("Not a live meter of this building: %(numbers)s") % {"numbers": "、".join(elsewhere)}
            )
        # A later round's reading already counts from the one before it: a reading slipped under
        # it would bill the same consumption twice.
        later = list(
            MeterReading.objects.filter(meter_id__in=ids, read_on__gt=day, reading_round__isnull=False)
            .exclude(reading_round_id=round_row.pk)
            .values_list("meter__number", flat=True)
            .distinct()
        )
        if later:
            raise ValidationError(
                _("A later reading round has read these meters already: %(numbers)s")
                % {"numbers": "、".join(sorted(later))}
            )
        facts = meter_selectors.series_facts(ids, on=day, exclude_round_id=round_row.pk)
        existing = {r.meter_id: r for r in MeterReading.objects.filter(reading_round=round_row, meter_id__in=ids)}
        saved = []
        for entry in entries:
            verdict = judge(entry.value, facts[entry.meter.pk], replacement=entry.replacement)
            row = existing.get(entry.meter.pk) or MeterReading(meter=entry.meter, reading_round=round_row)
            row.source = MeterReading.Source.ROUND
            row.read_on = day
            row.value = entry.value
            row.replacement = entry.replacement
            row.previous = verdict.previous
            row.consumption = verdict.consumption
            row.status = verdict.status
            row.hold_reason = verdict.reason
            row.entered_by = by
            row.confirmed_by = None
            if entry.photo is not None:
                row.photo = attachment_add(
                    record=round_row,
                    upload=entry.photo,
                    by=by,
                    kind="meter_photo",
                    label=_("Meter %(number)s") % {"number": entry.meter.number},
                    allowed=IMAGE_TYPES,
                )
            row.save()
            saved.append(row)
        record_event(
            round_row,
            "reading_round.imported" if imported else "reading_round.readings_entered",
            by=by,
            data={"count": len(saved), "held_readings": sum(1 for r in saved if r.status == HELD)},
        )
    return saved


def reading_confirm(
    *, reading: MeterReading, by: Any, value: Decimal | None = None, replacement: bool = False, note: str = ""
) -> MeterReading:
    """The supervisor's decision on a held reading: as entered, corrected, or a replaced meter.
    A consumption below zero is never confirmed: it is a replaced meter or a wrong value."""
    if not by.has_role(*SUPERVISOR_ROLES):
        raise PermissionDenied
    with transaction.atomic():
        row = MeterReading.objects.select_for_update().select_related("meter").get(pk=reading.pk)
        if row.status != HELD:
            raise TransitionRefused(_("This reading is not waiting for a confirmation."))
        if row.reading_round_id:
            _require_open(ReadingRound.objects.get(pk=row.reading_round_id))
        value = row.value if value is None else value
        if value < 0:
            raise ValidationError({"value": _("A meter reading cannot be negative.")})
        facts = meter_selectors.series_facts([row.meter_id], on=row.read_on, exclude_round_id=row.reading_round_id)
        if row.reading_round_id is None:
            facts[row.meter_id].previous = row.previous
        verdict = judge(value, facts[row.meter_id], replacement=replacement, status=CONFIRMED)
        if verdict.consumption is not None and verdict.consumption < 0:
            raise ValidationError(
                {
                    "value": _(
                        "Below the previous reading (%(previous)s): correct the value, or tick "
                        "'meter replaced' if a new meter was fitted."
                    )
                    % {"previous": verdict.previous.value}
                }
            )
        before = {"value": str(row.value), "reason": row.hold_reason}
        MeterReading.objects.filter(pk=row.pk).update(
            value=value,
            replacement=replacement,
            previous=verdict.previous,
            consumption=verdict.consumption,
            status=CONFIRMED,
            confirmed_by=by,
        )
        record_event(
            row.meter,
            "meter.reading_confirmed",
            by=by,
            from_state=HELD,
            to_state=CONFIRMED,
            note=note,
            data={**before, "confirmed": str(value), "replacement": replacement, "reading": row.pk},
        )
    row.refresh_from_db()
    return row


def round_confirm(*, obj: ReadingRound, by: Any, note: str = "") -> ReadingRound:
    """The supervisor confirms the round: its readings are final and billing bills them."""
    with transaction.atomic():
        transition(obj, "confirm", by=by, note=note)
        MeterReading.objects.filter(reading_round=obj, status=ENTERED).update(status=CONFIRMED, confirmed_by=by)
        signals.reading_round_confirmed.send(sender=ReadingRound, reading_round=obj, by=by)
    return obj


# --- handover readings (move-in, move-out) ------------------------------------------------------------


def handover_readings_record(
    *, unit: Unit, readings: dict[str, Decimal | None], day: date, source: str, by: Any
) -> list[MeterReading]:
    """The handover inspection's meter readings become readings of the unit's meters (a meter
    is created for a kind the unit has none of). Judged as any reading; none of them bills."""
    saved = []
    with transaction.atomic():
        for kind, value in readings.items():
            if value is None:
                continue
            meter = Meter.objects.select_for_update().filter(unit=unit, kind=kind, is_active=True).first()
            if meter is None:
                prefix = "E" if kind == Meter.Kind.ELECTRICITY else "W"
                meter = Meter.objects.create(
                    unit=unit, kind=kind, number=f"{prefix}-{unit.floor.building.code}{unit.number}", installed_on=day
                )
            facts = meter_selectors.series_facts([meter.pk], on=day)[meter.pk]
            verdict = judge(value, facts, status=CONFIRMED)
            saved.append(
                MeterReading.objects.create(
                    meter=meter,
                    source=source,
                    read_on=day,
                    value=value,
                    previous=verdict.previous,
                    consumption=verdict.consumption,
                    status=verdict.status,
                    hold_reason=verdict.reason,
                    entered_by=by,
                    confirmed_by=by if verdict.status == CONFIRMED else None,
                )
            )
            record_event(meter, "meter.reading_entered", by=by, data={"value": str(value), "source": source})
    return saved


# --- the Excel sheet ----------------------------------------------------------------------------------


def readings_import(*, reading_round: ReadingRound, upload: UploadedFile, by: Any) -> list[MeterReading]:
    """A round's readings from its Excel sheet: every row checked first (a number, a meter of the
    building, each meter once), then all entered at once or none (raises
    ``jinyuan.imports.ImportFailed`` with each row's errors)."""
    from jinyuan.imports import ImportFailed, RowError

    from ..meter_forms import READING_SHEET

    _require_open(reading_round)
    meters = {m.number: m for m in meter_selectors.round_meters(reading_round)}
    rows = READING_SHEET.check(upload, meters=meters)
    seen: dict[int, int] = {}
    errors = []
    for number, form in rows:
        meter = form.cleaned_data["meter"]
        if meter.pk in seen:
            message = _("Meter %(meter)s is already read in row %(row)s.") % {
                "meter": meter.number,
                "row": seen[meter.pk],
            }
            errors.append(RowError(number, READING_SHEET.header_of("meter"), message))
        seen.setdefault(meter.pk, number)
    if errors:
        raise ImportFailed(errors)
    entries = [Entry(f.cleaned_data["meter"], f.cleaned_data["value"], f.cleaned_data["replacement"]) for _n, f in rows]
    try:
        return readings_enter(reading_round=reading_round, entries=entries, by=by, imported=True)
    except ValidationError as exc:
        raise ImportFailed([RowError(0, "", message) for message in exc.messages]) from None


# --- a meter replaced ---------------------------------------------------------------------------------


def meter_replace(
    *,
    meter: Meter,
    number: str,
    final_value: Decimal,
    start_value: Decimal,
    by: Any,
    day: date | None = None,
    multiplier: Decimal | None = None,
) -> Meter:
    """Engineering swaps a meter. The old one's final reading goes into its building's open round
    of the month (so what it counted since the last reading is billed with the round), the old
    meter is retired, and the new one starts its own series from its first reading (a replacement:
    no consumption from the old meter). Without an open round the final reading is kept but not
    billed: rounds are opened at the start of each month."""
    day = day or timezone.localdate()
    number = number.strip()
    if not number:
        raise ValidationError({"number": _("Give the new meter's number.")})
    if final_value < 0 or start_value < 0:
        raise ValidationError({"final_value": _("A meter reading cannot be negative.")})
    with transaction.atomic():
        old = Meter.objects.select_for_update().select_related("unit__floor").get(pk=meter.pk)
        if not old.is_active:
            raise TransitionRefused(_("This meter has already been replaced."))
        open_round = ReadingRound.objects.filter(
            building_id=old.unit.floor.building_id, month=day.replace(day=1), status=ReadingRound.Status.OPEN
        ).first()
        if open_round and MeterReading.objects.filter(meter=old, reading_round=open_round).exists():
            raise ValidationError(
                {"final_value": _("This meter is read in this month's round already: replace it after the round.")}
            )
        facts = meter_selectors.series_facts([old.pk], on=day)[old.pk]
        verdict = judge(final_value, facts)
        if verdict.consumption is not None and verdict.consumption < 0:
            raise ValidationError(
                {"final_value": _("Below the previous reading (%(previous)s).") % {"previous": facts.previous.value}}
            )
        MeterReading.objects.create(
            meter=old,
            reading_round=open_round,
            source=MeterReading.Source.REPLACEMENT,
            read_on=day,
            value=final_value,
            previous=verdict.previous,
            consumption=verdict.consumption,
            # Held (a jump) for the supervisor; else counted with the round, or final at once.
            status=HELD if verdict.status == HELD else (ENTERED if open_round else CONFIRMED),
            hold_reason=verdict.reason,
            entered_by=by,
        )
        Meter.objects.filter(pk=old.pk).update(is_active=False, replaced_on=day)
        new = Meter.objects.create(
            unit=old.unit,
            kind=old.kind,
            number=number,
            multiplier=multiplier or old.multiplier,
            installed_on=day,
        )
        MeterReading.objects.create(
            meter=new,
            source=MeterReading.Source.REPLACEMENT,
            read_on=day,
            value=start_value,
            replacement=True,
            status=CONFIRMED,
            entered_by=by,
            confirmed_by=by,
        )
        record_event(
            old, "meter.replaced", by=by, data={"value": str(final_value), "number": number, "unit": old.unit.number}
        )
        record_event(new, "meter.installed", by=by, data={"value": str(start_value), "unit": old.unit.number})
    return new
