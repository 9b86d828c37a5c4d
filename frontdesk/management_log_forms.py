"""Forms of the building management log: the supervisor's remarks. Items noted on the log use
the follow-up item's form (``action_forms.ActionItemForm``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .management_log_services import REMARKS_MAX


class RemarksForm(forms.Form):
    building_remarks = forms.CharField(
        label=_("State of the building (大厦情况)"),
        max_length=REMARKS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REMARKS_MAX}),
    )
    manager_opinion = forms.CharField(
        label=_("Duty manager's opinion (值班经理意见)"),
        max_length=REMARKS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": REMARKS_MAX}),
    )
