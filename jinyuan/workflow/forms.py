from django import forms
from django.core.exceptions import ValidationError
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


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """A service's ValidationError shown on the form: beside its field where the form has it,
    above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
