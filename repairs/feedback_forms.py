"""The sign-off form: the same in the portal and on the desk's screen."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RepairRating

SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]
SATISFIED_CHOICES = [("yes", _("Yes, the repair is done")), ("no", _("No, it is not fixed"))]


def _score(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
        error_messages={
            "required": _("Give a rating from 1 to 5."),
            "invalid_choice": _("Give a rating from 1 to 5."),
        },
    )


class SignOffForm(forms.Form):
    overall = _score(_("Overall"))
    speed = _score(_("Speed"))
    service = _score(_("Service"))
    satisfied = forms.TypedChoiceField(
        label=_("Are you satisfied?"),
        choices=SATISFIED_CHOICES,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you are satisfied.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=RepairRating._meta.get_field("comment").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you are not satisfied: what is still wrong?"),
    )

    def clean(self):
        data = super().clean()
        if data.get("satisfied") is False and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Tell us what is still wrong."))
        return data
