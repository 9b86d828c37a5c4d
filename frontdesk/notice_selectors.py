"""Reads of announcements 公告: the desk's register, one for the desk, the receipts not yet
read (with the company's phone, for the desk's calls), the desk home's count, and a company's
live announcements in the portal (another company's, or one not addressed to it, is a 404)."""

import datetime as dt
from collections.abc import Callable

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from jinyuan.attachments.selectors import attachments_of
from tenants.models import Contact, Tenant

from .models import Announcement, AnnouncementReceipt


def announcement_register() -> QuerySet[Announcement]:
    """The register's rows, newest first; the page's rows join their drafter and building
    (``AnnouncementListView.annotate_page``), the count and the export do not need them."""
    return Announcement.objects.order_by("-publish_at", "-id")


def announcement_for_desk(pk: int) -> Announcement:
    return get_object_or_404(Announcement.objects.select_related("applicant", "building"), pk=pk)


def audience_of(obj: Announcement) -> dict:
    """What the detail page says about whom it is for: the floors or the chosen companies."""
    return {
        "floors": list(obj.floors.order_by("number")) if obj.audience == Announcement.Audience.FLOORS else [],
        "chosen": list(obj.tenants.order_by("name")) if obj.audience == Announcement.Audience.TENANTS else [],
    }


def files_of(obj: Announcement) -> list:
    return list(attachments_of(obj).order_by("uploaded_at", "id"))


def contact_phone() -> Subquery:
    """The company's primary contact's phone, else any contact's (the desk calls it)."""
    return Subquery(
        Contact.objects.filter(tenant_id=OuterRef("tenant_id"))
        .exclude(phone="")
        .order_by("-is_primary", "id")
        .values("phone")[:1]
    )


def unread_receipts(obj: Announcement) -> QuerySet[AnnouncementReceipt]:
    """The companies addressed that have not read it, by name (the receipts' id order: they
    were made in name order), read through the partial index of unread receipts."""
    return AnnouncementReceipt.objects.filter(announcement=obj, first_read_at__isnull=True).order_by("id")


def with_phone(receipts: QuerySet[AnnouncementReceipt]) -> QuerySet[AnnouncementReceipt]:
    """A page of receipts with the company's name and phone (one statement)."""
    return receipts.select_related("tenant").annotate(contact_phone=contact_phone())


def receipt_for_call(obj: Announcement, pk: int) -> AnnouncementReceipt:
    return get_object_or_404(
        AnnouncementReceipt.objects.select_related("tenant", "announcement"), announcement=obj, pk=pk
    )


def recent_reads(obj: Announcement, limit: int = 10) -> list[AnnouncementReceipt]:
    """The companies that read it last, with their first reader."""
    return list(
        AnnouncementReceipt.objects.filter(announcement=obj, first_read_at__isnull=False)
        .select_related("tenant", "first_reader")
        .order_by("-first_read_at", "-id")[:limit]
    )


def urgent_with_unread(now: dt.datetime | None = None) -> QuerySet[Announcement]:
    """Published urgent announcements, not expired, that some addressed company has not read."""
    now = now or timezone.now()
    return Announcement.objects.filter(
        status=Announcement.Status.PUBLISHED, urgent=True, expires_at__gt=now, read_count__lt=F("addressed_count")
    )


# Records of other sections that link to an announcement (emergency records 应急事件): each
# registers ``provider(announcement) -> [(label, url), ...]`` in FrontdeskConfig.ready(), so the
# announcement's detail lists them without knowing their models.
_linked: list[Callable[[Announcement], list[tuple[str, str]]]] = []


def register_linked(provider: Callable[[Announcement], list[tuple[str, str]]]) -> None:
    if provider not in _linked:
        _linked.append(provider)


def linked_records(obj: Announcement) -> list[tuple[str, str]]:
    return [row for provider in _linked for row in provider(obj)]


# --- portal -------------------------------------------------------------------------------------


def live_receipts(tenant: Tenant, now: dt.datetime | None = None) -> QuerySet[AnnouncementReceipt]:
    """The company's announcements still shown (published, not expired): urgent ones first,
    then the newest."""
    now = now or timezone.now()
    return (
        AnnouncementReceipt.objects.filter(
            tenant=tenant,
            announcement__status=Announcement.Status.PUBLISHED,
            announcement__expires_at__gt=now,
        )
        .select_related("announcement")
        .order_by("-announcement__urgent", "-announcement__published_at", "-announcement_id")
    )


def receipt_for_portal(tenant: Tenant, pk: int) -> AnnouncementReceipt:
    """The company's receipt of live announcement ``pk``, or 404 (not addressed to it, not
    published, withdrawn or expired)."""
    receipt = live_receipts(tenant).filter(announcement_id=pk).first()
    if receipt is None:
        raise Http404
    return receipt


def has_unread_urgent(tenant: Tenant) -> bool:
    """The portal home's alert: an urgent live announcement the company has not read."""
    return live_receipts(tenant).filter(announcement__urgent=True, first_read_at__isnull=True).exists()
