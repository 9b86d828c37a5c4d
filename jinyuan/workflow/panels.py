"""What the kernel adds to the desk home (registered in WorkflowConfig.ready)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from jinyuan.accounts.roles import Role
from jinyuan.navigation import Panel

from .calendar import unconfirmed_years


def calendar_panels(user: Any) -> list[Panel]:
    """Supervisors: a year of the working calendar nobody has confirmed (seeded as plain
    weekdays, or confirmed not yet) counts deadlines without its public holidays."""
    if not user.has_role(Role.SUPERVISOR):
        return []
    years = unconfirmed_years()
    if not years:
        return []
    title = _("Working calendar not confirmed: %(years)s (holidays and make-up working days)") % {
        "years": ", ".join(str(y) for y in years)
    }
    url = reverse("admin:workflow_calendaryear_changelist") + "?confirmed__exact=0"
    return [Panel(title, len(years), url, "danger")]
