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


# --- quality checks 品质检查 (frontdesk/quality_services.py) -------------------------------------


# --- the supervisor dashboard's monthly report (frontdesk/dashboard_services.py) ----------------
