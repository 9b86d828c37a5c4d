"""Forms of public-space applications and events: the application (portal and desk), the
check on site and the closing check. The service checks the rules; its errors go beside these
fields (``FIELD_OF`` maps the service's names to the form's)."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.uploads import IMAGE_TYPES

from . import application_selectors as selectors
from .applications import ITEM_CODES, ItemSpec
from .models import VenueApplication

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
TEXT = forms.Textarea(attrs={"rows": 3})

# The service's field names that the form shows under another name.
FIELD_OF = {"use_start": "start_day", "use_end": "end_day", "payer": None, "kind": "kind"}


class SpaceChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        parts = [obj.name]
        if obj.location:
            parts.append(obj.location)
        if obj.daily_rate:
            parts.append(_("CNY %(rate)s/day") % {"rate": obj.daily_rate})
        if obj.deposit:
            parts.append(_("deposit CNY %(d)s") % {"d": obj.deposit})
        return " · ".join(str(p) for p in parts)


class ApplicationForm(forms.Form):
    """What the company (or the desk for a company or a customer) fills in, on a phone too."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=VenueApplication.Kind.choices, widget=forms.RadioSelect, initial="public_space"
    )
    title = forms.CharField(label=_("Title"), max_length=100, help_text=_("E.g. spring product show"))
    purpose = forms.CharField(label=_("Purpose"), max_length=2000, widget=TEXT)
    spaces = SpaceChoice(
        label=_("Spaces"),
        queryset=selectors.public_spaces(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One or more: each place of a poster board is a space of its own."),
    )
    start_day = forms.DateField(label=_("Use from (day)"), widget=DATE)
    start_time = forms.TimeField(label=_("Use from (time)"), widget=TIME)
    end_day = forms.DateField(label=_("Use until (day)"), widget=DATE)
    end_time = forms.TimeField(label=_("Use until (time)"), widget=TIME)
    setup_minutes = forms.IntegerField(
        label=_("Setup before (minutes)"), min_value=0, max_value=48 * 60, initial=0, required=False
    )
    teardown_minutes = forms.IntegerField(
        label=_("Teardown after (minutes)"), min_value=0, max_value=48 * 60, initial=0, required=False
    )
    area_m2 = forms.DecimalField(label=_("Area used (m²)"), min_value=0, max_digits=8, decimal_places=2, required=False)
    plan = forms.CharField(label=_("Plan"), max_length=4000, widget=TEXT, required=False)
    poster_quantity = forms.IntegerField(
        max_value=10_000, label=_("Posters (sheets)"), min_value=0, initial=0, required=False
    )
    poster_days = forms.IntegerField(max_value=10_000, label=_("Posters: days"), min_value=0, initial=0, required=False)
    banner_quantity = forms.IntegerField(
        max_value=10_000, label=_("Banners (pieces)"), min_value=0, initial=0, required=False
    )
    banner_days = forms.IntegerField(max_value=10_000, label=_("Banners: days"), min_value=0, initial=0, required=False)
    stall_quantity = forms.IntegerField(max_value=10_000, label=_("Stalls"), min_value=0, initial=0, required=False)
    stall_days = forms.IntegerField(max_value=10_000, label=_("Stalls: days"), min_value=0, initial=0, required=False)
    # Events.
    organiser = forms.CharField(label=_("Organiser (company)"), max_length=100, required=False)
    person_in_charge = forms.CharField(label=_("Person in charge"), max_length=40, required=False)
    person_id_number = forms.CharField(
        label=_("ID number of the person in charge"), max_length=18, required=False, help_text=_("18 characters")
    )
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    expected_attendance = forms.IntegerField(
        label=_("Expected attendance"), min_value=0, max_value=1_000_000, initial=0, required=False
    )
    safety_measures = forms.CharField(label=_("Safety measures"), max_length=4000, widget=TEXT, required=False)
    emergency_plan = forms.CharField(label=_("Emergency plan"), max_length=4000, widget=TEXT, required=False)
    licence = forms.FileField(
        label=_("Licence (PDF or photo)"),
        required=False,
        help_text=_("E.g. the organiser's business licence; more can be added later."),
    )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        tz = timezone.get_current_timezone()
        fields = {
            k: data.get(k)
            for k in (
                "title",
                "purpose",
                "plan",
                "area_m2",
                "setup_minutes",
                "teardown_minutes",
                "organiser",
                "person_in_charge",
                "person_id_number",
                "contact_phone",
                "expected_attendance",
                "safety_measures",
                "emergency_plan",
            )
        }
        fields["use_start"] = dt.datetime.combine(data["start_day"], data["start_time"], tz)
        fields["use_end"] = dt.datetime.combine(data["end_day"], data["end_time"], tz)
        items = [
            ItemSpec(code, data.get(f"{prefix}_quantity") or 0, data.get(f"{prefix}_days") or 0)
            for prefix, code in ITEM_CODES.items()
        ]
        return {"kind": data["kind"], "spaces": list(data["spaces"]), "items": items, **fields}

    def show_errors(self, exc: ValidationError) -> None:
        """The service's errors beside the form's fields."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for field, errors in exc.message_dict.items():
            target = FIELD_OF.get(field, field)
            self.add_error(target if target in self.fields else None, errors)


class CheckForm(forms.Form):
    """A check on site during the use, on a phone."""

    in_order = forms.TypedChoiceField(
        label=_("Findings"),
        choices=((1, _("In order")), (0, _("Not in order"))),
        coerce=lambda v: str(v) == "1",
        widget=forms.RadioSelect,
        initial=1,
    )
    note = forms.CharField(label=_("Note"), max_length=2000, widget=TEXT, required=False)
    photo = forms.FileField(label=_("Photo"), required=False)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo is not None:
            from jinyuan.uploads import validate_upload

            validate_upload(photo, IMAGE_TYPES)
        return photo


class CloseForm(forms.Form):
    """The closing check after the use: the damage deducted from the deposit."""

    damage = forms.DecimalField(
        label=_("Damage (CNY)"), min_value=0, max_digits=10, decimal_places=2, initial=0, required=False
    )
    note = forms.CharField(label=_("What was damaged / findings"), max_length=2000, widget=TEXT, required=False)
    photo = forms.FileField(label=_("Photo"), required=False)


class LicenceForm(forms.Form):
    file = forms.FileField(label=_("Licence (PDF or photo)"))
    label = forms.CharField(label=_("What it is"), max_length=100, required=False)
