from celery import shared_task

from . import calendar, notifications, scan


@shared_task(name="workflow.deliver_notifications")
def deliver_notifications(notification_ids: list[int]) -> dict[str, int]:
    """Send the e-mail and SMS copies of these notifications; a second run sends nothing."""
    return {
        "email": notifications.send_email_copies(notification_ids),
        "sms": notifications.send_sms_copies(notification_ids),
    }


@shared_task(name="workflow.email_notification")
def email_notification(notification_id: int) -> bool:
    """Send one notification by e-mail (kept for tasks queued before deliver_notifications)."""
    return notifications.send_email_copies([notification_id]) > 0


@shared_task(name="workflow.scan_deadlines")
def scan_deadlines() -> int:
    return scan.scan()


@shared_task(name="workflow.seed_calendar")
def seed_calendar() -> list[int]:
    """This year and next in the working calendar, where missing (daily)."""
    return calendar.seed_missing_years()
