from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "jinyuan.followups"
    label = "followups"
    verbose_name = _("Follow-up visits")

    def ready(self) -> None:
        from jinyuan import navigation
        from jinyuan.workflow import labels

        navigation.register_desk(
            navigation.DeskEntry(
                _("Follow-up visits"), "desk:followups:followup_list", navigation.TENANT_SERVICES, order=40
            )
        )

        from .models import FollowUp

        labels.register_any(
            {
                "followup_scheduled": _("Follow-up visit scheduled"),
                "followup_recorded": _("Follow-up visit recorded"),
                "followup_cancelled": _("Follow-up visit cancelled"),
            }
        )
        labels.register_data(
            {
                "due_on": _("Due on"),
                # Tolerant: another app's events may use the same keys with other codes.
                "result": (_("Result"), lambda code: dict(FollowUp.Result.choices).get(code, code)),
                "channel": (_("Channel"), lambda code: dict(FollowUp.Channel.choices).get(code, code)),
            }
        )
