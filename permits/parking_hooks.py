"""What parking permits add to the kernel's and tenants' pages (registered in PermitsConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from jinyuan import navigation as nav
from jinyuan.accounts.roles import DESK_ROLES, STAFF_ROLES, Role
from jinyuan.navigation import Panel, RelatedPanel, RelatedRow

from . import parking_selectors as selectors
from .models import ParkingPermit

# The portal area of parking permits (tenants.grants): a company admin opens it to staff.
PARKING_AREA = "parking"


def can_view_permit_files(user: Any, permit: Any) -> bool:
    """A vehicle licence: the desk and security, or the company's members who may open its permits."""
    from tenants import grants

    if user.has_role(*DESK_ROLES, Role.SECURITY):
        return True
    return grants.member_may_open(user, permit.tenant_id, PARKING_AREA)


def desk_panels(user: Any) -> list[Panel]:
    if not user.has_role(*DESK_ROLES):
        return []
    url = reverse("desk:permits:parking_list")
    counts = selectors.desk_counts()
    return [
        Panel(_("Parking applications to approve"), counts["waiting"], f"{url}?status=submitted", "warning"),
        Panel(_("Parking permits expiring soon"), counts["expiring"], f"{url}?attention=expiring", "info"),
    ]


def tenant_parking(tenant: Any) -> RelatedPanel:
    rows = [
        RelatedRow(
            label=f"{p.plate} · {p.space_text} · {p.start:%Y-%m-%d}–{p.last_day:%Y-%m-%d}",
            url=reverse("desk:permits:parking_detail", args=[p.pk]),
            status=p.get_status_display(),
            when=p.created_at,
        )
        for p in selectors.parking_permits_of(tenant)[:10]
    ]
    return RelatedPanel(
        title=ParkingPermit._meta.verbose_name_plural,
        rows=rows,
        list_url=reverse("desk:permits:parking_list") + f"?q={tenant.name}",
    )


def permits_revoked(move_out: Any):
    """Move-out checklist: every permit of the leaving company revoked (applications too). A
    permit belongs to the company, not to a unit: on a partial move-out it stays."""
    from tenants.checklists import ItemState
    from tenants.selectors import kept_occupancies

    if kept_occupancies(move_out).exists():
        return ItemState(True, gettext("The company keeps other units: its parking permits stay"))

    live = list(
        ParkingPermit.objects.filter(tenant_id=move_out.tenant_id, status__in=ParkingPermit.LIVE)
        .order_by("plate")
        .values_list("plate", flat=True)
    )
    if not live:
        return ItemState(True, gettext("No live parking permit"))
    return ItemState(
        False,
        gettext("Live permits: %(plates)s") % {"plates": "、".join(live)},
        action_url=reverse("desk:permits:parking_moveout", args=[move_out.pk]),
        action_label=gettext("Revoke parking permits"),
    )


def register() -> None:
    from jinyuan.attachments import access as attachment_access
    from jinyuan.documents import registry
    from jinyuan.workflow import deadlines
    from tenants import checklists, grants

    from . import parking
    from .models.parking import EXPIRE_ACTION, PAYMENT_NOTICE_ACTION
    from .parking_documents import PARKING_NOTICE, PARKING_PERMIT

    registry.register(PARKING_PERMIT)
    registry.register(PARKING_NOTICE)
    grants.register_area(PARKING_AREA, _("Parking permits"))
    attachment_access.register(ParkingPermit, can_view_permit_files)
    deadlines.register_deadline_kind("payment", gettext_noop("Payment"))
    deadlines.register_step_action(EXPIRE_ACTION, parking.expire_due)
    deadlines.register_step_action(PAYMENT_NOTICE_ACTION, parking.payment_notice_due)
    from jinyuan import privacy

    # The vehicle licence scan goes N days after the permit ends (jinyuan.privacy).
    privacy.register_retention(ParkingPermit, closed_at=selectors.permits_ended_before, kinds=("vehicle_licence",))
    checklists.register(
        checklists.MOVE_OUT,
        checklists.ChecklistItem("parking_permits", _("Parking permits revoked"), 45, permits_revoked),
    )
    nav.register_panel(desk_panels)
    nav.register_related(tenant_parking, roles=STAFF_ROLES)
    nav.register_desk(
        nav.DeskEntry(_("Parking permits"), "desk:permits:parking_list", nav.TENANT_SERVICES, order=55),
        nav.DeskEntry(_("Plate check"), "desk:permits:plate_check", nav.TENANT_SERVICES, order=56),
    )
    nav.register_portal(nav.PortalEntry(_("Parking permits"), "portal:permits:parking_list", order=55))
    nav.register_quick_link(
        nav.QuickLink(_("Apply for a parking permit"), "portal:permits:parking_new", "car-front", order=55),
    )
    nav.register_figure(
        nav.Figure(
            "parking_waiting",
            _("Parking applications waiting"),
            selectors.waiting_count,
            order=65,
            url="desk:permits:parking_list",
            query="status=submitted",
            section=_("Waiting"),
        )
    )
    nav.register_work(
        nav.Work(
            ParkingPermit,
            ParkingPermit._meta.verbose_name_plural,
            "desk:permits:parking_list",
            overdue_query="attention=overdue",
            order=31,
        )
    )
    nav.register_log_events(
        "parking_permits",
        label=ParkingPermit._meta.verbose_name_plural,
        codes=(
            "parking_permit.approved",
            "parking_permit.renewed",
            "parking_permit.revoked",
            "parking_permit.expired",
            "parking_permit.payment_notice",
        ),
    )
