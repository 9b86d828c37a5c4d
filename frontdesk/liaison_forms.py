"""Forms of liaison visits: the visit with its needs (a formset of follow-up items, each with an
owner and a due time); the service judges the visit, its errors go beside the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import action_services
from .action_forms import DATETIME
from .models import Visit, VisitPlan


class VisitForm(forms.Form):
    visited_at = forms.DateTimeField(label=_("Visited at"), widget=DATETIME)
    staff = forms.ModelMultipleChoiceField(
        label=_("Visited by"),
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("One or more members of staff."),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Visit.Channel.choices, initial=Visit.Channel.ON_SITE)
    met_name = forms.CharField(label=_("Met (name)"), max_length=40)
    met_title = forms.CharField(label=_("Met (title)"), max_length=40, required=False)
    topics = forms.CharField(label=_("Topics discussed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    impression = forms.ChoiceField(
        label=_("Overall impression"), choices=[("", _("Not noted")), *Visit.Impression.choices], required=False
    )
    plan = forms.ModelChoiceField(label=_("Visit plan"), queryset=None, required=False, empty_label=_("None"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = action_services.staff_users().order_by("display_name", "username")
        self.fields["plan"].queryset = VisitPlan.objects.filter(is_active=True).order_by("name")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "visited_at": data["visited_at"],
            "staff": list(data["staff"]),
            "channel": data["channel"],
            "met_name": data["met_name"],
            "met_title": data["met_title"],
            "topics": data["topics"],
            "impression": data["impression"],
            "plan": data["plan"],
        }
