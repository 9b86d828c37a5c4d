"""What temporary power adds to the kernel's and tenants' pages (registered in PermitsConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jinyuan import navigation as nav
from jinyuan.accounts.roles import DESK_ROLES, STAFF_ROLES, Role
from jinyuan.navigation import Panel, RelatedPanel, RelatedRow

from . import power_selectors as selectors
from .models import TemporaryPower


def desk_panels(user: Any) -> list[Panel]:
    if not user.has_role(Role.ENGINEERING, *DESK_ROLES):
        return []
    url = reverse("desk:permits:power_list")
    counts = selectors.desk_counts()
    return [
        Panel(_("Temporary power to review"), counts["waiting"], f"{url}?status=submitted", "warning"),
        Panel(_("Temporary power to switch off (overdue)"), counts["overdue"], f"{url}?overdue=true", "danger"),
    ]


def tenant_power(tenant: Any) -> RelatedPanel:
    rows = [
        RelatedRow(
            label=str(_("New temporary power application for this company")),
            url=reverse("desk:permits:power_new", args=[tenant.pk]),
            status="",
        )
    ]
    rows += [
        RelatedRow(
            label=f"{p.document.number if p.document else _('Application')} · {p.place} · {p.load_kw} kW",
            url=reverse("desk:permits:power_detail", args=[p.pk]),
            status=p.get_status_display(),
            when=p.created_at,
        )
        for p in selectors.power_permits_of(tenant).order_by("-created_at", "-id")[:10]
    ]
    from urllib.parse import urlencode

    return RelatedPanel(
        title=TemporaryPower._meta.verbose_name_plural,
        rows=rows,
        list_url=reverse("desk:permits:power_list") + "?" + urlencode({"q": tenant.name}),
    )


def register() -> None:
    from jinyuan.documents import registry
    from jinyuan.workflow import deadlines

    from . import (
        board,
        power_admin,  # noqa: F401 (the admin registers itself; permits/admin.py stays as it is)
    )

    # Security's board: what is wired up or about to be, today and the next 24 hours.
    board.register_section(
        board.BoardSection(
            "temporary_power",
            TemporaryPower._meta.verbose_name_plural,
            lambda now: list(selectors.live_power_permits(now)),
            "permits/desk/_board_power.html",
            order=20,
        )
    )
    from .power_documents import TEMPORARY_POWER_PERMIT

    registry.register(TEMPORARY_POWER_PERMIT)
    deadlines.register_deadline_kind("switch_off", gettext_noop("Switch-off"))
    nav.register_panel(desk_panels)
    nav.register_related(tenant_power, roles=STAFF_ROLES)
    nav.register_desk(
        nav.DeskEntry(_("Temporary power"), "desk:permits:power_list", nav.TENANT_SERVICES, order=57),
    )
    nav.register_portal(nav.PortalEntry(_("Temporary power"), "portal:permits:power_list", order=57))
    nav.register_quick_link(
        nav.QuickLink(_("Apply for temporary power"), "portal:permits:power_new", "plug", order=57),
    )
    nav.register_figure(
        nav.Figure(
            "power_waiting",
            _("Temporary power waiting"),
            selectors.waiting_count,
            order=66,
            url="desk:permits:power_list",
            query="status=submitted",
            section=_("Waiting"),
        )
    )
    nav.register_work(
        nav.Work(
            TemporaryPower,
            TemporaryPower._meta.verbose_name_plural,
            "desk:permits:power_list",
            overdue_query="overdue=true",
            order=33,
        )
    )
    nav.register_log_events(
        "temporary_power",
        label=TemporaryPower._meta.verbose_name_plural,
        codes=(
            "temporary_power.approved",
            "temporary_power.switched_on",
            "temporary_power.switched_off",
            "temporary_power.billed",
        ),
    )
