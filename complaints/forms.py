"""Forms of the complaint pages: the desk's record of a complaint, the tenant's in the portal,
and one form per step of the reply workflow. Rules the services own (an empty complaint, a
reply too long, a person of another department) come back from them beside the same fields."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jinyuan.phones import validate_phone
from jinyuan.uploads import DOCUMENT_TYPES, IMAGE_TYPES, MultipleFilesField
from tenants.models import Tenant

from . import selectors, services
from .models import Complaint, Department

MAX_FILES = 6
CONTENT_MAX = Complaint._meta.get_field("content").max_length
REASON_MAX = Complaint._meta.get_field("validity_reason").max_length


class FilesField(MultipleFilesField):
    """Several files in one input (photos, a scanned letter), each checked by content and size
    here and again by the service; none is required."""

    def __init__(self, *args: Any, images_only: bool = False, **kwargs: Any):
        kwargs.setdefault("label", _("Photos or files"))
        allowed = IMAGE_TYPES if images_only else DOCUMENT_TYPES
        super().__init__(*args, allowed=allowed, max_files=MAX_FILES, **kwargs)


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.RadioSelect, forms.CheckboxInput, forms.HiddenInput)):
            continue
        widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")


class _ComplaintFields(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Complaint.Kind.choices, initial=Complaint.Kind.COMPLAINT)
    category = forms.ModelChoiceField(label=_("Category"), queryset=None)
    content = forms.CharField(
        label=_("What is the complaint about"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    urgent = forms.BooleanField(
        label=_("Urgent"), required=False, help_text=_("Urgent complaints are answered within 24 working hours.")
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = selectors.categories()
        self.fields["category"].error_messages["invalid_choice"] = _("Choose a category from the list.")


class DeskComplaintForm(_ComplaintFields):
    """A complaint at the counter, on the phone, by letter or e-mail. The complainant is a
    tenant's person (``tenant``: the company's id filled by the typeahead, or found from the
    unit number), a visitor (a name, no company), or anonymous."""

    field_order = [
        "channel",
        "kind",
        "category",
        "tenant",
        "unit",
        "complainant_name",
        "complainant_phone",
        "complainant_email",
        "anonymous",
        "content",
        "urgent",
        "files",
    ]

    channel = forms.ChoiceField(
        label=_("Came in"),
        choices=[(c.value, c.label) for c in Complaint.Channel if c != Complaint.Channel.PORTAL],
        initial=Complaint.Channel.PHONE,
    )
    tenant = forms.ModelChoiceField(
        label=_("Company"),
        queryset=Tenant.objects.filter(is_active=True),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This company is not (or no longer) a tenant.")},
    )
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    complainant_name = forms.CharField(
        label=_("Complainant"),
        max_length=Complaint._meta.get_field("complainant_name").max_length,
        required=False,
        help_text=_("A visitor: the name only, no company."),
    )
    complainant_phone = forms.CharField(
        label=_("Complainant's phone"), max_length=20, required=False, validators=[validate_phone]
    )
    complainant_email = forms.EmailField(label=_("Complainant's e-mail"), required=False)
    anonymous = forms.BooleanField(
        label=_("Anonymous"),
        required=False,
        help_text=_("Only you will see the complainant's name and number (for the return visit)."),
    )
    files = FilesField()

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean(self):
        data = super().clean()
        if "tenant" in self.errors:
            return data
        tenant, number = data.get("tenant"), (data.get("unit") or "").strip()
        if number:
            from repairs.selectors import occupant_of, unit_of

            try:
                unit = unit_of(number, tenant)
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
                tenant = occupant_of(unit)
                if tenant is None:
                    self.add_error(
                        "unit", _("Nobody occupies unit %(n)s: record the complainant as a visitor.") % {"n": number}
                    )
        data["tenant"] = tenant
        return data

    def record_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "channel": d["channel"],
            "kind": d["kind"],
            "tenant": d.get("tenant"),
            "complainant_name": d.get("complainant_name") or "",
            "complainant_phone": d.get("complainant_phone") or "",
            "complainant_email": d.get("complainant_email") or "",
            "anonymous": bool(d.get("anonymous")),
            "content": d["content"],
            "urgent": bool(d.get("urgent")),
        }


class PortalComplaintForm(_ComplaintFields):
    """A tenant's complaint from a phone: what about, photos, and a number for the reply."""

    field_order = ["kind", "category", "content", "urgent", "complainant_phone", "anonymous", "files"]

    complainant_phone = forms.CharField(
        label=_("Phone for the reply"), max_length=20, required=False, validators=[validate_phone]
    )
    anonymous = forms.BooleanField(
        label=_("Anonymous"),
        required=False,
        help_text=_("The service center will not see your name; you still follow the complaint here."),
    )
    files = FilesField(label=_("Photos or files"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs["accept"] = "image/*,.pdf"
        _styled(self)

    def record_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "complainant_phone": d.get("complainant_phone") or "",
            "anonymous": bool(d.get("anonymous")),
            "content": d["content"],
            "urgent": bool(d.get("urgent")),
        }


# --- the reply workflow ------------------------------------------------------------------------


class AssignForm(forms.Form):
    """A department and one of its people (``selectors.handlers``), listed by department; a
    small script narrows the people to the chosen department."""

    department = forms.ChoiceField(label=_("Department"), choices=[("", "---------"), *Department.choices])
    assignee = forms.TypedChoiceField(label=_("Person"), coerce=int)

    def __init__(self, *args: Any, handlers: dict[str, list], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.handlers = handlers
        labels = dict(Department.choices)
        self.fields["assignee"].choices = [("", "---------")] + [
            (labels[dept], [(u.pk, str(u)) for u in people]) for dept, people in handlers.items() if people
        ]
        self.fields["assignee"].error_messages["invalid_choice"] = _("Choose a person from the list.")
        _styled(self)
        self.fields["assignee"].widget.attrs["data-department-field"] = self["department"].auto_id

    def clean(self):
        data = super().clean()
        department, pk = data.get("department"), data.get("assignee")
        if department and pk is not None:
            person = next((u for u in self.handlers.get(department, ()) if u.pk == pk), None)
            if person is None:
                self.add_error("assignee", _("Choose a person of that department."))
            data["person"] = person
        return data


class HandOverForm(AssignForm):
    note = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs.setdefault("class", "form-control")


def _reply_field(label) -> forms.CharField:
    # No max_length here: the service's limit (settings) answers beside the field, with the length.
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text=_("At most %(n)s characters.") % {"n": services.reply_max_length()},
    )


class ProposeReplyForm(forms.Form):
    reply_draft = forms.CharField()

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["reply_draft"] = _reply_field(_("Proposed reply"))
        self.fields["reply_draft"].error_messages["required"] = _("Write the reply.")


class ApproveReplyForm(forms.Form):
    """The supervisor approves the proposed wording, or corrects it as they approve."""

    approved_reply = forms.CharField()

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["approved_reply"] = _reply_field(_("Reply to send"))
        self.fields["approved_reply"].error_messages["required"] = _("Write the reply.")


class SendReplyForm(forms.Form):
    reply_via = forms.ChoiceField(label=_("Sent by"), choices=Complaint.ReplyVia.choices, widget=forms.RadioSelect)


class ValidityForm(forms.Form):
    validity = forms.ChoiceField(
        label=_("The complaint is"),
        choices=[(Complaint.Validity.VALID, _("Valid")), (Complaint.Validity.INVALID, _("Invalid"))],
        widget=forms.RadioSelect,
    )
    validity_reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.TextInput(attrs={"class": "form-control"})
    )
