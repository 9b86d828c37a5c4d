from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jinyuan.attachments.forms import AttachmentField
from jinyuan.uploads import IMAGE_TYPES
from tenants.models import Floor, Tenant, Unit
from tenants.selectors import current_occupancies

from .models import PremisesCertificate, ReleaseNote, WorkerPass, validate_id_number


class CertificateRequestForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=_("Choose a unit"))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=PremisesCertificate.Purpose.choices)
    purpose_detail = forms.CharField(
        label=_("Details of the purpose"),
        max_length=200,
        required=False,
        help_text=_("E.g. the registration authority or bank. Required when the purpose is Other."),
    )
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=5, initial=1)

    def __init__(self, *args, tenant: Tenant, instance: PremisesCertificate | None = None, **kwargs):
        # A returned request being corrected starts from what the tenant sent.
        if instance is not None:
            sent = {f: getattr(instance, f) for f in ("unit", "purpose", "purpose_detail", "copies")}
            kwargs["initial"] = {**sent, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        unit_ids = current_occupancies(tenant).values("unit_id")
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=unit_ids).select_related("floor__building")
        self.fields["unit"].label_from_instance = lambda u: f"{u.floor.building.name} {u.number}（{u.area} m²）"
        self.fields["unit"].error_messages["invalid_choice"] = _("Choose one of the units your company occupies.")

    def clean(self):
        data = super().clean()
        if data.get("purpose") == PremisesCertificate.Purpose.OTHER and not data.get("purpose_detail", "").strip():
            self.add_error("purpose_detail", _("Please describe the purpose."))
        return data


class WorkerPassForm(forms.Form):
    """One worker of a renovation in works; the service checks the rest (live pass, trade
    certificate, validity) and its errors go beside these fields."""

    worker_name = forms.CharField(label=_("Worker's name"), max_length=40)
    id_number = forms.CharField(
        label=_("ID card number"), max_length=18, min_length=18, help_text=_("18 characters; the last may be X.")
    )
    trade = forms.ChoiceField(label=_("Trade"), choices=WorkerPass.Trade.choices)
    certificate_number = forms.CharField(
        label=_("Special-operation certificate number"),
        max_length=40,
        required=False,
        help_text=_("Electricians and welders only."),
    )
    certificate_expiry = forms.DateField(
        label=_("Certificate valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Pass valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the renovation's last day."),
    )
    photo = AttachmentField(label=_("Photo"), allowed=IMAGE_TYPES)

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"].strip().upper()
        validate_id_number(value)
        return value

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


# --- release notes 大件物品放行条 -------------------------------------------------------------------


class ReleaseNoteForm(forms.Form):
    """The note's head; its items are ``ReleaseItemFormSet``. The service checks everything
    again (date, plate, ID number, items) and its errors go beside these fields."""

    # ISO in the value: a browser's date field shows nothing for a localised "2026年12月5日".
    date = forms.DateField(label=_("Release date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=ReleaseNote.Purpose.choices,
        help_text=_("A move-out note is approved only while the company's move-out is in progress."),
    )
    vehicle_plate = forms.CharField(
        label=_("Vehicle plate"), max_length=12, widget=forms.TextInput(attrs={"autocapitalize": "characters"})
    )
    carrier_name = forms.CharField(label=_("Carrier's name"), max_length=40)
    carrier_id_number = forms.CharField(
        label=_("Carrier's ID card number"),
        max_length=18,
        help_text=_("18 characters; the last may be X. The guard compares it with the card shown."),
    )
    remarks = forms.CharField(label=_("Remarks"), max_length=200, required=False)

    def clean_date(self):
        from django.utils import timezone

        day = self.cleaned_data["date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the past."))
        return day

    def clean_carrier_id_number(self) -> str:
        value = self.cleaned_data["carrier_id_number"].strip().upper()
        validate_id_number(value)
        return value


class DeskReleaseNoteForm(ReleaseNoteForm):
    """The desk writes and issues at once: the reason to issue a move-out note despite arrears
    goes here (the service's refusal is shown beside it)."""

    note = forms.CharField(
        label=_("Note (required to issue a move-out note with arrears)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReleaseItemForm(forms.Form):
    name = forms.CharField(label=_("Item name"), max_length=60, required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=9999, required=False)

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("quantity"):
            self.add_error("quantity", _("How many?"))
        if data.get("quantity") and not (data.get("name") or "").strip():
            self.add_error("name", _("Name the item."))
        return data


class BaseReleaseItemFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.items():
            raise forms.ValidationError(_("List at least one item leaving the building."))

    def items(self) -> list[dict]:
        return [
            {"name": f.cleaned_data["name"].strip(), "quantity": f.cleaned_data["quantity"]}
            for f in self.forms
            if getattr(f, "cleaned_data", None) and (f.cleaned_data.get("name") or "").strip()
        ]


ReleaseItemFormSet = forms.formset_factory(
    ReleaseItemForm, formset=BaseReleaseItemFormSet, extra=4, max_num=ReleaseNote.MAX_ITEMS, validate_max=True
)


def release_item_initial(note) -> list[dict]:
    return [{"name": item["name"], "quantity": item["quantity"]} for item in note.items]


# --- access passes 大厦出入证 -------------------------------------------------------------------

import re as _re  # noqa: E402

from jinyuan.imports import Column as _Column  # noqa: E402
from jinyuan.imports import Sheet as _Sheet  # noqa: E402
from jinyuan.phones import normalize_mobile, validate_mobile  # noqa: E402

from .models import AccessPass  # noqa: E402

DATE = forms.DateInput(attrs={"type": "date"})


def _floor_label(floor) -> str:
    return f"{floor.building.name} {floor}"


class AccessPassRequestForm(forms.Form):
    """One card for one member of the company's staff; the floors are the company's own."""

    holder_name = forms.CharField(label=_("Card holder"), max_length=40)
    department = forms.CharField(label=_("Department"), max_length=40, required=False)
    mobile = forms.CharField(
        label=_("Mobile"), max_length=20, help_text=_("11 digits, e.g. 13877110001."), validators=[validate_mobile]
    )
    card_type = forms.ChoiceField(label=_("Card type"), choices=AccessPass.CardType.choices)
    floors = forms.ModelMultipleChoiceField(
        label=_("Floors it opens"), queryset=Floor.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DATE,
        help_text=_("Required for a temporary card. Empty: as long as your company occupies the floors."),
    )
    photo = AttachmentField(
        label=_("Photo"), allowed=IMAGE_TYPES, required=False, help_text=_("JPG/PNG; printed on the card if given.")
    )

    def __init__(self, *args, tenant: Tenant, **kwargs):
        from .access_passes import tenant_floors

        super().__init__(*args, **kwargs)
        self.tenant = tenant
        self.company_floors = tenant_floors(tenant)
        if "floors" in self.fields and isinstance(self.fields["floors"], forms.ModelMultipleChoiceField):
            self.fields["floors"].queryset = self.company_floors
            self.fields["floors"].label_from_instance = _floor_label
            self.fields["floors"].error_messages["invalid_choice"] = _(
                "A card opens only floors where your company occupies a unit."
            )
            floors = list(self.company_floors)
            if len(floors) == 1:
                self.fields["floors"].initial = [floors[0].pk]

    def clean_mobile(self) -> str:
        return normalize_mobile(self.cleaned_data["mobile"])

    def clean_valid_until(self):
        value = self.cleaned_data.get("valid_until")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The last day cannot be in the past."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("card_type") == AccessPass.CardType.TEMPORARY and not data.get("valid_until"):
            self.add_error("valid_until", _("A temporary card needs its last day."))
        return data


class AccessPassRowForm(AccessPassRequestForm):
    """One row of the Excel list: the card type by its name, the floors as typed ("12、15F",
    "A12"; empty: every floor of the company)."""

    card_type = forms.CharField(label=_("Card type"), max_length=20, required=False)
    floors = forms.CharField(label=_("Floors it opens"), max_length=200, required=False)
    photo = None

    def clean_card_type(self) -> str:
        value = "".join((self.cleaned_data.get("card_type") or "").split()).lower()
        if not value:
            return AccessPass.CardType.STAFF
        from django.utils import translation

        for code, label in AccessPass.CardType.choices:
            names = {code}
            for lang in ("zh-hans", "en"):
                with translation.override(lang):
                    names.add("".join(str(label).split()).lower())
            if value in names:
                return code
        names = "、".join(str(label) for _code, label in AccessPass.CardType.choices)
        raise forms.ValidationError(_("Write one of: %(names)s.") % {"names": names})

    def clean_floors(self):
        text = self.cleaned_data.get("floors") or ""
        floors = list(self.company_floors)
        if not text.strip():
            return floors
        chosen = []
        for token in _re.split(r"[,，、;；/\s]+", text.strip()):
            if not token:
                continue
            match = _re.fullmatch(r"([A-Za-z]*)[-\s]*(-?\d+)\s*(?:F|f|楼|层)?", token)
            if not match:
                raise forms.ValidationError(_("Write floors as numbers, e.g. 12、15 or A12."))
            code, number = match.group(1).upper(), int(match.group(2))
            found = [f for f in floors if f.number == number and (not code or f.building.code.upper() == code)]
            if not found:
                raise forms.ValidationError(_("Your company occupies no unit on floor %(floor)s.") % {"floor": token})
            if len(found) > 1:
                raise forms.ValidationError(
                    _("Floor %(floor)s is in several buildings: write the building code, e.g. A%(floor)s.")
                    % {"floor": token}
                )
            chosen.append(found[0])
        return chosen


ACCESS_PASS_SHEET = _Sheet(
    title=_("Access cards"),
    form_class=AccessPassRowForm,
    columns=(
        _Column("holder_name", _("Card holder"), "张伟", _("Required.")),
        _Column("department", _("Department"), "财务部"),
        _Column("mobile", _("Mobile"), "13877110001", _("Required: 11 digits.")),
        _Column("card_type", _("Card type"), _("Staff card"), _("Staff card or Temporary card; empty: staff card.")),
        _Column(
            "floors", _("Floors it opens"), "12", _("Floor numbers, e.g. 12、15; empty: every floor of your company.")
        ),
        _Column(
            "valid_until", _("Valid until"), "", _("YYYY-MM-DD. Required for a temporary card; empty for a staff card.")
        ),
    ),
    instructions=(_("Photos cannot go in the list: to have a photo on a card, request that card one by one."),),
)


class AccessPassIssueForm(forms.Form):
    card_number = forms.CharField(
        label=_("Card number"), max_length=30, help_text=_("The number printed on the IC card.")
    )
    charge = forms.ChoiceField(label=_("Charge"), choices=AccessPass.Charge.choices, initial=AccessPass.Charge.DEPOSIT)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=DATE,
        help_text=_("Empty: as requested, no later than the end of the occupancy."),
    )

    def clean_valid_until(self):
        value = self.cleaned_data.get("valid_until")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("The last day cannot be in the past."))
        return value


class AccessPassReissueForm(forms.Form):
    card_number = forms.CharField(
        label=_("New card number"), max_length=30, help_text=_("The lost card's number stays dead.")
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
