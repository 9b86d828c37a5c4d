"""Django's ``date`` filter, with the project's own formats written directly.

A builtin (settings.TEMPLATES ``builtins``, after Django's own): ``{{ value|date:"Y-m-d" }}``
in every template is this filter. Registers print one or two dates a row; through
``formats.date_format`` and ``DateFormat`` (a format lookup, a regular-expression split and a
method call per format character) a date cost 15-40 µs, a 25-row page with two dates a row
about 1-2 ms of its CPU. The formats the templates use (digits only, no names) are written here
with the same output as Django's, and ``c`` (ISO 8601, a ``<time datetime>``); any other
format, a value of another type, or no format (the localized default) goes to Django's filter
unchanged. The template engine has already turned an aware datetime into local time
(``expects_localtime``), as for Django's filter.
"""

import datetime as dt

from django import template
from django.template import defaultfilters

register = template.Library()

# Format -> (str.format template, whether it prints a time: only a datetime has one).
_DAY = "{0.year:04d}-{0.month:02d}-{0.day:02d}"
FORMATS: dict[str, tuple[str, bool]] = {
    "Y-m-d": (_DAY, False),
    "Y-m": ("{0.year:04d}-{0.month:02d}", False),
    "m-d": ("{0.month:02d}-{0.day:02d}", False),
    "Y-m-d H:i": (_DAY + " {0.hour:02d}:{0.minute:02d}", True),
    "m-d H:i": ("{0.month:02d}-{0.day:02d} {0.hour:02d}:{0.minute:02d}", True),
    "H:i": ("{0.hour:02d}:{0.minute:02d}", True),
}


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's ``date`` (same output); the formats in FORMATS without its machinery."""
    if arg == "c" and type(value) in (dt.datetime, dt.date):  # ISO 8601, as DateFormat.c
        return value.isoformat()
    written = FORMATS.get(arg) if isinstance(arg, str) else None
    if written is not None:
        kind = type(value)
        if kind is dt.datetime or (kind is dt.date and not written[1]):
            return written[0].format(value)
    return defaultfilters.date(value, arg)
