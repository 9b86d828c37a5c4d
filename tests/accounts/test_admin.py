"""The user admin: supervisors manage accounts, but cannot hand out more power than they have."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def change_form_data(form, user, **changes) -> dict:
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("password", "last_login")}
    data.update(
        {
            "username": user.username,
            "is_active": "on",
            "is_staff": "on" if user.is_staff else "",
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": "00:00:00",
            "groups": [g.pk for g in user.groups.all()],
            "user_permissions": [],
        }
    )
    data.pop("date_joined", None)
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_supervisor_can_edit_a_colleagues_contact_details(client_for, supervisor, desk):
    client = client_for(supervisor)
    url = reverse("admin:accounts_user_change", args=[desk.pk])
    form = client.get(url).context["adminform"].form
    response = client.post(url, change_form_data(form, desk, phone="0771-5551234"))
    assert response.status_code == 302
    desk.refresh_from_db()
    assert desk.phone == "0771-5551234"


def test_supervisor_cannot_make_themself_superuser(client_for, supervisor):
    client = client_for(supervisor)
    url = reverse("admin:accounts_user_change", args=[supervisor.pk])
    form = client.get(url).context["adminform"].form
    client.post(url, change_form_data(form, supervisor, is_superuser="on"))
    supervisor.refresh_from_db()
    assert not supervisor.is_superuser
