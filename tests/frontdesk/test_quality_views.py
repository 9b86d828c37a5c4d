"""The quality check pages as supervisors, the desk and the departments use them: a check on
a phone form (a score outside its range is an error beside its field, nothing typed lost), its
page with the scores and the timeline, a non-conformity rectified by engineering with a photo,
re-checked by the supervisor, the monthly scores and the exports."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from frontdesk.models import NonConformity, QualityCheck
from frontdesk.models.quality import Department
from jinyuan.attachments.models import Attachment
from tests.frontdesk.quality_data import items_of, later, make_check, make_sheet
from tests.repairs.page_data import png

pytestmark = pytest.mark.django_db


def _local(when: dt.datetime) -> str:
    return timezone.localtime(when).strftime("%Y-%m-%dT%H:%M")


def check_post(sheet, scores, **over) -> dict:
    data = {
        "checked_at": _local(timezone.now() - dt.timedelta(minutes=20)),
        "location": "B1停车场",
        "notes": "例行检查",
        "responsible": "",
        "due_at": "",
    }
    for item, score in zip(items_of(sheet), scores, strict=True):
        data[f"score_{item.pk}"] = score
        data[f"remark_{item.pk}"] = ""
    data.update(over)
    return data


def test_the_supervisor_records_a_check_and_its_page_shows_scores_and_timeline(client_for, supervisor, engineer):
    sheet = make_sheet(Department.ENGINEERING)
    url = reverse("desk:frontdesk:quality_check_new", args=[sheet.pk])
    client = client_for(supervisor)
    assert client.get(reverse("desk:frontdesk:quality_check_start")).content.decode().count(url) == 1
    data = check_post(sheet, ["4", "9.5", "5"], responsible=engineer.pk, due_at=_local(later(48)), photos=[png()])
    data[f"remark_{items_of(sheet)[0].pk}"] = "地面有积水"
    response = client.post(url, data)
    check = QualityCheck.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "desk:frontdesk:quality_check_detail", args=[check.pk]
    )
    nc = NonConformity.objects.get()
    assert (nc.responsible, nc.description, check.failed_items) == (engineer, "地面有积水", 1)
    assert Attachment.objects.filter(object_id=check.pk).count() == 1
    page = client.get(response["Location"]).content.decode()
    assert check.number in page and str(check.total) in page and nc.number in page
    assert "地面有积水" in page and "9.5" in page


@pytest.mark.parametrize(
    ("scores", "over", "field", "message"),
    [
        (["11", "5", "5"], {}, "score_0", "less than or equal to 10"),
        (["8", "-1", "5"], {}, "score_1", "greater than or equal to 0"),
        (["8", "5", ""], {}, "score_2", "This field is required."),
        (["8", "5", "5"], {"location": ""}, "location", "This field is required."),
        (["8", "5", "5"], {"checked_at": "2099-01-01T09:00"}, "checked_at", "The time is in the future."),
        (
            ["1", "5", "5"],
            {"due_at": "2020-01-01T09:00"},
            "due_at",
            "The rectification deadline must be in the future.",
        ),
    ],
)
def test_bad_input_shows_beside_the_field_and_keeps_what_was_typed(
    client_for, supervisor, scores, over, field, message
):
    sheet = make_sheet()
    items = items_of(sheet)
    if field.startswith("score_"):
        field = f"score_{items[int(field[-1])].pk}"
    url = reverse("desk:frontdesk:quality_check_new", args=[sheet.pk])
    response = client_for(supervisor, HTTP_ACCEPT_LANGUAGE="en").post(url, check_post(sheet, scores, **over))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f"error_1_id_{field}" in page
    assert "例行检查" in page  # nothing typed is lost
    assert not QualityCheck.objects.exists()


def test_an_inactive_sheet_is_not_offered_and_its_form_is_missing(client_for, supervisor):
    sheet = make_sheet(is_active=False)
    client = client_for(supervisor)
    url = reverse("desk:frontdesk:quality_check_new", args=[sheet.pk])
    assert url not in client.get(reverse("desk:frontdesk:quality_check_start")).content.decode()
    assert client.get(url).status_code == 404


@pytest.fixture
def nc(supervisor, engineer):
    make_check(make_sheet(Department.ENGINEERING), supervisor, [2, 10, 5], responsible=engineer, due_at=later(24))
    return NonConformity.objects.get()


def test_engineering_rectifies_with_a_photo_and_the_supervisor_rechecks(client_for, nc, engineer, supervisor):
    url = reverse("desk:frontdesk:nonconformity_detail", args=[nc.pk])
    eng = client_for(engineer)
    assert nc.number in eng.get(reverse("desk:frontdesk:nonconformity_list")).content.decode()
    response = eng.post(
        reverse("desk:frontdesk:nonconformity_rectify", args=[nc.pk]),
        {"rectify-note": "已更换地砖", "rectify-photos": [png()]},
    )
    assert response.status_code == 302
    nc.refresh_from_db()
    assert nc.status == "rectified" and Attachment.objects.filter(object_id=nc.pk).count() == 1
    response = client_for(supervisor).post(url, {"action": "recheck_pass", "note": ""})
    assert response.status_code == 302
    nc.refresh_from_db()
    assert nc.status == "closed"
    page = client_for(supervisor).get(url).content.decode()
    assert "已更换地砖" in page


def test_a_rectification_without_a_note_is_an_error_beside_the_field(client_for, nc, engineer):
    url = reverse("desk:frontdesk:nonconformity_rectify", args=[nc.pk])
    response = client_for(engineer, HTTP_ACCEPT_LANGUAGE="en").post(url, {"rectify-note": ""})
    assert response.status_code == 400
    assert "error_1_id_rectify-note" in response.content.decode()
    nc.refresh_from_db()
    assert nc.status == "open"


def test_a_failed_recheck_needs_a_new_deadline_beside_its_field(client_for, nc, engineer, supervisor):
    client_for(engineer).post(reverse("desk:frontdesk:nonconformity_rectify", args=[nc.pk]), {"rectify-note": "修"})
    url = reverse("desk:frontdesk:nonconformity_recheck_fail", args=[nc.pk])
    client = client_for(supervisor, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(url, {"fail-note": "仍有裂缝", "fail-due_at": "2020-01-01T09:00"})
    assert response.status_code == 400
    assert "The rectification deadline must be in the future." in response.content.decode()
    response = client.post(url, {"fail-note": "仍有裂缝", "fail-due_at": _local(later(72))})
    assert response.status_code == 302
    nc.refresh_from_db()
    assert nc.status == "open" and nc.rechecks == 1


def test_security_does_not_see_engineerings_nonconformity(client_for, nc, guard):
    client = client_for(guard)
    assert nc.number not in client.get(reverse("desk:frontdesk:nonconformity_list")).content.decode()
    assert client.get(reverse("desk:frontdesk:nonconformity_detail", args=[nc.pk])).status_code == 404


def test_the_monthly_scores_page_and_its_export(client_for, supervisor):
    make_check(make_sheet(), supervisor, [8, 5, 5])
    client = client_for(supervisor)
    url = reverse("desk:frontdesk:quality_scores")
    page = client.get(url).content.decode()
    assert "77.50" in page and "大堂地面无污渍、无积水" in page
    assert client.get(url, {"month": "2026-13"}).status_code == 200  # a bad month: this month
    export = client.get(url, {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_registers_export_to_excel(client_for, supervisor, nc):
    client = client_for(supervisor)
    for name in ("desk:frontdesk:quality_check_list", "desk:frontdesk:nonconformity_list"):
        response = client.get(reverse(name), {"export": "xlsx"})
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_registers_filter(client_for, supervisor, nc):
    client = client_for(supervisor)
    checks = reverse("desk:frontdesk:quality_check_list")
    assert nc.check_record.number in client.get(checks, {"failed": "true"}).content.decode()
    assert nc.check_record.number not in client.get(checks, {"failed": "false"}).content.decode()
    ncs = reverse("desk:frontdesk:nonconformity_list")
    assert nc.number in client.get(ncs, {"status": "open", "department": "engineering"}).content.decode()
    assert nc.number not in client.get(ncs, {"due": "overdue"}).content.decode()


def test_the_same_form_sent_twice_records_one_check(client_for, supervisor):
    sheet = make_sheet()
    url = reverse("desk:frontdesk:quality_check_new", args=[sheet.pk])
    client = client_for(supervisor)
    data = check_post(sheet, ["1", "10", "5"], submit_key="5b0c8a2e-6f1d-4a53-9c2b-0d4f3e1a7b91")
    first, second = client.post(url, data), client.post(url, data)
    check = QualityCheck.objects.get()
    assert first["Location"] == second["Location"] == reverse("desk:frontdesk:quality_check_detail", args=[check.pk])
    assert NonConformity.objects.count() == 1
