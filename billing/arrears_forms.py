"""Forms of the arrears pages: a call or visit, the delivery of a demand letter, the batch print."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.models import Building, Floor

from .arrears_models import ArrearsContact, DemandLetter


class ContactForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=ArrearsContact.Method.choices)
    person = forms.CharField(label=_("Person spoken to"), max_length=40)
    contacted_at = forms.DateTimeField(
        label=_("When"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    promise_date = forms.DateField(
        label=_("Promised to pay by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(label=_("Delivered by"), choices=DemandLetter.Delivery.choices)
    delivered_on = forms.DateField(label=_("Delivered on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Delivery note"), required=False, max_length=200)
    proof = forms.FileField(label=_("Proof of delivery"), help_text=_("A mail receipt, a signed copy, a photo."))


class BatchNoticeForm(forms.Form):
    """A building or one of its floors: one of them."""

    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.order_by("code"), required=False)
    floor = forms.ModelChoiceField(
        label=_("Floor"),
        queryset=Floor.objects.select_related("building").order_by("building__code", "number"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if not data.get("building") and not data.get("floor"):
            raise forms.ValidationError(_("Pick a building or a floor."))
        return data
