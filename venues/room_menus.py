"""What the meeting rooms add to the kernel's and tenants' pages: desk and portal menus, the
portal's quick link, a desk home panel, the tenant page's panel and the timeline's labels
(registered in VenuesConfig.ready)."""

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan import navigation as nav
from jinyuan.accounts.roles import STAFF_ROLES
from jinyuan.navigation import Panel, RelatedPanel, RelatedRow

from . import room_selectors as selectors
from .models import Booking

# The tenant page counts no-shows over this many days.
NO_SHOW_DAYS = 90


def desk_panels(user: Any) -> list[Panel]:
    """Today's meeting-room bookings still booked, and those begun without a check-in."""
    if not user.has_role(*STAFF_ROLES):
        return []
    counts = selectors.today_counts()
    url = reverse("desk:venues:calendar")
    panels = [Panel(_("Meeting rooms booked today"), counts["booked"], url, "info")]
    if counts["waiting"]:
        panels.append(Panel(_("Meetings begun, not checked in"), counts["waiting"], url, "warning"))
    return panels


def tenant_bookings(tenant: Any) -> RelatedPanel:
    """The company's last bookings, its no-shows of the last 90 days and a link to book for it
    (one query: the count rides on the rows)."""
    since = timezone.now() - dt.timedelta(days=NO_SHOW_DAYS)
    last = selectors.bookings_with_no_shows(tenant, since)
    no_shows = last[0].tenant_no_shows if last else 0
    register = reverse("desk:venues:booking_list")
    rows = [
        RelatedRow(
            label=str(_("Book a meeting room for this company")),
            url=reverse("desk:venues:rooms") + f"?tenant={tenant.pk}",
            status="",
        ),
        RelatedRow(
            label=str(_("No-shows in the last %(n)d days: %(count)d") % {"n": NO_SHOW_DAYS, "count": no_shows}),
            url=f"{register}?tenant={tenant.pk}&status={Booking.Status.NO_SHOW}",
            status="",
        ),
    ]
    rows += [
        RelatedRow(
            label=f"{b.space.name} · {b.hours_text}",
            url=reverse("desk:venues:booking_detail", args=[b.pk]),
            status=b.get_status_display(),
            when=b.created_at,
        )
        for b in last
    ]
    return RelatedPanel(title=Booking._meta.verbose_name_plural, rows=rows, list_url=f"{register}?tenant={tenant.pk}")


def register() -> None:
    from django.utils.translation import gettext_lazy

    from jinyuan.workflow import labels

    labels.register_data(
        {
            "space": gettext_lazy("Space"),
            "free_minutes": gettext_lazy("Free minutes (quota)"),
            "billed_minutes": gettext_lazy("Billed minutes"),
            "after_minutes": gettext_lazy("Minutes after the start"),
        }
    )
    nav.register_desk(
        nav.DeskEntry(_("Calendar of the day"), "desk:venues:calendar", nav.TENANT_SERVICES, order=58),
        nav.DeskEntry(_("Venue bookings"), "desk:venues:booking_list", nav.TENANT_SERVICES, order=59),
    )
    nav.register_portal(
        nav.PortalEntry(_("Meeting rooms"), "portal:venues:rooms", order=58),
        nav.PortalEntry(_("Our bookings"), "portal:venues:booking_list", order=59),
    )
    nav.register_quick_link(
        nav.QuickLink(_("Book a meeting room"), "portal:venues:rooms", "easel", order=58),
    )
    nav.register_panel(desk_panels)
    nav.register_related(tenant_bookings, roles=STAFF_ROLES)
    nav.register_log_events(
        "venue_bookings",
        label=Booking._meta.verbose_name_plural,
        codes=("booking.booked", "booking.cancelled", "booking.checked_in", "booking.no_show"),
    )
