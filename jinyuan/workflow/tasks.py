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


@shared_task(name="workflow.run_step_action")
def run_step_action(action: str, content_type_id: int, pks: list[int], now: str) -> object:
    """A deadline step's action on its records (queued by the scan once per claimed step)."""
    import datetime as dt

    from django.contrib.contenttypes.models import ContentType

    from .deadlines import run_step_action as run

    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return run(action, model, pks, dt.datetime.fromisoformat(now))


@shared_task(name="workflow.seed_calendar")
def seed_calendar() -> list[int]:
    """This year and next in the working calendar, where missing (daily)."""
    return calendar.seed_missing_years()
