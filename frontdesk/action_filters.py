"""Filters of the follow-up item worklists."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import action_services
from .models import ActionItem

OVERDUE_CHOICES = (("overdue", _("Overdue")), ("upcoming", _("Not yet due")))


class ActionItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ActionItem.Status.choices)
    due = django_filters.ChoiceFilter(label=_("Due"), choices=OVERDUE_CHOICES, method="filter_due")
    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=None)

    class Meta:
        model = ActionItem
        fields = ["q", "status", "due", "owner"]

    def __init__(self, *args, mine: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if mine:
            del self.filters["owner"]
        else:
            # Staff only: a few dozen rows, never the tenants' users.
            self.filters["owner"].queryset = action_services.staff_users().order_by("display_name", "username")

    def search(self, qs, name, value):
        value = value.strip()
        return qs.filter(Q(text__icontains=value) | Q(outcome__icontains=value)) if value else qs

    def filter_due(self, qs, name, value):
        now = timezone.now()
        if value == "overdue":
            return qs.filter(status=ActionItem.Status.OPEN, due_at__lt=now)
        if value == "upcoming":
            return qs.filter(status=ActionItem.Status.OPEN, due_at__gte=now)
        return qs
