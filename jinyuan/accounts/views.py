import copy

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView

from . import services
from .forms import LoginForm, NotificationSettingsForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class InviteConfirmView(auth_views.PasswordResetConfirmView):
    """The set-password page behind an invitation link; logs the user in when done."""

    template_name = "accounts/invite_confirm.html"
    post_reset_login = True
    post_reset_login_backend = "jinyuan.accounts.backends.RoleAwareModelBackend"
    success_url = reverse_lazy("accounts:home")
    reset_url_token = "set-password"  # noqa: S105 (a URL segment, not a secret)


class NotificationSettingsView(LoginRequiredMixin, FormView):
    """Each person chooses their channels (in-app always, e-mail, SMS) and language."""

    template_name = "accounts/notification_settings.html"
    form_class = NotificationSettingsForm
    success_url = reverse_lazy("accounts:notification_settings")

    def get_form_kwargs(self):
        # A copy: the form writes cleaned values onto its instance, and the service must see
        # what changed against the user as loaded.
        return {**super().get_form_kwargs(), "instance": copy.copy(self.request.user)}

    def form_valid(self, form):
        services.user_set_notification_settings(user=self.request.user, by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Your notification settings are saved."))
        return super().form_valid(form)


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to their own side of the system."""
    if request.user.is_desk_staff:
        return redirect("desk:home")
    return redirect("portal:home")
