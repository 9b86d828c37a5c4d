"""Reads of premises and tenants, scoped to the user who asks."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from jinyuan.attachments.models import Attachment
from jinyuan.attachments.selectors import attachments_of

from .models import (
    Building,
    Contact,
    Floor,
    Membership,
    MoveIn,
    MoveInUnit,
    MoveOut,
    MoveOutUnit,
    Occupancy,
    Signboard,
    Tenant,
    Unit,
)


def current_q(prefix: str = "", on: date | None = None) -> Q:
    """Occupancies running on ``on`` (today by default)."""
    on = on or timezone.localdate()
    return Q(**{f"{prefix}start__lte": on}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gt": on}))


def kept_occupancies(move_out) -> QuerySet[Occupancy]:
    """The company's current occupancies that this move-out does not end (a partial move-out
    keeps some). The move-out page has its unit rows prefetched, so this is one query."""
    leaving_units = [row.unit_id for row in move_out.units.all()]
    return Occupancy.objects.filter(current_q(), tenant_id=move_out.tenant_id).exclude(unit_id__in=leaving_units)


def buildings() -> QuerySet[Building]:
    return Building.objects.annotate(
        floor_count=Count("floors", distinct=True), unit_count=Count("floors__units", distinct=True)
    ).order_by("code")


def floors() -> QuerySet[Floor]:
    return (
        Floor.objects.select_related("building")
        .annotate(unit_count=Count("units"))
        .order_by("building__code", "number")
    )


def vacant_q(on: date | None = None) -> Q:
    """Units free now and later: no occupancy running on ``on`` or starting after it (a
    confirmed move-in with a future lease start holds its unit), and no move-in in progress
    reserving it. What the vacant filter and the move-in unit picker offer."""
    on = on or timezone.localdate()
    held = Occupancy.objects.filter(Q(end__isnull=True) | Q(end__gt=on), unit=OuterRef("pk"))
    reserved = MoveInUnit.objects.filter(unit=OuterRef("pk"), move_in__status=MoveIn.Status.OPEN)
    return ~Exists(held) & ~Exists(reserved)


def vacant_units() -> QuerySet[Unit]:
    return Unit.objects.filter(vacant_q(), is_active=True).select_related("floor__building").order_by("number")


def unit_register() -> QuerySet[Unit]:
    """The unit register's plain rows: what its filters, count and pages work on."""
    # sort_key is building code, floor and number (kept by triggers): one index serves every page.
    return Unit.objects.order_by("sort_key", "id")


def unit_rows(queryset: QuerySet[Unit]) -> QuerySet[Unit]:
    """The register's columns: building, floor and the current tenant (vacant: ``None``)."""
    current = Occupancy.objects.filter(current_q(), unit=OuterRef("pk"))
    return queryset.select_related("floor__building").annotate(
        tenant_name=Subquery(current.values("tenant__name")[:1]),
        tenant_id=Subquery(current.values("tenant_id")[:1]),
    )


def units() -> QuerySet[Unit]:
    """Units with their current tenant's name, in one query."""
    return unit_rows(unit_register())


def tenant_register() -> QuerySet[Tenant]:
    """The tenant register's plain rows: what its filters, count and pages work on."""
    return Tenant.objects.order_by("name", "id")


def tenant_rows(queryset: QuerySet[Tenant]) -> QuerySet[Tenant]:
    """The register's columns: the current units and the primary contact."""
    primary = Contact.objects.filter(tenant=OuterRef("pk")).order_by("-is_primary", "id")
    current_units = (
        Occupancy.objects.filter(current_q(), tenant=OuterRef("pk"))
        .order_by()
        .values("tenant")
        .annotate(numbers=StringAgg("unit__number", ", ", order_by="unit__number"))
        .values("numbers")
    )
    return queryset.annotate(
        unit_numbers=Subquery(current_units[:1]),
        contact_name=Subquery(primary.values("name")[:1]),
        contact_phone=Subquery(primary.values("phone")[:1]),
    )


def tenants() -> QuerySet[Tenant]:
    """Tenants with their current units and primary contact, in one query."""
    return tenant_rows(tenant_register())


def tenant_detail(pk: int) -> Tenant:
    occupancies = Occupancy.objects.select_related("unit__floor__building").order_by("-start")
    qs = Tenant.objects.prefetch_related("contacts", Prefetch("occupancies", queryset=occupancies))
    try:
        return qs.get(pk=pk)
    except Tenant.DoesNotExist as exc:
        raise Http404 from exc


def membership_for(user: Any) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.select_related("tenant").filter(user=user, is_active=True, tenant__is_active=True).first()


def current_occupancies(tenant: Tenant, on: date | None = None) -> QuerySet[Occupancy]:
    return (
        Occupancy.objects.filter(current_q(on=on), tenant=tenant)
        .select_related("unit__floor__building")
        .order_by("unit__number")
    )


def occupancy_of(tenant: Tenant, unit: Unit, on: date | None = None) -> Occupancy | None:
    """The tenant's occupancy of the unit running on ``on``, if any."""
    return Occupancy.objects.filter(current_q(on=on), tenant=tenant, unit=unit).first()


def occupancy_since(tenant: Tenant, unit: Unit) -> date | None:
    """Start of the continuous stay ending in the current occupancy (renewals chain up)."""
    rows = list(Occupancy.objects.filter(tenant=tenant, unit=unit).order_by("-start").values("start", "end"))
    if not rows:
        return None
    since = rows[0]["start"]
    for row in rows[1:]:
        if row["end"] == since:
            since = row["start"]
        else:
            break
    return since


def floors_of(building: Building) -> QuerySet[Floor]:
    occupied = Occupancy.objects.filter(current_q(), unit__floor=OuterRef("pk")).order_by().values("unit__floor")
    return (
        Floor.objects.filter(building=building)
        .annotate(
            unit_count=Count("units"),
            occupied_count=Subquery(occupied.annotate(c=Count("unit", distinct=True)).values("c")[:1]),
        )
        .order_by("number")
    )


def tenant_panels(tenant: Tenant, user: Any) -> list:
    from jinyuan.navigation import related_panels

    return related_panels(tenant, user)


# ---------------------------------------------------------------- lifecycle and archive


# The room numbers of a move-in or move-out in one column ("A-1203, A-1204"), in the same query.
_UNIT_NUMBERS = StringAgg("units__unit__number", delimiter=", ", order_by="units__unit__number", default="")


def process_rows(queryset: QuerySet) -> QuerySet:
    """A move-in or move-out register's columns: the tenant, the number of units and their rooms."""
    return queryset.select_related("tenant").annotate(unit_count=Count("units"), unit_numbers=_UNIT_NUMBERS)


def move_in_register() -> QuerySet[MoveIn]:
    return MoveIn.objects.order_by("-created_at", "-id")


def move_ins() -> QuerySet[MoveIn]:
    return process_rows(move_in_register())


def move_ins_ready() -> QuerySet[MoveIn]:
    """Open move-ins with every checklist item done (services.readiness notes when)."""
    return MoveIn.objects.filter(status=MoveIn.Status.OPEN, ready_at__isnull=False)


def movein_detail(pk: int, tenant: Tenant | None = None) -> MoveIn:
    qs = MoveIn.objects.select_related("tenant", "applicant").prefetch_related(
        Prefetch(
            "units",
            queryset=MoveInUnit.objects.select_related("unit__floor__building", "inspected_by", "handed_over_by"),
        )
    )
    if tenant is not None:
        qs = qs.filter(tenant=tenant)
    try:
        return qs.get(pk=pk)
    except MoveIn.DoesNotExist as exc:
        raise Http404 from exc


def move_out_register() -> QuerySet[MoveOut]:
    return MoveOut.objects.order_by("-created_at", "-id")


def move_outs() -> QuerySet[MoveOut]:
    return process_rows(move_out_register())


def moveout_detail(pk: int, tenant: Tenant | None = None) -> MoveOut:
    qs = MoveOut.objects.select_related("tenant", "applicant").prefetch_related(
        Prefetch("units", queryset=MoveOutUnit.objects.select_related("unit__floor__building", "occupancy"))
    )
    if tenant is not None:
        qs = qs.filter(tenant=tenant)
    try:
        return qs.get(pk=pk)
    except MoveOut.DoesNotExist as exc:
        raise Http404 from exc


def open_processes(tenant: Tenant) -> tuple[list[MoveIn], list[MoveOut]]:
    return (
        list(move_ins().filter(tenant=tenant, status=MoveIn.Status.OPEN)),
        list(move_outs().filter(tenant=tenant, status=MoveOut.Status.OPEN)),
    )


@dataclass(frozen=True)
class HomeFacts:
    occupancies: list[Occupancy]
    move_ins: list[MoveIn]
    move_outs: list[MoveOut]


def home_facts(tenant: Tenant) -> HomeFacts:
    """What the portal home shows and its quick links ask (``hooks.may_request_move_out``),
    read once: kept on the instance, which each request loads afresh (``membership_for``)."""
    facts = tenant.__dict__.get("_home_facts")
    if facts is None:
        move_ins, move_outs = open_processes(tenant)
        facts = HomeFacts(list(current_occupancies(tenant)), move_ins, move_outs)
        tenant.__dict__["_home_facts"] = facts
    return facts


def signboards() -> QuerySet[Signboard]:
    return Signboard.objects.select_related("tenant", "building")


def signboard_detail(pk: int, tenant: Tenant | None = None) -> Signboard:
    qs = signboards().select_related("replaces")
    if tenant is not None:
        qs = qs.filter(tenant=tenant)
    try:
        return qs.get(pk=pk)
    except Signboard.DoesNotExist as exc:
        raise Http404 from exc


def directory(building: Building) -> QuerySet[Signboard]:
    """What the directory boards of a building show now, lobby first, then floor by floor."""
    return (
        signboards()
        .filter(building=building, status=Signboard.Status.INSTALLED)
        .order_by("-position", "floor_number", "text")
    )


def archive_of(tenant: Tenant, *, include_voided: bool = True) -> QuerySet[Attachment]:
    """The customer archive: the company's files, newest first; with ``include_voided=False``
    only those that can still be opened (not voided, not purged as personal data)."""
    return attachments_of(tenant, include_voided=include_voided).order_by("-uploaded_at", "-id")


def tenant_admins(tenant: Tenant) -> QuerySet:
    """The company's active portal administrators: who is told about its records."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        membership__tenant=tenant, membership__role=Membership.Role.ADMIN, membership__is_active=True, is_active=True
    )


def tenant_admin_ids_by_record(model: type, records: Sequence[Any]) -> dict[int, list[int]]:
    """Deadline recipients "tenant_admins": the portal admins of each record's tenant, for a
    batch of records in one query (registered with the kernel's deadlines in TenantsConfig)."""
    tenant_ids = {r.tenant_id for r in records if getattr(r, "tenant_id", None)}
    admins: dict[int, list[int]] = {}
    rows = Membership.objects.filter(
        tenant_id__in=tenant_ids, role=Membership.Role.ADMIN, is_active=True, user__is_active=True
    ).values_list("tenant_id", "user_id")
    for tenant_id, user_id in rows:
        admins.setdefault(tenant_id, []).append(user_id)
    return {r.pk: admins.get(getattr(r, "tenant_id", None), []) for r in records}


def members_of(tenant: Tenant) -> QuerySet[Membership]:
    """The company's active portal users, admins first."""
    return (
        Membership.objects.filter(tenant=tenant, is_active=True)
        .select_related("user")
        .order_by("role", "user__username")
    )


def tenants_left_before(cutoff: datetime) -> QuerySet[Tenant]:
    """Tenants whose last occupancy ended before ``cutoff`` and who hold none now or later:
    their ID scans are past retention (jinyuan.privacy)."""
    return Tenant.objects.annotate(
        last_end=Max("occupancies__end"),
        open_ended=Count("occupancies", filter=Q(occupancies__end__isnull=True)),
    ).filter(open_ended=0, last_end__lt=timezone.localdate(cutoff))
