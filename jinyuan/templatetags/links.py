"""``{% url %}`` with the same output, faster for the common case (a builtin that replaces
Django's tag in every template: settings.TEMPLATES ``builtins``).

A register links each of its 25 rows to its record, some rows twice: Django reverses each link
from scratch (about 65 µs), which cost a bill page more than 3 ms. A URL whose arguments are
all integers has one shape for every row: it is reversed once with stand-in numbers, and each
row's link is that shape with the row's numbers put in. Anything else (keyword arguments,
strings, ``as var``) is Django's own tag unchanged.
"""

from functools import lru_cache

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

# Stand-ins no URL prefix contains; each argument gets its own.
STAND_INS = (918273645, 918273646, 918273647, 918273648)


@lru_cache(maxsize=1024)
def _shape(view_name: str, count: int, current_app: str | None, _prefix: str, _urlconf, _language) -> str:
    """The reversed URL with stand-ins for ``count`` integer arguments. The script prefix,
    urlconf and language are part of the key: each can change what reverse() returns."""
    return reverse(view_name, args=STAND_INS[:count], current_app=current_app)


class FastURLNode(URLNode):
    def render(self, context):
        if self.asvar or self.kwargs or len(self.args) > len(STAND_INS):
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        if not all(type(arg) is int and arg >= 0 for arg in args):
            return super().render(context)
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = _shape(view_name, len(args), current_app, get_script_prefix(), get_urlconf(), get_language())
        for stand_in, arg in zip(STAND_INS, args, strict=False):
            url = url.replace(str(stand_in), str(arg), 1)
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)
