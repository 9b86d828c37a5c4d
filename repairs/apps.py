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

        # Paid repairs (repairs.quotes): the events written besides the declared transitions.
        from jinyuan.workflow import labels

        from .models import RepairQuote

        labels.register("repair", actions={"billed": _("Quote billed")})
        labels.register_data({"via": (_("Answered"), lambda code: str(dict(RepairQuote.Via.choices).get(code, code)))})
