"""Forms of the repair pages: the desk's phone intake, the tenant's report, dispatch and the
engineer's steps. Field names of the intake are the POST names the bench sends."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jinyuan.phones import validate_phone
from jinyuan.uploads import IMAGE_TYPES, MultipleFilesField
from tenants.models import Tenant
from tenants.selectors import current_occupancies

from . import selectors
from .models import RepairCategory, RepairRating, RepairTicket

MAX_PHOTOS = 6


class PhotosField(MultipleFilesField):
    """Several photos in one input (a phone's camera or gallery), each checked by content and
    size; none is required."""

    def __init__(self, *args, capture: bool = False, **kwargs):
        kwargs.setdefault("label", _("Photos"))
        super().__init__(
            *args,
            allowed=IMAGE_TYPES,
            max_files=MAX_PHOTOS,
            too_many=_("At most %(n)s photos."),
            capture=capture,
            **kwargs,
        )


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if not isinstance(widget, (forms.RadioSelect, forms.CheckboxInput)):
            widget.attrs.setdefault("class", css)


class _ReportFields(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=RepairCategory.objects.none())
    description = forms.CharField(label=_("What is wrong"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    preferred_time = forms.CharField(
        label=_("Preferred time"), max_length=60, required=False, help_text=_("E.g. today after 14:00.")
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=RepairTicket.Urgency.choices, initial=RepairTicket.Urgency.NORMAL
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, validators=[validate_phone])

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.categories()
        self.fields["category"].error_messages["invalid_choice"] = _("Choose a category from the list.")


class DeskIntakeForm(_ReportFields):
    """A phone call at the desk. ``tenant`` is the company's id (filled by the typeahead);
    ``unit`` the unit number as typed; no company and no unit: a public area in ``place``."""

    field_order = [
        "tenant",
        "unit",
        "place",
        "reporter_name",
        "phone",
        "category",
        "description",
        "preferred_time",
        "urgency",
        "photos",
    ]

    tenant = forms.ModelChoiceField(
        label=_("Company"),
        queryset=Tenant.objects.filter(is_active=True),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This company is not (or no longer) a tenant.")},
    )
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    place = forms.CharField(
        label=_("Public area"), max_length=100, required=False, help_text=_("E.g. 1F lobby, B2 car park.")
    )
    reporter_name = forms.CharField(label=_("Caller"), max_length=40)
    photos = PhotosField()

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean(self):
        data = super().clean()
        tenant, number, place = data.get("tenant"), (data.get("unit") or "").strip(), data.get("place", "")
        if "tenant" in self.errors:
            return data
        unit = None
        if number:
            try:
                unit = selectors.unit_of(number, tenant)
            except ValueError:
                self.add_error("unit", _("Several units have this number: choose the company first."))
                return data
            if unit is None:
                message = (
                    _("This company has no unit numbered %(n)s.") if tenant else _("There is no unit numbered %(n)s.")
                )
                self.add_error("unit", message % {"n": number})
                return data
            if tenant is None:
                tenant = selectors.occupant_of(unit)
        elif tenant is not None:
            first = current_occupancies(tenant).first()
            unit = first.unit if first else None
        if tenant is None and unit is None and not place.strip():
            self.add_error("place", _("Give the unit or company, or the public area where the fault is."))
        data["tenant"], data["unit"] = tenant, unit
        return data

    def report_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("category", "photos")}


class PortalReportForm(_ReportFields):
    """A tenant reports from the portal: one of the company's units or a public area."""

    PUBLIC = "public"
    field_order = ["where", "place", "category", "description", "preferred_time", "urgency", "phone", "photos"]

    where = forms.ChoiceField(label=_("Where"))
    place = forms.CharField(
        label=_("Public area or exact spot"),
        max_length=100,
        required=False,
        help_text=_("E.g. 12F men's toilet, 1F lobby."),
    )
    photos = PhotosField(capture=True)

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.units = {str(o.unit.pk): o.unit for o in current_occupancies(tenant)}
        self.fields["where"].choices = [(pk, str(unit)) for pk, unit in self.units.items()] + [
            (self.PUBLIC, _("A public area (lobby, corridor, lift ...)"))
        ]
        self.fields["where"].error_messages["invalid_choice"] = _("Choose one of your units or a public area.")
        _styled(self)

    def clean(self):
        data = super().clean()
        where = data.get("where")
        if where == self.PUBLIC and not (data.get("place") or "").strip():
            self.add_error("place", _("Say where in the building the fault is."))
        data["unit"] = self.units.get(where or "")
        return data

    def report_fields(self, tenant: Tenant, user: Any) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "tenant": tenant,
            "unit": d["unit"],
            "place": d.get("place", ""),
            "reporter_name": str(user)[:40],
            "phone": d["phone"],
            "description": d["description"],
            "preferred_time": d.get("preferred_time", ""),
            "urgency": d["urgency"],
        }


class AssignForm(forms.Form):
    engineer = forms.ModelChoiceField(label=_("Engineer"), queryset=None)
    note = forms.CharField(label=_("Reason"), max_length=500, required=False)

    def __init__(self, *args: Any, needs_reason: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["engineer"].queryset = selectors.engineers()
        self.fields["engineer"].label_from_instance = str
        self.fields["engineer"].error_messages["invalid_choice"] = _("Choose an engineer from the list.")
        self.fields["note"].required = needs_reason
        _styled(self)


class PauseForm(forms.Form):
    pause_reason = forms.ChoiceField(
        label=_("Why is the work paused?"), choices=RepairTicket.PauseReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class CompleteForm(forms.Form):
    materials = forms.CharField(
        label=_("Materials used"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    before = PhotosField(label=_("Photos before"), capture=True)
    after = PhotosField(label=_("Photos after"), capture=True)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _styled(self)


# --- the tenant's sign-off: the same in the portal and on the desk's screen ----------------------

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
