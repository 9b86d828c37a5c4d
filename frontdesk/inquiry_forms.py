"""Forms of visitor inquiries: logging one, the desk's answer, and turning one into a repair
ticket or a complaint (the repairs and complaints desk forms, filled from the inquiry)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jinyuan.phones import validate_phone
from tenants.models import Occupancy, Tenant, Unit
from tenants.selectors import current_q

from .duty_forms import _styled
from .models import Inquiry


class InquiryForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Inquiry.Channel.choices, initial=Inquiry.Channel.WALK_IN)
    kind = forms.ChoiceField(label=_("Kind"), choices=Inquiry.Kind.choices, initial=Inquiry.Kind.VISITOR)
    # Filled from the lookup's result (hidden); the company's name is shown beside them.
    tenant = forms.ModelChoiceField(
        queryset=Tenant.objects.filter(is_active=True),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This company is not (or no longer) a tenant.")},
    )
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False, widget=forms.HiddenInput)
    question = forms.CharField(
        label=_("What was asked"),
        max_length=Inquiry._meta.get_field("question").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write what the visitor asked.")},
    )
    answer = forms.CharField(
        label=_("Answer given"),
        max_length=Inquiry._meta.get_field("answer").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Empty: still open (a request to act on)."),
    )
    visitor_name = forms.CharField(label=_("Visitor's name (optional)"), max_length=40, required=False)
    visitor_phone = forms.CharField(
        label=_("Visitor's phone (optional)"), max_length=20, required=False, validators=[validate_phone]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean(self):
        data = super().clean()
        tenant, unit = data.get("tenant"), data.get("unit")
        # The pair comes from the lookup's link; a stale or edited one would carry a wrong
        # company/unit into the repair ticket or complaint made from the inquiry.
        if tenant and unit and not Occupancy.objects.filter(current_q(), tenant=tenant, unit=unit).exists():
            self.add_error("tenant", _("This company is not in that unit (any more): look it up again."))
        return data


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer given"),
        max_length=Inquiry._meta.get_field("answer").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write the answer given.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


def repair_initial(inquiry: Inquiry) -> dict:
    """The inquiry's details carried over to the repair intake."""
    return {
        "tenant": inquiry.tenant_id,
        "unit": inquiry.unit.number if inquiry.unit_id else "",
        "reporter_name": inquiry.visitor_name,
        "phone": inquiry.visitor_phone,
        "description": inquiry.question,
    }


def complaint_initial(inquiry: Inquiry) -> dict:
    return {
        "channel": "desk" if inquiry.channel == Inquiry.Channel.WALK_IN else "phone",
        "tenant": inquiry.tenant_id,
        "unit": inquiry.unit.number if inquiry.unit_id else "",
        "complainant_name": inquiry.visitor_name,
        "complainant_phone": inquiry.visitor_phone,
        "content": inquiry.question,
    }
