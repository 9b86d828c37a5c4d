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
