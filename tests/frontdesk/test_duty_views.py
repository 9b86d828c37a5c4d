"""The duty log's pages: the quick entry, the handover's field errors, the arriving clerk's
signature and the carried-over items on the next shift's page."""

import pytest
from django.urls import reverse

from frontdesk import duty_services
from frontdesk.models import DutyEntry, Shift
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk_b(db):
    return factories.UserFactory(username="desk_b", display_name="小李", roles=["front_desk"])


def test_a_clerk_comes_on_duty_and_logs_an_entry(client_for, desk):
    client = client_for(desk)
    assert 'name="come_on_duty"' in client.get(reverse("desk:frontdesk:duty")).content.decode()
    client.post(reverse("desk:frontdesk:duty"), {"come_on_duty": "1"})
    shift = Shift.objects.get()
    assert shift.clerks.filter(pk=desk.pk).exists()
    response = client.post(reverse("desk:frontdesk:duty"), {"kind": "parcel", "text": "京东快递 1502", "is_open": "on"})
    assert response.status_code == 302
    entry = DutyEntry.objects.get()
    assert entry.still_open and entry.shift == shift
    assert "京东快递 1502" in client.get(reverse("desk:frontdesk:duty")).content.decode()


def test_an_oversized_entry_comes_back_with_its_text(client_for, desk):
    text = "长" * 1001
    response = client_for(desk).post(reverse("desk:frontdesk:duty"), {"kind": "other", "text": text})
    assert response.status_code == 400
    assert text in response.content.decode() and not DutyEntry.objects.exists()


@pytest.mark.parametrize("arriving", ["", "self"])
def test_a_handover_without_an_arriving_clerk_is_a_field_error_and_keeps_the_notes(client_for, desk, arriving):
    shift = duty_services.shift_open(by=desk)
    url = reverse("desk:frontdesk:shift_handover", args=[shift.pk])
    data = {"arriving": desk.pk if arriving == "self" else "", "handover_notes": "钥匙已交接"}
    response = client_for(desk).post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and "钥匙已交接" in html and "invalid-feedback" in html
    shift.refresh_from_db()
    assert shift.status == Shift.Status.OPEN


def test_the_arriving_clerk_signs_and_sees_the_carried_over_items(client_for, desk, desk_b):
    item = duty_services.entry_log(by=desk, kind="request", text="1201 报修门锁待回访", is_open=True)
    leaving, arriving = client_for(desk), client_for(desk_b)
    url = reverse("desk:frontdesk:shift_handover", args=[item.shift_id])
    assert "1201 报修门锁待回访" in leaving.get(url).content.decode()  # listed automatically
    leaving.post(url, {"arriving": desk_b.pk, "handover_notes": "门锁待回访"})
    detail = reverse("desk:frontdesk:shift_detail", args=[item.shift_id])
    assert arriving.post(detail, {"action": "accept"}).status_code == 302
    shift = Shift.objects.get(pk=item.shift_id)
    assert shift.status == Shift.Status.ACCEPTED
    page = arriving.get(reverse("desk:frontdesk:duty")).content.decode()
    assert "1201 报修门锁待回访" in page
    # Closed from the page, it is carried no further.
    close = reverse("desk:frontdesk:entry_close", args=[item.pk])
    arriving.post(close, {"note": "已回访", "next": reverse("desk:frontdesk:duty")})
    assert not DutyEntry.objects.get(pk=item.pk).still_open


def test_closing_an_item_without_saying_how_is_a_field_error(client_for, desk):
    item = duty_services.entry_log(by=desk, kind="request", text="待办", is_open=True)
    response = client_for(desk).post(reverse("desk:frontdesk:entry_close", args=[item.pk]), {"note": ""})
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert DutyEntry.objects.get(pk=item.pk).still_open


def test_the_panels_link_lists_exactly_the_shifts_it_counts(client_for, desk):
    import datetime as dt

    from django.utils import timezone

    from frontdesk import duty_selectors

    live = duty_services.shift_open(by=desk)
    ended = Shift.objects.create(
        applicant=desk,
        date=live.date - dt.timedelta(days=1),
        code=live.code,
        starts_at=live.starts_at - dt.timedelta(days=1),
        ends_at=live.ends_at - dt.timedelta(days=1),
    )
    response = client_for(desk).get(reverse("desk:frontdesk:shift_list") + "?unsigned=true")
    listed = {row.pk for row in response.context["object_list"]}
    assert listed == {ended.pk}
    assert duty_selectors.panel_counts(now=timezone.now())["unsigned"] == len(listed)
