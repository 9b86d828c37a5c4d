"""What the supervisor dashboard adds to the kernel's pages: its desk menu entries (the
supervisors', from the views' roles). Registered in FrontdeskConfig.ready(); the figures and the
procedures' work it shows are registered by each app (navigation.register_figure/register_work)."""

from django.utils.translation import gettext_lazy as _

from jinyuan import navigation as nav


def register() -> None:
    nav.register_desk(
        nav.DeskEntry(_("Supervisor dashboard"), "desk:frontdesk:dashboard", nav.SUPERVISION, order=81),
        nav.DeskEntry(_("Monthly supervision reports"), "desk:frontdesk:dashboard_reports", nav.SUPERVISION, order=82),
    )
