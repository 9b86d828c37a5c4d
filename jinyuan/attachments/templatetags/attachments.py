from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("attachments/_list.html")
def attachment_list(record, attachments=None):
    """``{% attachment_list record %}``: the record's live files, photos as thumbnails.
    Pass ``attachments`` when the view already loaded them (one query for many records)."""
    if attachments is None:
        attachments = list(selectors.attachments_of(record))
    return {"attachments": attachments}
