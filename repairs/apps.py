from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairsConfig(AppConfig):
    name = "repairs"
    verbose_name = _("Repairs")

    def ready(self) -> None:
        from django.utils.translation import gettext_noop

        from jinyuan.workflow.deadlines import register_deadline_kind

        register_deadline_kind("response_wh", gettext_noop("Response"))
        register_deadline_kind("completion_wh", gettext_noop("Completion"))
        # The desk, engineer and portal pages: portal area, menus, panels, photo access.
        from . import hooks

        hooks.register()
