import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import FollowUp


class FollowUpFilter(django_filters.FilterSet):
    """Without a filter the page is the worklist: open follow-ups due today or before."""

    DUE_CHOICES = (("due", _("Due today or overdue")), ("upcoming", _("Upcoming")), ("all", _("All")))

    due = django_filters.ChoiceFilter(label=_("Due"), choices=DUE_CHOICES, method="due_f", empty_label=None)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=FollowUp.Status.choices)
    result = django_filters.ChoiceFilter(label=_("Result"), choices=FollowUp.Result.choices)

    class Meta:
        model = FollowUp
        fields = ["due", "status", "result"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("due"):
            data["due"] = "due"
        if data["due"] == "due" and not data.get("status"):
            data["status"] = FollowUp.Status.OPEN
        super().__init__(data, *args, **kwargs)

    def due_f(self, qs, name, value):
        today = timezone.localdate()
        if value == "due":
            return qs.filter(due_on__lte=today)
        if value == "upcoming":
            return qs.filter(due_on__gt=today)
        return qs
