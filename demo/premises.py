"""Buildings, units, tenants, contacts and occupancies of the demo, written in bulk.

The history is planned first in plain dates (who sat in which unit when), then entered through
``tenants.services`` at the time each entry was made (small scale), or written with COPY
together with the same audit events (large scale).
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from jinyuan.workflow.models import AuditEvent
from tenants import services
from tenants.models import Building, Contact, Floor, Occupancy, Tenant, Unit

from . import clock, names
from .bulk import copy_insert

ADDRESS = "南宁市青秀区民族大道136号"
RETAIL_FLOORS = (1, 2)
VACANT_SHARE = 0.10  # of units empty today
FORMER_SHARE = 0.08  # of tenants that have moved out
LEASE_END_SHARE = 0.40  # of current occupancies with a known lease end
RENEWAL_SHARE = 0.15  # of long occupancies recorded as a first lease plus a renewal
# The demo's agreements set a late fee 违约金 of 0.03 % a day (万分之三) from the day after the
# due date (billing.latefees).
LATE_FEE_RATE = Decimal("0.0003")
LATE_FEE_GRACE_DAYS = 0
# The building's time zone, looked up once: the current-zone lookup is context-local, slow
# over the hundreds of thousands of dates of the large demo.
TZ = timezone.get_default_timezone()


@dataclass(frozen=True)
class Layout:
    buildings: tuple[str, ...]  # building codes; the name is code + "座"
    floors: int
    units_per_floor: int


@dataclass
class Stay:
    """A planned occupancy: tenant index ``tenant`` in unit index ``unit`` over [start, end)."""

    tenant: int
    unit: int
    start: date
    end: date | None
    since: date  # start of the continuous stay this one belongs to (a renewal chains up)
    occupancy: Occupancy | None = None

    def is_current(self, today: date) -> bool:
        return self.start <= today and (self.end is None or self.end > today)


@dataclass
class Premises:
    buildings: list[Building]
    units: list[Unit]
    tenants: list[Tenant]
    stays: list[Stay]
    contacts: dict[int, list[Contact]] = field(default_factory=dict)  # by tenant index

    def current_stays_of(self, tenant_index: int, today: date) -> list[Stay]:
        return [s for s in self.stays if s.tenant == tenant_index and s.is_current(today)]


def local_dt(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware datetime on ``day`` at office hours, in the building's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), TZ)


def office_time(rng: random.Random, day: date) -> datetime:
    return local_dt(day, rng.randint(9, 16), rng.randint(0, 59))


def create_buildings(rng: random.Random, layout: Layout) -> tuple[list[Building], list[Unit]]:
    buildings = [Building(code=code, name=f"{code}座", address=ADDRESS) for code in layout.buildings]
    copy_insert(Building, buildings)
    floors = [Floor(building=b, number=n) for b in buildings for n in range(1, layout.floors + 1)]
    copy_insert(Floor, floors)
    units = []
    for floor in floors:
        retail = floor.number in RETAIL_FLOORS
        for index in range(1, layout.units_per_floor + 1):
            # Shops on the podium floors are larger than the offices above them.
            low, high = (80, 400) if retail else (50, 320)
            area = Decimal(rng.uniform(low, high)).quantize(Decimal("0.01"))
            units.append(
                Unit(
                    floor=floor,
                    number=f"{floor.building.code}-{floor.number}{index:02d}",
                    area=area,
                    use=Unit.Use.RETAIL if retail else Unit.Use.OFFICE,
                )
            )
    copy_insert(Unit, units)
    return buildings, units


def _years_ago(today: date, rng: random.Random, low: float, high: float) -> date:
    return today - timedelta(days=rng.randint(int(low * 365), int(high * 365)))


def anniversary(start: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 1 March)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 3, 1)


def _lease_end(rng: random.Random, start: date, today: date) -> date | None:
    """The exclusive end of the lease term running today, for the leases whose end is known.

    Leases run whole years: from 2021-05-20 the contract says "至2024-05-19", its last day,
    so the occupancy's exclusive ``end`` is the anniversary itself.
    """
    if rng.random() >= LEASE_END_SHARE:
        return None
    years = 1
    while anniversary(start, years) <= today + timedelta(days=30):
        years += 1
    return anniversary(start, years)


def _unit_allocation(rng: random.Random, current: list[int], occupied: int) -> dict[int, int]:
    """How many units each current tenant holds: one each, the rest spread, mostly up to three."""
    alloc = dict.fromkeys(current, 1)
    alloc[current[0]] = 2  # tenant A of the demo has a choice of units
    big = set(rng.sample(current, max(1, len(current) // 50)))  # a few large tenants (a bank, a law firm)
    spare = occupied - sum(alloc.values())
    while spare > 0:
        t = rng.choice(current)
        if alloc[t] < (8 if t in big else 3):
            alloc[t] += 1
            spare -= 1
    return alloc


def plan_stays(
    rng: random.Random, unit_count: int, tenant_count: int, today: date, keep_current: int = 26
) -> tuple[list[Stay], set[int]]:
    """Who occupies which unit when. Returns the stays and the indices of former tenants.

    Each unit has at most one current stay and at most one earlier tenant before it, so
    the periods never overlap (the database refuses overlaps anyway).
    """
    # The first tenants get the demo's portal logins (tenant_a ... tenant_z): keep them current.
    former = set(rng.sample(range(keep_current, tenant_count), round(tenant_count * FORMER_SHARE)))
    current = [t for t in range(tenant_count) if t not in former]
    vacant = set(rng.sample(range(unit_count), round(unit_count * VACANT_SHARE)))
    occupied_units = [u for u in range(unit_count) if u not in vacant]
    alloc = _unit_allocation(rng, current, len(occupied_units))
    order = current[:]
    rng.shuffle(order)

    stays: list[Stay] = []
    first_start: dict[int, date] = {}  # unit -> start of its current stay
    cursor = iter(occupied_units)  # neighbouring units go to the same company
    for t in order:
        start = _years_ago(today, rng, 1, 6)
        for n in range(alloc[t]):
            unit = next(cursor)
            # Some companies took a further unit later on.
            unit_start = start
            if n and rng.random() < 0.3:
                later = start + timedelta(days=rng.randint(60, 900))
                unit_start = min(later, today - timedelta(days=30))
            first_start[unit] = unit_start
            stays.extend(_current_stays(rng, t, unit, unit_start, today))

    free_units = list(range(unit_count))
    rng.shuffle(free_units)
    for t in sorted(former):
        for _ in range(rng.choice((1, 1, 2))):
            unit = free_units.pop()
            if unit in first_start:
                end = first_start[unit] - timedelta(days=rng.randint(0, 60))
            else:
                end = today - timedelta(days=rng.randint(30, 540))
            start = end - timedelta(days=rng.randint(365, 5 * 365))
            stays.append(Stay(tenant=t, unit=unit, start=start, end=end, since=start))
    return stays, former


def _current_stays(rng: random.Random, tenant: int, unit: int, start: date, today: date) -> list[Stay]:
    renewal = anniversary(start, 3)
    if renewal < today - timedelta(days=30) and rng.random() < RENEWAL_SHARE:
        return [
            Stay(tenant=tenant, unit=unit, start=start, end=renewal, since=start),
            Stay(tenant=tenant, unit=unit, start=renewal, end=_lease_end(rng, renewal, today), since=start),
        ]
    return [Stay(tenant=tenant, unit=unit, start=start, end=_lease_end(rng, start, today), since=start)]


def plan_tenants(rng: random.Random, count: int, stays: list[Stay], former: set[int]) -> list[Tenant]:
    """The companies, unsaved: registered at the desk a few days before they first moved in.
    ``is_active`` is where they end up: half the former tenants were later deactivated."""
    first_stay: dict[int, date] = {}
    for stay in stays:
        first_stay[stay.tenant] = min(stay.start, first_stay.get(stay.tenant, stay.start))
    seen_names: set[str] = set()
    seen_codes: set[str] = set()
    tenants = []
    for index in range(count):
        company = names.company(rng)
        while company.name in seen_names:
            company = names.company(rng)
        seen_names.add(company.name)
        code = names.credit_code(rng, law_firm=company.law_firm)
        while code in seen_codes:
            code = names.credit_code(rng, law_firm=company.law_firm)
        seen_codes.add(code)
        registered = first_stay[index] - timedelta(days=rng.randint(3, 30))
        tenants.append(
            Tenant(
                name=company.name,
                credit_code=code,
                legal_representative=names.person_name(rng),
                industry=company.industry,
                phone=names.landline(rng),
                email=f"office@{company.email_domain}",
                is_active=not (index in former and rng.random() < 0.5),
                created_at=office_time(rng, registered),
            )
        )
    return tenants


def plan_contacts(rng: random.Random, tenants: list[Tenant]) -> dict[int, list[Contact]]:
    """Each company's contacts, unsaved; the first is the primary one, with the admin mailbox."""
    by_tenant: dict[int, list[Contact]] = {}
    for index, tenant in enumerate(tenants):
        count = rng.choice((1, 1, 2, 2, 2, 3))
        titles = rng.sample(names.TITLES, count)
        by_tenant[index] = [
            Contact(
                tenant=tenant,
                name=names.person_name(rng),
                title=title,
                phone=names.mobile(rng) if n == 0 or rng.random() < 0.6 else names.landline(rng),
                email=f"admin@{tenant.email.split('@')[1]}" if n == 0 else "",
                is_primary=n == 0,
            )
            for n, title in enumerate(titles)
        ]
    return by_tenant


# What the desk typed in for each company, and the fields the services take.
TENANT_FIELDS = ("name", "credit_code", "legal_representative", "industry", "phone", "email")
CONTACT_FIELDS = ("name", "title", "phone", "email", "is_primary")


@dataclass(frozen=True)
class Entry:
    """One of the desk's entries about a tenant, planned: registered, a contact added, an
    occupancy started or ended, deactivated once gone."""

    kind: str  # "registered", "contact", "started", "ended", "deactivated"
    at: datetime
    tenant: int  # tenant index
    item: int = 0  # contact index (in the tenant's list) or stay index


def desk_entries(rng: random.Random, premises: Premises, today: date) -> list[Entry]:
    """The history both ways of writing it share, so they write the same rows."""
    entries: list[Entry] = []
    for index, tenant in enumerate(premises.tenants):
        entries.append(Entry("registered", tenant.created_at, index))
        for n, _contact in enumerate(premises.contacts[index]):
            entries.append(Entry("contact", tenant.created_at + timedelta(minutes=5 + n), index, n))
    gone: dict[int, datetime] = {}
    for n, stay in enumerate(premises.stays):
        entries.append(Entry("started", office_time(rng, stay.start), stay.tenant, n))
        if stay.end and stay.end <= today:
            ended = office_time(rng, stay.end)
            entries.append(Entry("ended", ended, stay.tenant, n))
            gone[stay.tenant] = max(ended, gone.get(stay.tenant, ended))
    for index, tenant in enumerate(premises.tenants):
        if not tenant.is_active and index in gone:
            entries.append(Entry("deactivated", gone[index] + timedelta(hours=1), index))
    return entries


def occupancy_started_data(unit: Unit, stay: Stay) -> dict:
    return {
        "unit": unit.number,
        "start": stay.start.isoformat(),
        "end": stay.end.isoformat() if stay.end else None,
        "late_fee_daily_rate": str(LATE_FEE_RATE),
        "late_fee_grace_days": LATE_FEE_GRACE_DAYS,
    }


# --- through the services (small scale) ----------------------------------------------------------


def register_through_services(premises: Premises, entries: list[Entry], desk: Any) -> None:
    """The desk registers each company, its contacts and occupancies, at the time it did."""
    plans = premises.tenants
    premises.tenants = list(plans)
    for entry in sorted(entries, key=lambda e: (e.tenant, e.at)):
        with clock.at(entry.at):
            _enter(premises, plans, entry, desk)


def _enter(premises: Premises, plans: list[Tenant], entry: Entry, desk: Any) -> None:
    index = entry.tenant
    if entry.kind == "registered":
        plan = plans[index]
        premises.tenants[index] = services.tenant_create(by=desk, **{f: getattr(plan, f) for f in TENANT_FIELDS})
    elif entry.kind == "contact":
        plan = premises.contacts[index][entry.item]
        premises.contacts[index][entry.item] = services.contact_add(
            tenant=premises.tenants[index], by=desk, **{f: getattr(plan, f) for f in CONTACT_FIELDS}
        )
    elif entry.kind == "started":
        stay = premises.stays[entry.item]
        stay.occupancy = services.occupancy_start(
            tenant=premises.tenants[index],
            unit=premises.units[stay.unit],
            start=stay.start,
            end=stay.end,
            by=desk,
            late_fee_daily_rate=LATE_FEE_RATE,
            late_fee_grace_days=LATE_FEE_GRACE_DAYS,
        )
    elif entry.kind == "ended":
        stay = premises.stays[entry.item]
        services.occupancy_end(occupancy=stay.occupancy, end=stay.end, by=desk)
    elif entry.kind == "deactivated":
        services.tenant_update(tenant=premises.tenants[index], by=desk, is_active=False)


# --- in bulk (large scale) ------------------------------------------------------------------------


def register_in_bulk(premises: Premises, entries: list[Entry], desk_id: int) -> None:
    """The same rows and events as ``register_through_services``, with COPY."""
    copy_insert(Tenant, premises.tenants)
    for contacts in premises.contacts.values():
        for contact in contacts:
            contact.tenant_id = contact.tenant.pk
    copy_insert(Contact, [c for contacts in premises.contacts.values() for c in contacts])
    for stay in premises.stays:
        stay.occupancy = Occupancy(
            tenant=premises.tenants[stay.tenant],
            unit=premises.units[stay.unit],
            start=stay.start,
            end=stay.end,
            late_fee_daily_rate=LATE_FEE_RATE,
            late_fee_grace_days=LATE_FEE_GRACE_DAYS,
        )
    copy_insert(Occupancy, [s.occupancy for s in premises.stays])
    copy_insert(AuditEvent, [_event(premises, entry, desk_id) for entry in entries])


def _event(premises: Premises, entry: Entry, desk_id: int) -> AuditEvent:
    """The audit event ``tenants.services`` writes for ``entry``."""
    tenant = premises.tenants[entry.tenant]
    if entry.kind == "registered":
        action, data = "tenant.created", {"name": tenant.name}
    elif entry.kind == "contact":
        action, data = "tenant.contact_added", {"name": premises.contacts[entry.tenant][entry.item].name}
    elif entry.kind == "started":
        stay = premises.stays[entry.item]
        action, data = "tenant.occupancy_started", occupancy_started_data(premises.units[stay.unit], stay)
    elif entry.kind == "ended":
        stay = premises.stays[entry.item]
        action, data = "tenant.occupancy_ended", {"unit": premises.units[stay.unit].number, "end": stay.end.isoformat()}
    else:
        action, data = "tenant.updated", {"fields": ["is_active"]}
    return AuditEvent(
        content_type=ContentType.objects.get_for_model(Tenant),
        object_id=tenant.pk,
        action=action,
        actor_id=desk_id,
        at=entry.at,
        data=data,
    )


def create_premises(
    rng: random.Random, layout: Layout, tenant_count: int, today: date, desk: Any, *, bulk: bool, keep_current: int = 26
) -> Premises:
    """Buildings and units (no service makes them: they come with the building), then the
    companies and who sat where when, through the services or in bulk."""
    buildings, units = create_buildings(rng, layout)
    stays, former = plan_stays(rng, len(units), tenant_count, today, keep_current)
    tenants = plan_tenants(rng, tenant_count, stays, former)
    premises = Premises(buildings=buildings, units=units, tenants=tenants, stays=stays)
    premises.contacts = plan_contacts(rng, tenants)
    entries = desk_entries(rng, premises, today)
    if bulk:
        register_in_bulk(premises, entries, desk.pk)
    else:
        register_through_services(premises, entries, desk)
    return premises
