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


# --- the building management log 大厦管理日志 (frontdesk/management_log_services.py) ------------
from . import management_log_services  # noqa: E402


@shared_task(name="frontdesk.open_management_log")
def open_management_log() -> bool:
    """Open yesterday's management log and start its signing deadline (once, however often
    the scheduler runs)."""
    return management_log_services.open_yesterday()


# --- quality checks 品质检查 (frontdesk/quality_services.py) -------------------------------------


# --- the supervisor dashboard's monthly report (frontdesk/dashboard_services.py) ----------------
