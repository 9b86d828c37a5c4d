"""What recyclables 废品收购 and material distribution 代派资料 add to the kernel's pages: menus,
the payout voucher's document kind, the pickup deadline's name, timeline data labels, who may
open a material's file (registered from FrontdeskConfig.ready)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jinyuan import navigation as nav
from jinyuan.accounts.roles import DESK_ROLES, STAFF_ROLES, SUPERVISOR_ROLES

from .models import FRONTDESK_AREA, MaterialDistribution, RecycleRequest


def can_view_material(user: Any, record: Any) -> bool:
    """A material's file: staff, and the company's members who may open the front desk's area."""
    from tenants import grants

    if user.has_role(*STAFF_ROLES):
        return True
    return grants.member_may_open(user, record.tenant_id, FRONTDESK_AREA)


def desk_panels(user: Any) -> list[nav.Panel]:
    """Recyclables requests still open (the desk) and material waiting for the supervisor."""
    from django.urls import reverse

    from . import distribution_selectors, recyclables_selectors

    panels = []
    if user.has_role(*DESK_ROLES):
        panels.append(
            nav.Panel(
                _("Recyclables to schedule, weigh or settle"),
                recyclables_selectors.waiting_count(),
                reverse("desk:frontdesk:recycle_list"),
                "info",
            )
        )
    if user.has_role(*SUPERVISOR_ROLES):
        panels.append(
            nav.Panel(
                _("Material waiting for approval"),
                distribution_selectors.waiting_count(),
                reverse("desk:frontdesk:distribution_list") + "?status=submitted",
                "warning",
            )
        )
    return panels


def register() -> None:
    from jinyuan.attachments import access as attachment_access
    from jinyuan.documents import registry
    from jinyuan.workflow import deadlines, labels

    from .recyclables_documents import payout_kind

    registry.register(payout_kind())
    attachment_access.register(MaterialDistribution, can_view_material)
    deadlines.register_deadline_kind("pickup", gettext_noop("Pickup"))
    labels.register_data(
        {
            "recycler": _("Recycler"),
            "time": _("Time"),
            "weight": _("Weight (kg)"),
            "release_note": _("Release note"),
            "settlement": (_("Settlement"), lambda code: str(dict(RecycleRequest.Settlement.choices).get(code, code))),
            "copies": _("Copies"),
            "count": _("Copies distributed"),
        }
    )
    nav.register_work(
        nav.Work(RecycleRequest, RecycleRequest._meta.verbose_name_plural, "desk:frontdesk:recycle_list", order=83)
    )
    nav.register_desk(
        nav.DeskEntry(_("Recyclables"), "desk:frontdesk:recycle_list", nav.FRONT_DESK, order=70),
        nav.DeskEntry(_("Material distribution"), "desk:frontdesk:distribution_list", nav.FRONT_DESK, order=71),
    )
    nav.register_portal(
        nav.PortalEntry(_("Recyclables"), "portal:frontdesk:recycle_list", order=70),
        nav.PortalEntry(_("Material distribution"), "portal:frontdesk:distribution_list", order=71),
    )
    nav.register_quick_link(
        nav.QuickLink(_("Sell recyclables"), "portal:frontdesk:recycle_new", "recycle", order=70),
    )
    nav.register_panel(desk_panels)
    nav.register_log_events(
        "recyclables", label=_("Recyclables"), codes=("recycle_request.collected", "recycle_request.settled")
    )
    nav.register_log_events(
        "material_distribution", label=_("Material distribution"), codes=("distribution.completed",)
    )
