"""What repairs add to the kernel's and tenants' pages: portal area, menus, desk home panels,
who may see a ticket's photos (registered in RepairsConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jinyuan.accounts.roles import DESK_ROLES, Role

from .models import REPAIRS_AREA


def desk_panels(user: Any) -> list:
    from jinyuan.navigation import Panel

    from . import selectors
    from .models import RepairTicket

    panels = []
    if user.has_role(*DESK_ROLES):
        url = reverse("desk:repairs:ticket_list")
        waiting = RepairTicket.objects.filter(status=RepairTicket.Status.REPORTED).count()
        late = RepairTicket.objects.filter(selectors.late_q(), status__in=RepairTicket.OPEN).count()
        panels += [
            Panel(_("Repairs to dispatch"), waiting, f"{url}?status=reported", "warning"),
            Panel(_("Repairs running late"), late, f"{url}?overdue=true", "danger"),
        ]
    if user.has_role(Role.ENGINEERING):
        url = reverse("desk:repairs:engineer_worklist")
        mine = RepairTicket.objects.filter(assignee=user, status__in=RepairTicket.OPEN).count()
        pooled = RepairTicket.objects.filter(status=RepairTicket.Status.POOLED).count()
        panels += [
            Panel(_("My repairs"), mine, url, "primary"),
            Panel(_("Repairs in the pool"), pooled, url, "warning"),
        ]
    return panels


def can_view_ticket_files(user: Any, ticket: Any) -> bool:
    """A ticket's photos: the desk, supervisors, the engineer on it (or anyone of engineering
    while it waits in the pool), and the company's members who may open its repairs."""
    if user.has_role(*DESK_ROLES):
        return True
    if user.has_role(Role.ENGINEERING):
        return ticket.assignee_id == user.pk or ticket.status == "pooled"
    if ticket.tenant_id is None:
        return False
    from tenants import grants
    from tenants.selectors import membership_for

    membership = membership_for(user)
    return (
        membership is not None
        and membership.tenant_id == ticket.tenant_id
        and grants.may_open(membership, REPAIRS_AREA)
    )


def register() -> None:
    from jinyuan import navigation as nav
    from jinyuan.attachments import access as attachment_access
    from jinyuan.attachments.models import register_kinds
    from tenants import grants

    from .models import RepairTicket

    grants.register_area(REPAIRS_AREA, _("Repairs"))
    attachment_access.register(RepairTicket, can_view_ticket_files)
    register_kinds(
        RepairTicket,
        [
            ("photo", _("Photo of the fault")),
            ("before", _("Photo before the repair")),
            ("after", _("Photo after the repair")),
        ],
    )
    nav.register_panel(desk_panels)
    nav.register_work(
        nav.Work(
            RepairTicket,
            RepairTicket._meta.verbose_name_plural,
            "desk:repairs:ticket_list",
            overdue_query="overdue=true",
            order=50,
        )
    )
    nav.register_desk(
        nav.DeskEntry(_("Log a repair call"), "desk:repairs:ticket_new", nav.TENANT_SERVICES, order=30),
        nav.DeskEntry(_("Repairs"), "desk:repairs:ticket_list", nav.TENANT_SERVICES, order=31),
        nav.DeskEntry(_("My repairs"), "desk:repairs:engineer_worklist", None, icon="tools", order=32),
    )
    nav.register_portal(nav.PortalEntry(_("Repairs"), "portal:repairs:ticket_list", order=30))
    nav.register_quick_link(nav.QuickLink(_("Report a repair"), "portal:repairs:ticket_new", "tools", order=30))
    nav.register_search(
        nav.Search(
            _("Search repairs"),
            "desk:repairs:ticket_list",
            placeholder=_("Repair number, caller, phone, company or place"),
            order=30,
        )
    )
    nav.register_log_events(
        "repairs",
        label=RepairTicket._meta.verbose_name_plural,
        codes=("repair.reported", "repair.completed", "repair.cancelled"),
    )
