"""Logging in and out, changing the password, and django-axes' lockout."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation

from jinyuan.accounts.forms import LoginForm
from jinyuan.accounts.roles import Role

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def login(client: Client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, follow=True, **extra)


@pytest.mark.parametrize("name", ["desk", "supervisor", "engineer", "guard", "finance"])
def test_staff_login_lands_on_the_desk(persona, password, name):
    response = login(Client(), persona(name).username, password)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("desk:home")
    assert response.wsgi_request.user.username == name


@pytest.mark.parametrize("name", ["tenant_a_admin", "tenant_a_staff", "tenant_b_admin"])
def test_tenant_login_lands_on_the_portal(persona, password, name):
    user = persona(name)
    response = login(Client(), user.username, password)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert response.wsgi_request.user == user


def test_login_honours_a_safe_next_url(desk, password):
    response = Client().post(
        LOGIN, {"username": desk.username, "password": password, "next": reverse("desk:tenants:tenant_list")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:tenants:tenant_list")


def test_login_ignores_an_offsite_next_url(desk, password):
    response = Client().post(
        LOGIN, {"username": desk.username, "password": password, "next": "https://evil.example/phish"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_wrong_password_shows_an_english_error_next_to_the_form(desk):
    response = Client().post(LOGIN, {"username": desk.username, "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    errors = response.context["form"].non_field_errors()
    assert errors == [
        f"Wrong user name or password. After {settings.AXES_FAILURE_LIMIT} failed attempts the account "
        "is locked for 30 minutes."
    ]
    assert "Wrong user name or password" in response.content.decode()


def test_wrong_password_error_is_in_chinese_by_default(desk):
    response = Client().post(LOGIN, {"username": desk.username, "password": "wrong"})
    assert response.status_code == 200
    with translation.override("zh-hans"):
        expected = str(LoginForm.error_messages["invalid_login"]) % {"limit": settings.AXES_FAILURE_LIMIT}
    assert response.context["form"].non_field_errors() == [expected]
    assert expected in response.content.decode()


def test_empty_login_form_shows_field_errors(db):
    response = Client().post(LOGIN, {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"username", "password"}


def test_inactive_user_cannot_log_in(desk, password):
    desk.is_active = False
    desk.save()
    response = login(Client(), desk.username, password)
    assert not response.wsgi_request.user.is_authenticated


def test_logged_in_user_visiting_login_goes_home(client_for, desk):
    response = client_for(desk).get(LOGIN)
    assert response.status_code == 302


def test_logout_ends_the_session(client_for, desk):
    client = client_for(desk)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    after = client.get(reverse("desk:home"))
    assert after.status_code == 302
    assert after["Location"].startswith(LOGIN)


def test_logout_by_get_is_refused(client_for, desk):
    client = client_for(desk)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.get(reverse("desk:home")).status_code == 200


def test_password_change_needs_the_old_password(client_for, desk, password):
    client = client_for(desk)
    assert client.get(reverse("accounts:password_change")).status_code == 200
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not-it", "new_password1": "Fresh-Pass-8842!", "new_password2": "Fresh-Pass-8842!"},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    desk.refresh_from_db()
    assert desk.check_password(password)


def test_password_change_then_login_with_the_new_one(client_for, desk, password):
    client = client_for(desk)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "Fresh-Pass-8842!", "new_password2": "Fresh-Pass-8842!"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    assert client.get(response["Location"]).status_code == 200
    # The session survives the change (update_session_auth_hash).
    assert client.get(reverse("desk:home")).status_code == 200
    assert login(Client(), desk.username, password).wsgi_request.user.is_authenticated is False
    assert login(Client(), desk.username, "Fresh-Pass-8842!").wsgi_request.user.is_authenticated


def test_password_change_refuses_a_weak_password(client_for, tenant_a_admin, password):
    response = client_for(tenant_a_admin).post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors


def test_password_change_needs_login(db):
    response = Client().get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- django-axes ---------------------------------------------------------------------------------


def fail(client: Client, username: str, times: int, addr: str = "10.1.1.1"):
    """``times`` wrong passwords; the one that reaches the limit already answers with the lockout."""
    for attempt in range(1, times + 1):
        response = client.post(LOGIN, {"username": username, "password": "wrong-guess"}, REMOTE_ADDR=addr)
        assert response.status_code == (429 if attempt >= settings.AXES_FAILURE_LIMIT else 200)


def test_lockout_after_the_failure_limit_even_with_the_right_password(desk, password):
    client = Client()
    fail(client, desk.username, settings.AXES_FAILURE_LIMIT)
    response = client.post(
        LOGIN, {"username": desk.username, "password": password}, REMOTE_ADDR="10.1.1.1", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert "Too many failed log-in attempts" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_lockout_page_is_in_chinese_by_default(desk, password):
    client = Client()
    fail(client, desk.username, settings.AXES_FAILURE_LIMIT)
    response = client.post(LOGIN, {"username": desk.username, "password": password}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    with translation.override("zh-hans"):
        heading = translation.gettext("Too many failed log-in attempts")
    assert heading in response.content.decode()


def test_one_failure_short_of_the_limit_still_logs_in(desk, password):
    client = Client()
    fail(client, desk.username, settings.AXES_FAILURE_LIMIT - 1)
    response = client.post(LOGIN, {"username": desk.username, "password": password}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


def test_lockout_is_per_address_another_office_can_still_log_in(desk, password):
    fail(Client(), desk.username, settings.AXES_FAILURE_LIMIT, addr="10.1.1.1")
    response = Client().post(LOGIN, {"username": desk.username, "password": password}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


def test_lockout_is_per_username_a_colleague_at_the_same_desk_can_log_in(desk, guard, password):
    fail(Client(), desk.username, settings.AXES_FAILURE_LIMIT, addr="10.1.1.1")
    response = Client().post(LOGIN, {"username": guard.username, "password": password}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


# --- roles ---------------------------------------------------------------------------------------


def test_roles_migration_created_the_five_staff_groups():
    names = set(Group.objects.values_list("name", flat=True))
    assert {r.value for r in Role} <= names
    assert {r.value for r in Role} == {"front_desk", "supervisor", "engineering", "security", "finance"}


def test_staff_home_redirects_by_side(client_for, desk, tenant_a_admin):
    assert client_for(desk).get(reverse("accounts:home"))["Location"] == reverse("desk:home")
    assert client_for(tenant_a_admin).get(reverse("accounts:home"))["Location"] == reverse("portal:home")


def test_admin_login_is_throttled_too(supervisor, password):
    """The admin's own login form authenticates with the request, so axes guards it as well."""
    url = reverse("admin:login")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": supervisor.username, "password": "wrong"}, REMOTE_ADDR="10.2.2.2")
    response = client.post(url, {"username": supervisor.username, "password": password}, REMOTE_ADDR="10.2.2.2")
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated
