"""Temporary power 临时用电: reads, scoped to the user (desk: every company; portal: its own)."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tenants.models import Tenant

from .models import TemporaryPower

# "Starting soon" on security's board: approved permits whose period starts within this.
LIVE_AHEAD = dt.timedelta(hours=24)
S = TemporaryPower.Status


def power_permits() -> QuerySet[TemporaryPower]:
    # The register shows the paper's number only: its printed data stays in the database.
    return TemporaryPower.objects.select_related("tenant", "unit__floor__building", "document").defer("document__data")


def power_permits_of(tenant: Tenant) -> QuerySet[TemporaryPower]:
    return power_permits().filter(tenant=tenant)


def power_for_desk(pk: int) -> TemporaryPower:
    return get_object_or_404(power_permits().select_related("bill", "renovation"), pk=pk)


def power_for_tenant(pk: int, tenant: Tenant) -> TemporaryPower:
    """Another tenant's permit is a 404."""
    return get_object_or_404(power_permits_of(tenant).select_related("bill", "renovation"), pk=pk)


def overdue_q(now: dt.datetime | None = None) -> Q:
    """Still switched on after the period's end."""
    return Q(status=S.SWITCHED_ON, ends_at__lte=now or timezone.now())


def live_power_permits(now: dt.datetime | None = None) -> QuerySet[TemporaryPower]:
    """For security's board, in one query: permits switched on, or approved (wiring inspected
    or not) whose period has begun or begins within 24 hours; ordered by start."""
    now = now or timezone.now()
    return (
        TemporaryPower.objects.filter(
            Q(status=S.SWITCHED_ON)
            | Q(status__in=(S.APPROVED, S.INSPECTED), starts_at__lt=now + LIVE_AHEAD, ends_at__gt=now)
        )
        .select_related("tenant", "unit")  # the board shows the unit's number, not the paper
        .order_by("starts_at", "pk")
    )


def waiting_count() -> int:
    return TemporaryPower.objects.filter(status=S.SUBMITTED).count()


def desk_counts(now: dt.datetime | None = None) -> dict[str, int]:
    """Waiting for engineering, and overdue switch-offs, in one query."""
    from django.db.models import Count

    return TemporaryPower.objects.aggregate(
        waiting=Count("pk", filter=Q(status=S.SUBMITTED)), overdue=Count("pk", filter=overdue_q(now))
    )
