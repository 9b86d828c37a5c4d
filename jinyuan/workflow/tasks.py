from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from . import deadlines
from .models import Notification


@shared_task(name="workflow.email_notification")
def email_notification(notification_id: int) -> bool:
    """Send one notification by e-mail. Claims it first, so a second run sends nothing."""
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            return False
        note = Notification.objects.select_related("recipient").get(pk=notification_id)
        link = f"{settings.SITE_URL}{note.url}" if note.url else ""
        send_mail(note.title, f"{note.body}\n\n{link}".strip(), None, [note.recipient.email])
    return True


@shared_task(name="workflow.scan_deadlines")
def scan_deadlines() -> int:
    return deadlines.scan()
