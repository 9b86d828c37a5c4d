"""Filters of the quality check and non-conformity registers."""

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .action_filters import OVERDUE_CHOICES
from .models import CheckSheet, NonConformity, QualityCheck
from .models.quality import Department
from .quality_services import CHECK_PREFIX, NONCONFORMITY_PREFIX


def _day_start(value: dt.date) -> dt.datetime:
    return dt.datetime.combine(value, dt.time(0), timezone.get_current_timezone())


class RegisterFilterMixin:
    """``since`` and ``until`` (dates, both included) on ``date_field``; ``q`` finds a number
    (typed with its ``number_prefix``) exactly, else text in ``text_fields``."""

    date_field = ""
    number_prefix = ""
    text_fields: tuple[str, ...] = ()

    def search(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        if value.upper().startswith(f"{self.number_prefix}-"):
            return qs.filter(number=value.upper())
        q = Q()
        for field in self.text_fields:
            q |= Q(**{f"{field}__icontains": value})
        return qs.filter(q)

    def filter_since(self, qs, name, value):
        return qs.filter(**{f"{self.date_field}__gte": _day_start(value)})

    def filter_until(self, qs, name, value):
        return qs.filter(**{f"{self.date_field}__lt": _day_start(value + dt.timedelta(days=1))})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("since", "until"):
            self.filters[name].field.widget.attrs["type"] = "date"


class CheckFilter(RegisterFilterMixin, django_filters.FilterSet):
    date_field = "checked_at"
    number_prefix = CHECK_PREFIX
    text_fields = ("location", "notes")
    q = django_filters.CharFilter(label=_("Number, location or notes"), method="search")
    department = django_filters.ChoiceFilter(label=_("Department"), choices=Department.choices)
    # Sheets are a few dozen rows, kept by supervisors.
    sheet = django_filters.ModelChoiceFilter(label=_("Check sheet"), queryset=CheckSheet.objects.order_by("name"))
    failed = django_filters.BooleanFilter(label=_("With non-conformities"), method="filter_failed")
    since = django_filters.DateFilter(label=_("From"), method="filter_since")
    until = django_filters.DateFilter(label=_("To"), method="filter_until")

    class Meta:
        model = QualityCheck
        fields = ["q", "department", "sheet", "failed", "since", "until"]

    def filter_failed(self, qs, name, value):
        if value is None:
            return qs
        return qs.filter(failed_items__gt=0) if value else qs.filter(failed_items=0)


class NonConformityFilter(RegisterFilterMixin, django_filters.FilterSet):
    date_field = "created_at"
    number_prefix = NONCONFORMITY_PREFIX
    text_fields = ("description", "rectification")
    q = django_filters.CharFilter(label=_("Number or text"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=NonConformity.Status.choices)
    department = django_filters.ChoiceFilter(label=_("Department"), choices=Department.choices)
    due = django_filters.ChoiceFilter(label=_("Due"), choices=OVERDUE_CHOICES, method="filter_due")
    since = django_filters.DateFilter(label=_("From"), method="filter_since")
    until = django_filters.DateFilter(label=_("To"), method="filter_until")

    class Meta:
        model = NonConformity
        fields = ["q", "status", "department", "due", "since", "until"]

    def filter_due(self, qs, name, value):
        now = timezone.now()
        if value == "overdue":
            return qs.filter(status=NonConformity.Status.OPEN, due_at__lt=now)
        if value == "upcoming":
            return qs.filter(status=NonConformity.Status.OPEN, due_at__gte=now)
        return qs
