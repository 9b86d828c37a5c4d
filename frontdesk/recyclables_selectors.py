"""Reads of recyclables requests, scoped to the user (another company's request is a 404)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from tenants.models import Tenant

from .models import RecycleLine, Recycler, RecycleRequest

# What every page of a request shows besides its own fields.
RELATED = ("tenant", "unit", "recycler", "release_note__document", "credit_note__payment", "voucher")


def requests() -> QuerySet[RecycleRequest]:
    return RecycleRequest.objects.all()


def requests_of(tenant: Tenant | int) -> QuerySet[RecycleRequest]:
    return RecycleRequest.objects.filter(tenant_id=getattr(tenant, "pk", tenant))


def request_for_desk(pk: int) -> RecycleRequest:
    return get_object_or_404(requests().select_related(*RELATED, "applicant"), pk=pk)


def request_for_tenant(pk: int, tenant: Tenant) -> RecycleRequest:
    """Another company's request is a 404."""
    return get_object_or_404(requests_of(tenant).select_related(*RELATED), pk=pk)


def lines_of(obj: RecycleRequest) -> list[RecycleLine]:
    return list(obj.lines.order_by("pk"))


def active_recyclers() -> QuerySet[Recycler]:
    return Recycler.objects.filter(is_active=True).order_by("name")


def waiting_count() -> int:
    """Requests the desk has yet to schedule, collect or settle (the desk home's panel)."""
    return RecycleRequest.objects.filter(status__in=RecycleRequest.OPEN).count()
