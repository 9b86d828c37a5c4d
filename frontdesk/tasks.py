"""Front-desk Celery tasks: load by id, call a service (each section adds its own)."""

# --- announcements (frontdesk/notice_services.py) ------------------------------------------------
from celery import shared_task

from . import notice_services


@shared_task(name="frontdesk.publish_due_announcements")
def publish_due_announcements() -> int:
    """Publish the approved announcements whose time has come and expire the past ones (every
    minute under beat; a second run, also at once, publishes nothing twice)."""
    return notice_services.publish_due()


@shared_task(name="frontdesk.notify_announcement")
def notify_announcement(announcement_id: int) -> int:
    """Tell the addressed companies' portal users about a published announcement, once each."""
    return notice_services.notify_addressed(announcement_id)


# --- patrols 巡视 (frontdesk/patrol_services.py) -------------------------------------------------
from . import patrol_services  # noqa: E402


@shared_task(name="frontdesk.patrol_tick")
def patrol_tick() -> dict:
    """Today's patrol tasks made from the plans, the long-past ones closed (every few minutes
    under beat; a second run, or two at once, makes and closes nothing twice)."""
    return patrol_services.patrol_tick()


# --- the building management log 大厦管理日志 (frontdesk/management_log_services.py) ------------
from . import management_log_services  # noqa: E402


@shared_task(name="frontdesk.open_management_log")
def open_management_log() -> bool:
    """Open yesterday's management log and start its signing deadline (once, however often
    the scheduler runs)."""
    return management_log_services.open_yesterday()


# --- quality checks 品质检查 (frontdesk/quality_services.py) -------------------------------------


# --- the supervisor dashboard's monthly report (frontdesk/dashboard_services.py) ----------------


@shared_task(name="frontdesk.draft_dashboard_report")
def draft_dashboard_report() -> int | None:
    """Beat, hourly: last month's supervision report, drawn up once (the 1st, or the first run
    after it); the new report's id, None when it was there already."""
    from .dashboard_services import draft_last_month

    report = draft_last_month()
    return report.pk if report else None


@shared_task(name="frontdesk.render_dashboard_report", autoretry_for=(OSError,), max_retries=3, retry_backoff=True)
def render_dashboard_report(report_id: int) -> bool:
    """Render a monthly supervision report's PDF (loads by id; a second run writes the same file)."""
    from .dashboard_services import report_render

    return report_render(report_id)
