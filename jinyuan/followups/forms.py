from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FollowUp


class FollowUpRecordForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=FollowUp.Result.choices, widget=forms.RadioSelect)
    channel = forms.ChoiceField(label=_("Channel"), choices=FollowUp.Channel.choices, initial=FollowUp.Channel.PHONE)
    comments = forms.CharField(label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
