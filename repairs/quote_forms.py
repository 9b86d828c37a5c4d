"""Forms of paid-repair quotes. The lines are billing's paid-service formsets
(billing.forms.paid_line_formsets): one check for the desk's charge and the quote."""

from django import forms
from django.utils.translation import gettext_lazy as _


class QuoteNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the tenant"),
        max_length=200,
        required=False,
        help_text=_("What the work is, in a few words."),
    )


class QuoteAnswerForm(forms.Form):
    DECISIONS = (("accept", _("Accept the quote")), ("decline", _("Decline the quote")))

    decision = forms.ChoiceField(label=_("Answer"), choices=DECISIONS, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason (when declining)"), max_length=200, required=False)
