"""What tenants adds to the kernel's pages (registered in TenantsConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jinyuan import navigation as nav
from jinyuan.accounts.roles import Role
from jinyuan.navigation import Panel

from . import selectors
from .models import Tenant, Unit


def desk_panels(user: Any) -> list[Panel]:
    """The supervisor's: move-ins whose checklist is complete, waiting for confirmation."""
    if not user.has_role(Role.SUPERVISOR):
        return []
    url = reverse("desk:tenants:movein_list") + "?status=open&ready=true"
    return [Panel(_("Move-ins to confirm"), selectors.move_ins_ready().count(), url, "danger")]


def may_request_move_out(tenant: Tenant, user: Any) -> bool:
    """A move-out only while the company occupies a unit and has none open."""
    facts = selectors.home_facts(tenant)
    return bool(facts.occupancies) and not facts.move_outs


def _occupancy() -> dict[str, Any]:
    """Units and their area, all and occupied today (an occupancy running): one query."""
    from django.db.models import Count, Q, Sum

    from .models import Occupancy

    # IN (the occupied units): the occupancies read once and hashed, not probed per unit (an
    # EXISTS per unit took 300 ms for the large demo's 10,000 units, this 20 ms).
    occupied = Q(pk__in=Occupancy.objects.filter(selectors.current_q()).values("unit_id"))
    return Unit.objects.aggregate(
        units=Count("pk"),
        occupied=Count("pk", filter=occupied),
        total_area=Sum("area"),
        occupied_area=Sum("area", filter=occupied),
    )


def occupancy_rate() -> float:
    """Share of the units occupied today, in per cent (0-100, one decimal)."""
    counts = _occupancy()
    return round(counts["occupied"] * 100 / counts["units"], 1) if counts["units"] else 0.0


def occupancy_area_rate() -> float:
    """Share of the units' area occupied today, in per cent (0-100, one decimal)."""
    counts = _occupancy()
    area, occupied = counts["total_area"], counts["occupied_area"] or 0
    return round(float(occupied * 100 / area), 1) if area else 0.0


def active_tenants() -> int:
    return Tenant.objects.filter(is_active=True).count()


def register_navigation() -> None:
    nav.register_panel(desk_panels)
    nav.register_desk(
        nav.DeskEntry(_("Tenants"), "desk:tenants:tenant_list", order=10),
        nav.DeskEntry(_("Units"), "desk:tenants:unit_list", order=11),
        nav.DeskEntry(_("Buildings"), "desk:tenants:building_list", order=12),
        nav.DeskEntry(_("Move-ins"), "desk:tenants:movein_list", nav.TENANT_SERVICES, order=21),
        nav.DeskEntry(_("Move-outs"), "desk:tenants:moveout_list", nav.TENANT_SERVICES, order=22),
        nav.DeskEntry(_("Signboards"), "desk:tenants:signboard_list", nav.TENANT_SERVICES, order=23),
        nav.DeskEntry(_("Directory"), "desk:tenants:directory", nav.TENANT_SERVICES, order=24),
    )
    nav.register_portal(nav.PortalEntry(_("Company"), "portal:home", order=10))
    nav.register_quick_link(
        nav.QuickLink(_("Order a signboard"), "portal:tenants:signboard_new", "signpost", order=40),
        nav.QuickLink(
            _("Request a move-out"),
            "portal:tenants:moveout_new",
            "box-arrow-right",
            condition=may_request_move_out,
            order=50,
        ),
        nav.QuickLink(_("Who may open what"), "portal:tenants:grants", "person-lock", order=60),
    )
    nav.register_search(
        nav.Search(
            _("Search tenants"),
            "desk:tenants:tenant_list",
            placeholder=_("Company, credit code, contact or unit number"),
            help=_("Visitors asking for a tenant get the unit number only, never staff names or phone numbers."),
            order=10,
        )
    )
    nav.register_figure(
        nav.Figure(
            "occupancy_rate",
            _("Occupancy rate by units"),
            occupancy_rate,
            order=10,
            url="desk:tenants:unit_list",
            query="vacant=false",
            unit="%",
        ),
        nav.Figure(
            "occupancy_area_rate",
            _("Occupancy rate by area"),
            occupancy_area_rate,
            order=11,
            url="desk:tenants:unit_list",
            query="vacant=false",
            unit="%",
        ),
        nav.Figure("active_tenants", _("Tenants"), active_tenants, order=12, url="desk:tenants:tenant_list"),
    )
    from .models import MoveIn, MoveOut, ReadingRound

    nav.register_work(
        nav.Work(MoveIn, MoveIn._meta.verbose_name_plural, "desk:tenants:movein_list", order=10),
        nav.Work(MoveOut, MoveOut._meta.verbose_name_plural, "desk:tenants:moveout_list", order=11),
        nav.Work(ReadingRound, ReadingRound._meta.verbose_name_plural, "desk:tenants:round_list", order=12),
    )
    nav.register_log_events(
        "tenants",
        label=_("Tenants and premises"),
        codes=(
            "movein.opened",
            "movein.keys_handed",
            "movein.ready",
            "movein.confirmed",
            "movein.cancelled",
            "moveout.opened",
            "moveout.keys_returned",
            "moveout.completed",
            "moveout.cancelled",
            "signboard.installed",
            "signboard.removed",
            "tenant.created",
            "tenant.occupancy_started",
            "tenant.occupancy_ended",
        ),
    )


# --- meters and reading rounds 抄表 (issue 14) ------------------------------------------------------


def held_readings_panel(user: Any) -> list[Panel]:
    """The supervisor's: readings held for a decision in open rounds."""
    if not user.has_role(Role.SUPERVISOR):
        return []
    from .models import MeterReading

    held = MeterReading.objects.filter(status=MeterReading.Status.HELD, reading_round__status="open").count()
    return [Panel(_("Meter readings to confirm"), held, reverse("desk:tenants:round_list"), "warning")] if held else []


def register_meter_navigation() -> None:
    nav.register_panel(held_readings_panel)
    nav.register_desk(
        nav.DeskEntry(_("Meter readings"), "desk:tenants:round_list", nav.TENANT_SERVICES, order=25),
        nav.DeskEntry(_("Meters"), "desk:tenants:meter_list", nav.TENANT_SERVICES, order=26),
    )
    nav.register_portal(nav.PortalEntry(_("Meters"), "portal:tenants:meter_list", order=22, area=""))
    nav.register_log_events(
        "meters",
        label=_("Meter readings"),
        codes=(
            "reading_round.opened",
            "reading_round.readings_entered",
            "reading_round.imported",
            "reading_round.confirmed",
            "reading_round.billed",
            "meter.reading_confirmed",
        ),
    )
