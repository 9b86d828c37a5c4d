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
        from jinyuan import dashboard

        from .panels import calendar_panels

        post_migrate.connect(_seed_calendar, sender=self, dispatch_uid="workflow.seed_calendar")
        dashboard.register(calendar_panels)
