"""Utility bills 水电费: a confirmed reading round billed, consumption × multiplier × rate.

Each tenant gets a utility bill of its own per round (source ``utility:<round>``), not lines
added to its monthly property bill: the monthly bill is issued on the first of the month, before
the meters are read, and may be paid already; a bill whose total changed after the tenant saw
(or paid) it would break the receipts and the ledger. The utility bill comes with its own due
date, after the supervisor confirms the round.

A round is billed once: the round's row is locked and marked ``billed_at`` in the billing
transaction, each reading is the unique key of its MeterCharge, and each tenant's bill the
unique live bill of its source key. So ``bill_utilities`` may run twice, or at once, and bills
once. The rate of a meter is the price of the fee item of its kind (``FeeItem.meter_kind``)
dated on the reading day. The tenant billed is the one occupying the unit on that day; a vacant
unit's consumption is the landlord's and is not billed.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jinyuan.workflow.services import TransitionRefused, record_event
from tenants.models import MeterReading, Occupancy, ReadingRound
from tenants.services.meters import consumption_billed

from .models import ZERO, Bill, FeeItem, FeePrice
from .services import PAYMENT_TERM, BillSpec, LineSpec, bills_create
from .utility_models import MeterCharge

QUANTITY = Decimal("0.0001")


def utility_key(reading_round: ReadingRound) -> str:
    return f"utility:{reading_round.pk}"


class Rates:
    """The dated prices of the utility fee items, read once: ``rate(kind, day)``."""

    def __init__(self) -> None:
        self.items = {item.meter_kind: item for item in FeeItem.objects.filter(is_active=True).exclude(meter_kind="")}
        self.prices: dict[int, list[tuple[date, Decimal]]] = defaultdict(list)
        for row in FeePrice.objects.filter(fee_item__in=self.items.values()).order_by("fee_item_id", "-effective_from"):
            self.prices[row.fee_item_id].append((row.effective_from, row.price))

    def item(self, kind: str) -> FeeItem:
        try:
            return self.items[kind]
        except KeyError:
            message = _("No active fee item prices the meters of kind “%(kind)s”.") % {"kind": kind}
            raise ValidationError(message) from None

    def rate(self, kind: str, day: date) -> Decimal:
        item = self.item(kind)
        return next((price for since, price in self.prices[item.pk] if since <= day), item.price)


def _occupants(readings: list[MeterReading]) -> dict[int, Occupancy]:
    """The occupancy of each reading's unit on its day (one query)."""
    units = {r.meter.unit_id for r in readings}
    last = max((r.read_on for r in readings), default=timezone.localdate())
    rows = (
        Occupancy.objects.filter(unit_id__in=units, start__lte=last)
        .filter(Q(end__isnull=True) | Q(end__gt=min(r.read_on for r in readings)))
        .select_related("tenant")
        .order_by("unit_id", "start")
    )
    by_unit: dict[int, list[Occupancy]] = defaultdict(list)
    for occ in rows:
        by_unit[occ.unit_id].append(occ)
    found = {}
    for r in readings:
        for occ in by_unit.get(r.meter.unit_id, ()):
            if occ.start <= r.read_on and (occ.end is None or occ.end > r.read_on):
                found[r.pk] = occ
    return found


def charge_line(reading: MeterReading, rate: Decimal, item: FeeItem) -> LineSpec:
    """consumption × multiplier units at the rate; the description shows both readings."""
    meter = reading.meter
    billed = consumption_billed(reading, meter.multiplier)
    quantity = billed.quantize(QUANTITY)
    times = "" if meter.multiplier == 1 else f" ×{meter.multiplier.normalize()}"
    description = f"{item.name} {meter.unit.number} {meter.number}: {reading.previous.value} → {reading.value}{times}"
    return LineSpec(
        item,
        description[:120],
        quantity,
        rate,
        meter.unit,
        reading.previous.read_on,
        reading.read_on,
        exact_amount=billed * rate,
    )


def utility_bills_issue(*, reading_round: ReadingRound, by: Any) -> list[Bill]:
    """Bill a confirmed round: one bill per occupying tenant with a line per meter that used
    something. A round billed already bills nothing again (returns [])."""
    with transaction.atomic():
        round_row = ReadingRound.objects.select_for_update().select_related("building").get(pk=reading_round.pk)
        if round_row.status != ReadingRound.Status.CONFIRMED:
            raise TransitionRefused(_("Only a confirmed reading round is billed."))
        if round_row.billed_at is not None:
            return []
        readings = list(
            MeterReading.objects.filter(
                reading_round=round_row,
                status=MeterReading.Status.CONFIRMED,
                consumption__gt=0,
                previous__isnull=False,
                meter_charge__isnull=True,
            )
            .select_related("meter__unit", "previous")
            .order_by("meter__unit__sort_key", "meter__kind")
        )
        occupants = _occupants(readings) if readings else {}
        rates = Rates()
        by_tenant: dict[int, list[tuple[MeterReading, LineSpec, Decimal]]] = defaultdict(list)
        tenants = {}
        for reading in readings:
            occ = occupants.get(reading.pk)
            if occ is None:
                continue  # a vacant unit: the landlord's consumption
            rate = rates.rate(reading.meter.kind, reading.read_on)
            line = charge_line(reading, rate, rates.item(reading.meter.kind))
            by_tenant[occ.tenant_id].append((reading, line, rate))
            tenants[occ.tenant_id] = occ.tenant
        month = f"{round_row.month:%Y-%m}"
        today = timezone.localdate()
        specs = [
            BillSpec(
                tenant=tenants[tenant_id],
                title=_("Water and electricity %(month)s") % {"month": month},
                lines=[line for _r, line, _rate in rows],
                source_key=utility_key(round_row),
                issued_on=today,
                due_date=today + PAYMENT_TERM,
            )
            for tenant_id, rows in by_tenant.items()
        ]
        issued = bills_create(specs=specs, by=by)
        charges = []
        for (bill, lines), rows in zip(issued, by_tenant.values(), strict=True):
            for bill_line, (reading, _line, rate) in zip(lines, rows, strict=True):
                charges.append(
                    MeterCharge(
                        reading=reading,
                        previous_reading=reading.previous,
                        meter=reading.meter,
                        reading_round=round_row,
                        bill_line=bill_line,
                        bill=bill,
                        previous_value=reading.previous.value,
                        current_value=reading.value,
                        consumption=reading.consumption,
                        multiplier=reading.meter.multiplier,
                        rate=rate,
                    )
                )
        MeterCharge.objects.bulk_create(charges)
        round_row.billed_at = timezone.now()
        ReadingRound.objects.filter(pk=round_row.pk).update(billed_at=round_row.billed_at)
        total = sum((bill.total for bill, _l in issued), ZERO)
        record_event(
            round_row, "reading_round.billed", by=by, data={"count": len(issued), "total": str(total), "month": month}
        )
    return [bill for bill, _lines in issued]


def meter_charges_of(bill: Bill) -> list[MeterCharge]:
    """A utility bill's meters with their previous and current readings (one query; none for
    any other bill, so other bill pages keep their query counts)."""
    if not bill.source_key.startswith("utility:"):
        return []
    return list(
        MeterCharge.objects.filter(bill=bill)
        .select_related("meter__unit", "reading", "previous_reading")
        .order_by("bill_line_id")
    )


def _bill_confirmed_round(sender: Any, reading_round: ReadingRound, by: Any, **kwargs: Any) -> None:
    """The supervisor confirmed a round: the worker bills it once the confirmation commits.

    A kind of meter that no active fee item prices would fail the billing after the round is
    confirmed, with nothing left to bill it again: refuse the confirmation instead (raised inside
    its transaction, the round stays open and the supervisor reads why)."""
    from .tasks import bill_utilities

    rates = Rates()
    kinds = MeterReading.objects.filter(reading_round=reading_round).values_list("meter__kind", flat=True)
    for kind in sorted(set(kinds)):
        rates.item(kind)

    bill_utilities.delay_on_commit(reading_round.pk, getattr(by, "pk", None))


def register() -> None:
    from tenants import signals

    signals.reading_round_confirmed.connect(_bill_confirmed_round, dispatch_uid="billing.utilities")


def utility_context(bill: Bill) -> dict[str, Any]:
    """What a bill page adds for a utility bill: its meters' readings."""
    return {"meter_charges": meter_charges_of(bill)}
