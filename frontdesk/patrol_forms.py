"""Forms of patrols 巡视: a point's checklist on the phone, a code typed by hand, a transfer. The
services judge what the forms cannot (a point off the route, a finding without a note)."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from jinyuan.lists import ChoicesInOneFetch, choice_from_fetched

from .models.patrols import PATROL_PAGE_ROLES

NORMAL, ABNORMAL = "normal", "abnormal"
RESULT_CHOICES = ((NORMAL, _("Normal")), (ABNORMAL, _("Abnormal")))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Label code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "class": "form-control"}),
        help_text=_("Scan the label, or type the code printed under it."),
    )


class CheckForm(forms.Form):
    """One radio pair a checklist item (``item_0`` ...), the note and a photo."""

    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when anything is abnormal: what, where, how bad."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        fields = {}
        for i, item in enumerate(self.items):
            fields[f"item_{i}"] = forms.ChoiceField(
                label=item,
                choices=RESULT_CHOICES,
                widget=forms.RadioSelect,
                initial=NORMAL,
                error_messages={"required": _("Mark it normal or abnormal.")},
            )
        self.fields = {**fields, **self.fields}

    def results(self) -> dict[str, bool]:
        return {item: self.cleaned_data[f"item_{i}"] == NORMAL for i, item in enumerate(self.items)}


def patrol_staff():
    """Who a task may be handed to: active members of security, engineering and the desk."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[str(r) for r in PATROL_PAGE_ROLES])
        .distinct()
        .order_by("display_name", "username")
    )


class TransferForm(forms.Form):
    to = forms.ModelChoiceField(
        label=_("Transfer to"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        field.queryset = patrol_staff()
        # A few dozen people read in one plain query (no server-side cursor), the chosen one among them.
        field.iterator = ChoicesInOneFetch
        field.to_python = choice_from_fetched(field)
