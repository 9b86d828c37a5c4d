"""Forms of announcements: the desk's draft (and its changes), the filter bar's companion, and
the record of a call. The service checks the rules; its errors go beside these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.forms import find_tenants
from jinyuan.attachments.forms import AttachmentField
from tenants.models import Building, Floor, Tenant

from .models import Announcement, AnnouncementReceipt
from .models.notices import URGENT_CATEGORIES

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_ERRORS = {"invalid": _("Enter a date and time such as 2026-12-07 09:00.")}
# Lines of "chosen tenants" one draft may name.
MAX_CHOSEN = 200


class FloorChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.building.name} · {obj}"


class AnnouncementForm(forms.Form):
    """What the desk fills in. Chosen tenants are typed (unit numbers or company names, one a
    line): a list of every company would be thousands of options."""

    title = forms.CharField(label=_("Title"), max_length=120, help_text=_("E.g. water outage on Saturday morning"))
    text = forms.CharField(label=_("Text"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.ChoiceField(label=_("Category"), choices=Announcement.Category.choices)
    urgent = forms.BooleanField(
        label=_("Urgent"),
        required=False,
        help_text=_("Outages and fire drills are urgent unless you untick it: sent by every channel, shown on top."),
    )
    audience = forms.ChoiceField(
        label=_("For"), choices=Announcement.Audience.choices, widget=forms.RadioSelect, initial="all"
    )
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.order_by("code"), required=False)
    floors = FloorChoice(
        label=_("Floors"),
        queryset=Floor.objects.select_related("building").order_by("building__code", "number"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Of the building chosen above."),
    )
    tenant_lines = forms.CharField(
        label=_("Chosen tenants"),
        required=False,
        max_length=6000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Unit numbers or company names, one a line."),
    )
    publish_at = forms.DateTimeField(label=_("Publish at"), widget=DATETIME, error_messages=DATETIME_ERRORS)
    expires_at = forms.DateTimeField(label=_("Expires at"), widget=DATETIME, error_messages=DATETIME_ERRORS)
    file = AttachmentField(label=_("Attachment"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Outages and drills are urgent by default: a new form ticks the box for them, and a
        # form sent without the box ticked keeps what the desk chose.
        if not self.is_bound and self.initial.get("category") in URGENT_CATEGORIES:
            self.initial.setdefault("urgent", True)

    def clean_tenant_lines(self) -> list[Tenant]:
        lines = [line.strip() for line in self.cleaned_data["tenant_lines"].splitlines() if line.strip()]
        if len(lines) > MAX_CHOSEN:
            raise forms.ValidationError(_("At most %(n)d tenants a line each.") % {"n": MAX_CHOSEN})
        found, problems = {}, []
        for line in lines:
            matches = find_tenants(line)
            if len(matches) == 1:
                found[matches[0].pk] = matches[0]
            elif not matches:
                problems.append(_("%(line)s: no tenant has that unit number or name.") % {"line": line})
            else:
                problems.append(
                    _("%(line)s: several tenants match (%(names)s).")
                    % {"line": line, "names": "、".join(t.name for t in matches)}
                )
        if problems:
            raise forms.ValidationError(problems)
        return list(found.values())

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "text": data["text"],
            "category": data["category"],
            "urgent": data["urgent"],
            "audience": data["audience"],
            "building": data.get("building"),
            "floors": list(data.get("floors") or []),
            "tenants": data.get("tenant_lines") or [],
            "publish_at": data.get("publish_at"),
            "expires_at": data.get("expires_at"),
            "files": [data["file"]] if data.get("file") else [],
        }

    @classmethod
    def initial_of(cls, obj: Announcement) -> dict:
        """A draft's values for its edit form."""
        return {
            "title": obj.title,
            "text": obj.text,
            "category": obj.category,
            "urgent": obj.urgent,
            "audience": obj.audience,
            "building": obj.building_id,
            "floors": [f.pk for f in obj.floors.all()],
            "tenant_lines": "\n".join(t.name for t in obj.tenants.order_by("name")),
            "publish_at": obj.publish_at,
            "expires_at": obj.expires_at,
        }


# The service's names that the form shows under another name.
FIELD_OF = {"tenants": "tenant_lines"}


class CallForm(forms.Form):
    """The desk's call to a company about an announcement it has not read."""

    receipt = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label=_("Result"), choices=AnnouncementReceipt.CallResult.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
