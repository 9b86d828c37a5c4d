"""What announcements add to the kernel's and tenants' pages: desk and portal menus, the portal
home's links (one more while an urgent announcement waits to be read), the desk home's panels,
who may open their files and the timeline's labels (registered in FrontdeskConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jinyuan import navigation as nav
from jinyuan.accounts.roles import STAFF_ROLES, SUPERVISOR_ROLES
from jinyuan.navigation import Panel

from . import notice_selectors as selectors
from .models import Announcement, AnnouncementReceipt


def desk_panels(user: Any) -> list[Panel]:
    """Urgent announcements some addressed company has not read (every staff role: whoever is at
    the desk calls them), and drafts waiting for the supervisor's approval."""
    if not user.has_role(*STAFF_ROLES):
        return []
    url = reverse("desk:frontdesk:announcement_list")
    panels = []
    urgent = selectors.urgent_with_unread().count()
    if urgent:
        title = _("Urgent announcements not read by every company")
        panels.append(Panel(title, urgent, f"{url}?urgent=1&status=published", "danger"))
    if user.has_role(*SUPERVISOR_ROLES):
        drafts = Announcement.objects.filter(status=Announcement.Status.DRAFT).count()
        if drafts:
            panels.append(Panel(_("Announcements to approve"), drafts, f"{url}?status=draft", "warning"))
    return panels


def has_unread_urgent(tenant: Any, user: Any) -> bool:
    return selectors.has_unread_urgent(tenant)


def can_view_files(user: Any, record: Any) -> bool:
    """An announcement's files: staff; a company's users while it is shown to the company."""
    from tenants.selectors import membership_for

    if user.has_role(*STAFF_ROLES):
        return True
    membership = membership_for(user)
    if membership is None or not isinstance(record, Announcement) or not membership.is_active:
        return False
    return selectors.live_receipts(membership.tenant).filter(announcement_id=record.pk).exists()


def call_result_label(value: str) -> str:
    labels = dict(AnnouncementReceipt.CallResult.choices)
    return str(labels.get(value, value))


def register() -> None:
    from django.utils.translation import gettext_lazy

    from jinyuan.attachments import access as attachment_access
    from jinyuan.workflow import labels

    attachment_access.register(Announcement, can_view_files)
    labels.register_data(
        {
            "addressed": gettext_lazy("Companies addressed"),
            "tenant": gettext_lazy("Company"),
            "call_result": (gettext_lazy("Result"), call_result_label),
        }
    )
    nav.register_desk(
        nav.DeskEntry(_("Announcements"), "desk:frontdesk:announcement_list", nav.FRONT_DESK, order=30),
    )
    nav.register_portal(nav.PortalEntry(_("Announcements"), "portal:frontdesk:announcement_list", order=5))
    nav.register_quick_link(
        nav.QuickLink(
            _("Urgent announcement: please read"),
            "portal:frontdesk:announcement_list",
            "exclamation-triangle",
            order=1,
            condition=has_unread_urgent,
        ),
        nav.QuickLink(_("Announcements"), "portal:frontdesk:announcement_list", "megaphone", order=5),
    )
    nav.register_panel(desk_panels)
    nav.register_log_events(
        "announcements",
        label=Announcement._meta.verbose_name_plural,
        codes=("announcement.published", "announcement.withdrawn", "announcement.called"),
    )
