"""Parking permits 停车证: reads, scoped to the user (desk: every company; portal: its own)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.shortcuts import get_object_or_404
from django.utils import timezone

from billing.models import Bill
from tenants.models import Tenant

from .models import ParkingPermit, normalize_plate

PAPER_KINDS = ("parking_permit", "parking_notice")
# "Expiring soon": within the first renewal reminder.
EXPIRING_DAYS = 15


def overdue_bill() -> Exists:
    """Whether a bill of the permit is past its due date and not fully paid."""
    return Exists(
        Bill.objects.filter(
            tenant_id=OuterRef("tenant_id"),
            source_key__startswith=Concat(
                Value("parkingpermit:"), OuterRef("pk"), Value(":"), output_field=CharField()
            ),
            status__in=(Bill.Status.OPEN, Bill.Status.PARTLY_PAID),
            due_date__lt=timezone.localdate(),
        )
    )


def with_overdue_bill(qs: QuerySet[ParkingPermit]) -> QuerySet[ParkingPermit]:
    """The register's "rent overdue" filter. Starts from the few overdue bills (the index on
    status and due date) and reads each one's permit from its source key: the correlated
    ``overdue_bill()`` made the planner walk every permit in page order and probe its tenant's
    bills (30 ms over 3,000 permits with one overdue)."""
    permit_ids = (
        Bill.objects.filter(
            status__in=(Bill.Status.OPEN, Bill.Status.PARTLY_PAID),
            due_date__lt=timezone.localdate(),
            source_key__startswith="parkingpermit:",
        )
        .annotate(
            permit_id=Cast(
                Func(F("source_key"), Value(":"), Value(2), function="split_part", output_field=CharField()),
                BigIntegerField(),
            )
        )
        .values("permit_id")
    )
    return qs.filter(pk__in=permit_ids)


def parking_permits() -> QuerySet[ParkingPermit]:
    return ParkingPermit.objects.select_related("tenant", "space", "document")


def parking_permits_of(tenant: Tenant) -> QuerySet[ParkingPermit]:
    return parking_permits().filter(tenant=tenant)


def parking_for_desk(pk: int) -> ParkingPermit:
    return get_object_or_404(parking_permits().annotate(overdue=overdue_bill()), pk=pk)


def parking_for_tenant(pk: int, tenant: Tenant) -> ParkingPermit:
    """Another tenant's permit is a 404."""
    return get_object_or_404(parking_permits_of(tenant).annotate(overdue=overdue_bill()), pk=pk)


def expiring(qs: QuerySet[ParkingPermit], today: dt.date | None = None) -> QuerySet[ParkingPermit]:
    today = today or timezone.localdate()
    return qs.filter(
        status=ParkingPermit.Status.ISSUED, end__gt=today, end__lte=today + dt.timedelta(days=EXPIRING_DAYS)
    )


def waiting_count() -> int:
    return ParkingPermit.objects.filter(status=ParkingPermit.Status.SUBMITTED).count()


def desk_counts(today: dt.date | None = None) -> dict[str, int]:
    """The desk home's two figures in one query: applications waiting, permits expiring."""
    from django.db.models import Count, Q

    today = today or timezone.localdate()
    S = ParkingPermit.Status
    expiring_q = Q(status=S.ISSUED, end__gt=today, end__lte=today + dt.timedelta(days=EXPIRING_DAYS))
    return ParkingPermit.objects.aggregate(
        waiting=Count("pk", filter=Q(status=S.SUBMITTED)), expiring=Count("pk", filter=expiring_q)
    )


def permit_files(permit: ParkingPermit):
    from jinyuan.attachments.selectors import attachments_of

    return attachments_of(permit).order_by("-uploaded_at", "-id")


def papers_of(permit: ParkingPermit) -> list:
    """The permit papers and written reminders of the permit, newest first (one query)."""
    from django.contrib.contenttypes.models import ContentType

    from jinyuan.documents.models import Document

    return list(
        Document.objects.filter(
            content_type=ContentType.objects.get_for_model(ParkingPermit),
            object_id=permit.pk,
            kind__in=PAPER_KINDS,
        ).order_by("-issued_at", "-id")
    )


# --- the guard's plate check ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlateVerdict:
    plate: str
    verdict: str  # valid, not_yet_valid, expired, revoked, pending, unknown
    permit: ParkingPermit | None = None

    @property
    def since(self) -> dt.date | None:
        """Expired: the first day without a permit. Revoked: the day it was revoked."""
        if self.permit is None:
            return None
        if self.verdict == "expired":
            return self.permit.end
        if self.verdict == "revoked":
            return timezone.localdate(self.permit.updated_at)
        return None


def plate_verdict(plate: str, today: dt.date | None = None) -> PlateVerdict:
    """What the gate says of a plate: one query whatever the permits of the plate. The issued
    permit counts first, then the one that ended last (applications refused or withdrawn are
    never a permit)."""
    plate = normalize_plate(plate)
    today = today or timezone.localdate()
    S = ParkingPermit.Status
    permit = (
        ParkingPermit.objects.filter(plate=plate, status__in=(S.ISSUED, S.EXPIRED, S.REVOKED, S.SUBMITTED))
        .select_related("tenant", "space")
        .annotate(
            rank=Case(
                When(status=S.ISSUED, then=0), When(status=S.SUBMITTED, then=2), default=1, output_field=IntegerField()
            )
        )
        .order_by("rank", "-end", "-pk")
        .first()
    )
    if permit is None:
        return PlateVerdict(plate, "unknown")
    if permit.status == S.ISSUED:
        if permit.start > today:
            verdict = "not_yet_valid"
        elif permit.end <= today:
            verdict = "expired"  # the scan has not run yet: the date decides
        else:
            verdict = "valid"
    elif permit.status == S.SUBMITTED:
        verdict = "pending"
    else:
        verdict = permit.status  # expired or revoked
    return PlateVerdict(plate, verdict, permit)


# --- personal data retention (jinyuan.privacy) --------------------------------------------------

ENDED = (
    ParkingPermit.Status.EXPIRED,
    ParkingPermit.Status.REVOKED,
    ParkingPermit.Status.REFUSED,
    ParkingPermit.Status.WITHDRAWN,
)


def permits_ended_before(cutoff: dt.datetime) -> QuerySet[ParkingPermit]:
    """Permits that ended (expired, revoked, refused, withdrawn) before ``cutoff`` and still hold
    a vehicle licence scan: the licence names its owner and address. ``updated_at`` is the time
    of the last transition (an admin correction later only keeps the scan longer)."""
    from django.contrib.contenttypes.models import ContentType

    from jinyuan.attachments.models import Attachment

    scan = Exists(
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(ParkingPermit),
            object_id=OuterRef("pk"),
            kind="vehicle_licence",
            purged_at__isnull=True,
        )
    )
    return ParkingPermit.objects.filter(status__in=ENDED, updated_at__lt=cutoff).filter(scan).order_by("pk")
