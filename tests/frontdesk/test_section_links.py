"""An emergency and the announcement sent about it are linked both ways (frontdesk/section_links.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from frontdesk import emergency_services

from .liaison_data import make_emergency
from .notice_data import published

pytestmark = pytest.mark.django_db


def test_an_emergency_links_its_announcement_by_number_and_the_announcement_shows_it(
    client_for, desk, supervisor, building
):
    notice = published(desk, supervisor)
    emergency = make_emergency(building, desk)

    emergency_services.emergency_link(obj=emergency, by=desk, kind="announcement", number=f"#{notice.pk}")

    emergency_page = client_for(desk).get(reverse("desk:frontdesk:emergency_detail", args=[emergency.pk]))
    assert reverse("desk:frontdesk:announcement_detail", args=[notice.pk]) in emergency_page.content.decode()
    notice_page = client_for(desk).get(reverse("desk:frontdesk:announcement_detail", args=[notice.pk]))
    assert emergency.number in notice_page.content.decode()
    assert reverse("desk:frontdesk:emergency_detail", args=[emergency.pk]) in notice_page.content.decode()


def test_an_announcement_is_found_by_its_exact_title_too(desk, supervisor, building):
    notice = published(desk, supervisor, title="B座停电通知")
    emergency = make_emergency(building, desk)

    link = emergency_services.emergency_link(obj=emergency, by=desk, kind="announcement", number="B座停电通知")

    assert link.object_id == notice.pk


def test_an_unknown_announcement_is_a_field_error(desk, building):
    emergency = make_emergency(building, desk)

    with pytest.raises(ValidationError) as exc:
        emergency_services.emergency_link(obj=emergency, by=desk, kind="announcement", number="#999999")

    assert list(exc.value.message_dict) == ["number"]
    assert not emergency.links.exists()
