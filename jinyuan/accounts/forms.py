from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Wrong user name or password. After %(limit)s failed attempts the account is locked for 30 minutes."
        ),
    }

    def get_invalid_login_error(self):
        from django.conf import settings
        from django.core.exceptions import ValidationError

        return ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )


class NotificationSettingsForm(forms.ModelForm):
    """How a person hears from the system: in-app always; e-mail and SMS as they choose."""

    class Meta:
        model = User
        fields = ("language", "notify_by_email", "email", "notify_by_sms", "phone")
        help_texts = {
            "language": _("Notifications and e-mails to you are written in this language."),
            "notify_by_sms": _("Only reminders that may go by SMS (e.g. urgent deadlines) are texted."),
        }

    def clean(self):
        data = super().clean()
        if data.get("notify_by_email") and not data.get("email"):
            self.add_error("email", _("Enter an e-mail address to receive notifications by e-mail."))
        if data.get("notify_by_sms") and not (data.get("phone") or "").strip():
            self.add_error("phone", _("Enter a mobile number to receive notifications by SMS."))
        return data
