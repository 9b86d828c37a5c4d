"""What public-space applications and events add to the kernel's and tenants' pages: menus,
the desk home's panels, the tenant page's panel, the event notice's document kind, the deadline
recipients and who may open the files (registered from VenuesConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jinyuan import navigation as nav
from jinyuan.accounts.roles import DESK_ROLES, STAFF_ROLES, SUPERVISOR_ROLES, Role
from jinyuan.navigation import Panel, RelatedPanel, RelatedRow

from . import application_selectors as selectors
from .models import APPROVERS_TO_REMIND, VENUES_AREA, SiteCheck, VenueApplication

RELATED_ROWS = 10


def desk_panels(user: Any) -> list[Panel]:
    """Applications waiting for security (security, supervisors) and for the supervisor."""
    show_security = user.has_role(Role.SECURITY, *SUPERVISOR_ROLES)
    show_supervisor = user.has_role(*DESK_ROLES)
    if not (show_security or show_supervisor):
        return []
    counts = selectors.waiting_counts()
    url = reverse("desk:venues:application_list")
    panels = []
    if show_security:
        panels.append(
            Panel(_("Venue uses waiting for security"), counts["security"], f"{url}?status=submitted", "warning")
        )
    if show_supervisor:
        panels.append(Panel(_("Venue uses waiting for the supervisor"), counts["supervisor"], url, "info"))
    return panels


def tenant_applications(tenant: Any) -> RelatedPanel:
    """The company's last applications, and a link to apply for it (one query)."""
    rows = [
        RelatedRow(
            label=str(_("Apply for public space or an event for this company")),
            url=reverse("desk:venues:application_new_tenant", args=[tenant.pk]),
            status="",
        )
    ]
    rows += [
        RelatedRow(
            label=f"{a.number} · {a.title[:20]} · {a.window_text}",
            url=reverse("desk:venues:application_detail", args=[a.pk]),
            status=a.get_status_display(),
            when=a.created_at,
        )
        for a in selectors.applications_of(tenant).order_by("-use_start", "-id")[:RELATED_ROWS]
    ]
    return RelatedPanel(
        title=VenueApplication._meta.verbose_name_plural,
        rows=rows,
        list_url=reverse("desk:venues:application_list") + f"?q={tenant.name}",
    )


def can_view_files(user: Any, record: Any) -> bool:
    """Licences of an application, photos of its checks: staff, and the company's members who
    may open venues."""
    from tenants import grants

    app = record.application if isinstance(record, SiteCheck) else record
    if user.has_role(*STAFF_ROLES):
        return True
    return bool(app.tenant_id) and grants.member_may_open(user, app.tenant_id, VENUES_AREA)


def register() -> None:
    from django.utils.translation import gettext_lazy

    from jinyuan.attachments import access as attachment_access
    from jinyuan.documents import registry
    from jinyuan.workflow import labels
    from jinyuan.workflow.deadlines import register_recipients

    from .application_documents import EVENT_NOTICE

    registry.register(EVENT_NOTICE)
    register_recipients(APPROVERS_TO_REMIND, selectors.approvers_to_remind)
    attachment_access.register(VenueApplication, can_view_files)
    attachment_access.register(SiteCheck, can_view_files)
    labels.register_data(
        {
            "window": gettext_lazy("Use window"),
            "spaces": gettext_lazy("Spaces"),
            "fee": gettext_lazy("Fees (CNY)"),
            "photos": gettext_lazy("Photos"),
            "in_order": (
                gettext_lazy("In order"),
                lambda value: str(gettext_lazy("Yes") if value else gettext_lazy("No")),
            ),
        }
    )
    nav.register_work(
        nav.Work(VenueApplication, VenueApplication._meta.verbose_name_plural, "desk:venues:application_list", order=70)
    )
    nav.register_desk(
        nav.DeskEntry(_("Public space and events"), "desk:venues:application_list", nav.TENANT_SERVICES, order=61),
    )
    nav.register_portal(nav.PortalEntry(_("Public space and events"), "portal:venues:application_list", order=61))
    nav.register_quick_link(
        nav.QuickLink(_("Apply for public space or an event"), "portal:venues:application_new", "megaphone", order=61),
    )
    nav.register_panel(desk_panels)
    nav.register_related(tenant_applications, roles=STAFF_ROLES)
    nav.register_log_events(
        "venue_applications",
        label=VenueApplication._meta.verbose_name_plural,
        codes=(
            "venue_application.approved",
            "venue_application.started",
            "venue_application.closed",
            "venue_application.withdrawn",
        ),
    )
