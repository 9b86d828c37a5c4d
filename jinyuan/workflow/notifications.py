"""Sending the e-mail and SMS copies of notifications, once each, in the reader's language.

The in-app copy is the Notification row itself. A copy goes out only where the sender allowed
the channel (``Notification.channels``) and the recipient chose it in their profile and has an
address or phone number. Claiming sets ``emailed_at`` / ``texted_at`` on rows locked with SKIP
LOCKED, so two workers given the same ids send each copy once.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from . import sms
from .models import Notification


def _text(note: Notification) -> tuple[str, str]:
    with translation.override(getattr(note.recipient, "language", None) or settings.LANGUAGE_CODE):
        title = note.title
    link = f"{settings.SITE_URL}{note.url}" if note.url else ""
    return title, f"{note.body}\n\n{link}".strip()


def send_email_copies(ids: Iterable[int]) -> int:
    with transaction.atomic():
        notes = list(
            Notification.objects.filter(
                pk__in=list(ids),
                emailed_at__isnull=True,
                channels__contains=["email"],
                recipient__notify_by_email=True,
            )
            .exclude(recipient__email="")
            .select_related("recipient")
            .select_for_update(skip_locked=True, of=("self",))
        )
        if not notes:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=timezone.now())
        for note in notes:
            title, body = _text(note)
            send_mail(title, body or title, None, [note.recipient.email])
    return len(notes)


def send_sms_copies(ids: Iterable[int]) -> int:
    with transaction.atomic():
        notes = list(
            Notification.objects.filter(
                pk__in=list(ids),
                texted_at__isnull=True,
                channels__contains=["sms"],
                recipient__notify_by_sms=True,
            )
            .exclude(recipient__phone="")
            .select_related("recipient")
            .select_for_update(skip_locked=True, of=("self",))
        )
        if not notes:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(texted_at=timezone.now())
        for note in notes:
            title, _body = _text(note)
            sms.send(note.recipient.phone, title)
    return len(notes)
