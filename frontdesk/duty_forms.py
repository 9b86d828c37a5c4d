"""Forms of the duty log: the quick entry, closing an open item, the handover."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from jinyuan.accounts.roles import DESK_ROLES

from .models import DutyEntry, Shift


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        else:
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class EntryForm(forms.Form):
    """The quick entry at the top of the shift's page: kind, text, open item; the time is now
    unless given."""

    kind = forms.ChoiceField(label=_("Kind"), choices=DutyEntry.Kind.choices, initial=DutyEntry.Kind.VISITOR)
    text = forms.CharField(
        label=_("What happened"),
        max_length=DutyEntry._meta.get_field("text").max_length,
        # One line: Enter logs it (keyboard-fast), the focus is back in it on the next page.
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
        error_messages={"required": _("Write what happened.")},
    )
    is_open = forms.BooleanField(label=_("Still to act on (open item)"), required=False)
    at = forms.TimeField(
        label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}), help_text=_("Empty: now.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class CloseItemForm(forms.Form):
    note = forms.CharField(
        label=_("How it was dealt with"),
        max_length=DutyEntry._meta.get_field("closing_note").max_length,
        error_messages={"required": _("Say how the item was dealt with.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


def desk_clerks():
    """Who may take over the desk: active front-desk clerks and supervisors (a few dozen)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[str(r) for r in DESK_ROLES])
        .distinct()
        .order_by("display_name", "username")
    )


class ClerkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name or obj.get_username()


class HandoverForm(forms.Form):
    arriving = ClerkChoiceField(
        label=_("Arriving clerk"),
        queryset=None,
        required=False,  # the service says what is wrong, beside the field
        error_messages={"invalid_choice": _("Choose a front-desk clerk.")},
    )
    handover_notes = forms.CharField(
        label=_("Handover notes"),
        max_length=Shift._meta.get_field("handover_notes").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["arriving"].queryset = desk_clerks()
        _styled(self)
