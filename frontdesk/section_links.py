"""Where the front desk's sections meet: an emergency links to the announcement sent about it
(the emergency's page finds the announcement by its number on the register, ``#12``, or its
exact title), and the announcement's page lists the emergencies linked to it. Registered in
FrontdeskConfig.ready() after both sections."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .emergency_links import Linkable, register_linkable
from .models import Announcement, EmergencyLink
from .notice_selectors import register_linked


def _find_announcement(value: str) -> models.Model | None:
    """An announcement by its number (its id, as the register shows it, with or without ``#``)
    or by its exact title (the latest one so titled); drafts and withdrawn ones too, since an
    emergency may be linked to what the desk is preparing."""
    value = value.strip()
    digits = value.lstrip("#")
    if digits.isdigit():
        return Announcement.objects.filter(pk=int(digits)).first()
    return Announcement.objects.filter(title=value).order_by("-created_at", "-id").first()


ANNOUNCEMENT_LINKABLE = Linkable(
    key="announcement",
    label=_("Announcement"),
    find=_find_announcement,
    describe=lambda a: f"#{a.pk} {a.title}"[:120],
    url=lambda pk: reverse("desk:frontdesk:announcement_detail", args=[pk]),
)


def emergencies_of(announcement: Announcement) -> list[tuple[str, str]]:
    """The emergencies this announcement is linked to, as (label, desk URL): one query."""
    links = (
        EmergencyLink.objects.filter(
            content_type=ContentType.objects.get_for_model(Announcement), object_id=announcement.pk
        )
        .select_related("emergency")
        .order_by("created_at", "id")
    )
    return [
        (
            f"{link.emergency.number} {link.emergency.get_kind_display()}",
            reverse("desk:frontdesk:emergency_detail", args=[link.emergency_id]),
        )
        for link in links
    ]


def register() -> None:
    register_linkable(ANNOUNCEMENT_LINKABLE)
    register_linked(emergencies_of)
