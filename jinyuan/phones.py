"""Mainland mobile numbers (中国大陆手机号): 11 digits starting 1[3-9], as carriers assign them
(MIIT numbering plan). Spaces, dashes and a +86 / 0086 prefix, as people type them, are removed."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE = re.compile(r"1[3-9]\d{9}")
_SEPARATORS = re.compile(r"[\s\-()（）]")


def normalize_mobile(value: str) -> str:
    """``+86 138-7711-0001`` -> ``13877110001``; anything else is returned stripped, for the
    validator to refuse with a message."""
    number = _SEPARATORS.sub("", value or "")
    for prefix in ("+86", "0086"):
        if number.startswith(prefix) and len(number) == len(prefix) + 11:
            number = number[len(prefix) :]
    return number


def validate_mobile(value: str) -> None:
    if not MOBILE.fullmatch(normalize_mobile(value)):
        raise ValidationError(
            _("Enter a mainland mobile number: 11 digits starting with 13–19, e.g. 13877110001."), code="mobile"
        )


LANDLINE = re.compile(r"0\d{2,3}\d{7,8}")


def validate_phone(value: str) -> None:
    """A mobile number, or a landline with its area code (0771-5551234): a contact's phone."""
    number = normalize_mobile(value)
    if not (MOBILE.fullmatch(number) or LANDLINE.fullmatch(number)):
        raise ValidationError(
            _("Enter a mobile number (11 digits, e.g. 13877110001) or a landline with its area code."), code="phone"
        )
