from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("invite/<uidb64>/<token>/", views.InviteConfirmView.as_view(), name="invite"),
    path("account/notifications/", views.NotificationSettingsView.as_view(), name="notification_settings"),
    path("password/done/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
