from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_calendar(sender, **kwargs) -> None:
    """After migrate (and a test database's flush): this year and next in the working calendar."""
    from .calendar import seed_missing_years

    seed_missing_years()


class WorkflowConfig(AppConfig):
    name = "jinyuan.workflow"
    label = "workflow"
    verbose_name = _("Workflow")

    def ready(self) -> None:
        from jinyuan import navigation

        from .panels import calendar_panels

        post_migrate.connect(_seed_calendar, sender=self, dispatch_uid="workflow.seed_calendar")
        navigation.register_panel(calendar_panels)
        # Every user has an inbox (NotificationListView: any logged-in user).
        navigation.register_desk(navigation.DeskEntry(_("Notifications"), "notifications", icon="bell", end=True))
        navigation.register_portal(navigation.PortalEntry(_("Notifications"), "notifications", icon="bell", end=True))
