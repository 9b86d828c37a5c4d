"""What tenant liaison, follow-up items and emergency records add to the kernel's and tenants'
pages: desk and portal menus, desk home panels, the tenant page's visit history, timeline labels,
the follow-up deadline's name, the management log's emergency events and the kinds of records
an emergency links to (registered from FrontdeskConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jinyuan import navigation as nav
from jinyuan.accounts.roles import DESK_ROLES, STAFF_ROLES
from jinyuan.navigation import Panel, RelatedPanel, RelatedRow

from . import action_selectors, emergency_selectors, liaison_selectors
from .emergency_links import Linkable, register_linkable
from .models import ActionItem, Emergency, Visit
from .models.liaison import ITEM_DEADLINE

RELATED_ROWS = 10


def desk_panels(user: Any) -> list[Panel]:
    """Open emergencies (every member of staff), the user's own open follow-up items and, for
    the desk and supervisors, every overdue one."""
    if not user.has_role(*STAFF_ROLES):
        return []
    counts = action_selectors.open_counts(user)
    emergencies = emergency_selectors.open_count()
    panels = []
    if emergencies:
        url = reverse("desk:frontdesk:emergency_list") + f"?status={Emergency.Status.OPEN}"
        panels.append(Panel(_("Open emergencies"), emergencies, url, "danger"))
    mine = reverse("desk:frontdesk:action_items")
    panels.append(Panel(_("My open follow-up items"), counts["mine"], mine, "info"))
    if counts["mine_overdue"]:
        panels.append(Panel(_("My overdue follow-up items"), counts["mine_overdue"], f"{mine}?due=overdue", "warning"))
    if user.has_role(*DESK_ROLES) and counts["overdue"]:
        url = reverse("desk:frontdesk:action_items_all") + "?due=overdue"
        panels.append(Panel(_("Overdue follow-up items"), counts["overdue"], url, "warning"))
    return panels


def tenant_visits(tenant: Any) -> RelatedPanel:
    """The company's last liaison visits and a link to record one (one query)."""
    rows = [
        RelatedRow(
            label=str(_("Record a liaison visit to this company")),
            url=reverse("desk:frontdesk:visit_new", args=[tenant.pk]),
            status="",
        )
    ]
    rows += [
        RelatedRow(
            label=f"{v.get_channel_display()} · {v.met_name} · {v.topics[:30]}",
            url=reverse("desk:frontdesk:visit_detail", args=[v.pk]),
            status=v.get_status_display(),
            when=v.visited_at,
        )
        for v in liaison_selectors.visits_of(tenant).order_by("-visited_at", "-id")[:RELATED_ROWS]
    ]
    return RelatedPanel(
        title=Visit._meta.verbose_name_plural,
        rows=rows,
        list_url=reverse("desk:frontdesk:visit_list") + "?" + urlencode({"q": tenant.name}),
    )


def _find_repair(number: str) -> Any:
    from repairs.models import RepairTicket

    return RepairTicket.objects.filter(number=number.upper()).select_related("category").first()


def _repair_url(pk: int) -> str:
    return reverse("desk:repairs:ticket_detail", args=[pk])


REPAIR_LINKABLE = Linkable(
    key="repair",
    label=_("Repair ticket"),
    find=_find_repair,
    describe=lambda t: f"{t.number} {t.category.name}",
    url=_repair_url,
)


def register() -> None:
    from jinyuan.workflow import labels
    from jinyuan.workflow.deadlines import register_deadline_kind

    register_deadline_kind(ITEM_DEADLINE, gettext_noop("Follow-up item"))
    register_linkable(REPAIR_LINKABLE)
    labels.register_any(
        {
            "item_added": _("Follow-up item added"),
            "item_done": _("Follow-up item done"),
            "item_cancelled": _("Follow-up item cancelled"),
        }
    )
    labels.register_data(
        {
            "item_owner": _("Owner"),
            "item_due": _("Due by"),
            "visit_staff": _("Visited by"),
            "needs_raised": _("Needs raised"),
            "responders": _("Staff who responded"),
            "outside_help": _("Outside help"),
            "tenants": _("Tenants affected"),
            "repair_ticket": _("Repair ticket"),
            "linked_record": _("Linked record"),
        }
    )
    nav.register_work(
        nav.Work(
            ActionItem,
            ActionItem._meta.verbose_name_plural,
            "desk:frontdesk:action_items",
            overdue_query="due=overdue",
            order=82,
        )
    )
    nav.register_desk(
        nav.DeskEntry(_("My follow-up items"), "desk:frontdesk:action_items", nav.FRONT_DESK, order=40),
        nav.DeskEntry(_("All follow-up items"), "desk:frontdesk:action_items_all", nav.FRONT_DESK, order=41),
        nav.DeskEntry(_("Liaison visits"), "desk:frontdesk:visit_list", nav.FRONT_DESK, order=42),
        nav.DeskEntry(_("Visit plans"), "desk:frontdesk:visit_plan_list", nav.FRONT_DESK, order=43),
        nav.DeskEntry(_("Emergency records"), "desk:frontdesk:emergency_list", nav.FRONT_DESK, order=44),
    )
    nav.register_portal(nav.PortalEntry(_("Visits from the service center"), "portal:frontdesk:visit_list", order=70))
    nav.register_panel(desk_panels)
    nav.register_related(tenant_visits, roles=STAFF_ROLES)
    nav.register_log_events("emergencies", label=Emergency._meta.verbose_name_plural, codes=("emergency.",))
