"""Reads of public-space applications and events, scoped to the user (another company's
application is a 404)."""

from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from billing.models import Bill
from jinyuan.accounts.roles import Role
from jinyuan.attachments.models import Attachment
from tenants.models import Tenant

from .models import Booking, SiteCheck, Space, VenueApplication

# What every page of an application shows: its payer and its notice.
PAYER = ("tenant", "customer", "document")


def applications() -> QuerySet[VenueApplication]:
    return VenueApplication.objects.all()


def applications_of(tenant: Tenant | int) -> QuerySet[VenueApplication]:
    return VenueApplication.objects.filter(tenant_id=getattr(tenant, "pk", tenant))


def application_for_desk(pk: int) -> VenueApplication:
    return get_object_or_404(applications().select_related(*PAYER, "applicant"), pk=pk)


def application_for_tenant(pk: int, tenant: Tenant) -> VenueApplication:
    """Another company's application is a 404."""
    return get_object_or_404(applications_of(tenant).select_related(*PAYER), pk=pk)


def public_spaces() -> QuerySet[Space]:
    """The spaces an application may take: every active space but the meeting rooms."""
    return (
        Space.objects.filter(is_active=True)
        .exclude(kind=Space.Kind.MEETING_ROOM)
        .select_related("building")
        .order_by("building__code", "kind", "name")
    )


def bookings_of(app: VenueApplication) -> list[Booking]:
    return list(app.bookings.select_related("space").order_by("space__name", "pk"))


def checks_of(app: VenueApplication) -> list[SiteCheck]:
    """The checks with their photos (``check.photos``) and who checked: two queries."""
    checks = list(app.checks.select_related("by").order_by("at", "pk"))
    photos: dict[int, list[Attachment]] = defaultdict(list)
    kind = ContentType.objects.get_for_model(SiteCheck)  # cached per process: no query but the first
    if checks:
        for a in Attachment.objects.filter(
            content_type=kind, object_id__in=[c.pk for c in checks], voided_at__isnull=True
        ).order_by("pk"):
            photos[a.object_id].append(a)
    for check in checks:
        check.photos = photos.get(check.pk, [])
    return checks


def licences_of(app: VenueApplication) -> list[Attachment]:
    kind = ContentType.objects.get_for_model(VenueApplication)
    return list(Attachment.objects.filter(content_type=kind, object_id=app.pk, voided_at__isnull=True).order_by("pk"))


def bills_of(app: VenueApplication) -> list[Bill]:
    """The application's bills (fee and deposit, damage beyond the deposit), of its payer."""
    from billing import payers

    if not app.payer:
        return []
    return list(
        Bill.objects.filter(
            **payers.owned_by(app.payer), source_key__in=[f"venueapp:{app.pk}", f"venueapp:{app.pk}:damage"]
        ).order_by("pk")
    )


def waiting_counts() -> dict[str, int]:
    """Applications waiting for security and for the supervisor (the desk home's panels)."""
    rows = (
        VenueApplication.objects.filter(
            status__in=(VenueApplication.Status.SUBMITTED, VenueApplication.Status.SECURITY_APPROVED)
        )
        .values_list("status", "needs_security")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {"security": 0, "supervisor": 0}
    for status, security, n in rows:
        if status == VenueApplication.Status.SUBMITTED and security:
            counts["security"] += n
        else:
            counts["supervisor"] += n
    return counts


def approvers_to_remind(model: Any, records: Any) -> dict[int, list[int]]:
    """Recipients ``venue_approvers`` of a deadline step: security while an application waits
    for it, else the supervisors. Two queries per scan batch whatever the number of records."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    by_role = {
        role: list(users.filter(groups__name=role).order_by("pk").values_list("pk", flat=True))
        for role in (Role.SECURITY, Role.SUPERVISOR)
    }
    return {
        r.pk: by_role[Role.SECURITY]
        if r.needs_security and r.status == VenueApplication.Status.SUBMITTED
        else by_role[Role.SUPERVISOR]
        for r in records
    }
