"""Template helpers that keep the shared partials accessible by construction."""

from django import template
from django.forms import BoundField, MultiWidget
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def labelled_parts(field: BoundField) -> BoundField:
    """Gives each input of a multi-part field (a from–to date range) its own accessible name,
    "<label> from" / "<label> to": a <label for> reaches only one input, axe's ``label`` rule
    wants every one named. The widget belongs to this form instance, so the change stays here."""
    widget = field.field.widget
    if isinstance(widget, MultiWidget):
        count = len(widget.widgets)
        parts = [_("from"), _("to")] if count == 2 else [str(n) for n in range(1, count + 1)]
        for part, sub in zip(parts, widget.widgets, strict=True):
            sub.attrs.setdefault("aria-label", f"{field.label} {part}")
    return field
