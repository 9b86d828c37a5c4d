"""Access cards from an Excel list: the template, good rows, bad rows (each with its row and
column), and all rows or none (``jinyuan.imports``)."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from jinyuan.imports import ImportFailed
from permits import access_passes as services
from permits.forms import ACCESS_PASS_SHEET
from permits.models import AccessPass
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = ["持卡人", "部门", "手机号", "卡类型", "开通楼层", "有效期至"]


def sheet(*rows, header=HEADER) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    buf = BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("名单.xlsx", buf.getvalue())


def later(days: int):
    return timezone.localdate() + timedelta(days=days)


def test_the_template_has_chinese_headers_and_an_example_row(tenant_a_admin, client):
    client.force_login(tenant_a_admin)
    response = client.get(reverse("portal:permits:access_pass_template"))
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.content))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == HEADER
    assert [c.value for c in ws[2]][:3] == ["张伟", "财务部", "13877110001"]
    assert len(wb.worksheets) == 2  # the instructions


def test_the_template_uploaded_as_it_is_requests_the_example(tenant_a, tenant_a_admin):
    upload = SimpleUploadedFile("t.xlsx", ACCESS_PASS_SHEET.template())
    [card] = services.access_pass_import(tenant=tenant_a, by=tenant_a_admin, upload=upload)
    assert (card.holder_name, card.mobile, card.card_type) == ("张伟", "13877110001", "staff")


def test_good_rows_are_all_requested(tenant_a, tenant_a_admin, unit_a):
    upload = sheet(
        ["张伟", "财务部", 13877110001, "员工卡", "12", None],
        [],  # an empty line between rows is skipped
        ["李娜", "", "139-7711-0002", "临时卡", "12F", later(10)],
        ["王强", "行政部", "+86 13677110003", "", "", ""],
    )
    cards = services.access_pass_import(tenant=tenant_a, by=tenant_a_admin, upload=upload)
    assert [(c.holder_name, c.mobile, c.card_type) for c in cards] == [
        ("张伟", "13877110001", "staff"),
        ("李娜", "13977110002", "temporary"),
        ("王强", "13677110003", "staff"),
    ]
    assert cards[1].valid_until == later(10)
    assert all([f.pk for f in c.floors.all()] == [unit_a.floor_id] for c in cards)
    assert {c.status for c in cards} == {AccessPass.Status.REQUESTED}


def test_bad_rows_are_listed_and_nothing_is_imported(tenant_a, tenant_a_admin):
    upload = sheet(
        ["张伟", "财务部", "13877110001", "员工卡", "12", None],  # good
        ["", "财务部", "1387711", "员工卡", "12", None],  # row 3: no name, bad mobile
        ["李娜", "", "13977110002", "月卡", "30", None],  # row 4: unknown type, floor not theirs
        ["王强", "", "13677110003", "临时卡", "12", ""],  # row 5: temporary without a last day
        ["赵六", "", "13577110004", "员工卡", "12", later(-3)],  # row 6: in the past
    )
    with pytest.raises(ImportFailed) as exc:
        services.access_pass_import(tenant=tenant_a, by=tenant_a_admin, upload=upload)
    found = {(e.row, e.column) for e in exc.value.errors}
    assert found == {(3, "持卡人"), (3, "手机号"), (4, "卡类型"), (4, "开通楼层"), (5, "有效期至"), (6, "有效期至")}
    assert not AccessPass.objects.exists()


def test_a_row_the_service_refuses_rolls_back_the_rows_before_it(tenant_a, tenant_a_admin, monkeypatch):
    """A rule only the service knows (here: made to refuse the second row) undoes the first."""
    from django.core.exceptions import ValidationError

    real = services.access_pass_request

    def refuse_second(**kwargs):
        if kwargs["holder_name"] == "李娜":
            raise ValidationError({"mobile": "该手机号已登记"})
        return real(**kwargs)

    monkeypatch.setattr(services, "access_pass_request", refuse_second)
    upload = sheet(["张伟", "", "13877110001", "", "", ""], ["李娜", "", "13977110002", "", "", ""])
    with pytest.raises(ImportFailed) as exc:
        services.access_pass_import(tenant=tenant_a, by=tenant_a_admin, upload=upload)
    assert [(e.row, e.column, e.message) for e in exc.value.errors] == [(3, "手机号", "该手机号已登记")]
    assert not AccessPass.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("a.xlsx", b"PK\x03\x04not really a zip"), "not an Excel"),
        (sheet(["张伟"], header=["姓名"]), "Columns missing"),
        (sheet(), "no rows"),
    ],
)
def test_an_unreadable_or_incomplete_sheet_is_one_clear_error(tenant_a, tenant_a_admin, upload, message):
    from django.utils import translation

    with translation.override("en"), pytest.raises(ImportFailed) as exc:
        services.access_pass_import(tenant=tenant_a, by=tenant_a_admin, upload=upload)
    assert message in exc.value.errors[0].message


def test_english_headers_are_understood(tenant_a, tenant_a_admin):
    header = ["Card holder", "Department", "Mobile", "Card type", "Floors it opens", "Valid until"]
    upload = sheet(["Tom", "IT", "13877110001", "Temporary card", "12", later(5)], header=header)
    [card] = services.access_pass_import(tenant=tenant_a, by=tenant_a_admin, upload=upload)
    assert card.card_type == "temporary"


def test_the_portal_page_shows_row_errors_and_keeps_nothing(tenant_a_admin, client):
    client.force_login(tenant_a_admin)
    upload = sheet(["张伟", "", "123", "", "", ""])
    response = client.post(reverse("portal:permits:access_pass_import"), {"file": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "手机号" in html and "<td>2</td>" in html
    assert not AccessPass.objects.exists()


def test_the_portal_page_imports_a_good_list(tenant_a_admin, client):
    client.force_login(tenant_a_admin)
    upload = sheet(["张伟", "", "13877110001", "", "", ""], ["李娜", "", "13977110002", "", "", ""])
    response = client.post(reverse("portal:permits:access_pass_import"), {"file": upload})
    assert response.status_code == 302
    assert AccessPass.objects.count() == 2


def test_a_file_that_is_not_excel_is_a_field_error(tenant_a_admin, client):
    client.force_login(tenant_a_admin)
    upload = SimpleUploadedFile("名单.xlsx", factories.tiny_image())
    response = client.post(reverse("portal:permits:access_pass_import"), {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
