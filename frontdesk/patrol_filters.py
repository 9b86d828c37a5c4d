"""Filters of the patrol registers: tasks (day, route, assignee, status) and findings."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import PatrolCheck, PatrolRoute, PatrolTask
from .patrol_forms import patrol_staff

TICKET_CHOICES = (("yes", _("With a repair ticket")), ("no", _("No repair ticket yet")))


class _DateRange(django_filters.FilterSet):
    since = django_filters.DateFilter(label=_("From"), method="filter_since")
    until = django_filters.DateFilter(label=_("Until"), method="filter_until")
    route = django_filters.ModelChoiceFilter(label=_("Route"), queryset=None, method="filter_route")
    day_field = "date"
    route_field = "route"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("since", "until"):
            self.filters[name].field.widget.attrs["type"] = "date"
        self.filters["route"].queryset = PatrolRoute.objects.order_by("name")

    def filter_since(self, qs, name, value):
        return qs.filter(**{f"{self.day_field}__gte": value})

    def filter_until(self, qs, name, value):
        return qs.filter(**{f"{self.day_field}__lte": value})

    def filter_route(self, qs, name, value):
        return qs.filter(**{self.route_field: value})


class TaskFilter(_DateRange):
    assignee = django_filters.ModelChoiceFilter(label=_("Assignee"), queryset=None, method="filter_assignee")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PatrolTask.Status.choices)
    flags = django_filters.ChoiceFilter(
        label=_("Points"),
        choices=(
            ("late", _("Some late")),
            ("out_of_order", _("Some out of order")),
            ("transferred", _("Transferred")),
            ("overdue", _("Still open after the window")),
        ),
        method="filter_flags",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["assignee"].queryset = patrol_staff()

    def filter_assignee(self, qs, name, value):
        return qs.filter(Q(assignee=value) | Q(original_assignee=value))

    def filter_flags(self, qs, name, value):
        if value == "transferred":
            return qs.filter(original_assignee__isnull=False)
        if value == "overdue":
            return qs.filter(status__in=PatrolTask.OPEN, ends_at__lt=timezone.now())
        checks = PatrolCheck.objects.filter(task=OuterRef("pk"), **{f"is_{value}": True})
        return qs.filter(Exists(checks))


class FindingFilter(_DateRange):
    day_field = "task__date"
    route_field = "task__route"
    ticket = django_filters.ChoiceFilter(label=_("Repair ticket"), choices=TICKET_CHOICES, method="filter_ticket")

    def filter_ticket(self, qs, name, value):
        return qs.filter(repair__isnull=value == "no")
