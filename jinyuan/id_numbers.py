"""Resident ID numbers 居民身份证号码 (GB 11643-1999): 17 digits and a check character
(ISO 7064 MOD 11-2), checked wherever a person's ID is taken (worker passes, release-note
carriers, an event's person in charge)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_NUMBER_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_CHECKS = "10X98765432"


def id_number_check_char(first17: str) -> str:
    """The check character of a resident ID number from its first 17 digits."""
    return ID_NUMBER_CHECKS[sum(int(c) * w for c, w in zip(first17, ID_NUMBER_WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> None:
    number = (value or "").strip().upper()
    if len(number) != 18 or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("An ID card number has 18 characters: 17 digits and a digit or X."), code="format")
    if id_number_check_char(number[:17]) != number[17]:
        raise ValidationError(_("The check digit does not match; please check the ID number."), code="check")
