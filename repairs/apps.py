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

        # Feedback part: who a step's "repair_engineers" are (the pool has no assignee), and a
        # dissatisfied return visit reopens the ticket.
        from jinyuan.followups.hooks import on_dissatisfied
        from jinyuan.followups.selectors import register_record_queryset
        from jinyuan.workflow.deadlines import register_recipients

        from .models import ENGINEERS_TO_REMIND, RepairRating, RepairTicket
        from .selectors import engineers_to_remind
        from .services import reopen_after_visit

        register_recipients(ENGINEERS_TO_REMIND, engineers_to_remind)
        register_record_queryset(RepairTicket, lambda: RepairTicket.objects.select_related("tenant"))
        on_dissatisfied(RepairTicket, reopen_after_visit)

        # What the feedback events carry, on the timeline.
        from jinyuan.workflow import labels

        def score(value) -> str:
            return f"{value}/5"

        def visit_reason(code: str) -> str:
            if code.startswith("sample:"):
                return str(_("Sample of the month's closures (no. %(k)s)") % {"k": code.removeprefix("sample:")})
            return str({"paid": _("Paid repair"), "unsatisfied": _("Rated unsatisfied")}.get(code, code))

        labels.register_data(
            {
                "overall": (_("Overall"), score),
                "speed": (_("Speed"), score),
                "service": (_("Service"), score),
                "satisfied": (_("Satisfied"), lambda v: str(_("Yes") if v else _("No"))),
                "signed_via": (_("Signed off"), lambda code: str(dict(RepairRating.Channel.choices).get(code, code))),
                "feedback_days": _("Days without feedback"),
                "visit_reason": (_("Why visited"), visit_reason),
            }
        )
