"""Forms of quality checks: the check itself (one score, a non-conformity tick and a remark per
item of the sheet, built from the sheet), and a failed re-check's new deadline. The service
judges the scores; its errors go beside the fields (``score_<item>``, ``location`` ...)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from jinyuan.uploads import IMAGE_TYPES, MultipleFilesField

from . import action_services
from .action_forms import DATETIME
from .quality_services import MAX_PHOTOS, ItemScore, score_field


class CheckForm(forms.Form):
    # A key of this form's own: sent twice, it records one check (quality_check_submit).
    submit_key = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)
    checked_at = forms.DateTimeField(label=_("Checked at"), widget=DATETIME)
    location = forms.CharField(
        label=_("Area / location"), max_length=100, widget=forms.TextInput(attrs={"placeholder": _("e.g. B1 car park")})
    )
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFilesField(label=_("Photos"), allowed=IMAGE_TYPES, max_files=MAX_PHOTOS, capture=True)
    responsible = forms.ModelChoiceField(
        label=_("Responsible person"),
        queryset=None,
        required=False,
        help_text=_("Who answers for the non-conformities found (optional)."),
    )
    due_at = forms.DateTimeField(
        label=_("Rectify by"),
        required=False,
        widget=DATETIME,
        help_text=_("Empty: the sheet's days to rectify after the check."),
    )

    def __init__(self, *args, sheet, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet, self.items = sheet, items
        self.fields["responsible"].queryset = action_services.staff_users().order_by("display_name", "username")
        for item in items:
            self.fields[score_field(item)] = forms.DecimalField(
                label=_("Score"),
                max_digits=4,
                decimal_places=1,
                min_value=item.min_score,
                max_value=item.max_score,
                widget=forms.NumberInput(
                    attrs={
                        "inputmode": "decimal",
                        "step": "0.1",
                        "min": item.min_score,
                        "max": item.max_score,
                        "class": "form-control form-control-lg",
                    }
                ),
            )
            self.fields[f"nc_{item.pk}"] = forms.BooleanField(
                label=_("Non-conforming"),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input", "role": "switch"}),
            )
            self.fields[f"remark_{item.pk}"] = forms.CharField(label=_("Remark"), max_length=200, required=False)

    def item_rows(self):
        """Per item, its three fields bound (the template lays them out as one card)."""
        return [
            (item, self[score_field(item)], self[f"nc_{item.pk}"], self[f"remark_{item.pk}"]) for item in self.items
        ]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "checked_at": d["checked_at"],
            "location": d["location"],
            "notes": d["notes"],
            "photos": d["photos"],
            "responsible": d["responsible"],
            "due_at": d["due_at"],
            "submit_key": d["submit_key"],
            "scores": {
                item.pk: ItemScore(d[score_field(item)], d[f"nc_{item.pk}"], d[f"remark_{item.pk}"])
                for item in self.items
            },
        }


class RectifyForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFilesField(label=_("Photos"), allowed=IMAGE_TYPES, max_files=MAX_PHOTOS, capture=True)


class RecheckFailForm(forms.Form):
    note = forms.CharField(label=_("What is still wrong"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    due_at = forms.DateTimeField(label=_("New deadline"), widget=DATETIME)
