"""What the duty log and the visitor inquiries add to the kernel's pages: the desk menu, the
desk home panels (open items, shifts without a signed handover, escalated inquiries), the
deadline kinds and the timeline's labels (registered in FrontdeskConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jinyuan import navigation as nav
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.navigation import Panel

from . import duty_selectors
from .models import Inquiry, Shift


def desk_panels(user: Any) -> list[Panel]:
    if not user.has_role(*DESK_ROLES):
        return []
    counts = duty_selectors.panel_counts()
    panels = [Panel(_("Open items in the duty log"), counts["open_items"], reverse("desk:frontdesk:duty"), "info")]
    if counts["unsigned"]:
        url = reverse("desk:frontdesk:shift_list") + "?unsigned=true"
        panels.append(Panel(_("Shifts ended without a signed handover"), counts["unsigned"], url, "warning"))
    escalated = Inquiry.objects.filter(status=Inquiry.Status.ESCALATED).count()
    if escalated:
        url = reverse("desk:frontdesk:inquiry_list") + "?status=" + Inquiry.Status.ESCALATED
        panels.append(Panel(_("Inquiries escalated to the supervisor"), escalated, url, "warning"))
    return panels


def register() -> None:
    from jinyuan.workflow import deadlines, labels

    deadlines.register_deadline_kind("handover", gettext_noop("Shift handover"))
    deadlines.register_deadline_kind("inquiry_answer", gettext_noop("Supervisor's answer to an inquiry"))
    labels.register_data(
        {
            "arriving": _("Arriving clerk"),
            "open_items": _("Open items handed on"),
            "ticket": _("Ticket"),
        }
    )
    nav.register_work(
        nav.Work(Shift, Shift._meta.verbose_name_plural, "desk:frontdesk:shift_list", order=80),
        nav.Work(Inquiry, Inquiry._meta.verbose_name_plural, "desk:frontdesk:inquiry_list", order=81),
    )
    nav.register_desk(
        nav.DeskEntry(_("Duty log"), "desk:frontdesk:duty", nav.FRONT_DESK, order=10),
        nav.DeskEntry(_("Which unit is a company in"), "desk:frontdesk:inquiry_lookup", nav.FRONT_DESK, order=11),
        nav.DeskEntry(_("Visitor inquiries"), "desk:frontdesk:inquiry_list", nav.FRONT_DESK, order=12),
        nav.DeskEntry(_("Shifts and handovers"), "desk:frontdesk:shift_list", nav.FRONT_DESK, order=13),
        nav.DeskEntry(_("Duty log entries"), "desk:frontdesk:entry_list", nav.FRONT_DESK, order=14),
    )
    nav.register_panel(desk_panels)
    nav.register_log_events(
        "frontdesk_duty",
        label=_("Front desk"),
        codes=(
            *("shift.handed_over", "shift.accepted", "inquiry.escalated", "inquiry.converted"),
            # The duty log's lines and its open items closed (the management log's duty section).
            *("duty_entry.logged", "duty_entry.closed"),
        ),
    )
