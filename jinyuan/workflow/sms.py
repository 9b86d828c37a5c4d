"""Text messages behind one small interface. ``settings.SMS_BACKEND`` names the backend class
(dotted path); the default writes each message to the log, so development and tests send
nothing. A real provider is a class with the same ``send`` method, configured in settings.
"""

import logging
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("jinyuan.sms")


class LogBackend:
    """Writes each message to the ``jinyuan.sms`` log instead of sending it."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class LocmemBackend:
    """Keeps messages in ``outbox`` (tests)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


@cache
def _backend(path: str):
    return import_string(path)()


def send(phone: str, text: str) -> None:
    _backend(settings.SMS_BACKEND).send(phone, text)
