"""Filters of the announcement register (desk)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Announcement, AnnouncementReceipt

URGENT_CHOICES = (("1", _("Urgent only")), ("0", _("Not urgent")))


class AnnouncementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Title"), field_name="title", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Announcement.Status.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Announcement.Category.choices)
    urgent = django_filters.ChoiceFilter(label=_("Urgent"), choices=URGENT_CHOICES, method="filter_urgent")
    published_from = django_filters.DateFilter(
        label=_("Publish time from"), field_name="publish_at", lookup_expr="date__gte"
    )
    published_to = django_filters.DateFilter(
        label=_("Publish time to"), field_name="publish_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Announcement
        fields = ["q", "status", "category", "urgent", "published_from", "published_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("published_from", "published_to"):
            self.filters[name].field.widget.attrs["type"] = "date"

    def filter_urgent(self, qs, name, value):
        return qs.filter(urgent=value == "1")


CALLED_CHOICES = (
    ("none", _("Not called yet")),
    ("reached", _("Reached")),
    ("not_reached", _("Not reached")),
)


class UnreadFilter(django_filters.FilterSet):
    """The unread list: by the desk's last call."""

    called = django_filters.ChoiceFilter(label=_("Last call"), choices=CALLED_CHOICES, method="filter_called")

    class Meta:
        model = AnnouncementReceipt
        fields = ["called"]

    def filter_called(self, qs, name, value):
        if value == "none":
            return qs.filter(last_call_result="")
        return qs.filter(last_call_result=value)
