"""The management log's pages: the register, a day's page, remarks and signature, items."""

import datetime as dt

import pytest
from django.urls import reverse

from frontdesk import management_log_services as services
from frontdesk.models import ActionItem, ManagementLog
from tests.frontdesk.liaison_data import make_emergency
from tests.frontdesk.management_log_data import at

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 10)


def _url(name, day=DAY):
    return reverse(f"desk:frontdesk:management_log_{name}", args=[day.isoformat()])


@pytest.fixture
def now(time_machine):
    time_machine.move_to(at(DAY, 15))


def test_todays_page_is_the_live_draft_of_the_days_events(now, client_for, building, desk):
    emergency = make_emergency(building, desk)
    response = client_for(desk).get(_url("day"))
    assert response.status_code == 200
    page = response.content.decode()
    assert emergency.number in page and reverse("desk:frontdesk:emergency_detail", args=[emergency.pk]) in page
    # The desk reads; it neither writes remarks nor signs.
    assert "sign-form" not in page and "remarks-form" not in page
    assert not ManagementLog.objects.exists()  # reading makes no log


def test_a_day_still_to_come_or_malformed_is_404(now, client_for, supervisor):
    client = client_for(supervisor)
    assert client.get(_url("day", DAY + dt.timedelta(days=1))).status_code == 404
    assert client.get("/desk/frontdesk/management-log/2026-13-45/").status_code == 404


def test_the_supervisor_writes_remarks_and_signs_from_the_page(now, client_for, supervisor):
    client = client_for(supervisor)
    assert "sign-form" in client.get(_url("day")).content.decode()
    response = client.post(
        _url("remarks"), {"remarks-building_remarks": "大厦运行正常", "remarks-manager_opinion": "加强巡查"}
    )
    assert response.status_code == 302 and response["Location"] == _url("day")
    response = client.post(_url("sign"))
    assert response.status_code == 302
    log = ManagementLog.objects.get(date=DAY)
    assert log.status == ManagementLog.Status.SIGNED and log.building_remarks == "大厦运行正常"
    page = client.get(_url("day")).content.decode()
    assert "大厦运行正常" in page and "sign-form" not in page and log.document.number in page
    pdf = client.get(_url("pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_signing_twice_from_the_page_changes_nothing(now, client_for, supervisor):
    client = client_for(supervisor)
    client.post(_url("sign"))
    signed_at = ManagementLog.objects.get().signed_at
    response = client.post(_url("sign"), follow=True)
    assert response.status_code == 200
    assert ManagementLog.objects.get().signed_at == signed_at


def test_too_long_remarks_are_a_field_error_and_nothing_is_saved(now, client_for, supervisor):
    response = client_for(supervisor).post(
        _url("remarks"), {"remarks-building_remarks": "长" * 2001, "remarks-manager_opinion": "意见"}
    )
    assert response.status_code == 400
    assert "remarks-building_remarks" in response.context["remarks_form"].add_prefix("building_remarks")
    assert response.context["remarks_form"].errors["building_remarks"]
    assert not ManagementLog.objects.exists()


def test_an_item_without_an_owner_is_a_field_error(now, client_for, desk):
    response = client_for(desk).post(_url("item"), {"item-text": "电梯异响", "item-due_at": "2026-11-12T10:00"})
    assert response.status_code == 400
    assert response.context["item_form"].errors["owner"]
    assert not ActionItem.objects.exists()


def test_the_desk_notes_an_item_that_the_next_days_page_carries(now, client_for, desk, engineer, time_machine):
    client = client_for(desk)
    response = client.post(
        _url("item"), {"item-text": "电梯异响待检修", "item-owner": engineer.pk, "item-due_at": "2026-11-14T10:00"}
    )
    assert response.status_code == 302
    time_machine.move_to(at(DAY + dt.timedelta(days=2), 9))
    # A new login: the clerk's session of two days ago has expired.
    page = client_for(desk).get(_url("day", DAY + dt.timedelta(days=2))).content.decode()
    assert "电梯异响待检修" in page and "2026-11-10" in page


def test_the_register_filters_by_month_and_status_and_exports(now, client_for, supervisor):
    services.log_open(day=DAY)
    services.log_sign(day=DAY - dt.timedelta(days=1), by=supervisor)
    services.log_open(day=dt.date(2026, 10, 3))
    client = client_for(supervisor)
    url = reverse("desk:frontdesk:management_log_list")
    november = client.get(url, {"month": "2026-11"}).context["object_list"]
    assert [log.date for log in november] == [DAY, DAY - dt.timedelta(days=1)]
    unsigned = client.get(url, {"month": "2026-11", "status": "open"}).context["object_list"]
    assert [log.date for log in unsigned] == [DAY]
    assert client.get(url, {"month": "junk"}).status_code == 200
    export = client.get(url, {"export": "xlsx"})
    assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]


def test_the_pdf_of_an_unsigned_log_is_404(now, client_for, supervisor):
    services.log_open(day=DAY)
    assert client_for(supervisor).get(_url("pdf")).status_code == 404


def test_a_note_with_markup_is_shown_as_text(now, client_for, building, desk, supervisor):
    from tests.frontdesk.management_log_data import event_at

    emergency = make_emergency(building, desk)
    event_at(emergency, "emergency.updated", at(DAY, 11), by=desk, note="<script>alert(1)</script>")
    page = client_for(supervisor).get(_url("day")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
