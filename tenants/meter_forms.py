"""Forms of meter readings: opening a round, a floor's readings on a phone, the Excel sheet of a
round (its template pre-filled with the building's meters), the supervisor's decision."""

from decimal import Decimal
from io import BytesIO

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from jinyuan.attachments.forms import AttachmentField
from jinyuan.imports import Column, Sheet
from jinyuan.uploads import IMAGE_TYPES

from .meter_selectors import SheetRow
from .models import Building, Meter, ReadingRound

MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
YES = {"1", "y", "yes", "true", "x", "是", "√", "✓", "换表"}


def reading_value_field(label, *, required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        error_messages={"invalid": _("Enter the meter's figures as a number, e.g. 12345.6.")},
        widget=forms.NumberInput(
            attrs={"inputmode": "decimal", "step": "0.01", "class": "form-control form-control-lg"}
        ),
    )


class RoundOpenForm(forms.Form):
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.all())
    month = forms.DateField(label=_("Month"), input_formats=["%Y-%m", "%Y-%m-%d"], widget=MONTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = timezone.localdate().replace(day=1)


class FloorReadingsForm(forms.Form):
    """One value (and a "meter replaced" tick and an optional photo) per meter of the floor;
    a meter left empty is not read yet."""

    def __init__(self, *args, rows: list[SheetRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            initial = row.reading.value if row.reading else None
            self.fields[f"{row.prefix}_value"] = reading_value_field(str(row.meter), required=False)
            self.fields[f"{row.prefix}_value"].initial = initial
            self.fields[f"{row.prefix}_replacement"] = forms.BooleanField(
                label=_("Meter replaced"), required=False, initial=bool(row.reading and row.reading.replacement)
            )
            self.fields[f"{row.prefix}_photo"] = AttachmentField(label=_("Photo"), allowed=IMAGE_TYPES, required=False)

    def display_rows(self) -> list[SheetRow]:
        """Each row with the plain values its inputs show (the entered text, the tick, the errors
        beside them): the floor page renders 40 meters without a BoundField per input."""
        errors = self.errors if self.is_bound else {}
        for row in self.rows:
            p = row.prefix
            if self.is_bound:
                row.value_text = self.data.get(f"{p}_value", "")
                row.checked = bool(self.data.get(f"{p}_replacement"))
            else:
                row.value_text = "" if row.reading is None else str(row.reading.value)
                row.checked = bool(row.reading and row.reading.replacement)
            row.value_errors = errors.get(f"{p}_value", [])
            row.photo_errors = errors.get(f"{p}_photo", [])
        return self.rows

    def entries(self) -> list[tuple[Meter, Decimal, bool, object]]:
        out = []
        for row in self.rows:
            value = self.cleaned_data.get(f"{row.prefix}_value")
            if value is not None:
                out.append(
                    (
                        row.meter,
                        value,
                        self.cleaned_data.get(f"{row.prefix}_replacement", False),
                        self.cleaned_data.get(f"{row.prefix}_photo"),
                    )
                )
        return out


class MeterReplaceForm(forms.Form):
    final_value = reading_value_field(_("Old meter's final reading"), required=True)
    number = forms.CharField(label=_("New meter number"), max_length=40)
    start_value = reading_value_field(_("New meter's first reading"), required=True)
    multiplier = forms.DecimalField(
        label=_("New meter's multiplier"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Empty: the old meter's."),
    )


class ReadingConfirmForm(forms.Form):
    value = reading_value_field(_("Reading"), required=True)
    replacement = forms.BooleanField(label=_("Meter replaced"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


# --- the Excel sheet of a round -------------------------------------------------------------------


class ReadingRowForm(forms.Form):
    """One row of the sheet. Unit, kind and previous reading are the template's, for the reader's
    eyes; the meter number decides which meter the value is for."""

    meter = forms.CharField(label=_("Meter number"), max_length=40)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    kind = forms.CharField(label=_("Kind"), max_length=20, required=False)
    previous = forms.CharField(label=_("Previous reading"), max_length=20, required=False)
    value = reading_value_field(_("Reading"), required=True)
    replacement = forms.CharField(label=_("Meter replaced"), max_length=10, required=False)

    def __init__(self, *args, meters: dict[str, Meter] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meters = meters or {}

    def clean_meter(self) -> Meter:
        number = self.cleaned_data["meter"].strip()
        meter = self.meters.get(number)
        if meter is None:
            raise forms.ValidationError(_("No live meter with this number in the round's building."))
        return meter

    def clean_replacement(self) -> bool:
        return self.cleaned_data["replacement"].strip().lower() in YES


READING_SHEET = Sheet(
    title=_("Meter readings"),
    form_class=ReadingRowForm,
    columns=(
        Column("meter", _("Meter number"), "E-A1201", _("As printed on the meter; the template lists them all.")),
        Column("unit", _("Unit"), "1201", _("For reference only.")),
        Column("kind", _("Kind"), _("Electricity"), _("For reference only.")),
        Column("previous", _("Previous reading"), "12345.60", _("For reference only.")),
        Column("value", _("Reading"), "12500.00", _("The figures on the meter today, a number.")),
        Column("replacement", _("Meter replaced"), "", _("是 when a new meter was fitted: it starts a new series.")),
    ),
    instructions=(
        _("One row per meter. Leave the reading empty for a meter not read: delete its row."),
        _("A reading below the previous one, or a jump, is held for the supervisor's confirmation."),
    ),
)


def round_template(reading_round: ReadingRound, rows: list[tuple[Meter, Decimal | None]]) -> bytes:
    """The sheet's template with the building's meters filled in (number, unit, kind, previous
    reading), the reading column empty."""
    wb = load_workbook(BytesIO(READING_SHEET.template()))
    ws = wb.worksheets[0]
    ws.delete_rows(2)
    for meter, previous in rows:
        ws.append([meter.number, meter.unit.number, meter.get_kind_display(), previous, None, None])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()
