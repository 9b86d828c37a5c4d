from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from django.utils.translation import gettext_noop

        from jinyuan.workflow.deadlines import register_deadline_kind

        # "reply" is the kernel's own kind (Reply); acknowledgement is new.
        register_deadline_kind("acknowledgement", gettext_noop("Acknowledgement"))
        from . import hooks

        hooks.register()
        # The pages: menus, the desk home's panels, the tenant page's panel.
        from . import menus

        menus.register()
        _register_statistics()


def _register_statistics() -> None:
    """The monthly service statistics: the supervisor's menu entry, the report's sign-off
    deadline and whom it escalates to."""
    from django.utils.translation import gettext_noop

    from jinyuan import navigation as nav
    from jinyuan.workflow.deadlines import register_deadline_kind, register_recipients

    from .models import MANAGERS_TO_ESCALATE
    from .selectors import superusers_to_escalate

    register_deadline_kind("report_sign_off", gettext_noop("Sign-off of the monthly report"))
    register_recipients(MANAGERS_TO_ESCALATE, superusers_to_escalate)
    nav.register_desk(
        nav.DeskEntry(_("Monthly service statistics"), "desk:complaints:statistics", nav.SUPERVISION, order=40)
    )
