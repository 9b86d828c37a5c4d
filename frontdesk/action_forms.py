"""Forms of follow-up items: one item (an emergency's follow-up, a need raised on a visit, as
rows of a formset) and closing one from a list. The service judges; its errors go beside the
fields (``text``, ``owner``, ``due_at``)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import action_services
from .models.liaison import ITEM_TEXT_MAX

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActionItemForm(forms.Form):
    text = forms.CharField(
        label=_("What is to be done"),
        max_length=ITEM_TEXT_MAX,
        widget=forms.TextInput(attrs={"maxlength": ITEM_TEXT_MAX}),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_at = forms.DateTimeField(label=_("Due by"), widget=DATETIME)

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff are a few dozen rows: read once and shared by the formset's rows.
        self.fields["owner"].queryset = action_services.staff_users().order_by("display_name", "username")
        if owners is not None:
            self.fields["owner"].choices = owners

    def clean(self):
        data = super().clean()
        if {"text", "owner", "due_at"} <= set(data):
            for field, error in action_services.item_errors(now=timezone.now(), **data).items():
                self.add_error(field, error)
        return data


class NeedForm(ActionItemForm):
    """A need raised on a visit: a row of the visit form, left empty when there is none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def clean(self):
        data = forms.Form.clean(self)
        filled = [name for name in ("text", "owner", "due_at") if data.get(name)]
        if not filled:
            return data
        for name in ("text", "owner", "due_at"):
            if name not in filled and name not in self.errors:
                self.add_error(name, _("Needed for this need."))
        if not self.errors:
            for field, error in action_services.item_errors(now=timezone.now(), **data).items():
                self.add_error(field, error)
        return data

    @property
    def is_filled(self) -> bool:
        return bool(self.cleaned_data.get("text"))


class BaseNeedFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if not hasattr(self, "_owners"):
            # The owner list read once for every row (a query per row otherwise).
            field = ActionItemForm().fields["owner"]
            self._owners = list(field.choices)
        kwargs["owners"] = self._owners
        return kwargs

    def needs(self) -> list[dict]:
        return [
            {k: f.cleaned_data[k] for k in ("text", "owner", "due_at")}
            for f in self.forms
            if f.cleaned_data and f.is_filled
        ]


NeedFormSet = forms.formset_factory(NeedForm, formset=BaseNeedFormSet, extra=3, max_num=10, absolute_max=10)


class CloseItemForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
