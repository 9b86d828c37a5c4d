"""Sending the e-mail and SMS copies of notifications, once each, in the reader's language.

The in-app copy is the Notification row itself. A copy goes out only where the sender allowed
the channel (``Notification.channels``) and the recipient chose it in their profile and has an
address or phone number. Claiming sets ``emailed_at`` / ``texted_at`` on rows locked with SKIP
LOCKED, so two workers given the same ids send each copy once.
"""

from collections.abc import Callable, Iterable

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


def _claim_and_send(ids: Iterable[int], channel: str, mark: str, chosen: str, address: str, send: Callable) -> int:
    """Claim the unsent ``channel`` copies of ``ids`` whose recipient chose the channel and has
    an ``address``, mark them sent (``mark``) and send each: rows locked with SKIP LOCKED, so
    a concurrent run takes none of them."""
    with transaction.atomic():
        notes = list(
            Notification.objects.filter(
                pk__in=list(ids),
                channels__contains=[channel],
                **{f"{mark}__isnull": True, f"recipient__{chosen}": True},
            )
            .exclude(**{f"recipient__{address}": ""})
            .select_related("recipient")
            .select_for_update(skip_locked=True, of=("self",))
        )
        if not notes:
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(**{mark: timezone.now()})
        for note in notes:
            title, body = _text(note)
            send(getattr(note.recipient, address), title, body)
    return len(notes)


def send_email_copies(ids: Iterable[int]) -> int:
    return _claim_and_send(
        ids,
        "email",
        "emailed_at",
        "notify_by_email",
        "email",
        lambda to, title, body: send_mail(title, body or title, None, [to]),
    )


def send_sms_copies(ids: Iterable[int]) -> int:
    return _claim_and_send(
        ids, "sms", "texted_at", "notify_by_sms", "phone", lambda to, title, body: sms.send(to, title)
    )
