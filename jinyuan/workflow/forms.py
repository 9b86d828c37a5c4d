from django import forms
from django.utils.translation import gettext_lazy as _


class ActionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note / reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, needs_note: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_note = needs_note

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if self.needs_note and not note:
            raise forms.ValidationError(_("Please give a reason."))
        return note
