from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone

from .services import monthly_bills_issue


@shared_task(name="billing.issue_monthly_bills")
def issue_monthly_bills(year: int | None = None, month: int | None = None) -> int:
    """Bill the current month (by default). Safe to run twice: billed tenants are skipped."""
    today = timezone.localdate()
    system = get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if system is None:
        return 0
    return monthly_bills_issue(year=year or today.year, month=month or today.month, by=system)


@shared_task(name="billing.send_arrears_reminders")
def send_arrears_reminders() -> int:
    """The reminder schedule 催缴 and broken promises to pay. Safe to run twice or at once."""
    from .arrears import broken_promises_remind, reminders_send

    return reminders_send() + broken_promises_remind()
