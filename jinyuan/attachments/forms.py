"""The attachment field and form the apps put on their pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jinyuan.uploads import DOCUMENT_TYPES, CheckedFileField


class AttachmentField(CheckedFileField):
    """A checked upload (PDF, JPEG, PNG by content); photos are shrunk later by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allowed", DOCUMENT_TYPES)
        kwargs.setdefault("label", _("File"))
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("class", "form-control")


class AttachmentForm(forms.Form):
    file = AttachmentField()
    label = forms.CharField(label=_("Description"), max_length=100, required=False)


class AttachmentVoidForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)
