"""Writes of tenants and premises; each records an audit event."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jinyuan.ranges import insert_without_overlap
from jinyuan.workflow.services import record_event

from .. import grants
from ..models import Contact, Membership, Occupancy, Tenant, Unit


class OccupancyConflict(ValidationError):
    """The unit is occupied in that period (found by the check or by the database in a race)."""

    def __init__(self) -> None:
        super().__init__({"unit": _("This unit is already occupied during this period.")}, code="occupied")

    def __str__(self) -> str:
        return self.messages[0]


def tenant_create(*, by: Any, **fields: Any) -> Tenant:
    if "credit_code" in fields:
        fields["credit_code"] = (fields["credit_code"] or "").strip().upper()
    with transaction.atomic():
        tenant = Tenant(**fields)
        tenant.full_clean()
        tenant.save()
        record_event(tenant, "tenant.created", by=by, data={"name": tenant.name})
    return tenant


def tenant_register(*, by: Any, contacts: list[dict[str, Any]], **fields: Any) -> Tenant:
    """The desk registers a new company with its contacts, exactly one of them primary (the
    primary contact's e-mail receives the portal invitation at move-in)."""
    if sum(1 for c in contacts if c.get("is_primary")) != 1:
        raise ValidationError({"contacts": _("Mark exactly one contact as the primary contact.")})
    with transaction.atomic():
        tenant = tenant_create(by=by, **fields)
        for contact in contacts:
            contact_add(tenant=tenant, by=by, **contact)
    return tenant


def tenant_update(*, tenant: Tenant, by: Any, **fields: Any) -> Tenant:
    with transaction.atomic():
        changed = {k: v for k, v in fields.items() if getattr(tenant, k) != v}
        for key, value in changed.items():
            setattr(tenant, key, value)
        tenant.full_clean()
        tenant.save()
        if changed:
            record_event(tenant, "tenant.updated", by=by, data={"fields": sorted(changed)})
    return tenant


def contact_add(*, tenant: Tenant, by: Any, **fields: Any) -> Contact:
    with transaction.atomic():
        contact = Contact(tenant=tenant, **fields)
        contact.full_clean()
        contact.save()
        record_event(tenant, "tenant.contact_added", by=by, data={"name": contact.name})
    return contact


def occupancy_start(
    *,
    tenant: Tenant,
    unit: Unit,
    start: date,
    end: date | None = None,
    by: Any,
    late_fee_daily_rate: Decimal | None = None,
    late_fee_grace_days: int = 0,
) -> Occupancy:
    """Start an occupancy, on the agreement's late-fee terms (no rate: no late fee). Clerks
    starting occupancies of one unit at once queue on the unit's row lock (see
    ``insert_without_overlap``), so the later one gets a clear conflict."""
    occupancy = Occupancy(
        tenant=tenant,
        unit=unit,
        start=start,
        end=end,
        late_fee_daily_rate=late_fee_daily_rate,
        late_fee_grace_days=late_fee_grace_days,
    )
    with transaction.atomic():
        insert_without_overlap(occupancy, lock=Unit.objects.filter(pk=unit.pk), conflict=OccupancyConflict)
        data = {"unit": unit.number, "start": start.isoformat(), "end": end.isoformat() if end else None}
        if late_fee_daily_rate is not None:
            data |= {"late_fee_daily_rate": str(late_fee_daily_rate), "late_fee_grace_days": late_fee_grace_days}
        record_event(tenant, "tenant.occupancy_started", by=by, data=data)
    return occupancy


def occupancy_end(*, occupancy: Occupancy, end: date, by: Any) -> Occupancy:
    with transaction.atomic():
        occupancy.end = end
        occupancy.full_clean()
        occupancy.save(update_fields=["end"])
        record_event(
            occupancy.tenant,
            "tenant.occupancy_ended",
            by=by,
            data={"unit": occupancy.unit.number, "end": end.isoformat()},
        )
    return occupancy


def member_add(*, tenant: Tenant, user: Any, role: str, by: Any) -> Membership:
    with transaction.atomic():
        membership = Membership.objects.create(tenant=tenant, user=user, role=role)
        record_event(tenant, "tenant.member_added", by=by, data={"user": user.username, "role": role})
    return membership


def member_set_areas(*, membership: Membership, areas: set[str] | list[str], by: Any) -> list[str]:
    """The tenant admin opens or closes portal areas (bills, archive ...) to a staff member.

    One audit event on the company per area given or withdrawn; returns the member's areas.
    """
    wanted = set(areas)
    unknown = sorted(code for code in wanted if not grants.is_area(code))
    if unknown:
        raise ValidationError({"areas": _("Unknown portal area: %(codes)s.") % {"codes": ", ".join(unknown)}})
    with transaction.atomic():
        # The row lock makes two admins' saves queue, so each change is recorded once.
        locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
        if locked.is_admin:
            raise ValidationError({"areas": _("Administrators open every area; there is nothing to grant.")})
        held = set(locked.areas)
        if wanted == held:
            return sorted(held)
        for code in sorted(wanted - held):
            record_event(locked.tenant, "tenant.grant_given", by=by, data={"user": locked.user.username, "area": code})
        for code in sorted(held - wanted):
            record_event(
                locked.tenant, "tenant.grant_withdrawn", by=by, data={"user": locked.user.username, "area": code}
            )
        locked.areas = sorted(wanted)
        locked.save(update_fields=["areas"])
    membership.areas = locked.areas
    return locked.areas
