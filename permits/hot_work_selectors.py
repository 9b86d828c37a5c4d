"""Reads of hot-work permits, scoped to the user (another company's permit is a 404)."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from tenants.models import Tenant

from .models import HotWorkPermit

# What every page of a permit shows: its place, company and paper.
PLACE = ("tenant", "unit__floor__building", "document")
BOARD_AHEAD = dt.timedelta(hours=24)


def hot_work_permits() -> QuerySet[HotWorkPermit]:
    return HotWorkPermit.objects.all()


def hot_work_of(tenant: Tenant | int) -> QuerySet[HotWorkPermit]:
    return HotWorkPermit.objects.filter(tenant_id=getattr(tenant, "pk", tenant))


def hot_work_for_desk(pk: int) -> HotWorkPermit:
    return get_object_or_404(
        hot_work_permits().select_related(*PLACE, "renovation", "applicant", "checked_by", "rechecked_by"), pk=pk
    )


def hot_work_for_tenant(pk: int, tenant: Tenant) -> HotWorkPermit:
    """Another company's permit is a 404."""
    return get_object_or_404(hot_work_of(tenant).select_related(*PLACE, "renovation"), pk=pk)


def live_q(now: dt.datetime) -> Q:
    """On security's board: approved, in progress or under fire watch, with a window running
    today or in the next 24 hours; work in progress and fire watches whatever their window (a
    fire watch outlives the window)."""
    start_of_today = dt.datetime.combine(timezone.localdate(now), dt.time(0), timezone.get_current_timezone())
    return Q(status__in=(HotWorkPermit.Status.IN_PROGRESS, HotWorkPermit.Status.FIRE_WATCH)) | Q(
        status=HotWorkPermit.Status.APPROVED, starts_at__lt=now + BOARD_AHEAD, ends_at__gte=start_of_today
    )


def hot_work_on_board(now: dt.datetime) -> list[HotWorkPermit]:
    """One query whatever the number of permits: place, company and paper joined."""
    # The board shows no paper: joining it cost the guard's page planning and rows for nothing.
    return list(
        HotWorkPermit.objects.filter(live_q(now))
        .select_related("tenant", "unit__floor__building")
        .order_by("starts_at", "pk")
    )


def hot_work_waiting_counts() -> dict[str, int]:
    from django.db.models import Count

    counts = dict(
        HotWorkPermit.objects.filter(status__in=(HotWorkPermit.Status.SUBMITTED, HotWorkPermit.Status.SECURITY_REVIEW))
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return {"engineering": counts.get("submitted", 0), "security": counts.get("security_review", 0)}
