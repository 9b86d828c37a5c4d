"""What the building management log adds to the kernel's pages: the desk menu entry, the
document kind of its PDF, the signing deadline's name, its unsigned logs as the dashboard's
open work (registered from FrontdeskConfig.ready)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from jinyuan import navigation as nav

from .models import ManagementLog
from .models.management_log import LOG_DEADLINE


def register() -> None:
    from jinyuan.documents import registry
    from jinyuan.workflow import deadlines

    from .management_log_documents import log_kind

    registry.register(log_kind())
    deadlines.register_deadline_kind(LOG_DEADLINE, gettext_noop("Signing the management log"))
    nav.register_desk(
        nav.DeskEntry(_("Building management log"), "desk:frontdesk:management_log_list", nav.SUPERVISION, order=20),
    )
    nav.register_work(
        nav.Work(
            ManagementLog,
            ManagementLog._meta.verbose_name_plural,
            url="desk:frontdesk:management_log_list",
            overdue_query=f"status={ManagementLog.Status.OPEN}",
        )
    )
