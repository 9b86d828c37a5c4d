"""What renovation adds to the kernel's and tenants' pages (registered in RenovationConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jinyuan import navigation as nav
from jinyuan.accounts.roles import STAFF_ROLES, Role
from jinyuan.navigation import Panel, RelatedPanel, RelatedRow

from . import selectors
from .models import Renovation

PORTAL_AREA = "renovation"


def can_view_files(user: Any, renovation: Renovation) -> bool:
    """Drawings and papers of a renovation: any staff role (engineering and security review
    them), or the company's members who may open its renovations."""
    from tenants import grants

    if user.has_role(*STAFF_ROLES):
        return True
    return grants.member_may_open(user, renovation.tenant_id, PORTAL_AREA)


def can_view_inspection_photos(user: Any, inspection: Any) -> bool:
    return can_view_files(user, inspection.renovation)


def desk_panels(user: Any) -> list[Panel]:
    counts = selectors.waiting_counts(user)
    url = reverse("desk:renovation:renovation_list")
    panels = []
    if user.has_role(Role.ENGINEERING):
        panels.append(
            Panel(_("Renovations to review (engineering)"), counts["engineering"], f"{url}?status=applied", "warning")
        )
    if user.has_role(Role.SECURITY):
        panels.append(
            Panel(_("Renovations to review (security)"), counts["security"], f"{url}?status=applied", "warning")
        )
    if user.has_role(Role.SUPERVISOR):
        panels.append(Panel(_("Renovations to approve"), counts["approval"], f"{url}?status=reviewed", "danger"))
        panels.append(
            Panel(_("Extensions to decide"), selectors.extensions_waiting(), f"{url}?extension=true", "danger")
        )
    if user.has_role(Role.FRONT_DESK, Role.SUPERVISOR):
        panels.append(
            Panel(_("Renovations approved, works not started"), counts["to_start"], f"{url}?status=approved", "primary")
        )
    return panels


def tenant_renovations(tenant: Any) -> RelatedPanel:
    rows = [
        RelatedRow(
            label=_("Apply for a renovation for this company"),
            url=reverse("desk:renovation:renovation_new", args=[tenant.pk]),
            status="",
        )
    ]
    rows += [
        RelatedRow(
            label=f"{r} · {r.unit.number} · {r.contractor_name}",
            url=reverse("desk:renovation:renovation_detail", args=[r.pk]),
            status=r.get_status_display(),
            when=r.created_at,
        )
        for r in selectors.renovations_of(tenant)[:10]
    ]
    return RelatedPanel(
        title=Renovation._meta.verbose_name_plural,
        rows=rows,
        list_url=reverse("desk:renovation:renovation_list") + f"?q={tenant.name}",
    )


def renovations_in_works() -> int:
    return selectors.waiting_counts(None)["in_works"]


def register_navigation() -> None:
    nav.register_desk(
        nav.DeskEntry(_("Renovations"), "desk:renovation:renovation_list", nav.TENANT_SERVICES, order=40),
        nav.DeskEntry(_("Renovation inspections"), "desk:renovation:inspection_list", nav.TENANT_SERVICES, order=41),
        nav.DeskEntry(_("Rectification orders"), "desk:renovation:order_list", nav.TENANT_SERVICES, order=42),
    )
    nav.register_portal(nav.PortalEntry(_("Renovations"), "portal:renovation:renovation_list", order=40))
    nav.register_quick_link(
        nav.QuickLink(_("Apply for a renovation"), "portal:renovation:renovation_new", "hammer", order=40),
    )
    nav.register_figure(
        nav.Figure(
            "renovations_in_works",
            _("Renovations in works"),
            renovations_in_works,
            order=70,
            url="desk:renovation:renovation_list",
            query="status=in_works",
        )
    )
    from .models import Extension, RectificationOrder

    nav.register_work(
        nav.Work(
            Renovation,
            Renovation._meta.verbose_name_plural,
            "desk:renovation:renovation_list",
            overdue_query="overdue=true",
            order=40,
        ),
        nav.Work(
            RectificationOrder,
            RectificationOrder._meta.verbose_name_plural,
            "desk:renovation:order_list",
            overdue_query="overdue=true",
            order=41,
        ),
        nav.Work(Extension, Extension._meta.verbose_name_plural, "desk:renovation:renovation_list", order=42),
    )
    nav.register_log_events(
        "renovation",
        label=Renovation._meta.verbose_name_plural,
        codes=("renovation.approved", "renovation.works_started", "renovation.rejected"),
    )
