from django import forms
from django.utils.translation import gettext_lazy as _

from jinyuan.accounts.roles import Role
from jinyuan.attachments.forms import AttachmentField
from tenants.models import Tenant, Unit
from tenants.selectors import current_occupancies

from .models import DEPARTMENT_ROLE, Department, RectificationOrder, Renovation, Use

FILE_FIELDS = tuple(kind.value for kind in Renovation.FileKind)


class RenovationForm(forms.Form):
    """The application; on a returned one (``instance``) the unit stays and files are only
    needed where a new version replaces the one sent."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=_("Choose a unit"))
    intended_use = forms.ChoiceField(label=_("Use after the works"), choices=Use.choices, initial=Use.OFFICE)
    contact_name = forms.CharField(label=_("Contact"), max_length=40)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30)
    contractor_name = forms.CharField(label=_("Contractor company"), max_length=100)
    contractor_person = forms.CharField(label=_("Contractor's person in charge"), max_length=40)
    contractor_phone = forms.CharField(label=_("Phone of the person in charge"), max_length=30)
    planned_start = forms.DateField(label=_("Planned start"), widget=forms.DateInput(attrs={"type": "date"}))
    planned_end = forms.DateField(label=_("Planned end"), widget=forms.DateInput(attrs={"type": "date"}))
    work_items = forms.CharField(
        label=_("Work items"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, e.g. partition walls, ceiling, lighting, floor."),
    )
    electrical_load_kw = forms.DecimalField(
        label=_("Expected electrical load (kW)"), min_value=0, max_digits=7, decimal_places=1
    )
    fire_safety_person = forms.CharField(label=_("Fire-safety responsible person"), max_length=40)
    fire_safety_phone = forms.CharField(label=_("Phone of the fire-safety responsible person"), max_length=30)
    licence = AttachmentField(label=_("Contractor's business licence"))
    drawing_plan = AttachmentField(label=_("Floor plan drawing"))
    drawing_electrical = AttachmentField(label=_("Electrical drawing"))
    drawing_fire = AttachmentField(label=_("Fire protection drawing"))
    undertaking = AttachmentField(label=_("Signed fire-safety undertaking"))
    agreement = AttachmentField(label=_("Signed renovation management agreement"))
    fire_approval = AttachmentField(
        label=_("Fire authority's approval"),
        required=False,
        help_text=_("Required when the use and area need it (the service center's rule table); PDF/JPG/PNG."),
    )

    def __init__(self, *args, tenant: Tenant, instance: Renovation | None = None, **kwargs):
        if instance is not None:
            sent = {f: getattr(instance, f) for f in self.base_fields if hasattr(instance, f) and f not in FILE_FIELDS}
            sent["work_items"] = "\n".join(instance.work_items)
            kwargs["initial"] = {**sent, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:
            del self.fields["unit"]
            for name in FILE_FIELDS:
                self.fields[name].required = False
                self.fields[name].help_text = _("Only to replace the file sent before.")
        else:
            unit_ids = current_occupancies(tenant).values("unit_id")
            self.fields["unit"].queryset = Unit.objects.filter(pk__in=unit_ids).select_related("floor__building")
            self.fields["unit"].label_from_instance = lambda u: f"{u.floor.building.name} {u.number}（{u.area} m²）"
            self.fields["unit"].error_messages["invalid_choice"] = _("Choose one of the units the company occupies.")

    def clean_work_items(self):
        return [line.strip() for line in self.cleaned_data["work_items"].splitlines() if line.strip()]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        files = {name: data.pop(name, None) for name in FILE_FIELDS}
        return {**data, "files": files}


class InspectionForm(forms.Form):
    """An inspection of a renovation under works; a violation also gives the order's terms."""

    department = forms.ChoiceField(label=_("Department"), choices=Department.choices)
    inspected_at = forms.DateTimeField(
        label=_("Inspected at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    reinspects = forms.ModelChoiceField(
        label=_("Re-inspection of order"),
        queryset=RectificationOrder.objects.none(),
        required=False,
        empty_label=_("No: a routine inspection"),
    )
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))
    violation = forms.BooleanField(label=_("A violation was found"), required=False)
    requirement = forms.CharField(
        label=_("What must be rectified"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For a violation found on a routine inspection: printed on the rectification order."),
    )
    due_on = forms.DateField(label=_("Rectify by"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    photo_1 = AttachmentField(label=_("Photo"), required=False)
    photo_2 = AttachmentField(label=_("Another photo"), required=False)

    def __init__(self, *args, renovation: Renovation, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [
            (code, label)
            for code, label in Department.choices
            if user.has_role(DEPARTMENT_ROLE[Department(code)], Role.SUPERVISOR)
        ]
        self.fields["reinspects"].queryset = RectificationOrder.objects.filter(
            renovation=renovation, status__in=[RectificationOrder.Status.OPEN, RectificationOrder.Status.ESCALATED]
        ).select_related("document")

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["photos"] = [p for p in (data.pop("photo_1"), data.pop("photo_2")) if p]
        return data


class DeductionItemForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    amount = forms.DecimalField(label=_("Amount (CNY)"), max_digits=12, decimal_places=2, required=False)


DeductionItemFormSet = forms.formset_factory(DeductionItemForm, extra=3, max_num=10)


class DeductionForm(forms.Form):
    department = forms.ChoiceField(label=_("Department"), choices=Department.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [
            (code, label) for code, label in Department.choices if user.has_role(DEPARTMENT_ROLE[Department(code)])
        ]


class ExtensionForm(forms.Form):
    """延期: the new end of the works and why more time is needed."""

    new_end = forms.DateField(label=_("Extend until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the works need more time, e.g. materials delayed, stop-work order."),
    )
