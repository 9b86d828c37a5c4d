"""What the freight-elevator slots add to the kernel's and tenants' pages (registered in
PermitsConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jinyuan import navigation as nav
from jinyuan.accounts.roles import DESK_ROLES, STAFF_ROLES
from jinyuan.navigation import Panel, RelatedPanel, RelatedRow

from . import elevator_selectors as selectors
from .models import ELEVATOR_AREA, ElevatorBooking


def desk_panels(user: Any) -> list[Panel]:
    """Booked slots of the coming week without an operator."""
    if not user.has_role(*DESK_ROLES):
        return []
    url = reverse("desk:permits:elevator_list")
    return [
        Panel(
            _("Freight elevator slots without operator"), selectors.unassigned_count(), f"{url}?status=booked", "info"
        )
    ]


def tenant_elevator(tenant: Any) -> RelatedPanel:
    """The company's last bookings, and a link to book for it (one query)."""
    rows = [
        RelatedRow(
            label=str(_("Book the freight elevator for this company")),
            url=reverse("desk:permits:elevator_list") + f"?for_tenant={tenant.pk}",
            status="",
        )
    ]
    rows += [
        RelatedRow(
            label=f"{b.elevator.name} · {b.hours_text} · {b.purpose[:20]}",
            url=reverse("desk:permits:elevator_booking_detail", args=[b.pk]),
            status=b.get_status_display(),
            when=b.created_at,
        )
        for b in selectors.bookings_of(tenant)[:10]
    ]
    return RelatedPanel(
        title=ElevatorBooking._meta.verbose_name_plural,
        rows=rows,
        list_url=reverse("desk:permits:elevator_list") + f"?q={tenant.name}",
    )


def register() -> None:
    from django.utils.translation import gettext_lazy

    from jinyuan.workflow import labels
    from tenants import grants

    from . import board

    # Security's board: who holds which freight elevator today and in the next 24 hours.
    board.register_section(
        board.BoardSection(
            "elevator",
            ElevatorBooking._meta.verbose_name_plural,
            selectors.elevator_bookings_for_board,
            "permits/desk/_board_elevator.html",
            order=30,
        )
    )
    # What the bookings' timeline events carry (permits.elevator).
    labels.register_data(
        {
            "elevator": gettext_lazy("Freight elevator"),
            "slot": gettext_lazy("Time"),
            "company": gettext_lazy("Company"),
            "billed_hours": gettext_lazy("Billed hours"),
            "operator": gettext_lazy("Operator"),
            "paid": gettext_lazy("Paid"),
            "before_cutoff": (
                gettext_lazy("Before the cancellation cut-off"),
                lambda value: str(gettext_lazy("Yes") if value else gettext_lazy("No")),
            ),
        }
    )

    grants.register_area(ELEVATOR_AREA, _("Freight elevator"))
    nav.register_desk(
        nav.DeskEntry(_("Freight elevator"), "desk:permits:elevator_list", nav.TENANT_SERVICES, order=57),
    )
    nav.register_portal(nav.PortalEntry(_("Freight elevator"), "portal:permits:elevator_list", order=57))
    nav.register_quick_link(
        nav.QuickLink(_("Book the freight elevator"), "portal:permits:elevator_list", "box-seam", order=57),
    )
    nav.register_panel(desk_panels)
    nav.register_related(tenant_elevator, roles=STAFF_ROLES)
    nav.register_log_events(
        "elevator_bookings",
        label=ElevatorBooking._meta.verbose_name_plural,
        codes=(
            "elevator_booking.booked",
            "elevator_booking.cancelled",
            "elevator_booking.done",
            "elevator_booking.no_show",
        ),
    )
