"""Django's Chinese formats, with ISO dates first among the input formats.

A form re-shown after an error writes each date with the first input format; Django's Chinese
one is ``2026/12/05``, which an ``<input type="date">`` (every date field here, on phones
too) does not accept, so the browser showed the field empty and the date was lost. ISO
first keeps the date; the other formats still parse what people type.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403
from django.conf.locale.zh_Hans.formats import DATE_INPUT_FORMATS as _DJANGO_DATES
from django.conf.locale.zh_Hans.formats import DATETIME_INPUT_FORMATS as _DJANGO_DATETIMES

DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in _DJANGO_DATES if f != "%Y-%m-%d")]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    *(f for f in _DJANGO_DATETIMES if f not in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")),
]
