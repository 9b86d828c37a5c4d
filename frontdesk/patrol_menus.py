"""What patrols 巡视 add to the kernel's pages: the desk menu (registers under Supervision, "My
patrols" for the guards on their phones), the desk home panels, timeline labels, the
management log's patrol events, the dashboard's completion figure and who may see a check's
photos (registered from FrontdeskConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan import navigation as nav
from jinyuan.accounts.roles import DESK_ROLES
from jinyuan.navigation import Panel

from . import patrol_selectors
from .models import PatrolCheck, PatrolTask
from .models.patrols import PATROL_PAGE_ROLES

# The management log's patrol events: findings, their tickets, missed and incomplete tasks,
# transfers.
LOG_CODES = (
    "patrol_task.finding_reported",
    "patrol_task.ticket_created",
    "patrol_task.missed",
    "patrol_task.incomplete",
    "patrol_task.transferred",
)


def desk_panels(user: Any) -> list[Panel]:
    """My open patrol tasks of today (guards, engineers, anyone assigned); for the desk and
    supervisors, findings still without a repair ticket."""
    if not user.has_role(*PATROL_PAGE_ROLES):
        return []
    panels = []
    mine = patrol_selectors.my_tasks(user, timezone.localdate()).filter(status__in=PatrolTask.OPEN).count()
    if mine:
        panels.append(Panel(_("My patrol tasks to do"), mine, reverse("desk:frontdesk:patrol_mine"), "primary"))
    if user.has_role(*DESK_ROLES):
        open_findings = PatrolCheck.objects.filter(is_abnormal=True, repair__isnull=True).count()
        if open_findings:
            url = reverse("desk:frontdesk:patrol_findings") + "?ticket=no"
            panels.append(Panel(_("Patrol findings without a repair ticket"), open_findings, url, "warning"))
    return panels


def can_view_check_photos(user: Any, check: PatrolCheck) -> bool:
    if not user.has_role(*PATROL_PAGE_ROLES):
        return False
    return patrol_selectors.tasks_for(user).filter(pk=check.task_id).exists()


def register() -> None:
    from django.utils.translation import gettext_noop

    from jinyuan.attachments import access as attachment_access
    from jinyuan.attachments.models import register_kinds
    from jinyuan.workflow import labels
    from jinyuan.workflow.deadlines import register_deadline_kind

    from .models.patrols import WINDOW_DEADLINE

    register_deadline_kind(WINDOW_DEADLINE, gettext_noop("Patrol window"))

    attachment_access.register(PatrolCheck, can_view_check_photos)
    register_kinds(PatrolCheck, [("photo", _("Photo of the point"))])
    labels.register_data(
        {
            "plan": _("Plan"),
            "point": _("Point"),
            "abnormal_items": _("Abnormal items"),
            "points_missed": _("Points missed"),
            "from_user": _("From"),
            "to_user": _("To"),
        }
    )
    nav.register_desk(
        nav.DeskEntry(_("My patrols"), "desk:frontdesk:patrol_mine", None, icon="qr-code-scan", order=33),
        nav.DeskEntry(_("Patrol tasks"), "desk:frontdesk:patrol_tasks", nav.SUPERVISION, order=20),
        nav.DeskEntry(_("Patrol findings"), "desk:frontdesk:patrol_findings", nav.SUPERVISION, order=21),
        nav.DeskEntry(_("Patrol points"), "desk:frontdesk:patrol_points", nav.SUPERVISION, order=22),
        nav.DeskEntry(_("Patrol routes"), "desk:frontdesk:patrol_routes", nav.SUPERVISION, order=23),
        nav.DeskEntry(_("Patrol plans"), "desk:frontdesk:patrol_plans", nav.SUPERVISION, order=24),
    )
    nav.register_panel(desk_panels)
    nav.register_log_events("patrols", label=_("Patrols"), codes=LOG_CODES)
    # Open tasks are open work; those past their window's end the overdue.
    nav.register_work(
        nav.Work(PatrolTask, _("Patrols"), url="desk:frontdesk:patrol_tasks", overdue_query="flags=overdue", order=80)
    )
    nav.register_figure(
        nav.Figure(
            "patrol_completion",
            _("Patrol completion"),
            patrol_selectors.completion,
            url="desk:frontdesk:patrol_tasks",
            month=lambda start, end: patrol_selectors.completion(start, end),
            unit="%",
            section=_("Patrols"),
        )
    )
