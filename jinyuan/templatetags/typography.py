"""Punctuation that follows the reader's language, and tokens that must not break.

``{% translate "Lease" %}{% colon %}`` reads "Lease: " in English and "租约：" in Chinese (a
Chinese colon is full-width and takes no space). A builtin (settings.TEMPLATES ``builtins``).
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


def is_chinese() -> bool:
    return (get_language() or "").lower().startswith("zh")


@register.simple_tag
def colon() -> str:
    return "：" if is_chinese() else ": "


@register.filter
def nowrap(value):
    """A token that must not break on a phone (a date, a document number) in a no-wrap span."""
    return format_html('<span class="text-nowrap">{}</span>', value)
