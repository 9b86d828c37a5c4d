from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
